// SPDX-License-Identifier: MIT
// Editing a parsed playlist, then writing it losslessly: only what changed changes.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support.hpp"

using hlspp_test::changed_lines;
using hlspp_test::lines_of;
using hlspp_test::lossless;
using hlspp_test::master_of;
using hlspp_test::media_of;

namespace {

const std::string vod =
    "#EXTM3U\n"                              // 0
    "#EXT-X-VERSION:3\n"                     // 1
    "#EXT-X-TARGETDURATION:10\n"             // 2
    "#EXT-X-KEY:URI=\"k.bin\",METHOD=AES-128\n"  // 3
    "#EXTINF:10.000,\n"                      // 4
    "a.ts\n"                                 // 5
    "# about b\n"                            // 6
    "#EXTINF:9.500,b\n"                      // 7
    "b.ts\n"                                 // 8
    "#EXT-X-DISCONTINUITY\n"                 // 9
    "#EXTINF:10.000,\n"                      // 10
    "c.ts\n"                                 // 11
    "#EXT-X-ENDLIST\n";                      // 12

const std::string live =
    "#EXTM3U\r\n"
    "#EXT-X-TARGETDURATION:10\r\n"
    "#EXT-X-MEDIA-SEQUENCE:100\r\n"
    "#EXTINF:10.000,\r\n"
    "a.ts\r\n"
    "#EXTINF:10.000,\r\n"
    "b.ts\r\n";

const std::string master =
    "#EXTM3U\n"                                                                                  // 0
    "#EXT-X-VERSION:6\n"                                                                         // 1
    "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud\",NAME=\"en\",URI=\"en.m3u8\"\n"                     // 2
    "#EXT-X-STREAM-INF:FRAME-RATE=30.000,BANDWIDTH=1000,CODECS=\"avc1.4d401e,mp4a.40.2\",AUDIO=\"aud\"\n"  // 3
    "low.m3u8\n"                                                                                 // 4
    "#EXT-X-STREAM-INF:BANDWIDTH=2000,RESOLUTION=1280x720,FRAME-RATE=29.970,X-VENDOR=\"v\"\n"     // 5
    "high.m3u8\n";                                                                               // 6

}  // namespace

TEST_CASE("editing: changing one segment URI changes only that line", "[edit][lossless]") {
  auto pl = media_of(vod);
  pl.segments[1].uri = "https://cdn.example/b.ts";
  const std::string out = lossless(pl);
  CHECK(changed_lines(vod, out) == std::vector<std::size_t>{8});
  CHECK(lines_of(out)[8] == "https://cdn.example/b.ts");
}

TEST_CASE("editing: changing a duration rewrites only its EXTINF line", "[edit][lossless]") {
  auto pl = media_of(vod);
  pl.segments[2].duration = 8.25;
  const std::string out = lossless(pl);
  CHECK(changed_lines(vod, out) == std::vector<std::size_t>{10});
  CHECK(lines_of(out)[10] == "#EXTINF:8.25,");
}

TEST_CASE("editing: the fast unchanged-segment check tells moved and equal strings apart", "[edit][lossless]") {
  // Segments of the usual shape (EXTINF, PROGRAM-DATE-TIME, URI), whose strings the
  // writer may find unchanged by their address in the parsed text alone.
  const std::string text =
      "#EXTM3U\n#EXT-X-TARGETDURATION:10\n"
      "#EXT-X-PROGRAM-DATE-TIME:2024-03-01T12:00:00.000Z\n#EXTINF:9.500,t\nseg-aa.ts\n"  // 2-4
      "#EXT-X-PROGRAM-DATE-TIME:2024-03-01T12:00:09.500Z\n#EXTINF:9.500,t\nseg-bb.ts\n"  // 5-7
      "#EXT-X-ENDLIST\n";
  SECTION("equal bytes in a new string: unchanged") {
    auto pl = media_of(text);
    pl.segments[0].uri = std::string("seg-aa.ts");
    pl.segments[1].title = std::string("t");
    pl.segments[1].program_date_time->text = std::string("2024-03-01T12:00:09.500Z");
    CHECK(lossless(pl) == text);
  }
  SECTION("a string of the same text from elsewhere in it: changed") {
    auto pl = media_of(text);
    const hlspp::shared_string first = pl.segments[0].uri, second = pl.segments[1].uri;
    pl.segments[0].uri = second;  // same length, same block, another place in it
    pl.segments[1].uri = first;
    pl.segments[0].program_date_time = pl.segments[1].program_date_time;
    const std::string out = lossless(pl);
    CHECK(changed_lines(text, out) == std::vector<std::size_t>{2, 4, 7});
    CHECK(lines_of(out)[4] == "seg-bb.ts");
    CHECK(lines_of(out)[7] == "seg-aa.ts");
    CHECK(lines_of(out)[2] == "#EXT-X-PROGRAM-DATE-TIME:2024-03-01T12:00:09.500Z");
  }
  SECTION("a duration one ulp away: its EXTINF line changes") {
    auto pl = media_of(text);
    pl.segments[1].duration = std::nextafter(9.5, 10.0);
    const std::string out = lossless(pl);
    CHECK(changed_lines(text, out) == std::vector<std::size_t>{6});
    pl.segments[1].duration = 9.5;
    CHECK(lossless(pl) == text);
  }
}

TEST_CASE("editing: changing one key attribute keeps the others' order and spelling", "[edit][lossless]") {
  auto pl = media_of(vod);
  pl.segments[0].keys[0].uri = "k2.bin";
  const std::string out = lossless(pl);
  CHECK(changed_lines(vod, out) == std::vector<std::size_t>{3});
  CHECK(lines_of(out)[3] == "#EXT-X-KEY:URI=\"k2.bin\",METHOD=AES-128");

  SECTION("adding an attribute appends it") {
    auto p2 = media_of(vod);
    p2.segments[0].keys[0].iv = "0x1";
    const std::string o2 = lossless(p2);
    CHECK(lines_of(o2)[3] == "#EXT-X-KEY:URI=\"k.bin\",METHOD=AES-128,IV=0x1");
  }
  SECTION("removing an attribute drops only it") {
    auto p3 = media_of(vod);
    p3.segments[0].keys[0].uri.reset();
    p3.segments[0].keys[0].method = "NONE";
    const std::string o3 = lossless(p3);
    CHECK(lines_of(o3)[3] == "#EXT-X-KEY:METHOD=NONE");
  }
}

TEST_CASE("editing: changing a variant's BANDWIDTH changes only that attribute's text", "[edit][lossless]") {
  auto pl = master_of(master);
  pl.variants[0].bandwidth = 1500;
  const std::string out = lossless(pl);
  CHECK(changed_lines(master, out) == std::vector<std::size_t>{3});
  CHECK(lines_of(out)[3] ==
        "#EXT-X-STREAM-INF:FRAME-RATE=30.000,BANDWIDTH=1500,CODECS=\"avc1.4d401e,mp4a.40.2\",AUDIO=\"aud\"");

  SECTION("unknown attributes keep their place too") {
    auto p2 = master_of(master);
    p2.variants[1].bandwidth = 2500;
    const std::string o2 = lossless(p2);
    CHECK(changed_lines(master, o2) == std::vector<std::size_t>{5});
    CHECK(lines_of(o2)[5] == "#EXT-X-STREAM-INF:BANDWIDTH=2500,RESOLUTION=1280x720,FRAME-RATE=29.970,X-VENDOR=\"v\"");
  }
  SECTION("changing a variant URI changes only the URI line") {
    auto p3 = master_of(master);
    p3.variants[1].uri = "hd/high.m3u8";
    CHECK(changed_lines(master, lossless(p3)) == std::vector<std::size_t>{6});
  }
  SECTION("changing a rendition attribute") {
    auto p4 = master_of(master);
    p4.renditions[0].name = "English";
    const std::string o4 = lossless(p4);
    CHECK(changed_lines(master, o4) == std::vector<std::size_t>{2});
    CHECK(lines_of(o4)[2] == "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud\",NAME=\"English\",URI=\"en.m3u8\"");
  }
}

TEST_CASE("editing: a new variant is appended canonically", "[edit][lossless]") {
  auto pl = master_of(master);
  hlspp::variant_stream v;
  v.bandwidth = 4000;
  v.resolution = hlspp::resolution{1920, 1080};
  v.codecs = "avc1.640028";
  v.uri = "full.m3u8";
  pl.variants.push_back(v);
  const std::string out = lossless(pl);
  CHECK(out == master +
                   "#EXT-X-STREAM-INF:BANDWIDTH=4000,CODECS=\"avc1.640028\",RESOLUTION=1920x1080\n"
                   "full.m3u8\n");

  SECTION("a new rendition is appended too") {
    auto p2 = master_of(master);
    hlspp::rendition r;
    r.type = "AUDIO";
    r.group_id = "aud";
    r.name = "de";
    r.language = "de";
    p2.renditions.push_back(r);
    CHECK(lossless(p2) == master + "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud\",LANGUAGE=\"de\",NAME=\"de\"\n");
  }
}

TEST_CASE("editing: removing a segment removes its lines and its attached comment", "[edit][lossless]") {
  auto pl = media_of(vod);
  pl.segments.erase(pl.segments.begin() + 1);
  const std::string out = lossless(pl);
  auto expected = lines_of(vod);
  expected.erase(expected.begin() + 6, expected.begin() + 9);  // "# about b", EXTINF, b.ts
  CHECK(lines_of(out) == expected);
  CHECK(out.find("about b") == std::string::npos);

  SECTION("removing the first segment keeps its KEY? no: the KEY went with it") {
    auto p2 = media_of(vod);
    p2.segments.erase(p2.segments.begin());
    const std::string o2 = lossless(p2);
    CHECK(o2.find("#EXT-X-KEY") == std::string::npos);
    CHECK(o2.find("a.ts") == std::string::npos);
    CHECK(o2.rfind("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n# about b\n", 0) == 0);
  }
}

TEST_CASE("editing: setting endlist on a live playlist appends #EXT-X-ENDLIST", "[edit][lossless]") {
  auto pl = media_of(live);
  pl.endlist = true;
  CHECK(lossless(pl) == live + "#EXT-X-ENDLIST\r\n");

  SECTION("without a final newline in the input") {
    const std::string no_nl = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\na.ts";
    auto p2 = media_of(no_nl);
    p2.endlist = true;
    CHECK(lossless(p2) == no_nl + "\n#EXT-X-ENDLIST\n");
  }
  SECTION("and clearing it removes the line") {
    auto p3 = media_of(vod);
    p3.endlist = false;
    auto expected = lines_of(vod);
    expected.pop_back();
    CHECK(lines_of(lossless(p3)) == expected);
  }
}

TEST_CASE("editing: appending a segment to a live playlist", "[edit][lossless]") {
  auto pl = media_of(live);
  hlspp::media_segment s;
  s.uri = "c.ts";
  s.duration = 10;
  pl.segments.push_back(s);
  CHECK(lossless(pl) == live + "#EXTINF:10,\r\nc.ts\r\n");

  SECTION("sliding the window") {
    auto p2 = media_of(live);
    p2.segments.erase(p2.segments.begin());
    p2.segments.push_back(s);
    p2.media_sequence = 101;
    CHECK(lossless(p2) ==
          "#EXTM3U\r\n#EXT-X-TARGETDURATION:10\r\n#EXT-X-MEDIA-SEQUENCE:101\r\n"
          "#EXTINF:10.000,\r\nb.ts\r\n#EXTINF:10,\r\nc.ts\r\n");
  }
}

TEST_CASE("editing: reordering segments moves their lines", "[edit][lossless]") {
  auto pl = media_of(vod);
  std::swap(pl.segments[0], pl.segments[2]);
  const std::string out = lossless(pl);
  auto in = lines_of(vod);
  std::vector<std::string> expected(in.begin(), in.begin() + 3);  // header
  expected.insert(expected.end(), {in[9], in[10], in[11]});       // c (with its DISCONTINUITY)
  expected.insert(expected.end(), {in[6], in[7], in[8]});         // b
  expected.insert(expected.end(), {in[3], in[4], in[5]});         // a (with its KEY)
  expected.push_back(in[12]);                                     // ENDLIST
  CHECK(lines_of(out) == expected);
  auto back = hlspp_test::parse_at(out);
  REQUIRE(back.ok());
  CHECK(back->media().segments[0].uri == "c.ts");
  CHECK(back->media().segments[2].uri == "a.ts");
}

TEST_CASE("editing: a copied playlist writes losslessly and edits stay independent", "[edit][lossless]") {
  auto pl = media_of(vod);
  hlspp::media_playlist copy(pl);
  CHECK(lossless(copy) == vod);
  copy.segments[0].uri = "x.ts";
  CHECK(lossless(pl) == vod);
  CHECK(changed_lines(vod, lossless(copy)) == std::vector<std::size_t>{5});

  SECTION("a segment moved into another playlist is written canonically there") {
    auto other = media_of(live);
    other.segments.push_back(pl.segments[1]);
    CHECK(lossless(other) == live + "# about b\r\n#EXTINF:9.5,b\r\nb.ts\r\n");
  }
}

TEST_CASE("editing: editing extras", "[edit][lossless]") {
  auto pl = media_of(vod);
  pl.segments[1].extras[0].text = "# about the second segment";
  CHECK(changed_lines(vod, lossless(pl)) == std::vector<std::size_t>{6});
  pl.segments[1].extras.clear();
  auto expected = lines_of(vod);
  expected.erase(expected.begin() + 6);
  CHECK(lines_of(lossless(pl)) == expected);
}

TEST_CASE("editing: editing the header", "[edit][lossless]") {
  auto pl = media_of(vod);
  pl.version = 4;
  pl.target_duration = 12;
  const std::string out = lossless(pl);
  CHECK(changed_lines(vod, out) == std::vector<std::size_t>{1, 2});
  CHECK(lines_of(out)[1] == "#EXT-X-VERSION:4");
  CHECK(lines_of(out)[2] == "#EXT-X-TARGETDURATION:12");

  SECTION("new header tags go after the existing header line") {
    auto p2 = media_of(vod);
    p2.playlist_type = "VOD";
    const std::string o2 = lossless(p2);
    CHECK(o2.rfind("#EXTM3U\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-VERSION:3\n", 0) == 0);
  }
}

TEST_CASE("editing: removing or editing a variant keeps the other lines", "[edit][lossless][master]") {
  const std::string text =
      "#EXTM3U\n# c1\n#EXT-X-STREAM-INF:BANDWIDTH=1\n# mid\na.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=2\nb.m3u8\n";
  SECTION("remove the first variant with its comments") {
    auto pl = master_of(text);
    pl.variants.erase(pl.variants.begin());
    CHECK(lossless(pl) == "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=2\nb.m3u8\n");
  }
  SECTION("edit a variant with a comment between its tag and URI") {
    auto pl = master_of(text);
    pl.variants[0].bandwidth = 9;
    CHECK(changed_lines(text, lossless(pl)) == std::vector<std::size_t>{2});
  }
  SECTION("canonical output follows the model's order (kept lines before their tag)") {
    auto pl = master_of(text);
    std::swap(pl.variants[0], pl.variants[1]);
    CHECK(hlspp_test::canonical(pl) ==
          "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=2\nb.m3u8\n# c1\n# mid\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n");
  }
}

TEST_CASE("editing: LL-HLS edits of the open segment", "[edit][lossless][llhls]") {
  const std::string text =
      "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-PART-INF:PART-TARGET=1\n#EXTINF:4,\na.mp4\n"
      "#EXT-X-PART:DURATION=1,URI=\"p1\"\n#EXT-X-PART:DURATION=1,URI=\"p2\"\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p3\"\n";
  SECTION("the open segment completes") {
    auto pl = media_of(text);
    hlspp::media_segment done = pl.trailing;
    done.uri = "b.mp4";
    done.duration = 2;
    done.has_extinf = true;
    pl.segments.push_back(done);
    pl.trailing = hlspp::media_segment{};
    pl.trailing.has_extinf = false;
    pl.preload_hints.clear();
    CHECK(lossless(pl) ==
          "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-PART-INF:PART-TARGET=1\n#EXTINF:4,\na.mp4\n"
          "#EXT-X-PART:DURATION=1,URI=\"p1\"\n#EXT-X-PART:DURATION=1,URI=\"p2\"\n#EXTINF:2,\nb.mp4\n");
  }
  SECTION("a trailing part is dropped") {
    auto pl = media_of(text);
    pl.trailing.parts.pop_back();
    auto expected = lines_of(text);
    expected.erase(expected.begin() + 6);
    CHECK(lines_of(lossless(pl)) == expected);
  }
  SECTION("a new trailing part is added") {
    auto pl = media_of(text);
    hlspp::partial_segment p;
    p.duration = 1;
    p.uri = "p3";
    pl.trailing.parts.push_back(p);
    const std::string out = lossless(pl);
    // the original lines stay as they were; the new part follows them
    CHECK(out.rfind(text, 0) == 0);
    CHECK(out.substr(text.size()) == "#EXT-X-PART:DURATION=1,URI=\"p3\"\n");
    auto back = hlspp_test::parse_at(out);
    REQUIRE(back.ok());
    REQUIRE(back->media().trailing.parts.size() == 3);
    CHECK(back->media().trailing.parts[2].uri == std::optional<std::string>("p3"));
  }
}

TEST_CASE("editing: new tags on an existing segment", "[edit][lossless]") {
  auto pl = media_of(vod);
  hlspp::key k;
  k.method = "NONE";
  pl.segments[2].keys.push_back(k);
  pl.segments[2].gap = true;
  const std::string out = lossless(pl);
  auto back = hlspp_test::parse_at(out);
  REQUIRE(back.ok());
  CHECK(back->media() == pl);
  // the other segments' lines are untouched
  auto in = lines_of(vod);
  auto now = lines_of(out);
  CHECK(std::equal(in.begin(), in.begin() + 9, now.begin()));
  CHECK(now.back() == "#EXT-X-ENDLIST");
}

TEST_CASE("editing: a title with quotes and commas is written as is", "[edit][lossless]") {
  auto pl = media_of(vod);
  pl.segments[0].title = "has \"quotes\", commas";
  const std::string out = lossless(pl);
  CHECK(lines_of(out)[4] == "#EXTINF:10,has \"quotes\", commas");
  auto back = hlspp_test::parse_at(out);
  REQUIRE(back.ok());
  CHECK(back->media().segments[0].title == "has \"quotes\", commas");
}

TEST_CASE("editing: a segment appended to a playlist with ENDLIST goes before ENDLIST", "[edit][lossless]") {
  auto pl = media_of(vod);
  hlspp::media_segment s;
  s.uri = "d.ts";
  s.duration = 10;
  pl.segments.push_back(s);
  auto expected = lines_of(vod);
  expected.insert(expected.end() - 1, {"#EXTINF:10,", "d.ts"});
  CHECK(lines_of(lossless(pl)) == expected);
}
