// SPDX-License-Identifier: MIT
// EXT-X-DEFINE and variable substitution (RFC 8216bis §4.3).
#include <string>
#include <utility>

#include "catch.hpp"
#include "support.hpp"

using hlspp::diag_code;
using hlspp::severity;
using hlspp_test::dump;
using hlspp_test::find_diag;
using hlspp_test::has_diag;
using hlspp_test::has_diag_at;
using hlspp_test::lossless;
using hlspp_test::master_of;
using hlspp_test::media_of;
using hlspp_test::parse_at;

namespace {

const std::string media_with_vars =
    "#EXTM3U\n"                                                        // 1
    "#EXT-X-VERSION:8\n"                                               // 2
    "#EXT-X-DEFINE:NAME=\"host\",VALUE=\"cdn.example\"\n"              // 3
    "#EXT-X-DEFINE:IMPORT=\"token\"\n"                                 // 4
    "#EXT-X-DEFINE:NAME=\"empty\",VALUE=\"\"\n"                        // 5
    "#EXT-X-TARGETDURATION:10\n"                                       // 6
    "#EXT-X-KEY:METHOD=AES-128,URI=\"https://{$host}/key?t={$token}\"\n"  // 7
    "#EXT-X-MAP:URI=\"https://{$host}/init{$empty}.mp4\"\n"            // 8
    "#EXTINF:10,{$host}\n"                                             // 9
    "https://{$host}/a.ts?t={$token}\n"                                // 10
    "#EXT-X-PART-INF:PART-TARGET=1\n"                                  // 11
    "#EXT-X-PART:DURATION=1,URI=\"https://{$host}/p.mp4\"\n"           // 12
    "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"https://{$host}/q.mp4\"\n"    // 13
    "#EXT-X-RENDITION-REPORT:URI=\"../{$host}.m3u8\"\n";               // 14

hlspp::substitution_options with_parent(const hlspp::variable_table& parent) {
  hlspp::substitution_options o;
  o.parent = &parent;
  return o;
}

}  // namespace

TEST_CASE("variables: parsing keeps references as written and defines in order", "[variables]") {
  auto r = parse_at(media_with_vars);
  INFO(dump(r.diagnostics()));
  REQUIRE(r.ok());
  CHECK_FALSE(has_diag(r.diagnostics(), diag_code::undefined_variable));
  const auto& pl = r->media();
  REQUIRE(pl.defines.size() == 3);
  CHECK(pl.defines[0].name == std::optional<std::string>("host"));
  CHECK(pl.defines[0].value == std::optional<std::string>("cdn.example"));
  CHECK(pl.defines[1].import == std::optional<std::string>("token"));
  CHECK(pl.defines[2].value == std::optional<std::string>(""));
  CHECK(pl.segments.at(0).uri == "https://{$host}/a.ts?t={$token}");
  CHECK(lossless(pl) == media_with_vars);
}

TEST_CASE("variables: substitute_variables with NAME/VALUE and IMPORT", "[variables]") {
  auto pl = media_of(media_with_vars);
  const hlspp::variable_table parent = {{"other", "x"}, {"token", "s3cr3t"}};
  auto result = hlspp::substitute_variables(pl, with_parent(parent));
  INFO(dump(result.diagnostics));
  REQUIRE(result.ok());
  const hlspp::variable_table expected = {{"host", "cdn.example"}, {"token", "s3cr3t"}, {"empty", ""}};
  CHECK(result.variables == expected);
  const auto& s = pl.segments.at(0);
  CHECK(s.uri == "https://cdn.example/a.ts?t=s3cr3t");
  CHECK(s.keys.at(0).uri == std::optional<std::string>("https://cdn.example/key?t=s3cr3t"));
  CHECK(s.map->uri == std::optional<std::string>("https://cdn.example/init.mp4"));
  CHECK(s.title == "{$host}");  // titles are not substituted
  CHECK(pl.trailing.parts.at(0).uri == std::optional<std::string>("https://cdn.example/p.mp4"));
  CHECK(pl.preload_hints.at(0).uri == std::optional<std::string>("https://cdn.example/q.mp4"));
  CHECK(pl.rendition_reports.at(0).uri == std::optional<std::string>("../cdn.example.m3u8"));

  SECTION("substituted elements are written with their new values, the rest as written") {
    const std::string out = lossless(pl);
    auto lines = hlspp_test::lines_of(out);
    auto in = hlspp_test::lines_of(media_with_vars);
    REQUIRE(lines.size() == in.size());
    CHECK(lines[2] == in[2]);  // DEFINE lines are not substituted
    CHECK(lines[8] == "#EXTINF:10,{$host}");
    CHECK(lines[9] == "https://cdn.example/a.ts?t=s3cr3t");
    CHECK(lines[6] == "#EXT-X-KEY:METHOD=AES-128,URI=\"https://cdn.example/key?t=s3cr3t\"");
  }
}

TEST_CASE("variables: replacement text is not substituted again", "[variables]") {
  auto pl = media_of(media_with_vars);
  const hlspp::variable_table parent = {{"token", "{$host}"}};
  auto result = hlspp::substitute_variables(pl, with_parent(parent));
  REQUIRE(result.ok());
  CHECK(pl.segments.at(0).uri == "https://cdn.example/a.ts?t={$host}");
}

TEST_CASE("variables: IMPORT without a parent table", "[variables]") {
  auto pl = media_of(media_with_vars);
  auto result = hlspp::substitute_variables(pl);
  CHECK_FALSE(result.ok());
  const auto* d = find_diag(result.diagnostics, diag_code::import_without_parent);
  REQUIRE(d != nullptr);
  CHECK(d->severity == severity::error);
  // the references to the missing variable are then undefined
  CHECK(has_diag(result.diagnostics, diag_code::undefined_variable));
  CHECK(pl.segments.at(0).uri == "https://cdn.example/a.ts?t={$token}");

  SECTION("a parent that lacks the name") {
    auto p2 = media_of(media_with_vars);
    const hlspp::variable_table parent = {{"TOKEN", "case matters"}};
    auto r2 = hlspp::substitute_variables(p2, with_parent(parent));
    CHECK(has_diag(r2.diagnostics, diag_code::import_without_parent));
  }
  SECTION("IMPORT in a multivariant playlist never has a parent") {
    auto m = master_of(
        "#EXTM3U\n#EXT-X-VERSION:8\n#EXT-X-DEFINE:IMPORT=\"a\"\n#EXT-X-STREAM-INF:BANDWIDTH=1\n{$a}.m3u8\n");
    const hlspp::variable_table parent = {{"a", "x"}};
    auto r3 = hlspp::substitute_variables(m, with_parent(parent));
    CHECK(has_diag(r3.diagnostics, diag_code::import_without_parent));
  }
}

TEST_CASE("variables: QUERYPARAM takes the percent-decoded query parameter of playlist_uri", "[variables]") {
  const std::string text =
      "#EXTM3U\n#EXT-X-VERSION:11\n#EXT-X-DEFINE:QUERYPARAM=\"tok\"\n#EXT-X-TARGETDURATION:10\n"
      "#EXTINF:10,\nseg.ts?auth={$tok}\n";
  auto pl = media_of(text);
  hlspp::substitution_options o;
  o.playlist_uri = "https://example.com/live/index.m3u8?x=1&tok=a%20b%2Fc+d&y=2#frag";
  auto result = hlspp::substitute_variables(pl, o);
  INFO(dump(result.diagnostics));
  REQUIRE(result.ok());
  CHECK(pl.segments.at(0).uri == "seg.ts?auth=a b/c d");
  REQUIRE(result.variables.size() == 1);
  CHECK(result.variables[0] == std::pair<std::string, std::string>("tok", "a b/c d"));

  SECTION("a missing parameter") {
    auto p2 = media_of(text);
    hlspp::substitution_options o2;
    o2.playlist_uri = "https://example.com/live/index.m3u8?x=1";
    auto r2 = hlspp::substitute_variables(p2, o2);
    CHECK(has_diag(r2.diagnostics, diag_code::missing_query_parameter));
    CHECK_FALSE(r2.ok());
  }
  SECTION("a parameter without a value") {
    auto p3 = media_of(text);
    hlspp::substitution_options o3;
    o3.playlist_uri = "https://example.com/index.m3u8?tok=";
    CHECK(has_diag(hlspp::substitute_variables(p3, o3).diagnostics, diag_code::missing_query_parameter));
  }
  SECTION("a value that decodes to a quote cannot be used") {
    auto p4 = media_of(text);
    hlspp::substitution_options o4;
    o4.playlist_uri = "https://example.com/index.m3u8?tok=a%22b";
    CHECK(has_diag(hlspp::substitute_variables(p4, o4).diagnostics, diag_code::missing_query_parameter));
  }
  SECTION("percent_decode and query_parameter") {
    CHECK(hlspp::detail::percent_decode("a%2fb%2F%41+c%") == "a/b/A c%");
    CHECK(hlspp::detail::query_parameter("http://h/p?a=1&b=2", "b") == std::optional<std::string>("2"));
    CHECK_FALSE(hlspp::detail::query_parameter("http://h/p", "b").has_value());
    CHECK(hlspp::detail::query_parameter("http://h/p?%62=x", "b") == std::optional<std::string>("x"));
  }
}

TEST_CASE("variables: substitution in a multivariant playlist", "[variables][master]") {
  auto m = master_of(
      "#EXTM3U\n#EXT-X-VERSION:8\n#EXT-X-DEFINE:NAME=\"cdn\",VALUE=\"https://c.example\"\n"
      "#EXT-X-CONTENT-STEERING:SERVER-URI=\"{$cdn}/steer.json\"\n"
      "#EXT-X-SESSION-DATA:DATA-ID=\"d\",VALUE=\"{$cdn}\"\n"
      "#EXT-X-SESSION-KEY:METHOD=AES-128,URI=\"{$cdn}/k\"\n"
      "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a{$cdn}\",NAME=\"n\",URI=\"{$cdn}/a.m3u8\"\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO=\"a{$cdn}\",CLOSED-CAPTIONS=NONE\n"
      "{$cdn}/v.m3u8\n"
      "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,URI=\"{$cdn}/i.m3u8\"\n");
  auto result = hlspp::substitute_variables(m);
  INFO(dump(result.diagnostics));
  REQUIRE(result.ok());
  CHECK(m.content_steering->server_uri == std::optional<std::string>("https://c.example/steer.json"));
  CHECK(m.session_data.at(0).value == std::optional<std::string>("https://c.example"));
  CHECK(m.session_keys.at(0).uri == std::optional<std::string>("https://c.example/k"));
  CHECK(m.renditions.at(0).uri == std::optional<std::string>("https://c.example/a.m3u8"));
  CHECK(m.renditions.at(0).group_id == std::optional<std::string>("ahttps://c.example"));
  CHECK(m.variants.at(0).uri == "https://c.example/v.m3u8");
  CHECK(m.variants.at(0).audio == std::optional<std::string>("ahttps://c.example"));
  CHECK(m.variants.at(0).closed_captions == std::optional<std::string>("NONE"));
  CHECK(m.iframe_streams.at(0).uri == std::optional<std::string>("https://c.example/i.m3u8"));
}

TEST_CASE("variables: an undefined variable is reported at parse with its position", "[variables][diag]") {
  SECTION("in a URI line") {
    auto r = parse_at("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nhttp://{$nope}/a.ts\n");
    REQUIRE(r.ok());
    const auto* d = find_diag(r.diagnostics(), diag_code::undefined_variable);
    REQUIRE(d != nullptr);
    CHECK(d->severity == severity::error);
    CHECK(d->line == 4);
    CHECK(d->column == 8);
    auto strict = parse_at("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nhttp://{$nope}/a.ts\n",
                           hlspp::strictness::strict);
    REQUIRE_FALSE(strict.ok());
    CHECK(strict.error().code == diag_code::undefined_variable);
  }
  SECTION("in a quoted attribute") {
    // "#EXT-X-KEY:" (11) + "METHOD=AES-128," (15) + "URI=\"" (5): the reference starts at byte 32.
    auto r = parse_at("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-KEY:METHOD=AES-128,URI=\"{$k}\"\n#EXTINF:10,\na\n");
    REQUIRE(r.ok());
    CHECK(has_diag_at(r.diagnostics(), diag_code::undefined_variable, 3, 32));
  }
  SECTION("the same reference in two attributes of one line") {
    // URI's reference starts at byte 32, KEYFORMAT's at byte 49.
    auto r = parse_at(
        "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-KEY:METHOD=AES-128,URI=\"{$k}\",KEYFORMAT=\"{$k}\"\n"
        "#EXTINF:10,\na\n");
    REQUIRE(r.ok());
    CHECK(hlspp_test::all_diags(r.diagnostics(), diag_code::undefined_variable).size() == 2);
    CHECK(has_diag_at(r.diagnostics(), diag_code::undefined_variable, 3, 32));
  }
  SECTION("the second reference in a value") {
    auto r = parse_at(
        "#EXTM3U\n#EXT-X-VERSION:8\n#EXT-X-DEFINE:NAME=\"a\",VALUE=\"1\"\n#EXT-X-TARGETDURATION:10\n"
        "#EXTINF:10,\n{$a}/{$b}.ts\n");
    REQUIRE(r.ok());
    CHECK(hlspp_test::all_diags(r.diagnostics(), diag_code::undefined_variable).size() == 1);
    CHECK(has_diag_at(r.diagnostics(), diag_code::undefined_variable, 6, 6));
  }
  SECTION("a definition after the use does not count") {
    auto r = parse_at(
        "#EXTM3U\n#EXT-X-VERSION:8\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n{$late}.ts\n"
        "#EXT-X-DEFINE:NAME=\"late\",VALUE=\"x\"\n");
    REQUIRE(r.ok());
    CHECK(has_diag_at(r.diagnostics(), diag_code::undefined_variable, 5, 1));
  }
  SECTION("names are case-sensitive") {
    auto r = parse_at(
        "#EXTM3U\n#EXT-X-VERSION:8\n#EXT-X-DEFINE:NAME=\"a\",VALUE=\"1\"\n#EXT-X-TARGETDURATION:10\n"
        "#EXTINF:10,\n{$A}.ts\n");
    REQUIRE(r.ok());
    CHECK(has_diag_at(r.diagnostics(), diag_code::undefined_variable, 6, 1));
  }
  SECTION("in a multivariant URI line") {
    auto r = parse_at("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nhttps://{$x}/v.m3u8\n");
    REQUIRE(r.ok());
    CHECK(has_diag_at(r.diagnostics(), diag_code::undefined_variable, 3, 9));
  }
}

TEST_CASE("variables: substitute_variables reports references it cannot resolve", "[variables]") {
  auto pl = media_of(media_with_vars);
  const hlspp::variable_table parent = {{"token", "t"}};
  pl.segments.at(0).uri = "{$host}/{$unknown}.ts";
  auto result = hlspp::substitute_variables(pl, with_parent(parent));
  CHECK_FALSE(result.ok());
  CHECK(has_diag(result.diagnostics, diag_code::undefined_variable));
  CHECK(pl.segments.at(0).uri == "cdn.example/{$unknown}.ts");
}

TEST_CASE("variables: duplicate and invalid definitions", "[variables][diag]") {
  SECTION("the same name twice") {
    auto r = parse_at(
        "#EXTM3U\n#EXT-X-VERSION:8\n#EXT-X-DEFINE:NAME=\"a\",VALUE=\"1\"\n#EXT-X-DEFINE:NAME=\"a\",VALUE=\"2\"\n"
        "#EXT-X-TARGETDURATION:10\n");
    REQUIRE(r.ok());
    // "#EXT-X-DEFINE:" is 14 bytes.
    CHECK(has_diag_at(r.diagnostics(), diag_code::duplicate_variable, 4, 15));
  }
  SECTION("NAME and IMPORT together") {
    auto r = parse_at("#EXTM3U\n#EXT-X-VERSION:8\n#EXT-X-DEFINE:NAME=\"a\",VALUE=\"1\",IMPORT=\"b\"\n#EXT-X-TARGETDURATION:1\n");
    REQUIRE(r.ok());
    CHECK(has_diag_at(r.diagnostics(), diag_code::invalid_define, 3, 15));
  }
  SECTION("none of NAME, IMPORT, QUERYPARAM") {
    auto r = parse_at("#EXTM3U\n#EXT-X-VERSION:8\n#EXT-X-DEFINE:VALUE=\"1\"\n#EXT-X-TARGETDURATION:1\n");
    REQUIRE(r.ok());
    CHECK(has_diag_at(r.diagnostics(), diag_code::invalid_define, 3, 15));
  }
  SECTION("NAME without VALUE") {
    auto r = parse_at("#EXTM3U\n#EXT-X-VERSION:8\n#EXT-X-DEFINE:NAME=\"a\"\n#EXT-X-TARGETDURATION:1\n");
    REQUIRE(r.ok());
    CHECK(has_diag_at(r.diagnostics(), diag_code::missing_attribute, 3, 15));
  }
  SECTION("a name with characters outside [a-zA-Z0-9_-]") {
    auto r = parse_at("#EXTM3U\n#EXT-X-VERSION:8\n#EXT-X-DEFINE:NAME=\"a.b\",VALUE=\"1\"\n#EXT-X-TARGETDURATION:1\n");
    REQUIRE(r.ok());
    CHECK(has_diag_at(r.diagnostics(), diag_code::invalid_define, 3, 15));
  }
  SECTION("DEFINE below version 8") {
    auto r = parse_at("#EXTM3U\n#EXT-X-DEFINE:NAME=\"a\",VALUE=\"1\"\n#EXT-X-TARGETDURATION:1\n");
    REQUIRE(r.ok());
    const auto* d = find_diag(r.diagnostics(), diag_code::version_missing);
    REQUIRE(d != nullptr);
    CHECK(d->severity == severity::warning);
  }
}

TEST_CASE("variables: the expansion bound", "[variables][limits]") {
  // VALUE is 10 bytes, each reference {$v} is 4: every use grows the text by 6.
  const std::string text =
      "#EXTM3U\n#EXT-X-VERSION:8\n#EXT-X-DEFINE:NAME=\"v\",VALUE=\"0123456789\"\n#EXT-X-TARGETDURATION:10\n"
      "#EXTINF:10,\n{$v}{$v}.ts\n";
  SECTION("at the limit") {
    auto pl = media_of(text);
    hlspp::substitution_options o;
    o.max_expansion_bytes = 12;
    auto result = hlspp::substitute_variables(pl, o);
    INFO(dump(result.diagnostics));
    CHECK(result.ok());
    CHECK(pl.segments.at(0).uri == "01234567890123456789.ts");
  }
  SECTION("one byte under") {
    auto pl = media_of(text);
    hlspp::substitution_options o;
    o.max_expansion_bytes = 11;
    auto result = hlspp::substitute_variables(pl, o);
    CHECK_FALSE(result.ok());
    CHECK(has_diag(result.diagnostics, diag_code::expansion_too_large));
  }
  SECTION("the budget is shared by the whole playlist") {
    std::string many = "#EXTM3U\n#EXT-X-VERSION:8\n#EXT-X-DEFINE:NAME=\"v\",VALUE=\"0123456789\"\n"
                       "#EXT-X-TARGETDURATION:10\n";
    for (int i = 0; i < 5; ++i) many += "#EXTINF:10,\n{$v}.ts\n";
    auto pl = media_of(many);
    hlspp::substitution_options o;
    o.max_expansion_bytes = 6 * 4;  // enough for four of the five segments
    auto result = hlspp::substitute_variables(pl, o);
    CHECK(has_diag(result.diagnostics, diag_code::expansion_too_large));
    CHECK(pl.segments.at(3).uri == "0123456789.ts");
  }
  SECTION("a shrinking substitution costs nothing") {
    auto pl = media_of(
        "#EXTM3U\n#EXT-X-VERSION:8\n#EXT-X-DEFINE:NAME=\"long-name\",VALUE=\"x\"\n#EXT-X-TARGETDURATION:10\n"
        "#EXTINF:10,\n{$long-name}.ts\n");
    hlspp::substitution_options o;
    o.max_expansion_bytes = 0;
    auto result = hlspp::substitute_variables(pl, o);
    CHECK(result.ok());
    CHECK(pl.segments.at(0).uri == "x.ts");
  }
}

TEST_CASE("variables: lossless writing keeps {$var} text when not substituted", "[variables][lossless]") {
  const std::string text =
      "#EXTM3U\n#EXT-X-VERSION:8\n#EXT-X-DEFINE:NAME=\"h\",VALUE=\"cdn\"\n#EXT-X-TARGETDURATION:10\n"
      "#EXT-X-KEY:METHOD=AES-128,URI=\"{$h}/k\"\n#EXTINF:10,\n{$h}/a.ts\n";
  auto pl = media_of(text);
  CHECK(lossless(pl) == text);
  // an unrelated edit does not substitute anything either
  pl.segments[0].duration = 9;
  const std::string out = lossless(pl);
  CHECK(out.find("{$h}/a.ts\n") != std::string::npos);
  CHECK(out.find("URI=\"{$h}/k\"") != std::string::npos);
  CHECK(out.find("#EXTINF:9,") != std::string::npos);
}

TEST_CASE("variables: hexadecimal values and client attributes are substituted", "[variables]") {
  const std::string text =
      "#EXTM3U\n#EXT-X-VERSION:8\n#EXT-X-DEFINE:NAME=\"iv\",VALUE=\"00ff\"\n#EXT-X-TARGETDURATION:10\n"
      "#EXT-X-PROGRAM-DATE-TIME:2020-01-01T00:00:00Z\n"
      "#EXT-X-DATERANGE:ID=\"a\",START-DATE=\"2020-01-01T00:00:00Z\",X-B=\"{$iv}\",X-N=1\n"
      "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x{$iv}\n#EXTINF:10,\na.ts\n";
  auto r = parse_at(text);
  INFO(dump(r.diagnostics()));
  REQUIRE(r.ok());
  CHECK_FALSE(has_diag(r.diagnostics(), diag_code::invalid_attribute_value));
  auto pl = r->media();
  CHECK(pl.segments.at(0).keys.at(0).iv == std::optional<std::string>("0x{$iv}"));
  CHECK(lossless(pl) == text);
  auto result = hlspp::substitute_variables(pl);
  INFO(dump(result.diagnostics));
  REQUIRE(result.ok());
  CHECK(pl.segments[0].keys[0].iv == std::optional<std::string>("0x00ff"));
  CHECK(pl.segments[0].dateranges.at(0).other.at(0) == hlspp::attribute{"X-B", "\"00ff\""});
  CHECK(pl.segments[0].dateranges[0].other.at(1) == hlspp::attribute{"X-N", "1"});
  const std::string out = lossless(pl);
  CHECK(out.find("#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x00ff\n") != std::string::npos);
  CHECK(out.find("X-B=\"00ff\",X-N=1\n") != std::string::npos);
}

TEST_CASE("variables: substitute_variables on a playlist variant", "[variables]") {
  auto r = parse_at(media_with_vars);
  REQUIRE(r.ok());
  const hlspp::variable_table parent = {{"token", "t"}};
  auto result = hlspp::substitute_variables(*r, with_parent(parent));
  REQUIRE(result.ok());
  CHECK(r->media().segments.at(0).uri == "https://cdn.example/a.ts?t=t");
}
