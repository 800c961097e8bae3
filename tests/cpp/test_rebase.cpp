// SPDX-License-Identifier: MIT
// rebase() / relativize(): every URI-bearing place, what is deliberately left alone,
// and that the lossless writer changes nothing but the rewritten URIs.
#include <hlspp/rebase.hpp>

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "support.hpp"

using hlspp_test::changed_lines;
using hlspp_test::dump;
using hlspp_test::lines_of;
using hlspp_test::lossless;
using hlspp_test::master_of;
using hlspp_test::media_of;

namespace {

const std::string fixture_base = "https://cdn.example.com/live/event/index.m3u8";

std::string rebase_data_dir() {
#ifdef HLSPP_TEST_DATA_DIR
  return std::string(HLSPP_TEST_DATA_DIR) + "/rebase/";
#else
  return "tests/data/rebase/";
#endif
}

std::string rebase_corpus_dir() {
#ifdef HLSPP_CORPUS_DIR
  return HLSPP_CORPUS_DIR;
#else
  return "../shared/corpus";
#endif
}

bool slurp(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

std::string fixture(const std::string& name) {
  std::string text;
  INFO("fixture " << name);
  REQUIRE(slurp(rebase_data_dir() + name, text));
  return text;
}

/// One URI-bearing place of a playlist, read straight from the model (independently
/// of rebase.hpp's own walk, so a place the walk forgets shows up here).
struct uri_ref {
  std::string where;
  std::string value;         // an X-ASSET-LIST value keeps its quotes
  bool must_stay = false;    // RENDITION-REPORT: never rewritten
  bool quoted_attr = false;  // a client attribute (value as written)
};

void collect_segment(const hlspp::media_segment& s, const std::string& at, std::vector<uri_ref>& out) {
  if (!s.uri.empty()) out.push_back({at + " URI line", s.uri});
  for (const auto& k : s.keys)
    if (k.uri) out.push_back({at + " KEY", *k.uri});
  if (s.map && s.map->uri) out.push_back({at + " MAP", *s.map->uri});
  for (const auto& d : s.dateranges)
    for (const auto& a : d.other)
      if (a.name == "X-ASSET-LIST") out.push_back({at + " X-ASSET-LIST", a.value, false, true});
  for (const auto& p : s.parts)
    if (p.uri) out.push_back({at + " PART", *p.uri});
}

std::vector<uri_ref> collect(const hlspp::media_playlist& pl) {
  std::vector<uri_ref> out;
  for (std::size_t i = 0; i < pl.segments.size(); ++i) collect_segment(pl.segments[i], "segment " + std::to_string(i), out);
  collect_segment(pl.trailing, "trailing", out);
  for (const auto& h : pl.preload_hints)
    if (h.uri) out.push_back({"PRELOAD-HINT", *h.uri});
  for (const auto& r : pl.rendition_reports)
    if (r.uri) out.push_back({"RENDITION-REPORT", *r.uri, true});
  return out;
}

std::vector<uri_ref> collect(const hlspp::master_playlist& pl) {
  std::vector<uri_ref> out;
  for (const auto& v : pl.variants)
    if (!v.uri.empty()) out.push_back({"STREAM-INF URI line", v.uri});
  for (const auto& f : pl.iframe_streams)
    if (f.uri) out.push_back({"I-FRAME-STREAM-INF", *f.uri});
  for (const auto& r : pl.renditions)
    if (r.uri) out.push_back({"MEDIA", *r.uri});
  for (const auto& d : pl.session_data)
    if (d.uri) out.push_back({"SESSION-DATA", *d.uri});
  for (const auto& k : pl.session_keys)
    if (k.uri) out.push_back({"SESSION-KEY", *k.uri});
  if (pl.content_steering && pl.content_steering->server_uri)
    out.push_back({"CONTENT-STEERING", *pl.content_steering->server_uri});
  return out;
}

std::vector<uri_ref> collect(const hlspp::playlist& pl) {
  if (const auto* m = pl.as_master()) return collect(*m);
  return collect(pl.media());
}

std::vector<std::string> values(const std::vector<uri_ref>& refs) {
  std::vector<std::string> out;
  for (const auto& r : refs) out.push_back(r.value);
  return out;
}

std::size_t count_diags(const hlspp::diagnostics& diags, hlspp::diag_code code) {
  return static_cast<std::size_t>(
      std::count_if(diags.begin(), diags.end(), [&](const hlspp::diagnostic& d) { return d.code == code; }));
}

/// What rebase() must make of one URI: resolved when it is a non-empty relative
/// reference without `{$`, else unchanged. For a quoted client attribute, the same
/// applied inside the quotes.
std::string expected_rebase(const uri_ref& r, std::string_view base) {
  if (r.must_stay) return r.value;
  if (r.quoted_attr) {
    if (r.value.size() < 2 || r.value.front() != '"' || r.value.back() != '"') return r.value;
    uri_ref inner{r.where, r.value.substr(1, r.value.size() - 2)};
    return "\"" + expected_rebase(inner, base) + "\"";
  }
  if (r.value.empty() || !hlspp::is_rebaseable_reference(r.value)) return r.value;
  return hlspp::resolve_uri(base, r.value);
}

std::string strip_cr(std::string s) {
  if (!s.empty() && s.back() == '\r') s.pop_back();
  return s;
}

/// A line reduced to what a rewrite must keep: for a tag, its name and its
/// attributes (whitespace around each trimmed), sorted; otherwise the trimmed line.
/// The order is left out because the lossless writer moves an attribute with a known
/// name but an invalid value (kept in `other`, e.g. RESOLUTION="1x1") to the end of
/// a rewritten line.
std::vector<std::string> line_content(const std::string& line) {
  const std::string text(hlspp::detail::trim(strip_cr(line)));
  const std::size_t colon = text.find(':');
  if (text.empty() || text.front() != '#' || colon == std::string::npos) return {text};
  std::vector<std::string> parts;
  std::string current;
  bool quoted = false;
  for (std::size_t i = colon + 1; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) {
      parts.emplace_back(hlspp::detail::trim(current));
      current.clear();
    } else {
      current += c;
    }
  }
  parts.emplace_back(hlspp::detail::trim(current));
  std::sort(parts.begin(), parts.end());
  parts.insert(parts.begin(), text.substr(0, colon));
  return parts;
}

struct place_fixture {
  const char* name;
  std::size_t rewritten;
};

}  // namespace

TEST_CASE("rebase: every URI-bearing place is rewritten as its fixture expects", "[rebase]") {
  const place_fixture fixtures[] = {
      // media playlists
      {"segment-uri", 4},       // seg7, ../shared, /root, //edge; https: kept
      {"key", 3},               // two AES-128 keys and one relative SAMPLE-AES; skd: and data: kept
      {"map", 2},
      {"part", 4},              // two parts of a segment, two of the open trailing segment
      {"preload-hint", 2},      // TYPE=PART and TYPE=MAP
      {"daterange", 2},         // X-ASSET-LIST (also on the trailing segment); X-ASSET-URI kept
      {"rendition-report", 0},  // must stay relative
      // multivariant playlists
      {"variant", 2},
      {"iframe-stream", 2},
      {"media", 2},
      {"session-data", 2},
      {"session-key", 1},
      {"content-steering", 1},
  };
  for (const auto& f : fixtures) {
    const std::string name = f.name;
    INFO("fixture " << name);
    const std::string input = fixture(name + ".m3u8");
    const std::string expected = fixture(name + ".rebased.m3u8");
    auto parsed = hlspp::parse(input, hlspp::strictness::strict);
    INFO(dump(parsed.diagnostics()));
    REQUIRE(parsed.ok());
    hlspp::playlist pl = std::move(*parsed);
    const auto r = hlspp::rebase(pl, fixture_base);
    INFO(dump(r.diagnostics));
    CHECK(r.diagnostics.empty());
    CHECK(r.rewritten == f.rewritten);
    const std::string out = lossless(pl);
    CHECK(out == expected);
    // Lines change only where a URI was rewritten, and those lines differ only by it.
    const auto in_lines = lines_of(input);
    const auto out_lines = lines_of(out);
    for (std::size_t i : changed_lines(input, out)) {
      INFO("line " << i + 1 << ": " << in_lines[i]);
      CHECK(out_lines[i].find("https://") != std::string::npos);
      CHECK(out_lines[i].size() > in_lines[i].size());
    }
    CHECK(changed_lines(input, out).size() == f.rewritten);
    // The output reads back to the rebased model's URIs, and is valid as before.
    auto again = hlspp::parse(out, hlspp::strictness::strict);
    INFO(dump(again.diagnostics()));
    REQUIRE(again.ok());
    CHECK(values(collect(*again)) == values(collect(pl)));
  }
}

TEST_CASE("rebase: a rewritten tag keeps the order and spelling of its other attributes", "[rebase]") {
  const std::string text =
      "#EXTM3U\n"
      "#EXT-X-I-FRAME-STREAM-INF:CODECS=\"avc1.4D401F\",URI=\"index_4.m3u8\",BANDWIDTH=1900000,"
      "RESOLUTION=1280x720,X-VENDOR=\"v\"\n"
      "#EXT-X-STREAM-INF:FRAME-RATE=30.000,BANDWIDTH=4285600\n"
      "index_1.m3u8\n";
  auto pl = master_of(text);
  const auto r = hlspp::rebase(pl, "https://a.example/out/v1/index.m3u8");
  CHECK(r.rewritten == 2);
  const std::string out = lossless(pl);
  CHECK(out ==
        "#EXTM3U\n"
        "#EXT-X-I-FRAME-STREAM-INF:CODECS=\"avc1.4D401F\",URI=\"https://a.example/out/v1/index_4.m3u8\","
        "BANDWIDTH=1900000,RESOLUTION=1280x720,X-VENDOR=\"v\"\n"
        "#EXT-X-STREAM-INF:FRAME-RATE=30.000,BANDWIDTH=4285600\n"
        "https://a.example/out/v1/index_1.m3u8\n");

  SECTION("CRLF line endings are kept on the rewritten lines") {
    const std::string crlf =
        "#EXTM3U\r\n#EXT-X-TARGETDURATION:4\r\n#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\r\n#EXTINF:4,\r\na.ts\r\n";
    auto media = media_of(crlf);
    CHECK(hlspp::rebase(media, "http://h/p/x.m3u8").rewritten == 2);
    CHECK(lossless(media) ==
          "#EXTM3U\r\n#EXT-X-TARGETDURATION:4\r\n#EXT-X-KEY:METHOD=AES-128,URI=\"http://h/p/k\"\r\n#EXTINF:4,\r\n"
          "http://h/p/a.ts\r\n");
  }
}

TEST_CASE("rebase: absolute URIs of any scheme are left alone", "[rebase]") {
  const std::string media_text =
      "#EXTM3U\n"
      "#EXT-X-VERSION:7\n"
      "#EXT-X-TARGETDURATION:4\n"
      "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"skd://twelve\",KEYFORMAT=\"com.apple.streamingkeydelivery\"\n"
      "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"data:text/plain;base64,AAAA\",KEYFORMAT=\"urn:uuid:x\"\n"
      "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"my-drm+v2.0:key?id=1\",KEYFORMAT=\"vendor\"\n"
      "#EXT-X-MAP:URI=\"HTTPS://Other.Example/init.mp4\"\n"
      "#EXTINF:4,\n"
      "http://plain.example/a.ts\n"
      "#EXTINF:4,\n"
      "urn:example:b\n"
      "#EXT-X-ENDLIST\n";
  const std::string master_text =
      "#EXTM3U\n"
      "#EXT-X-CONTENT-STEERING:SERVER-URI=\"data:application/json;base64,e30=\"\n"
      "#EXT-X-SESSION-KEY:METHOD=SAMPLE-AES,URI=\"skd://session\",KEYFORMAT=\"com.apple.streamingkeydelivery\"\n"
      "#EXT-X-SESSION-DATA:DATA-ID=\"x\",URI=\"data:,hello\"\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=1\n"
      "https://elsewhere.example/low.m3u8\n";
  SECTION("media") {
    auto pl = media_of(media_text);
    const auto r = hlspp::rebase(pl, fixture_base);
    CHECK(r.rewritten == 0);
    CHECK(r.diagnostics.empty());
    CHECK(lossless(pl) == media_text);
    const auto back = hlspp::relativize(pl, fixture_base);
    CHECK(back.rewritten == 0);
    CHECK(lossless(pl) == media_text);
  }
  SECTION("master") {
    auto pl = master_of(master_text);
    const auto r = hlspp::rebase(pl, fixture_base);
    CHECK(r.rewritten == 0);
    CHECK(r.diagnostics.empty());
    CHECK(lossless(pl) == master_text);
    const auto back = hlspp::relativize(pl, fixture_base);
    CHECK(back.rewritten == 0);
    CHECK(lossless(pl) == master_text);
  }
}

TEST_CASE("rebase: a URI with a variable reference is left alone and reported", "[rebase]") {
  const std::string text =
      "#EXTM3U\n"                                                  // 1
      "#EXT-X-VERSION:8\n"                                         // 2
      "#EXT-X-DEFINE:NAME=\"cdn\",VALUE=\"https://cdn.example\"\n"  // 3
      "#EXT-X-TARGETDURATION:4\n"                                  // 4
      "#EXT-X-KEY:METHOD=AES-128,URI=\"{$cdn}/k.bin\"\n"            // 5
      "#EXT-X-MAP:URI=\"init.mp4\"\n"                              // 6
      "#EXTINF:4,\n"                                               // 7
      "{$cdn}/a.ts\n"                                              // 8
      "#EXTINF:4,\n"                                               // 9
      "b.ts\n"                                                     // 10
      "#EXT-X-ENDLIST\n";                                          // 11
  auto pl = media_of(text);
  const auto r = hlspp::rebase(pl, "https://origin.example/v/index.m3u8");
  INFO(dump(r.diagnostics));
  CHECK(r.rewritten == 2);  // the MAP and b.ts
  REQUIRE(r.diagnostics.size() == 2);
  for (const auto& d : r.diagnostics) {
    CHECK(d.code == hlspp::diag_code::undefined_variable);
    CHECK(d.severity == hlspp::severity::warning);
    CHECK(d.message.find("substitute") != std::string::npos);
    CHECK(d.message.find("{$cdn}") != std::string::npos);
  }
  // Positioned at the line that holds the URI.
  CHECK(r.diagnostics[0].line == 8);
  CHECK(r.diagnostics[1].line == 5);
  CHECK(pl.segments[0].uri == "{$cdn}/a.ts");
  CHECK(pl.segments[0].keys[0].uri == "{$cdn}/k.bin");
  CHECK(pl.segments[1].uri == "https://origin.example/v/b.ts");
  CHECK(changed_lines(text, lossless(pl)) == std::vector<std::size_t>{5, 9});
  CHECK_FALSE(hlspp::has_errors(r.diagnostics));

  SECTION("relativize reports them too and keeps them") {
    const auto back = hlspp::relativize(pl, "https://origin.example/v/index.m3u8");
    CHECK(back.rewritten == 2);
    CHECK(count_diags(back.diagnostics, hlspp::diag_code::undefined_variable) == 2);
    CHECK(lossless(pl) == text);
  }
  SECTION("after substitution they are rebased like any other") {
    auto sub = hlspp::substitute_variables(pl);
    REQUIRE(sub.ok());
    const auto again = hlspp::rebase(pl, "https://origin.example/v/index.m3u8");
    CHECK(again.diagnostics.empty());
    CHECK(pl.segments[0].uri == "https://cdn.example/a.ts");  // absolute once substituted
    CHECK(pl.segments[0].keys[0].uri == "https://cdn.example/k.bin");
  }
  SECTION("multivariant") {
    const std::string m =
        "#EXTM3U\n"
        "#EXT-X-DEFINE:NAME=\"p\",VALUE=\"x\"\n"
        "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"n\",URI=\"{$p}/audio.m3u8\"\n"
        "#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO=\"a\"\n"
        "{$p}/video.m3u8\n"
        "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,URI=\"iframe.m3u8\"\n";
    auto master = master_of(m);
    const auto mr = hlspp::rebase(master, "https://h.example/index.m3u8");
    CHECK(mr.rewritten == 1);
    CHECK(count_diags(mr.diagnostics, hlspp::diag_code::undefined_variable) == 2);
    CHECK(master.iframe_streams[0].uri == "https://h.example/iframe.m3u8");
    CHECK(master.renditions[0].uri == "{$p}/audio.m3u8");
    CHECK(master.variants[0].uri == "{$p}/video.m3u8");
  }
}

TEST_CASE("rebase: rendition reports stay relative in both directions", "[rebase]") {
  const std::string text =
      "#EXTM3U\n"
      "#EXT-X-VERSION:9\n"
      "#EXT-X-TARGETDURATION:4\n"
      "#EXT-X-PART-INF:PART-TARGET=1\n"
      "#EXTINF:4,\n"
      "a.m4s\n"
      "#EXT-X-PART:DURATION=1,URI=\"b.0.m4s\"\n"
      "#EXT-X-RENDITION-REPORT:URI=\"../hi/index.m3u8\",LAST-MSN=1,LAST-PART=0\n"
      "#EXT-X-RENDITION-REPORT:URI=\"https://x.example/v/lo/index.m3u8\",LAST-MSN=1,LAST-PART=0\n";
  auto pl = media_of(text);
  const auto r = hlspp::rebase(pl, "https://x.example/v/mid/index.m3u8");
  CHECK(r.rewritten == 2);
  CHECK(r.diagnostics.empty());
  REQUIRE(pl.rendition_reports.size() == 2);
  CHECK(pl.rendition_reports[0].uri == "../hi/index.m3u8");
  CHECK(pl.rendition_reports[1].uri == "https://x.example/v/lo/index.m3u8");
  CHECK(changed_lines(text, lossless(pl)) == std::vector<std::size_t>{5, 6});
  const auto back = hlspp::relativize(pl, "https://x.example/v/mid/index.m3u8");
  CHECK(back.rewritten == 2);
  CHECK(back.diagnostics.empty());
  CHECK(pl.rendition_reports[1].uri == "https://x.example/v/lo/index.m3u8");
  CHECK(lossless(pl) == text);
}

TEST_CASE("rebase: a preload hint gets the same transform as the part that replaces it", "[rebase]") {
  // Two snapshots of a live playlist: the hint of the first becomes a PART in the second.
  const std::string before =
      "#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-TARGETDURATION:4\n#EXT-X-PART-INF:PART-TARGET=1\n"
      "#EXT-X-MEDIA-SEQUENCE:5\n"
      "#EXT-X-PART:DURATION=1,URI=\"../seg5.part0.m4s?v=1\"\n"
      "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"../seg5.part1.m4s?v=1\"\n"
      "#EXT-X-PRELOAD-HINT:TYPE=MAP,URI=\"./init-2.mp4\"\n";
  const std::string after =
      "#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-TARGETDURATION:4\n#EXT-X-PART-INF:PART-TARGET=1\n"
      "#EXT-X-MEDIA-SEQUENCE:5\n"
      "#EXT-X-PART:DURATION=1,URI=\"../seg5.part0.m4s?v=1\"\n"
      "#EXT-X-PART:DURATION=1,URI=\"../seg5.part1.m4s?v=1\"\n"
      "#EXT-X-MAP:URI=\"./init-2.mp4\"\n"
      "#EXT-X-PART:DURATION=1,URI=\"seg6.part0.m4s\",INDEPENDENT=YES\n";
  for (const std::string base : {"https://cdn.example/live/v1/index.m3u8?token=abc",
                                 "http://h/a/b/../c/./index.m3u8", "https://h/index.m3u8#x"}) {
    INFO("base " << base);
    auto a = media_of(before);
    auto b = media_of(after);
    CHECK(hlspp::rebase(a, base).rewritten == 3);
    CHECK(hlspp::rebase(b, base).rewritten == 4);
    REQUIRE(a.preload_hints.size() == 2);
    REQUIRE(b.trailing.parts.size() == 3);
    REQUIRE(b.trailing.map);
    CHECK(a.preload_hints[0].uri == b.trailing.parts[1].uri);
    CHECK(a.preload_hints[1].uri == b.trailing.map->uri);
    CHECK(a.trailing.parts[0].uri == b.trailing.parts[0].uri);
    CHECK(hlspp::is_absolute_uri(*a.preload_hints[0].uri));
    // And back: relativize keeps the pairing too.
    hlspp::relativize(a, base);
    hlspp::relativize(b, base);
    CHECK(a.preload_hints[0].uri == b.trailing.parts[1].uri);
    CHECK(a.preload_hints[1].uri == b.trailing.map->uri);
  }
}

TEST_CASE("rebase: resolution follows RFC 3986, with a base that has a query and dot segments", "[rebase]") {
  SECTION("the RFC 3986 section 5.4.1 examples, as segment URI lines") {
    // Every normal example that can be a URI line (not empty, not starting with '#').
    const std::pair<const char*, const char*> cases[] = {
        {"g:h", "g:h"},
        {"g", "http://a/b/c/g"},
        {"./g", "http://a/b/c/g"},
        {"g/", "http://a/b/c/g/"},
        {"/g", "http://a/g"},
        {"//g", "http://g"},
        {"?y", "http://a/b/c/d;p?y"},
        {"g?y", "http://a/b/c/g?y"},
        {"g#s", "http://a/b/c/g#s"},
        {"g?y#s", "http://a/b/c/g?y#s"},
        {";x", "http://a/b/c/;x"},
        {"g;x", "http://a/b/c/g;x"},
        {"g;x?y#s", "http://a/b/c/g;x?y#s"},
        {".", "http://a/b/c/"},
        {"./", "http://a/b/c/"},
        {"..", "http://a/b/"},
        {"../", "http://a/b/"},
        {"../g", "http://a/b/g"},
        {"../..", "http://a/"},
        {"../../", "http://a/"},
        {"../../g", "http://a/g"},
        {"../../../g", "http://a/g"},
        {"/./g", "http://a/g"},
        {"g.", "http://a/b/c/g."},
        {"..g", "http://a/b/c/..g"},
        {"g;x=1/../y", "http://a/b/c/y"},
        {"g?y/../x", "http://a/b/c/g?y/../x"},
        {"g#s/../x", "http://a/b/c/g#s/../x"},
    };
    std::string text = "#EXTM3U\n#EXT-X-TARGETDURATION:1\n";
    for (const auto& c : cases) {
      text += "#EXTINF:1,\n";
      text += c.first;
      text += '\n';
    }
    auto pl = media_of(text);
    hlspp::rebase(pl, "http://a/b/c/d;p?q");
    REQUIRE(pl.segments.size() == std::size(cases));
    for (std::size_t i = 0; i < std::size(cases); ++i) {
      INFO("reference " << cases[i].first);
      CHECK(pl.segments[i].uri == cases[i].second);
    }
  }
  SECTION("a base with a query, a fragment and dot segments") {
    const std::string base = "https://cdn.example.com/a/b/../c/./index.m3u8?token=xyz#top";
    const std::string text =
        "#EXTM3U\n#EXT-X-TARGETDURATION:4\n"
        "#EXT-X-KEY:METHOD=AES-128,URI=\"?key=1\"\n"
        "#EXT-X-MAP:URI=\"#init\"\n"
        "#EXTINF:4,\nseg.ts\n"
        "#EXTINF:4,\n../d/seg.ts?x=1\n"
        "#EXTINF:4,\n../../../../up.ts\n"
        "#EXT-X-ENDLIST\n";
    auto pl = media_of(text);
    const auto r = hlspp::rebase(pl, base);
    CHECK(r.rewritten == 5);
    // The base's query and fragment never leak into a reference that has a path.
    CHECK(pl.segments[0].uri == "https://cdn.example.com/a/c/seg.ts");
    CHECK(pl.segments[1].uri == "https://cdn.example.com/a/d/seg.ts?x=1");
    CHECK(pl.segments[2].uri == "https://cdn.example.com/up.ts");
    // A query-only or fragment-only reference keeps the base path as written (RFC 3986 §5.2.2).
    CHECK(pl.segments[0].keys[0].uri == "https://cdn.example.com/a/b/../c/./index.m3u8?key=1");
    CHECK(pl.segments[0].map->uri == "https://cdn.example.com/a/b/../c/./index.m3u8?token=xyz#init");
  }
}

TEST_CASE("rebase: relativize after rebase gives back the original text", "[rebase]") {
  const std::string media_text =
      "#EXTM3U\n"
      "#EXT-X-VERSION:9\n"
      "#EXT-X-TARGETDURATION:4\n"
      "#EXT-X-PART-INF:PART-TARGET=1.0\n"
      "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=3.0\n"
      "#EXT-X-PROGRAM-DATE-TIME:2024-01-01T00:00:00Z\n"
      "#EXT-X-KEY:METHOD=AES-128,URI=\"../keys/k.bin\"\n"
      "#EXT-X-MAP:URI=\"init.mp4\"\n"
      "#EXT-X-DATERANGE:ID=\"i\",START-DATE=\"2024-01-01T00:00:00Z\",X-ASSET-LIST=\"ads/list.json\"\n"
      "#EXT-X-PART:DURATION=1.0,URI=\"a.0.m4s\"\n"
      "#EXTINF:4.0,\n"
      "a.m4s\n"
      "#EXT-X-PART:DURATION=1.0,URI=\"b.0.m4s\",INDEPENDENT=YES\n"
      "#EXT-X-DATERANGE:ID=\"j\",START-DATE=\"2024-01-01T00:00:04Z\",X-ASSET-LIST=\"../x/j.json?q=1\"\n"
      "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"b.1.m4s\"\n"
      "#EXT-X-RENDITION-REPORT:URI=\"../lo/index.m3u8\",LAST-MSN=0\n";
  const std::string master_text =
      "#EXTM3U\n"
      "#EXT-X-VERSION:12\n"
      "#EXT-X-CONTENT-STEERING:SERVER-URI=\"steer.json\",PATHWAY-ID=\"A\"\n"
      "#EXT-X-SESSION-DATA:DATA-ID=\"d\",URI=\"meta/d.json\"\n"
      "#EXT-X-SESSION-KEY:METHOD=AES-128,URI=\"../keys/s.bin\"\n"
      "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",URI=\"audio/en.m3u8\"\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO=\"a\",PATHWAY-ID=\"A\"\n"
      "video/low.m3u8\n"
      "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,URI=\"video/low-i.m3u8\"\n";
  for (const std::string base : {"https://cdn.example.com/x/y/index.m3u8", "http://h/p/q/main.m3u8?s=1"}) {
    INFO("base " << base);
    SECTION("media " + base) {
      auto pl = media_of(media_text);
      const auto r = hlspp::rebase(pl, base);
      CHECK(r.rewritten == 8);
      for (const auto& ref : collect(pl)) {
        INFO(ref.where << ": " << ref.value);
        CHECK((ref.must_stay || ref.value.find("://") != std::string::npos));
      }
      CHECK(lossless(pl) != media_text);
      const auto back = hlspp::relativize(pl, base);
      CHECK(back.rewritten == 8);
      CHECK(back.diagnostics.empty());
      CHECK(lossless(pl) == media_text);
    }
    SECTION("master " + base) {
      auto pl = master_of(master_text);
      hlspp::playlist any = pl;
      const auto r = hlspp::rebase(any, base);
      CHECK(r.rewritten == 6);
      const auto back = hlspp::relativize(any, base);
      CHECK(back.rewritten == 6);
      CHECK(lossless(any) == master_text);
    }
  }
  SECTION("the fixtures whose relative URIs are already in shortest form") {
    // (Not segment-uri, iframe-stream, daterange: "/x" comes back as "../../x", "//h/x" stays absolute.)
    for (const char* name : {"key", "map", "part", "preload-hint", "variant", "media", "session-data",
                             "session-key", "content-steering", "rendition-report"}) {
      INFO("fixture " << name);
      auto parsed = hlspp::parse(fixture(std::string(name) + ".rebased.m3u8"));
      REQUIRE(parsed.ok());
      hlspp::relativize(*parsed, fixture_base);
      CHECK(lossless(*parsed) == fixture(std::string(name) + ".m3u8"));
    }
  }
}

TEST_CASE("rebase: relativize leaves what it cannot express relative", "[rebase]") {
  const std::string base = "https://cdn.example.com/live/index.m3u8?t=1";
  const std::string text =
      "#EXTM3U\n"
      "#EXT-X-TARGETDURATION:4\n"
      "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"skd://k\",KEYFORMAT=\"com.apple.streamingkeydelivery\"\n"
      "#EXT-X-MAP:URI=\"data:,init\"\n"
      "#EXTINF:4,\nhttp://cdn.example.com/live/a.ts\n"            // other scheme
      "#EXTINF:4,\nhttps://cdn.example.com:443/live/b.ts\n"       // other authority (no normalization)
      "#EXTINF:4,\nhttps://cdn.example.com/live/index.m3u8?t=1\n"  // would be "": the playlist itself
      "#EXTINF:4,\nhttps://cdn.example.com/live/index.m3u8?t=1#f\n"  // would be "#f": a comment
      "#EXTINF:4,\nrelative.ts\n"
      "#EXTINF:4,\nhttps://cdn.example.com/live/c.ts\n"
      "#EXT-X-ENDLIST\n";
  auto pl = media_of(text);
  const auto r = hlspp::relativize(pl, base);
  CHECK(r.diagnostics.empty());
  CHECK(r.rewritten == 1);
  CHECK(pl.segments[5].uri == "c.ts");
  CHECK(changed_lines(text, lossless(pl)) == std::vector<std::size_t>{15});

  SECTION("in a quoted attribute a fragment-only reference is fine") {
    const std::string m =
        "#EXTM3U\n#EXT-X-SESSION-DATA:DATA-ID=\"d\",URI=\"https://cdn.example.com/live/index.m3u8?t=1#d\"\n"
        "#EXT-X-STREAM-INF:BANDWIDTH=1\nhttps://cdn.example.com/low.m3u8\n";
    auto master = master_of(m);
    CHECK(hlspp::relativize(master, base).rewritten == 2);
    CHECK(master.session_data[0].uri == "#d");
    CHECK(master.variants[0].uri == "../low.m3u8");
  }
}

TEST_CASE("rebase: a base that is not an absolute URI changes nothing", "[rebase]") {
  const std::string text = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\n../a.ts\n#EXT-X-ENDLIST\n";
  for (const std::string base : {"", "live/index.m3u8", "/live/index.m3u8", "//h/live/index.m3u8",
                                 "https://h/\"quoted\".m3u8", "https://h/a\nb"}) {
    INFO("base '" << base << "'");
    auto pl = media_of(text);
    const auto r = hlspp::rebase(pl, base);
    CHECK(r.rewritten == 0);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == hlspp::diag_code::invalid_base_uri);
    CHECK(r.diagnostics[0].severity == hlspp::severity::error);
    CHECK(hlspp::code_name(r.diagnostics[0].code) == "invalid-base-uri");
    CHECK(lossless(pl) == text);
    const auto back = hlspp::relativize(pl, base);
    CHECK(back.rewritten == 0);
    CHECK(count_diags(back.diagnostics, hlspp::diag_code::invalid_base_uri) == 1);
  }
}

TEST_CASE("rebase: empty URIs are neither resolved nor produced", "[rebase]") {
  // The parser keeps URI="" out of the typed field; a program can still set one.
  const std::string text = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\n#EXTINF:4,\na.ts\n";
  auto pl = media_of(text);
  pl.segments[0].keys[0].uri = "";
  const auto r = hlspp::rebase(pl, "https://h/x/index.m3u8");
  CHECK(r.rewritten == 1);
  CHECK(pl.segments[0].keys[0].uri == "");
  CHECK(pl.segments[0].uri == "https://h/x/a.ts");
  const auto back = hlspp::relativize(pl, "https://h/x/index.m3u8");
  CHECK(back.rewritten == 1);
  CHECK(pl.segments[0].keys[0].uri == "");
  CHECK(pl.segments[0].uri == "a.ts");
}

TEST_CASE("rebase: region one of the seed example becomes the guide's rebased block", "[rebase]") {
  const std::string url = "https://d1q747mcnm9q46.cloudfront.net/out/v1/f53b2dd7810e43f4a05bffec4aa5c7a1/index.m3u8";
  const std::string input = fixture("seed-region-one.m3u8");
  const std::string expected = fixture("seed-region-one.rebased.m3u8");
  auto pl = master_of(input, hlspp::strictness::strict);
  const auto r = hlspp::rebase(pl, url);
  CHECK(r.diagnostics.empty());
  CHECK(r.rewritten == 4);  // three variants and the I-frame stream
  const std::string out = lossless(pl);
  CHECK(out == expected);

  // The same block, read from the guide's text itself when it is at hand.
  std::string guide;
  if (slurp(rebase_corpus_dir() + "/../seed/000_ec93c0c8fb1f4404.txt", guide)) {
    const auto lines = lines_of(guide);
    const std::string iframe =
        "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1900000,CODECS=\"avc1.4D401F\",RESOLUTION=1280x720,URI=\"" +
        url.substr(0, url.rfind('/') + 1) + "index_4.m3u8\"";
    auto end = std::find(lines.begin(), lines.end(), iframe);
    REQUIRE(end != lines.end());
    auto begin = end;
    while (begin != lines.begin() && *begin != "#EXTM3U") --begin;
    std::string block;
    for (auto it = begin; it != end + 1; ++it) block += *it + "\n";
    CHECK(out == block);
  }
}

TEST_CASE("rebase: every corpus playlist ends up with absolute or deliberately kept URIs", "[rebase][corpus]") {
  const std::string base = "https://cdn.example.com/a/b/index.m3u8";
  std::string index;
  REQUIRE(slurp(rebase_corpus_dir() + "/index.tsv", index));
  std::size_t checked = 0, rewritten = 0;
  std::istringstream rows(index);
  std::string row;
  std::getline(rows, row);  // header
  while (std::getline(rows, row)) {
    const std::string path = row.substr(0, row.find('\t'));
    const std::size_t k = row.find('\t');
    const std::string kind = k == std::string::npos ? "" : row.substr(k + 1, row.find('\t', k + 1) - k - 1);
    if (kind != "master" && kind != "media") continue;
    INFO("corpus file " << path);
    std::string text;
    REQUIRE(slurp(rebase_corpus_dir() + "/" + path, text));
    auto parsed = hlspp::parse(text, hlspp::strictness::lenient);
    REQUIRE(parsed.ok());
    hlspp::playlist pl = std::move(*parsed);
    const auto before = collect(pl);
    const auto r = hlspp::rebase(pl, base);
    INFO(dump(r.diagnostics));
    const auto after = collect(pl);
    REQUIRE(after.size() == before.size());
    std::size_t variable_uris = 0, changed = 0;
    for (std::size_t i = 0; i < after.size(); ++i) {
      const auto& ref = after[i];
      INFO(ref.where << ": " << before[i].value << " -> " << ref.value);
      CHECK(ref.value == expected_rebase(before[i], base));
      if (ref.value != before[i].value) ++changed;
      std::string_view uri = ref.value;
      if (ref.quoted_attr && ref.value.size() >= 2 && ref.value.front() == '"' && ref.value.back() == '"')
        uri = std::string_view(ref.value).substr(1, ref.value.size() - 2);
      else if (ref.quoted_attr)
        continue;  // an unquoted X-ASSET-LIST is not a URI value: kept as written
      if (ref.must_stay) continue;
      if (hlspp::has_variable_reference(uri)) {
        ++variable_uris;
        continue;
      }
      CHECK((uri.empty() || hlspp::is_absolute_uri(uri)));
    }
    CHECK(r.rewritten == changed);
    CHECK(count_diags(r.diagnostics, hlspp::diag_code::undefined_variable) == variable_uris);
    CHECK(r.diagnostics.size() == variable_uris);
    rewritten += changed;

    // The lossless output reads back to the same URIs.
    auto written = hlspp::serialize(pl);
    INFO((written.ok() ? std::string() : written.error().to_string()));
    REQUIRE(written.ok());
    auto again = hlspp::parse(*written, hlspp::strictness::lenient);
    REQUIRE(again.ok());
    CHECK(values(collect(*again)) == values(after));

    // And differs from the input only in the rewritten URIs: undoing each rewrite
    // (new value -> the old one the input line holds) gives back the input line.
    std::unordered_multimap<std::string, std::string> swaps;  // new -> old
    for (std::size_t i = 0; i < after.size(); ++i)
      if (after[i].value != before[i].value) {
        const bool quoted = after[i].quoted_attr;  // X-ASSET-LIST: values keep their quotes
        swaps.emplace(quoted ? after[i].value : "\"" + after[i].value + "\"",
                      quoted ? before[i].value : "\"" + before[i].value + "\"");
        if (!quoted) swaps.emplace(after[i].value, before[i].value);  // as a URI line
      }
    const auto in_lines = lines_of(text);
    const auto out_lines = lines_of(*written);
    REQUIRE(in_lines.size() == out_lines.size());
    for (std::size_t i = 0; i < in_lines.size(); ++i) {
      if (in_lines[i] == out_lines[i]) continue;
      const std::string& was_line = in_lines[i];
      auto undo = [&](const std::string& now) -> std::string {
        auto range = swaps.equal_range(now);
        for (auto it = range.first; it != range.second; ++it)
          if (was_line.find(it->second) != std::string::npos) return it->second;
        return now;
      };
      std::string undone = strip_cr(out_lines[i]);
      if (undone.empty() || undone.front() != '#') {
        undone = undo(std::string(hlspp::detail::trim(undone)));
      } else {
        std::string rebuilt;
        for (std::size_t at = 0; at < undone.size();) {
          const std::size_t open = undone.find('"', at);
          const std::size_t close = open == std::string::npos ? open : undone.find('"', open + 1);
          if (close == std::string::npos) {
            rebuilt += undone.substr(at);
            break;
          }
          rebuilt += undone.substr(at, open - at);
          rebuilt += undo(undone.substr(open, close + 1 - open));
          at = close + 1;
        }
        undone = std::move(rebuilt);
      }
      INFO("line " << i + 1 << ": " << in_lines[i] << "\nwritten: " << out_lines[i]);
      CHECK(line_content(undone) == line_content(in_lines[i]));
    }
    ++checked;
  }
  CHECK(checked > 800);
  CHECK(rewritten > 1000);
}
