// SPDX-License-Identifier: MIT
// Output safety: no value the model can hold may inject a line, a tag or an attribute
// into the written text. serialize() refuses (diag_code::unsafe_value) and to_string()
// throws hlspp::serialize_error, in both the lossless and the canonical writer.
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support.hpp"

using hlspp::diag_code;
using hlspp_test::throws_as;

namespace {

const std::string base_media =
    "#EXTM3U\n"
    "#EXT-X-VERSION:9\n"
    "#EXT-X-TARGETDURATION:10\n"
    "#EXT-X-PLAYLIST-TYPE:EVENT\n"
    "#EXT-X-ALLOW-CACHE:YES\n"
    "#EXT-X-PART-INF:PART-TARGET=1\n"
    "#EXT-X-SERVER-CONTROL:HOLD-BACK=30\n"
    "#EXT-X-START:TIME-OFFSET=0\n"
    "# playlist comment\n"
    "#EXT-X-SKIP:SKIPPED-SEGMENTS=1,RECENTLY-REMOVED-DATERANGES=\"old\"\n"
    "#EXT-X-VERSION-X:ignored\n"
    "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x1,KEYFORMAT=\"identity\",KEYFORMATVERSIONS=\"1\",X-OTHER=\"o\"\n"
    "#EXT-X-MAP:URI=\"init.mp4\"\n"
    "#EXT-X-PROGRAM-DATE-TIME:2020-01-01T00:00:00Z\n"
    "#EXT-X-DATERANGE:ID=\"d\",CLASS=\"c\",START-DATE=\"2020-01-01T00:00:00Z\",CUE=\"ONCE\",DURATION=1\n"
    "#EXT-X-PART:DURATION=1,URI=\"p.mp4\"\n"
    "#EXTINF:10,title\n"
    "a.ts\n"
    "# trailing comment\n"
    "#EXT-X-PART:DURATION=1,URI=\"q.mp4\"\n"
    "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"h.mp4\"\n"
    "#EXT-X-RENDITION-REPORT:URI=\"r.m3u8\",LAST-MSN=1\n";

const std::string base_master =
    "#EXTM3U\n"
    "#EXT-X-VERSION:8\n"
    "#EXT-X-DEFINE:NAME=\"n\",VALUE=\"v\"\n"
    "# playlist comment\n"
    "#EXT-X-CONTENT-STEERING:SERVER-URI=\"s.json\",PATHWAY-ID=\"A\"\n"
    "#EXT-X-SESSION-DATA:DATA-ID=\"d\",VALUE=\"v\",LANGUAGE=\"en\"\n"
    "#EXT-X-SESSION-DATA:DATA-ID=\"e\",URI=\"e.json\",FORMAT=JSON\n"
    "#EXT-X-SESSION-KEY:METHOD=AES-128,URI=\"k\"\n"
    "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"g\",NAME=\"n\",LANGUAGE=\"en\",URI=\"a.m3u8\"\n"
    "#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"cc\",NAME=\"c\",INSTREAM-ID=\"CC1\"\n"
    "# variant comment\n"
    "#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"c\",AUDIO=\"g\",CLOSED-CAPTIONS=\"cc\",HDCP-LEVEL=NONE,X-V=\"x\"\n"
    "v.m3u8\n"
    "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,URI=\"i.m3u8\"\n";

enum class value_kind { quoted, enumerated, uri_line, text_line, hex, yes_or_no };

/// Values that must be refused for a field of this kind.
std::vector<std::string> hostile_values(value_kind k) {
  switch (k) {
    case value_kind::quoted:
      return {"x\n#EXT-X-ENDLIST", "x\"", "x\r", "x\",URI=\"evil", "\"", "x\r\n#EXT-X-ENDLIST"};
    case value_kind::enumerated:
      return {"VOD,X", "VOD X", "VOD\t", "VOD\"", "VOD\n#EXT-X-ENDLIST", "VOD\r", ""};
    case value_kind::uri_line:
      return {"a.ts\n#EXT-X-ENDLIST", "a.ts\r", "a.ts\r\n#EXT-X-ENDLIST", "#EXT-X-ENDLIST", "#a.ts", "  ", "\t"};
    case value_kind::text_line:
      return {"x\n#EXT-X-ENDLIST", "x\r", "\n"};
    case value_kind::hex:
      return {"0x1\n#EXT-X-ENDLIST", "0x1\"", "0x1,X=1", "0x", "1"};
    case value_kind::yes_or_no:
      return {};
  }
  return {};
}

template <class P>
void check_refused(const P& pl) {
  for (bool canonical : {false, true}) {
    CAPTURE(canonical);
    hlspp::serialize_options o;
    o.canonical = canonical;
    auto r = hlspp::serialize(pl, o);
    INFO("output: " << (r.ok() ? *r : std::string("(refused)")));
    CHECK_FALSE(r.ok());
    if (!r.ok()) CHECK(r.error().code == diag_code::unsafe_value);
  }
  CHECK(throws_as<hlspp::serialize_error>([&] { (void)hlspp::to_string(pl); }));
  try {
    (void)hlspp::to_string(pl);
  } catch (const hlspp::serialize_error& e) {
    CHECK(e.code() == diag_code::unsafe_value);
  }
}

struct media_field {
  const char* name;
  value_kind kind;
  std::function<void(hlspp::media_playlist&, const std::string&)> set;
};

struct master_field {
  const char* name;
  value_kind kind;
  std::function<void(hlspp::master_playlist&, const std::string&)> set;
};

hlspp::media_segment& seg(hlspp::media_playlist& pl) { return pl.segments.at(0); }

std::vector<media_field> media_fields() {
  using K = value_kind;
  return {
      {"segment uri", K::uri_line, [](auto& pl, const auto& v) { seg(pl).uri = v; }},
      {"segment title", K::text_line, [](auto& pl, const auto& v) { seg(pl).title = v; }},
      {"key method", K::enumerated, [](auto& pl, const auto& v) { seg(pl).keys.at(0).method = v; }},
      {"key uri", K::quoted, [](auto& pl, const auto& v) { seg(pl).keys.at(0).uri = v; }},
      {"key iv", K::hex, [](auto& pl, const auto& v) { seg(pl).keys.at(0).iv = v; }},
      {"key keyformat", K::quoted, [](auto& pl, const auto& v) { seg(pl).keys.at(0).keyformat = v; }},
      {"key keyformatversions", K::quoted,
       [](auto& pl, const auto& v) { seg(pl).keys.at(0).keyformatversions = v; }},
      {"new key uri", K::quoted,
       [](auto& pl, const auto& v) {
         hlspp::key k;
         k.method = "AES-128";
         k.uri = v;
         seg(pl).keys.push_back(k);
       }},
      {"map uri", K::quoted, [](auto& pl, const auto& v) { seg(pl).map->uri = v; }},
      {"daterange id", K::quoted, [](auto& pl, const auto& v) { seg(pl).dateranges.at(0).id = v; }},
      {"daterange class", K::quoted, [](auto& pl, const auto& v) { seg(pl).dateranges.at(0).class_name = v; }},
      {"daterange cue", K::quoted, [](auto& pl, const auto& v) { seg(pl).dateranges.at(0).cue = v; }},
      {"daterange start-date", K::quoted,
       [](auto& pl, const auto& v) { seg(pl).dateranges.at(0).start_date = hlspp::date_time{v}; }},
      {"daterange scte35-out", K::hex, [](auto& pl, const auto& v) { seg(pl).dateranges.at(0).scte35_out = v; }},
      {"part uri", K::quoted, [](auto& pl, const auto& v) { seg(pl).parts.at(0).uri = v; }},
      {"trailing part uri", K::quoted, [](auto& pl, const auto& v) { pl.trailing.parts.at(0).uri = v; }},
      {"preload hint uri", K::quoted, [](auto& pl, const auto& v) { pl.preload_hints.at(0).uri = v; }},
      {"preload hint type", K::enumerated, [](auto& pl, const auto& v) { pl.preload_hints.at(0).type = v; }},
      {"rendition report uri", K::quoted, [](auto& pl, const auto& v) { pl.rendition_reports.at(0).uri = v; }},
      {"skip recently-removed", K::quoted,
       [](auto& pl, const auto& v) {
         if (v.empty()) return;  // may be empty
         pl.skip->recently_removed_dateranges = v;
       }},
      {"playlist type", K::enumerated, [](auto& pl, const auto& v) { pl.playlist_type = v; }},
      {"allow cache", K::enumerated, [](auto& pl, const auto& v) { pl.allow_cache = v; }},
      {"new define value", K::quoted,
       [](auto& pl, const auto& v) {
         if (v.empty()) return;
         hlspp::variable_definition d;
         d.name = "x";
         d.value = v;
         pl.defines.push_back(d);
       }},
      {"segment extra", K::text_line, [](auto& pl, const auto& v) { seg(pl).extras.at(0).text = v; }},
      {"playlist extra", K::text_line, [](auto& pl, const auto& v) { pl.extras.at(0).text = v; }},
      {"trailing extra", K::text_line,
       [](auto& pl, const auto& v) {
         hlspp::extra_line e{hlspp::extra_line::kind::comment, v};
         pl.trailing.extras.push_back(e);
       }},
      {"kept attribute value", K::quoted,
       [](auto& pl, const auto& v) { seg(pl).keys.at(0).other.at(0).value = "\"" + v + "\""; }},
  };
}

std::vector<master_field> master_fields() {
  using K = value_kind;
  auto variant = [](hlspp::master_playlist& pl) -> hlspp::variant_stream& { return pl.variants.at(0); };
  auto audio = [](hlspp::master_playlist& pl) -> hlspp::rendition& { return pl.renditions.at(0); };
  return {
      {"variant uri", K::uri_line, [=](auto& pl, const auto& v) { variant(pl).uri = v; }},
      {"variant codecs", K::quoted, [=](auto& pl, const auto& v) { variant(pl).codecs = v; }},
      {"variant supplemental codecs", K::quoted,
       [=](auto& pl, const auto& v) { variant(pl).supplemental_codecs = v; }},
      {"variant audio", K::quoted, [=](auto& pl, const auto& v) { variant(pl).audio = v; }},
      {"variant video", K::quoted, [=](auto& pl, const auto& v) { variant(pl).video = v; }},
      {"variant subtitles", K::quoted, [=](auto& pl, const auto& v) { variant(pl).subtitles = v; }},
      {"variant closed captions", K::quoted,
       [=](auto& pl, const auto& v) {
         if (v.empty()) return;
         variant(pl).closed_captions = v;
       }},
      {"variant pathway id", K::quoted, [=](auto& pl, const auto& v) { variant(pl).pathway_id = v; }},
      {"variant stable variant id", K::quoted, [=](auto& pl, const auto& v) { variant(pl).stable_variant_id = v; }},
      {"variant allowed cpc", K::quoted, [=](auto& pl, const auto& v) { variant(pl).allowed_cpc = v; }},
      {"variant req video layout", K::quoted, [=](auto& pl, const auto& v) { variant(pl).req_video_layout = v; }},
      {"variant hdcp level", K::enumerated, [=](auto& pl, const auto& v) { variant(pl).hdcp_level = v; }},
      {"variant video range", K::enumerated, [=](auto& pl, const auto& v) { variant(pl).video_range = v; }},
      {"new variant uri", K::uri_line,
       [](auto& pl, const auto& v) {
         if (v.empty()) return;  // an empty URI is "no URI line" for a built variant
         hlspp::variant_stream s;
         s.bandwidth = 2;
         s.uri = v;
         pl.variants.push_back(s);
       }},
      {"rendition type", K::enumerated, [=](auto& pl, const auto& v) { audio(pl).type = v; }},
      {"rendition name", K::quoted, [=](auto& pl, const auto& v) { audio(pl).name = v; }},
      {"rendition group id", K::quoted, [=](auto& pl, const auto& v) { audio(pl).group_id = v; }},
      {"rendition uri", K::quoted, [=](auto& pl, const auto& v) { audio(pl).uri = v; }},
      {"rendition language", K::quoted, [=](auto& pl, const auto& v) { audio(pl).language = v; }},
      {"rendition characteristics", K::quoted, [=](auto& pl, const auto& v) { audio(pl).characteristics = v; }},
      {"rendition channels", K::quoted, [=](auto& pl, const auto& v) { audio(pl).channels = v; }},
      {"rendition instream id", K::quoted,
       [](auto& pl, const auto& v) { pl.renditions.at(1).instream_id = v; }},
      {"session data id", K::quoted, [](auto& pl, const auto& v) { pl.session_data.at(0).data_id = v; }},
      {"session data value", K::quoted, [](auto& pl, const auto& v) { pl.session_data.at(0).value = v; }},
      {"session data uri", K::quoted, [](auto& pl, const auto& v) { pl.session_data.at(1).uri = v; }},
      {"session data format", K::enumerated, [](auto& pl, const auto& v) { pl.session_data.at(1).format = v; }},
      {"session key uri", K::quoted, [](auto& pl, const auto& v) { pl.session_keys.at(0).uri = v; }},
      {"session key method", K::enumerated, [](auto& pl, const auto& v) { pl.session_keys.at(0).method = v; }},
      {"steering server uri", K::quoted, [](auto& pl, const auto& v) { pl.content_steering->server_uri = v; }},
      {"steering pathway id", K::quoted, [](auto& pl, const auto& v) { pl.content_steering->pathway_id = v; }},
      {"iframe uri", K::quoted, [](auto& pl, const auto& v) { pl.iframe_streams.at(0).uri = v; }},
      {"iframe codecs", K::quoted, [](auto& pl, const auto& v) { pl.iframe_streams.at(0).codecs = v; }},
      {"define value", K::quoted,
       [](auto& pl, const auto& v) {
         if (v.empty()) return;  // VALUE may be empty
         pl.defines.at(0).value = v;
       }},
      {"playlist extra", K::text_line, [](auto& pl, const auto& v) { pl.extras.at(0).text = v; }},
      {"variant extra", K::text_line, [=](auto& pl, const auto& v) { variant(pl).extras.at(0).text = v; }},
      {"kept variant attribute", K::quoted,
       [=](auto& pl, const auto& v) { variant(pl).other.at(0).value = "\"" + v + "\""; }},
  };
}

}  // namespace

TEST_CASE("output safety: the unmodified bases write and read back", "[safety]") {
  auto media = hlspp_test::media_of(base_media);
  CHECK(hlspp_test::lossless(media) == base_media);
  const std::string media_canonical = hlspp_test::canonical(media);
  CHECK(hlspp_test::canonical(hlspp_test::media_of(media_canonical)) == media_canonical);
  auto master = hlspp_test::master_of(base_master);
  CHECK(hlspp_test::lossless(master) == base_master);
  const std::string master_canonical = hlspp_test::canonical(master);
  CHECK(hlspp_test::canonical(hlspp_test::master_of(master_canonical)) == master_canonical);
}

TEST_CASE("output safety: every media playlist string field refuses hostile values", "[safety][media]") {
  const auto parsed = hlspp_test::media_of(base_media);
  for (const auto& field : media_fields()) {
    for (const auto& value : hostile_values(field.kind)) {
      CAPTURE(field.name, value);
      auto pl = parsed;
      field.set(pl, value);
      if (pl == parsed) continue;  // the setter declined (a legal value for this field)
      check_refused(pl);
    }
  }
}

TEST_CASE("output safety: every multivariant string field refuses hostile values", "[safety][master]") {
  const auto parsed = hlspp_test::master_of(base_master);
  for (const auto& field : master_fields()) {
    for (const auto& value : hostile_values(field.kind)) {
      CAPTURE(field.name, value);
      auto pl = parsed;
      field.set(pl, value);
      if (pl == parsed) continue;
      check_refused(pl);
    }
  }
}

TEST_CASE("output safety: fields of built (unparsed) playlists refuse hostile values", "[safety]") {
  for (const auto& value : hostile_values(value_kind::quoted)) {
    CAPTURE(value);
    hlspp::media_playlist pl;
    pl.target_duration = 1;
    hlspp::media_segment s;
    s.uri = "a.ts";
    s.duration = 1;
    hlspp::init_section m;
    m.uri = value;
    s.map = m;
    pl.segments.push_back(s);
    check_refused(pl);

    hlspp::master_playlist mp;
    hlspp::session_data d;
    d.data_id = "id";
    d.value = value;
    mp.session_data.push_back(d);
    check_refused(mp);
  }
  for (const auto& value : hostile_values(value_kind::uri_line)) {
    CAPTURE(value);
    hlspp::media_playlist pl;
    pl.target_duration = 1;
    hlspp::media_segment s;
    s.uri = value;
    s.duration = 1;
    pl.segments.push_back(s);
    check_refused(pl);
  }
}

TEST_CASE("output safety: a URI line may not start with '#'", "[safety]") {
  auto pl = hlspp_test::media_of(base_media);
  pl.segments[0].uri = "#EXT-X-ENDLIST";
  check_refused(pl);
  auto m = hlspp_test::master_of(base_master);
  m.variants[0].uri = "#EXT-X-STREAM-INF:BANDWIDTH=1";
  check_refused(m);
  SECTION("but '#' later in the URI is fine (a fragment)") {
    auto ok = hlspp_test::media_of(base_media);
    ok.segments[0].uri = "a.ts#t=1";
    CHECK(hlspp::serialize(ok).ok());
  }
}

TEST_CASE("output safety: an enumerated value with a comma is refused", "[safety]") {
  auto pl = hlspp_test::media_of(base_media);
  pl.playlist_type = "VOD,X";
  check_refused(pl);
  SECTION("also when the tag is new") {
    auto fresh = hlspp_test::media_of("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\na.ts\n");
    fresh.playlist_type = "VOD,X";
    check_refused(fresh);
  }
}

TEST_CASE("output safety: PLAYLIST-TYPE and ALLOW-CACHE only take the values a reader keeps", "[safety]") {
  // A value the parser would not keep (it reads it as an error) would not read back.
  for (const char* value : {"#EXT-X-ENDLIST", "LIVE", "vod", ""}) {
    INFO(value);
    auto pl = hlspp_test::media_of(base_media);
    pl.playlist_type = value;
    check_refused(pl);
    auto cache = hlspp_test::media_of(base_media);
    cache.allow_cache = value;
    check_refused(cache);
  }
  auto pl = hlspp_test::media_of(base_media);
  pl.playlist_type = "VOD";
  pl.allow_cache = "NO";
  const std::string written = hlspp::to_string(pl);
  CHECK(written.find("#EXT-X-PLAYLIST-TYPE:VOD\n") != std::string::npos);
  CHECK(written.find("#EXT-X-ALLOW-CACHE:NO\n") != std::string::npos);
}

TEST_CASE("output safety: kept lines must stay what they claim to be", "[safety]") {
  using kind = hlspp::extra_line::kind;
  struct bad_extra {
    kind type;
    const char* text;
  };
  const bad_extra cases[] = {
      {kind::comment, "#EXT-X-ENDLIST"},  // a comment that is a tag
      {kind::comment, "not a comment"},   // a comment that is a URI line
      {kind::comment, ""},
      {kind::blank, "#EXT-X-ENDLIST"},
      {kind::blank, "a.ts"},
      {kind::unknown_tag, "a.ts"},
      {kind::unknown_tag, "# just a comment"},
      {kind::verbatim, "a\n#EXT-X-ENDLIST"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text, static_cast<int>(c.type));
    auto pl = hlspp_test::media_of(base_media);
    pl.extras.push_back(hlspp::extra_line{c.type, c.text});
    check_refused(pl);
    auto m = hlspp_test::master_of(base_master);
    m.variants[0].extras.push_back(hlspp::extra_line{c.type, c.text});
    check_refused(m);
  }
  SECTION("well-formed kept lines are written") {
    auto pl = hlspp_test::media_of(base_media);
    pl.extras.push_back(hlspp::extra_line{kind::comment, "# fine"});
    pl.extras.push_back(hlspp::extra_line{kind::blank, " \t"});
    pl.extras.push_back(hlspp::extra_line{kind::unknown_tag, "#EXT-X-NEW:1"});
    auto out = hlspp::serialize(pl);
    REQUIRE(out.ok());
    CHECK(out->find("# fine\n \t\n#EXT-X-NEW:1\n") != std::string::npos);
  }
}

TEST_CASE("output safety: attributes kept in `other` cannot inject attributes", "[safety]") {
  const char* bad_values[] = {
      "1,URI=\"evil\"",    // a second attribute
      "\"o\"x",            // text after a quoted string
      "\"a\nb\"",          // LF
      "\"a\rb\"",          // CR
      "1\n#EXT-X-ENDLIST",  // a new line
  };
  for (const char* v : bad_values) {
    CAPTURE(v);
    auto pl = hlspp_test::media_of(base_media);
    pl.segments[0].keys[0].other[0].value = v;
    check_refused(pl);
    auto m = hlspp_test::master_of(base_master);
    m.variants[0].other.push_back(hlspp::attribute{"X-NEW", v});
    check_refused(m);
  }
  const char* bad_names[] = {"X-A=B", "X-A,B", "", "X-\"A", "X-A\n#EXT-X-ENDLIST"};
  for (const char* n : bad_names) {
    CAPTURE(n);
    auto pl = hlspp_test::media_of(base_media);
    pl.segments[0].keys[0].other.push_back(hlspp::attribute{n, "1"});
    check_refused(pl);
  }
  SECTION("an unterminated quote is refused unless it ends the line") {
    hlspp::media_playlist pl;
    pl.target_duration = 1;
    hlspp::media_segment s;
    s.uri = "a.ts";
    s.duration = 1;
    hlspp::key k;
    k.method = "AES-128";
    k.uri = "k";
    k.other.push_back(hlspp::attribute{"X-U", "\"open"});
    k.other.push_back(hlspp::attribute{"X-V", "1"});
    s.keys.push_back(k);
    pl.segments.push_back(s);
    check_refused(pl);
    pl.segments[0].keys[0].other.pop_back();  // now it ends the line: it reads back as itself
    auto out = hlspp::serialize(pl);
    REQUIRE(out.ok());
    CHECK(out->find("#EXT-X-KEY:METHOD=AES-128,URI=\"k\",X-U=\"open\n") != std::string::npos);
  }
}

TEST_CASE("output safety: non-finite numbers are refused", "[safety]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (double bad : {nan, inf, -inf}) {
    CAPTURE(bad);
    {
      auto pl = hlspp_test::media_of(base_media);
      pl.segments[0].duration = bad;
      check_refused(pl);
    }
    {
      auto pl = hlspp_test::media_of(base_media);
      pl.segments[0].dateranges[0].duration = bad;
      check_refused(pl);
    }
    {
      auto pl = hlspp_test::media_of(base_media);
      pl.server_control->hold_back = bad;
      check_refused(pl);
    }
    {
      auto pl = hlspp_test::media_of(base_media);
      pl.start->time_offset = bad;
      check_refused(pl);
    }
    {
      auto m = hlspp_test::master_of(base_master);
      m.variants[0].frame_rate = bad;
      check_refused(m);
    }
  }
}

TEST_CASE("output safety: a PROGRAM-DATE-TIME cannot carry a new line", "[safety][media]") {
  hlspp::media_playlist pl;
  pl.target_duration = 1;
  hlspp::media_segment s;
  s.uri = "a.ts";
  s.duration = 1;
  s.program_date_time = hlspp::date_time{"2020-01-01T00:00:00Z\n#EXT-X-ENDLIST"};
  pl.segments.push_back(s);
  check_refused(pl);
}

// The reader trims the value after the colon, so a padded one would read back as
// another value (found by tests/python/test_output_safety.py).
TEST_CASE("output safety: a padded PROGRAM-DATE-TIME is refused", "[safety][media]") {
  for (const char* padded : {" 2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z ", "\t2020-01-01T00:00:00Z"}) {
    hlspp::media_playlist pl;
    pl.target_duration = 1;
    hlspp::media_segment s;
    s.uri = "a.ts";
    s.duration = 1;
    s.program_date_time = hlspp::date_time{padded};
    pl.segments.push_back(s);
    check_refused(pl);
  }
}

// The reader rejects an empty quoted-string where the spec needs a value, so the
// writer refuses one (found by tests/python/test_output_safety.py on ALLOWED-CPC).
TEST_CASE("output safety: an empty value for a non-empty quoted-string is refused", "[safety][master]") {
  hlspp::master_playlist m;
  hlspp::variant_stream v;
  v.uri = "v.m3u8";
  v.bandwidth = 1000;
  v.allowed_cpc = "";
  m.variants.push_back(v);
  check_refused(m);
  m.variants[0].allowed_cpc = "com.example:SW";
  CHECK(hlspp::to_string(m).find("ALLOWED-CPC=\"com.example:SW\"") != std::string::npos);
}

// The reader trims URI lines (found by tests/python/test_output_safety.py).
TEST_CASE("output safety: a padded URI line is refused", "[safety]") {
  for (const char* padded : {" a.ts", "a.ts ", "\ta.ts", "a.ts\t"}) {
    hlspp::media_playlist pl;
    pl.target_duration = 1;
    hlspp::media_segment s;
    s.uri = padded;
    s.duration = 1;
    pl.segments.push_back(s);
    check_refused(pl);
    hlspp::master_playlist m;
    hlspp::variant_stream v;
    v.uri = padded;
    v.bandwidth = 1000;
    m.variants.push_back(v);
    check_refused(m);
  }
}
