// SPDX-License-Identifier: MIT
// Writers: lossless output gives back the parsed bytes exactly; canonical output is a
// fixed normalized rendering (LF, spec order, canonical numbers) and is idempotent.
#include <string>
#include <vector>

#include "catch.hpp"
#include "support.hpp"

using hlspp::strictness;
using hlspp_test::canonical;
using hlspp_test::dump;
using hlspp_test::lossless;
using hlspp_test::parse_at;

namespace {

struct round_trip_case {
  const char* name;
  std::string text;
  strictness level;
};

std::vector<round_trip_case> round_trip_cases() {
  return {
      {"odd spellings, CRLF, comments, unknown tags, blank lines, no final newline",
       "#EXTM3U\r\n"
       "# produced by hand\r\n"
       "#EXT-X-TARGETDURATION:10\r\n"
       "#EXT-X-VERSION:3\r\n"
       "#EXT-X-VENDOR-THING:x=1,y=\"2\"\r\n"
       "\r\n"
       "#EXT-X-KEY:URI=\"k.bin\",IV=0xabcdef0123456789abcdef0123456789,METHOD=AES-128\r\n"
       "#EXTINF:10.000,\r\n"
       "a.ts\r\n"
       "  \t\r\n"
       "#EXTINF:9.50,Title, with commas\r\n"
       "b.ts\r\n"
       "#EXT-X-ENDLIST",
       strictness::normal},
      {"mixed line endings",
       "#EXTM3U\n#EXT-X-TARGETDURATION:10\r\n#EXTINF:10,\na.ts\r\n#EXTINF:10,\r\nb.ts\n",
       strictness::normal},
      {"multivariant with whitespace after commas and odd attribute order",
       "#EXTM3U\n"
       "#EXT-X-VERSION:4\n"
       "# audio\n"
       "#EXT-X-MEDIA:NAME=\"English\",TYPE=AUDIO,GROUP-ID=\"aud\",DEFAULT=YES,URI=\"en.m3u8\",X-CUSTOM=0x1F\n"
       "\n"
       "#EXT-X-STREAM-INF:RESOLUTION=640x360, BANDWIDTH=640000,FRAME-RATE=30.000,CODECS=\"avc1.4d401e, mp4a.40.2\"\n"
       "low.m3u8\n"
       "#EXT-X-STREAM-INF:BANDWIDTH=1280000,CLOSED-CAPTIONS=NONE,AUDIO=\"aud\"\n"
       "# comment between tag and URI\n"
       "mid.m3u8\n"
       "#EXT-X-I-FRAME-STREAM-INF:URI=\"if.m3u8\",BANDWIDTH=50000\n"
       "#EXT-X-SESSION-DATA:DATA-ID=\"t\",VALUE=\"a, b\"\n"
       "#EXT-X-UNKNOWN\n",
       strictness::normal},
      {"LL-HLS with trailing parts, hints, reports and a trailing date range",
       "#EXTM3U\n"
       "#EXT-X-TARGETDURATION:4\n"
       "#EXT-X-VERSION:9\n"
       "#EXT-X-SERVER-CONTROL:PART-HOLD-BACK=3.000,CAN-BLOCK-RELOAD=YES\n"
       "#EXT-X-PART-INF:PART-TARGET=1.00\n"
       "#EXT-X-PROGRAM-DATE-TIME:2020-01-01T00:00:00.000+00:00\n"
       "#EXT-X-PART:DURATION=1.000,URI=\"p0.mp4\",INDEPENDENT=YES\n"
       "#EXTINF:4.000,\n"
       "s0.mp4\n"
       "#EXT-X-DATERANGE:ID=\"x\",START-DATE=\"2020-01-01T00:00:02Z\",X-A=\"b\"\n"
       "#EXT-X-PART:DURATION=1.000,URI=\"p1.mp4\"\n"
       "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p2.mp4\"\n"
       "#EXT-X-RENDITION-REPORT:URI=\"../a.m3u8\",LAST-MSN=1,LAST-PART=0\n",
       strictness::normal},
      {"a playlist tag between a segment's lines",
       "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n#EXT-X-MEDIA-SEQUENCE:1\n# c\na.ts\n#EXT-X-ENDLIST\n",
       strictness::normal},
      {"lenient: broken lines kept",
       "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-TARGETDURATION:11\n#EXT-X-KEY:METHOD=AES-128,URI=\"k\n"
       "#EXTINF:bad,\n#EXTINF:10,\n#EXT-X-BYTERANGE:x\na.ts\n#EXT-X-STREAM-INF:BANDWIDTH=1\n#EXTM3U\n",
       strictness::lenient},
      {"lenient: lines before #EXTM3U",
       "# comment first\n#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\na.ts\n", strictness::lenient},
      {"byte order mark", "\xEF\xBB\xBF#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\na.ts\n",
       strictness::normal},
      {"whitespace everywhere",
       "#EXTM3U \n#EXT-X-TARGETDURATION: 10\n#EXT-X-KEY: METHOD=AES-128, URI=\"k\" \n#EXTINF:10, t \n a.ts \n",
       strictness::normal},
      {"variables kept as written",
       "#EXTM3U\n#EXT-X-VERSION:8\n#EXT-X-DEFINE:NAME=\"h\",VALUE=\"cdn\"\n#EXT-X-TARGETDURATION:10\n"
       "#EXT-X-MAP:URI=\"https://{$h}/init.mp4\"\n#EXTINF:10,\nhttps://{$h}/a.ts\n",
       strictness::normal},
  };
}

}  // namespace

TEST_CASE("writers: lossless output is byte-exact for hand-written inputs", "[writer][lossless]") {
  for (const auto& c : round_trip_cases()) {
    CAPTURE(c.name);
    auto r = parse_at(c.text, c.level);
    INFO(dump(r.diagnostics()));
    REQUIRE(r.ok());
    auto out = hlspp::serialize(*r);
    REQUIRE(out.ok());
    CHECK(*out == c.text);
    CHECK(hlspp::to_string(*r) == c.text);
  }
}

TEST_CASE("writers: lossless output of a copy is byte-exact", "[writer][lossless]") {
  for (const auto& c : round_trip_cases()) {
    CAPTURE(c.name);
    auto r = parse_at(c.text, c.level);
    REQUIRE(r.ok());
    const hlspp::playlist copy = *r;  // copy constructor
    CHECK(hlspp::to_string(copy) == c.text);
    hlspp::playlist assigned;
    assigned = copy;  // copy assignment
    CHECK(hlspp::to_string(assigned) == c.text);
    CHECK(assigned == *r);
  }
}

TEST_CASE("writers: canonical media playlist", "[writer][canonical]") {
  const std::string input =
      "#EXTM3U\r\n"
      "#EXT-X-TARGETDURATION:10\r\n"
      "# comment\r\n"
      "#EXT-X-VERSION:3\r\n"
      "#EXT-X-MEDIA-SEQUENCE:7\r\n"
      "#EXT-X-KEY:URI=\"k.bin\",METHOD=AES-128\r\n"
      "#EXTINF:10.000,first\r\n"
      "a.ts\r\n"
      "#EXT-X-BITRATE:800\r\n"
      "#EXT-X-DISCONTINUITY\r\n"
      "#EXTINF:9.50,\r\n"
      "#EXT-X-BYTERANGE:100@0\r\n"
      "b.ts\r\n"
      "#EXT-X-ENDLIST";
  const std::string expected =
      "#EXTM3U\n"
      "# comment\n"
      "#EXT-X-VERSION:3\n"
      "#EXT-X-TARGETDURATION:10\n"
      "#EXT-X-MEDIA-SEQUENCE:7\n"
      "#EXT-X-KEY:METHOD=AES-128,URI=\"k.bin\"\n"
      "#EXTINF:10,first\n"
      "a.ts\n"
      "#EXT-X-DISCONTINUITY\n"
      "#EXT-X-BITRATE:800\n"
      "#EXTINF:9.5,\n"
      "#EXT-X-BYTERANGE:100@0\n"
      "b.ts\n"
      "#EXT-X-ENDLIST\n";
  auto r = parse_at(input);
  REQUIRE(r.ok());
  const std::string out = canonical(r->media());
  CHECK(out == expected);
  CHECK(out.find('\r') == std::string::npos);

  SECTION("idempotent") {
    auto again = parse_at(out);
    REQUIRE(again.ok());
    CHECK(canonical(again->media()) == expected);
    CHECK(lossless(again->media()) == expected);
  }
}

TEST_CASE("writers: canonical LL-HLS media playlist", "[writer][canonical]") {
  const std::string input =
      "#EXTM3U\n"
      "#EXT-X-PART-INF:PART-TARGET=1.000\n"
      "#EXT-X-SERVER-CONTROL:PART-HOLD-BACK=3.0,CAN-BLOCK-RELOAD=YES\n"
      "#EXT-X-TARGETDURATION:4\n"
      "#EXT-X-VERSION:9\n"
      "#EXT-X-MEDIA-SEQUENCE:10\n"
      "#EXT-X-PROGRAM-DATE-TIME:2020-01-01T00:00:00Z\n"
      "#EXT-X-MAP:BYTERANGE=\"100@0\",URI=\"init.mp4\"\n"
      "#EXTINF:4.000,\n"
      "s10.mp4\n"
      "#EXT-X-PART:URI=\"p0.mp4\",DURATION=1.000,INDEPENDENT=YES\n"
      "#EXT-X-DATERANGE:START-DATE=\"2020-01-01T00:00:04Z\",ID=\"d\",X-B=1,X-A=\"a\"\n"
      "#EXT-X-RENDITION-REPORT:LAST-PART=0,URI=\"../b.m3u8\",LAST-MSN=11\n"
      "#EXT-X-PRELOAD-HINT:URI=\"p1.mp4\",TYPE=PART\n";
  const std::string expected =
      "#EXTM3U\n"
      "#EXT-X-VERSION:9\n"
      "#EXT-X-TARGETDURATION:4\n"
      "#EXT-X-MEDIA-SEQUENCE:10\n"
      "#EXT-X-PART-INF:PART-TARGET=1\n"
      "#EXT-X-SERVER-CONTROL:PART-HOLD-BACK=3,CAN-BLOCK-RELOAD=YES\n"
      "#EXT-X-MAP:URI=\"init.mp4\",BYTERANGE=\"100@0\"\n"
      "#EXT-X-PROGRAM-DATE-TIME:2020-01-01T00:00:00Z\n"
      "#EXTINF:4,\n"
      "s10.mp4\n"
      "#EXT-X-DATERANGE:ID=\"d\",START-DATE=\"2020-01-01T00:00:04Z\",X-B=1,X-A=\"a\"\n"
      "#EXT-X-PART:DURATION=1,URI=\"p0.mp4\",INDEPENDENT=YES\n"
      "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p1.mp4\"\n"
      "#EXT-X-RENDITION-REPORT:URI=\"../b.m3u8\",LAST-MSN=11,LAST-PART=0\n";
  auto r = parse_at(input);
  INFO(dump(r.diagnostics()));
  REQUIRE(r.ok());
  const std::string out = canonical(r->media());
  CHECK(out == expected);
  auto again = parse_at(out);
  REQUIRE(again.ok());
  CHECK(canonical(again->media()) == expected);
}

TEST_CASE("writers: canonical multivariant playlist", "[writer][canonical]") {
  const std::string input =
      "#EXTM3U\n"
      "#EXT-X-STREAM-INF:RESOLUTION=640x360,BANDWIDTH=640000,CODECS=\"avc1.4d401e,mp4a.40.2\",FRAME-RATE=30.000,"
      "AUDIO=\"aud\",X-FOO=\"bar\"\n"
      "low.m3u8\n"
      "#EXT-X-INDEPENDENT-SEGMENTS\n"
      "#EXT-X-MEDIA:NAME=\"English\",TYPE=AUDIO,GROUP-ID=\"aud\",DEFAULT=YES,URI=\"en.m3u8\"\n"
      "#EXT-X-VERSION:4\n"
      "#EXT-X-I-FRAME-STREAM-INF:URI=\"if.m3u8\",BANDWIDTH=50000\n"
      "#EXT-X-SESSION-DATA:VALUE=\"x\",DATA-ID=\"t\"\n"
      "#EXT-X-CONTENT-STEERING:PATHWAY-ID=\"A\",SERVER-URI=\"s.json\"\n"
      "#EXT-X-STREAM-INF:CLOSED-CAPTIONS=NONE,BANDWIDTH=1\n"
      "hi.m3u8\n";
  const std::string expected =
      "#EXTM3U\n"
      "#EXT-X-VERSION:4\n"
      "#EXT-X-INDEPENDENT-SEGMENTS\n"
      "#EXT-X-CONTENT-STEERING:SERVER-URI=\"s.json\",PATHWAY-ID=\"A\"\n"
      "#EXT-X-SESSION-DATA:DATA-ID=\"t\",VALUE=\"x\"\n"
      "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud\",NAME=\"English\",DEFAULT=YES,URI=\"en.m3u8\"\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=640000,CODECS=\"avc1.4d401e,mp4a.40.2\",RESOLUTION=640x360,FRAME-RATE=30,"
      "AUDIO=\"aud\",X-FOO=\"bar\"\n"
      "low.m3u8\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=1,CLOSED-CAPTIONS=NONE\n"
      "hi.m3u8\n"
      "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=50000,URI=\"if.m3u8\"\n";
  auto r = parse_at(input);
  INFO(dump(r.diagnostics()));
  REQUIRE(r.ok());
  const std::string out = canonical(r->master());
  CHECK(out == expected);
  auto again = parse_at(out);
  REQUIRE(again.ok());
  CHECK(canonical(again->master()) == expected);
  CHECK(lossless(again->master()) == expected);
  CHECK(again->master() == r->master());
}

TEST_CASE("writers: canonical output uses LF and an integer target duration", "[writer][canonical]") {
  auto r = parse_at("#EXTM3U\r\n#EXT-X-TARGETDURATION:9.2\r\n#EXTINF:9.2,\r\na.ts\r\n");
  REQUIRE(r.ok());
  CHECK(canonical(r->media()) == "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:9.2,\na.ts\n");
  // the lossless writer keeps the original spelling
  CHECK(lossless(r->media()) == "#EXTM3U\r\n#EXT-X-TARGETDURATION:9.2\r\n#EXTINF:9.2,\r\na.ts\r\n");
}

TEST_CASE("writers: canonical output of a built playlist", "[writer][canonical]") {
  hlspp::media_playlist pl;
  pl.version = 3;
  pl.target_duration = 6;
  pl.playlist_type = "VOD";
  pl.endlist = true;
  hlspp::media_segment s;
  s.uri = "seg0.ts";
  s.duration = 5.005;
  pl.segments.push_back(s);
  s.uri = "seg1.ts";
  s.duration = 6;
  s.title = "two";
  s.discontinuity = true;
  s.program_date_time = hlspp::date_time{"2020-01-01T00:00:05.005Z"};
  pl.segments.push_back(s);
  const std::string expected =
      "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXT-X-PLAYLIST-TYPE:VOD\n"
      "#EXTINF:5.005,\nseg0.ts\n"
      "#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME:2020-01-01T00:00:05.005Z\n#EXTINF:6,two\nseg1.ts\n"
      "#EXT-X-ENDLIST\n";
  CHECK(canonical(pl) == expected);
  // a built playlist has no source text: the lossless writer writes it canonically
  CHECK(lossless(pl) == expected);
  auto back = parse_at(expected, strictness::strict);
  INFO(dump(back.diagnostics()));
  REQUIRE(back.ok());
  CHECK(back->media() == pl);

  SECTION("a built multivariant playlist") {
    hlspp::master_playlist m;
    hlspp::variant_stream v;
    v.bandwidth = 100;
    v.codecs = "mp4a.40.2";
    v.uri = "a.m3u8";
    m.variants.push_back(v);
    hlspp::rendition rd;
    rd.type = "AUDIO";
    rd.group_id = "g";
    rd.name = "n";
    m.renditions.push_back(rd);
    CHECK(lossless(m) ==
          "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"g\",NAME=\"n\"\n"
          "#EXT-X-STREAM-INF:BANDWIDTH=100,CODECS=\"mp4a.40.2\"\na.m3u8\n");
  }
}

TEST_CASE("writers: canonical numbers are the shortest decimal without exponent", "[writer][canonical]") {
  hlspp::media_playlist pl;
  pl.target_duration = 1;
  hlspp::media_segment s;
  s.uri = "a";
  s.duration = 0.000001;
  pl.segments.push_back(s);
  s.duration = 1e17;
  pl.segments.push_back(s);
  s.duration = 0.1;
  pl.segments.push_back(s);
  const std::string out = canonical(pl);
  CHECK(out.find("#EXTINF:0.000001,") != std::string::npos);
  CHECK(out.find("#EXTINF:100000000000000000,") != std::string::npos);
  CHECK(out.find("#EXTINF:0.1,") != std::string::npos);
  CHECK(out.find('e') == std::string::npos);
}

TEST_CASE("writers: canonical keeps playlist comments after the media at the end", "[writer][canonical]") {
  auto r = parse_at("#EXTM3U\n# top\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\na.ts\n#EXT-X-ENDLIST\n# bottom\n");
  REQUIRE(r.ok());
  CHECK(canonical(r->media()) ==
        "#EXTM3U\n# top\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\na.ts\n#EXT-X-ENDLIST\n# bottom\n");
}

TEST_CASE("writers: canonical output re-reads with playlist comments still at the playlist level", "[writer][canonical]") {
  // Playlist-level comments go before the header tags, so reading the canonical text
  // again attaches them to the playlist, not to the first segment.
  auto r = parse_at("#EXTM3U\n# c\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\na.ts\n");
  REQUIRE(r.ok());
  auto again = parse_at(canonical(r->media()));
  REQUIRE(again.ok());
  CHECK(again->media().extras.size() == 1);
  CHECK(again->media().segments[0].extras.empty());
  CHECK(again->media() == r->media());
}

// Found by the atheris target on a corpus master: a blank line after the last
// rendition was written right after #EXTM3U, where reading it again attached it to
// the first rendition (a different model).
TEST_CASE("writers: canonical master keeps trailing playlist lines after the items", "[writer][canonical]") {
  const std::string text =
      "#EXTM3U\n"
      "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",URI=\"en.m3u8\"\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=1000,AUDIO=\"a\"\n"
      "v.m3u8\n"
      "# the end\n"
      "\n";
  auto r = parse_at(text, strictness::strict);
  REQUIRE(r);
  const auto& m = r->master();
  REQUIRE(m.extras.size() == 2);
  const std::string out = canonical(m);
  const std::string tail = "v.m3u8\n# the end\n\n";
  REQUIRE(out.size() > tail.size());
  CHECK(out.substr(out.size() - tail.size()) == tail);
  auto again = parse_at(out, strictness::strict);
  REQUIRE(again);
  CHECK(again->master().extras.size() == 2);
  CHECK(again->master().renditions[0].extras.empty());
  CHECK(again->master().variants[0].extras.empty());
  CHECK(canonical(again->master()) == out);
}

TEST_CASE("writers: a PROGRAM-DATE-TIME with a decimal comma is written back", "[writer][canonical]") {
  // ISO 8601 allows "39,634" for "39.634"; the parser accepts it without a diagnostic,
  // so the canonical writer must not refuse it (it did, over the comma: a fuzz finding).
  const std::string text =
      "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-PROGRAM-DATE-TIME:2021-11-24T10:49:39,634Z\n#EXTINF:3.904,\na.ts\n";
  const auto parsed = hlspp::parse(text);
  REQUIRE(parsed.ok());
  CHECK_FALSE(hlspp::has_errors(parsed.diagnostics()));
  const auto& pdt = parsed->media().segments[0].program_date_time;
  REQUIRE(pdt);
  REQUIRE(pdt->epoch_seconds());
  CHECK(*pdt->epoch_seconds() == Catch::Approx(1637750979.634));
  hlspp::serialize_options canonical;
  canonical.canonical = true;
  const auto written = hlspp::serialize(*parsed, canonical);
  REQUIRE(written.ok());
  CHECK(written->find("#EXT-X-PROGRAM-DATE-TIME:2021-11-24T10:49:39,634Z\n") != std::string::npos);
  CHECK(hlspp::parse(*written)->media().segments[0].program_date_time == pdt);
}
