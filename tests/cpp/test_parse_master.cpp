// SPDX-License-Identifier: MIT
// Multivariant (master) playlist parsing: every tag into the typed model.
#include <cstdint>
#include <optional>
#include <string>

#include "catch.hpp"
#include "support.hpp"

using hlspp::diag_code;
using hlspp::severity;
using hlspp_test::dump;
using hlspp_test::find_diag;
using hlspp_test::has_diag;
using hlspp_test::has_diag_at;
using hlspp_test::master_of;

namespace {

const std::string full_master =
    "#EXTM3U\n"                                                                       // 1
    "#EXT-X-VERSION:13\n"                                                             // 2
    "#EXT-X-INDEPENDENT-SEGMENTS\n"                                                   // 3
    "#EXT-X-START:TIME-OFFSET=25,PRECISE=NO\n"                                        // 4
    "#EXT-X-DEFINE:NAME=\"cdn\",VALUE=\"https://cdn.example\"\n"                      // 5
    "#EXT-X-DEFINE:QUERYPARAM=\"token\"\n"                                            // 6
    "#EXT-X-CONTENT-STEERING:SERVER-URI=\"https://steer.example/m.json\",PATHWAY-ID=\"CDN-A\"\n"  // 7
    "#EXT-X-SESSION-DATA:DATA-ID=\"com.example.title\",VALUE=\"Hello, world\",LANGUAGE=\"en\"\n"  // 8
    "#EXT-X-SESSION-DATA:DATA-ID=\"com.example.lyrics\",URI=\"lyrics.json\",FORMAT=JSON\n"       // 9
    "#EXT-X-SESSION-KEY:METHOD=SAMPLE-AES,URI=\"skd://key1\",KEYFORMAT=\"com.apple.streamingkeydelivery\","
    "KEYFORMATVERSIONS=\"1\"\n"                                                       // 10
    "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aac\",LANGUAGE=\"en\",ASSOC-LANGUAGE=\"en-US\",NAME=\"English\","
    "STABLE-RENDITION-ID=\"a1\",DEFAULT=YES,AUTOSELECT=YES,BIT-DEPTH=16,SAMPLE-RATE=48000,"
    "CHARACTERISTICS=\"public.accessibility.describes-video\",CHANNELS=\"2\",URI=\"audio/en.m3u8\"\n"  // 11
    "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"Deutsch\",LANGUAGE=\"de\",FORCED=NO,"
    "URI=\"subs/de.m3u8\"\n"                                                          // 12
    "#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"cc\",NAME=\"CC1\",INSTREAM-ID=\"CC1\"\n"  // 13
    "#EXT-X-MEDIA:TYPE=VIDEO,GROUP-ID=\"vid\",NAME=\"Main\",INSTREAM-ID=\"v1\"\n"     // 14
    "#EXT-X-STREAM-INF:BANDWIDTH=1280000,AVERAGE-BANDWIDTH=1000000,SCORE=1.5,CODECS=\"avc1.4d401f,mp4a.40.2\","
    "SUPPLEMENTAL-CODECS=\"dvh1.08.07/db4h\",RESOLUTION=1280x720,FRAME-RATE=29.970,HDCP-LEVEL=TYPE-0,"
    "ALLOWED-CPC=\"com.example:AES\",VIDEO-RANGE=PQ,REQ-VIDEO-LAYOUT=\"CH-STEREO\",STABLE-VARIANT-ID=\"v720\","
    "AUDIO=\"aac\",VIDEO=\"vid\",SUBTITLES=\"subs\",CLOSED-CAPTIONS=\"cc\",PATHWAY-ID=\"CDN-A\"\n"  // 15
    "video/720.m3u8\n"                                                                // 16
    "#EXT-X-STREAM-INF:BANDWIDTH=640000,CODECS=\"avc1.4d401e\",RESOLUTION=640x360\n"  // 17
    "{$cdn}/video/360.m3u8\n"                                                         // 18
    "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=86000,AVERAGE-BANDWIDTH=80000,CODECS=\"avc1.4d401f\","
    "RESOLUTION=1280x720,HDCP-LEVEL=NONE,VIDEO-RANGE=SDR,VIDEO=\"vid\",STABLE-VARIANT-ID=\"i720\","
    "PATHWAY-ID=\"CDN-A\",URI=\"iframe/720.m3u8\"\n";                                // 19

}  // namespace

TEST_CASE("parse master: shared header tags", "[parse][master]") {
  auto r = hlspp_test::parse_at(full_master);
  INFO(dump(r.diagnostics()));
  REQUIRE(r.ok());
  REQUIRE(r->is_master());
  CHECK_FALSE(hlspp::has_errors(r.diagnostics()));
  const auto& pl = r->master();
  CHECK(pl.version == std::optional<std::uint64_t>(13));
  CHECK(pl.independent_segments);
  REQUIRE(pl.start.has_value());
  CHECK(pl.start->time_offset == std::optional<double>(25.0));
  CHECK(pl.start->precise == std::optional<bool>(false));
  REQUIRE(pl.defines.size() == 2);
  CHECK(pl.defines[0].name == std::optional<std::string>("cdn"));
  CHECK(pl.defines[0].value == std::optional<std::string>("https://cdn.example"));
  CHECK(pl.defines[1].queryparam == std::optional<std::string>("token"));
  CHECK_FALSE(pl.defines[1].name.has_value());
}

TEST_CASE("parse master: EXT-X-CONTENT-STEERING", "[parse][master]") {
  const auto pl = master_of(full_master);
  REQUIRE(pl.content_steering.has_value());
  CHECK(pl.content_steering->server_uri == std::optional<std::string>("https://steer.example/m.json"));
  CHECK(pl.content_steering->pathway_id == std::optional<std::string>("CDN-A"));

  SECTION("twice is a duplicate, and SERVER-URI is required") {
    auto r = hlspp_test::parse_at(
        "#EXTM3U\n#EXT-X-CONTENT-STEERING:PATHWAY-ID=\"A\"\n#EXT-X-CONTENT-STEERING:SERVER-URI=\"s\"\n");
    REQUIRE(r.ok());
    // "#EXT-X-CONTENT-STEERING:" is 24 bytes.
    CHECK(has_diag_at(r.diagnostics(), diag_code::missing_attribute, 2, 25));
    CHECK(has_diag_at(r.diagnostics(), diag_code::duplicate_tag, 3, 1));
  }
}

TEST_CASE("parse master: EXT-X-SESSION-DATA", "[parse][master]") {
  const auto pl = master_of(full_master);
  REQUIRE(pl.session_data.size() == 2);
  CHECK(pl.session_data[0].data_id == std::optional<std::string>("com.example.title"));
  CHECK(pl.session_data[0].value == std::optional<std::string>("Hello, world"));
  CHECK(pl.session_data[0].language == std::optional<std::string>("en"));
  CHECK_FALSE(pl.session_data[0].uri.has_value());
  CHECK(pl.session_data[1].uri == std::optional<std::string>("lyrics.json"));
  CHECK(pl.session_data[1].format == std::optional<std::string>("JSON"));

  SECTION("needs DATA-ID and exactly one of VALUE or URI") {
    auto r = hlspp_test::parse_at("#EXTM3U\n#EXT-X-SESSION-DATA:VALUE=\"v\",URI=\"u\"\n");
    REQUIRE(r.ok());
    // "#EXT-X-SESSION-DATA:" is 20 bytes.
    CHECK(has_diag_at(r.diagnostics(), diag_code::missing_attribute, 2, 21));
    CHECK(has_diag_at(r.diagnostics(), diag_code::invalid_attribute_value, 2, 21));
  }
}

TEST_CASE("parse master: EXT-X-SESSION-KEY", "[parse][master]") {
  const auto pl = master_of(full_master);
  REQUIRE(pl.session_keys.size() == 1);
  const auto& k = pl.session_keys[0];
  CHECK(k.method == std::optional<std::string>("SAMPLE-AES"));
  CHECK(k.uri == std::optional<std::string>("skd://key1"));
  CHECK(k.keyformat == std::optional<std::string>("com.apple.streamingkeydelivery"));
  CHECK(k.keyformatversions == std::optional<std::string>("1"));

  SECTION("METHOD=NONE is not allowed") {
    auto r = hlspp_test::parse_at("#EXTM3U\n#EXT-X-SESSION-KEY:METHOD=NONE\n");
    REQUIRE(r.ok());
    // "#EXT-X-SESSION-KEY:" is 19 bytes.
    CHECK(has_diag_at(r.diagnostics(), diag_code::missing_attribute, 2, 20));
  }
}

TEST_CASE("parse master: EXT-X-MEDIA renditions", "[parse][master]") {
  const auto pl = master_of(full_master);
  REQUIRE(pl.renditions.size() == 4);
  const auto& a = pl.renditions[0];
  CHECK(a.type == std::optional<std::string>("AUDIO"));
  CHECK(a.group_id == std::optional<std::string>("aac"));
  CHECK(a.language == std::optional<std::string>("en"));
  CHECK(a.assoc_language == std::optional<std::string>("en-US"));
  CHECK(a.name == std::optional<std::string>("English"));
  CHECK(a.stable_rendition_id == std::optional<std::string>("a1"));
  CHECK(a.is_default == std::optional<bool>(true));
  CHECK(a.autoselect == std::optional<bool>(true));
  CHECK_FALSE(a.forced.has_value());
  CHECK(a.bit_depth == std::optional<std::uint64_t>(16));
  CHECK(a.sample_rate == std::optional<std::uint64_t>(48000));
  CHECK(a.characteristics == std::optional<std::string>("public.accessibility.describes-video"));
  CHECK(a.channels == std::optional<std::string>("2"));
  CHECK(a.uri == std::optional<std::string>("audio/en.m3u8"));
  CHECK(a.other.empty());
  const auto& s = pl.renditions[1];
  CHECK(s.type == std::optional<std::string>("SUBTITLES"));
  CHECK(s.forced == std::optional<bool>(false));
  const auto& cc = pl.renditions[2];
  CHECK(cc.type == std::optional<std::string>("CLOSED-CAPTIONS"));
  CHECK(cc.instream_id == std::optional<std::string>("CC1"));
  CHECK_FALSE(cc.uri.has_value());
  CHECK(pl.renditions[3].instream_id == std::optional<std::string>("v1"));

  SECTION("rules") {
    auto r = hlspp_test::parse_at(
        "#EXTM3U\n"
        "#EXT-X-MEDIA:TYPE=AUDIO,NAME=\"x\"\n"
        "#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"cc\",NAME=\"c\",INSTREAM-ID=\"CC1\",URI=\"u\"\n"
        "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"s\",NAME=\"s\"\n");
    REQUIRE(r.ok());
    // "#EXT-X-MEDIA:" is 13 bytes.
    CHECK(has_diag_at(r.diagnostics(), diag_code::missing_attribute, 2, 14));
    CHECK(has_diag_at(r.diagnostics(), diag_code::attribute_not_allowed, 3, 14));
    CHECK(has_diag_at(r.diagnostics(), diag_code::missing_attribute, 4, 14));
  }
}

TEST_CASE("parse master: EXT-X-STREAM-INF with every attribute and its URI line", "[parse][master]") {
  const auto pl = master_of(full_master);
  REQUIRE(pl.variants.size() == 2);
  const auto& v = pl.variants[0];
  CHECK(v.bandwidth == std::optional<std::uint64_t>(1280000));
  CHECK(v.average_bandwidth == std::optional<std::uint64_t>(1000000));
  CHECK(v.score == std::optional<double>(1.5));
  CHECK(v.codecs == std::optional<std::string>("avc1.4d401f,mp4a.40.2"));
  CHECK(v.supplemental_codecs == std::optional<std::string>("dvh1.08.07/db4h"));
  CHECK(v.resolution == std::optional<hlspp::resolution>(hlspp::resolution{1280, 720}));
  CHECK(v.frame_rate == std::optional<double>(29.97));
  CHECK(v.hdcp_level == std::optional<std::string>("TYPE-0"));
  CHECK(v.allowed_cpc == std::optional<std::string>("com.example:AES"));
  CHECK(v.video_range == std::optional<std::string>("PQ"));
  CHECK(v.req_video_layout == std::optional<std::string>("CH-STEREO"));
  CHECK(v.stable_variant_id == std::optional<std::string>("v720"));
  CHECK(v.audio == std::optional<std::string>("aac"));
  CHECK(v.video == std::optional<std::string>("vid"));
  CHECK(v.subtitles == std::optional<std::string>("subs"));
  CHECK(v.closed_captions == std::optional<std::string>("cc"));
  CHECK(v.pathway_id == std::optional<std::string>("CDN-A"));
  CHECK_FALSE(v.program_id.has_value());
  CHECK(v.other.empty());
  CHECK(v.uri == "video/720.m3u8");
  CHECK(pl.variants[1].uri == "{$cdn}/video/360.m3u8");  // kept as written (no substitution)
}

TEST_CASE("parse master: STREAM-INF rules", "[parse][master][diag]") {
  SECTION("BANDWIDTH is required") {
    auto r = hlspp_test::parse_at("#EXTM3U\n#EXT-X-STREAM-INF:CODECS=\"a\"\nv.m3u8\n");
    REQUIRE(r.ok());
    // "#EXT-X-STREAM-INF:" is 18 bytes.
    CHECK(has_diag_at(r.diagnostics(), diag_code::missing_attribute, 2, 19));
  }
  SECTION("without a URI line") {
    auto r = hlspp_test::parse_at("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n#EXT-X-STREAM-INF:BANDWIDTH=2\nb.m3u8\n");
    REQUIRE(r.ok());
    CHECK(has_diag_at(r.diagnostics(), diag_code::stream_inf_without_uri, 2, 1));
    REQUIRE(r->master().variants.size() == 2);
    CHECK(r->master().variants[0].uri.empty());
    CHECK(r->master().variants[1].uri == "b.m3u8");
  }
  SECTION("at the end of the file") {
    auto r = hlspp_test::parse_at("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n");
    REQUIRE(r.ok());
    CHECK(has_diag_at(r.diagnostics(), diag_code::stream_inf_without_uri, 2, 1));
  }
  SECTION("a URI line without STREAM-INF") {
    auto r = hlspp_test::parse_at("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\nstray.m3u8\n");
    REQUIRE(r.ok());
    CHECK(has_diag_at(r.diagnostics(), diag_code::uri_without_stream_inf, 4, 1));
    REQUIRE(r->master().extras.size() == 1);
    CHECK(r->master().extras[0] == hlspp::extra_line{hlspp::extra_line::kind::verbatim, "stray.m3u8"});
  }
}

TEST_CASE("parse master: CLOSED-CAPTIONS=NONE", "[parse][master]") {
  const auto pl = master_of(
      "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,CLOSED-CAPTIONS=NONE\na.m3u8\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=2,CLOSED-CAPTIONS=NONE\nb.m3u8\n");
  REQUIRE(pl.variants.size() == 2);
  CHECK(pl.variants[0].closed_captions == std::optional<std::string>("NONE"));
  CHECK(hlspp_test::canonical(pl).find("CLOSED-CAPTIONS=NONE\n") != std::string::npos);
}

TEST_CASE("parse master: EXT-X-I-FRAME-STREAM-INF", "[parse][master]") {
  const auto pl = master_of(full_master);
  REQUIRE(pl.iframe_streams.size() == 1);
  const auto& f = pl.iframe_streams[0];
  CHECK(f.bandwidth == std::optional<std::uint64_t>(86000));
  CHECK(f.average_bandwidth == std::optional<std::uint64_t>(80000));
  CHECK(f.codecs == std::optional<std::string>("avc1.4d401f"));
  CHECK(f.resolution == std::optional<hlspp::resolution>(hlspp::resolution{1280, 720}));
  CHECK(f.hdcp_level == std::optional<std::string>("NONE"));
  CHECK(f.video_range == std::optional<std::string>("SDR"));
  CHECK(f.video == std::optional<std::string>("vid"));
  CHECK(f.stable_variant_id == std::optional<std::string>("i720"));
  CHECK(f.pathway_id == std::optional<std::string>("CDN-A"));
  CHECK(f.uri == std::optional<std::string>("iframe/720.m3u8"));

  SECTION("BANDWIDTH and URI are required") {
    auto r = hlspp_test::parse_at("#EXTM3U\n#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1\n");
    REQUIRE(r.ok());
    // "#EXT-X-I-FRAME-STREAM-INF:" is 26 bytes.
    CHECK(has_diag_at(r.diagnostics(), diag_code::missing_attribute, 2, 27));
  }
  SECTION("FRAME-RATE is not one of its attributes") {
    auto r = hlspp_test::parse_at("#EXTM3U\n#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,URI=\"i\",FRAME-RATE=30\n");
    REQUIRE(r.ok());
    REQUIRE(r->master().iframe_streams.size() == 1);
    REQUIRE(r->master().iframe_streams[0].other.size() == 1);
    CHECK(r->master().iframe_streams[0].other[0] == hlspp::attribute{"FRAME-RATE", "30"});
    CHECK(has_diag(r.diagnostics(), diag_code::unknown_attribute));
  }
}

TEST_CASE("parse master: PROGRAM-ID is a removed attribute (warning), still parsed", "[parse][master]") {
  auto r = hlspp_test::parse_at("#EXTM3U\n#EXT-X-STREAM-INF:PROGRAM-ID=1,BANDWIDTH=1\na.m3u8\n");
  REQUIRE(r.ok());
  const auto* d = find_diag(r.diagnostics(), diag_code::removed_tag);
  REQUIRE(d != nullptr);
  CHECK(d->severity == severity::warning);
  CHECK(d->line == 2);
  CHECK(r->master().variants.at(0).program_id == std::optional<std::uint64_t>(1));
  CHECK_FALSE(hlspp::has_errors(r.diagnostics()));
}

TEST_CASE("parse master: ALLOW-CACHE is a media tag: mixed in a multivariant playlist", "[parse][master]") {
  auto r = hlspp_test::parse_at("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n#EXT-X-ALLOW-CACHE:YES\n");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == diag_code::mixed_playlist);
  CHECK(r.error().line == 4);
}

TEST_CASE("parse master: extras attach to the next item or the playlist", "[parse][master][extras]") {
  auto r = hlspp_test::parse_at(
      "#EXTM3U\n"                            // 1
      "# header comment\n"                   // 2
      "#EXT-X-VERSION:6\n"                   // 3
      "\n"                                   // 4
      "#EXT-X-FOO:bar\n"                     // 5
      "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"n\"\n"  // 6
      "# before variant\n"                   // 7
      "#EXT-X-STREAM-INF:BANDWIDTH=1\n"      // 8
      "# between tag and uri\n"              // 9
      "a.m3u8\n"                             // 10
      "# before session data\n"              // 11
      "#EXT-X-SESSION-DATA:DATA-ID=\"d\",VALUE=\"v\"\n"  // 12
      "# before iframe\n"                    // 13
      "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,URI=\"i\"\n"  // 14
      "# before key\n"                       // 15
      "#EXT-X-SESSION-KEY:METHOD=AES-128,URI=\"k\"\n"  // 16
      "# trailing\n");                       // 17
  INFO(dump(r.diagnostics()));
  REQUIRE(r.ok());
  CHECK(has_diag_at(r.diagnostics(), diag_code::unknown_tag, 5, 1));
  using kind = hlspp::extra_line::kind;
  const auto& pl = r->master();
  REQUIRE(pl.extras.size() == 2);
  CHECK(pl.extras[0] == hlspp::extra_line{kind::comment, "# header comment"});
  CHECK(pl.extras[1] == hlspp::extra_line{kind::comment, "# trailing"});
  REQUIRE(pl.renditions.size() == 1);
  REQUIRE(pl.renditions[0].extras.size() == 2);
  CHECK(pl.renditions[0].extras[0] == hlspp::extra_line{kind::blank, ""});
  CHECK(pl.renditions[0].extras[1] == hlspp::extra_line{kind::unknown_tag, "#EXT-X-FOO:bar"});
  REQUIRE(pl.variants.size() == 1);
  REQUIRE(pl.variants[0].extras.size() == 2);
  CHECK(pl.variants[0].extras[0].text == "# before variant");
  CHECK(pl.variants[0].extras[1].text == "# between tag and uri");
  CHECK(pl.variants[0].uri == "a.m3u8");
  REQUIRE(pl.session_data.size() == 1);
  REQUIRE(pl.session_data[0].extras.size() == 1);
  CHECK(pl.session_data[0].extras[0].text == "# before session data");
  REQUIRE(pl.iframe_streams.size() == 1);
  REQUIRE(pl.iframe_streams[0].extras.size() == 1);
  CHECK(pl.iframe_streams[0].extras[0].text == "# before iframe");
  REQUIRE(pl.session_keys.size() == 1);
  REQUIRE(pl.session_keys[0].extras.size() == 1);
  CHECK(pl.session_keys[0].extras[0].text == "# before key");
}

TEST_CASE("parse master: only #EXTM3U is an empty multivariant playlist", "[parse][master]") {
  auto r = hlspp_test::parse_at("#EXTM3U\n");
  REQUIRE(r.ok());
  REQUIRE(r->is_master());
  CHECK(r->master().variants.empty());
  CHECK(r.diagnostics().empty());
}

TEST_CASE("parse master: EXT-X-DEFINE needs version 8", "[parse][master][variables]") {
  auto r = hlspp_test::parse_at(
      "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-DEFINE:NAME=\"a\",VALUE=\"b\"\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv\n");
  REQUIRE(r.ok());
  CHECK(has_diag(r.diagnostics(), diag_code::version_too_low));
}

TEST_CASE("parse master: shared VERSION, INDEPENDENT-SEGMENTS and START duplicates", "[parse][master][diag]") {
  auto r = hlspp_test::parse_at(
      "#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-START:TIME-OFFSET=1\n"
      "#EXT-X-VERSION:6\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-START:TIME-OFFSET=2\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=1\nv\n");
  REQUIRE(r.ok());
  CHECK(has_diag_at(r.diagnostics(), diag_code::duplicate_tag, 5, 1));
  CHECK(has_diag_at(r.diagnostics(), diag_code::duplicate_tag, 6, 1));
  CHECK(has_diag_at(r.diagnostics(), diag_code::duplicate_tag, 7, 1));
  CHECK(r->master().start->time_offset == std::optional<double>(1.0));
  CHECK(r->master().extras.size() == 3);

  SECTION("START requires TIME-OFFSET; VERSION must be an integer") {
    auto bad = hlspp_test::parse_at("#EXTM3U\n#EXT-X-START:PRECISE=YES\n#EXT-X-VERSION:x\n");
    REQUIRE(bad.ok());
    // "#EXT-X-START:" is 13 bytes, "#EXT-X-VERSION:" 15.
    CHECK(has_diag_at(bad.diagnostics(), diag_code::missing_attribute, 2, 14));
    CHECK(has_diag_at(bad.diagnostics(), diag_code::invalid_attribute_value, 3, 16));
  }
}
