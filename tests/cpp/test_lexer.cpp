// SPDX-License-Identifier: MIT
// Attribute-list lexer (detail::lex_attributes), typed attribute parsing through the
// schemas (detail::parse_attribute_list) and the number grammar of text.hpp.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"
#include "support.hpp"

using hlspp::diag_code;
using hlspp::severity;

namespace {

struct lexed_attr {
  std::string name;
  std::string value;
  std::size_t column;
};

struct lexed_problem {
  std::size_t column;
  std::string what;
};

struct lex_output {
  std::vector<lexed_attr> attrs;
  std::vector<lexed_problem> problems;
};

lex_output lex(std::string_view list) {
  lex_output out;
  hlspp::detail::lex_attributes(
      list,
      [&](const hlspp::detail::raw_attribute& a) {
        out.attrs.push_back({std::string(a.name), std::string(a.value), a.column});
      },
      [&](const hlspp::detail::lex_problem& p) { out.problems.push_back({p.column, p.what ? p.what : ""}); });
  return out;
}

struct reported {
  diag_code code;
  severity sev;
  std::size_t column;  // 0-based within the list
};

template <class T>
std::vector<reported> parse_list(std::string_view list, T& out) {
  std::vector<reported> problems;
  hlspp::detail::parse_attribute_list(list, out, [&](diag_code c, severity s, std::size_t col, const std::string&) {
    problems.push_back({c, s, col});
  });
  return problems;
}

bool reported_has(const std::vector<reported>& r, diag_code c) {
  for (const auto& p : r)
    if (p.code == c) return true;
  return false;
}

std::size_t reported_count(const std::vector<reported>& r, diag_code c) {
  std::size_t n = 0;
  for (const auto& p : r)
    if (p.code == c) ++n;
  return n;
}

const reported* reported_find(const std::vector<reported>& r, diag_code c) {
  for (const auto& p : r)
    if (p.code == c) return &p;
  return nullptr;
}

}  // namespace

// ---- raw lexer -------------------------------------------------------------------

TEST_CASE("lexer: splits a plain list into name/value pairs with 0-based columns", "[lexer]") {
  auto out = lex("A=1,BB=two,C=\"x\"");
  REQUIRE(out.problems.empty());
  REQUIRE(out.attrs.size() == 3);
  CHECK(out.attrs[0].name == "A");
  CHECK(out.attrs[0].value == "1");
  CHECK(out.attrs[0].column == 0);
  CHECK(out.attrs[1].name == "BB");
  CHECK(out.attrs[1].value == "two");
  CHECK(out.attrs[1].column == 4);
  CHECK(out.attrs[2].name == "C");
  CHECK(out.attrs[2].value == "\"x\"");
  CHECK(out.attrs[2].column == 11);
}

TEST_CASE("lexer: commas inside quoted strings do not split", "[lexer]") {
  auto out = lex("CODECS=\"avc1.4d401f,mp4a.40.2\",BANDWIDTH=1");
  REQUIRE(out.problems.empty());
  REQUIRE(out.attrs.size() == 2);
  CHECK(out.attrs[0].name == "CODECS");
  CHECK(out.attrs[0].value == "\"avc1.4d401f,mp4a.40.2\"");
  CHECK(out.attrs[1].name == "BANDWIDTH");
  CHECK(out.attrs[1].value == "1");
  CHECK(out.attrs[1].column == 31);
}

TEST_CASE("lexer: '=' inside a quoted string is part of the value", "[lexer]") {
  auto out = lex("URI=\"a.ts?x=1&y=2\",B=2");
  REQUIRE(out.problems.empty());
  REQUIRE(out.attrs.size() == 2);
  CHECK(out.attrs[0].value == "\"a.ts?x=1&y=2\"");
  CHECK(out.attrs[1].name == "B");
}

TEST_CASE("lexer: an empty quoted value is a value of two quotes", "[lexer]") {
  auto out = lex("VALUE=\"\",NAME=\"n\"");
  REQUIRE(out.problems.empty());
  REQUIRE(out.attrs.size() == 2);
  CHECK(out.attrs[0].name == "VALUE");
  CHECK(out.attrs[0].value == "\"\"");
  CHECK(out.attrs[1].value == "\"n\"");
}

TEST_CASE("lexer: an unterminated quote reports a problem at the value and ends the list", "[lexer]") {
  auto out = lex("A=1,URI=\"abc,B=2");
  REQUIRE(out.problems.size() == 1);
  CHECK(out.problems[0].column == 8);  // the opening quote
  REQUIRE(out.attrs.size() == 2);
  CHECK(out.attrs[0].name == "A");
  CHECK(out.attrs[1].name == "URI");
  CHECK(out.attrs[1].value == "\"abc,B=2");  // everything to the end of the line
  CHECK(out.attrs[1].column == 4);
}

TEST_CASE("lexer: an attribute without '=' is a problem and lexing resumes after the comma", "[lexer]") {
  auto out = lex("NOVALUE,B=2");
  REQUIRE(out.problems.size() == 1);
  CHECK(out.problems[0].column == 0);
  REQUIRE(out.attrs.size() == 1);
  CHECK(out.attrs[0].name == "B");
  CHECK(out.attrs[0].value == "2");
  CHECK(out.attrs[0].column == 8);

  SECTION("at the end of the list") {
    auto tail = lex("A=1,LAST");
    REQUIRE(tail.problems.size() == 1);
    CHECK(tail.problems[0].column == 4);
    REQUIRE(tail.attrs.size() == 1);
    CHECK(tail.attrs[0].name == "A");
  }
}

TEST_CASE("lexer: an empty name is a problem", "[lexer]") {
  auto out = lex("=1");
  REQUIRE(out.problems.size() == 1);
  CHECK(out.problems[0].column == 0);
}

TEST_CASE("lexer: a trailing comma is a problem at the comma", "[lexer]") {
  auto out = lex("A=1,B=2,");
  REQUIRE(out.attrs.size() == 2);
  REQUIRE(out.problems.size() == 1);
  CHECK(out.problems[0].column == 7);
}

TEST_CASE("lexer: text after a closing quote is a problem", "[lexer]") {
  auto out = lex("A=\"x\"y,B=1");
  REQUIRE(out.problems.size() == 1);
  CHECK(out.problems[0].column == 5);
  REQUIRE(out.attrs.size() == 2);
  CHECK(out.attrs[1].name == "B");
}

TEST_CASE("lexer: an empty list yields nothing", "[lexer]") {
  auto out = lex("");
  CHECK(out.attrs.empty());
  CHECK(out.problems.empty());
}

// ---- typed parsing through the schemas -----------------------------------------------

TEST_CASE("lexer: parse_attribute_list fills typed fields of EXT-X-KEY", "[lexer][parse]") {
  hlspp::key k;
  auto problems = parse_list(
      "METHOD=AES-128,URI=\"https://k.example/key?a=1,b=2\",IV=0x00112233445566778899aabbccddeeff,"
      "KEYFORMAT=\"identity\",KEYFORMATVERSIONS=\"1/2/5\"",
      k);
  CHECK(problems.empty());
  CHECK(k.method == std::optional<std::string>("AES-128"));
  CHECK(k.uri == std::optional<std::string>("https://k.example/key?a=1,b=2"));
  CHECK(k.iv == std::optional<std::string>("0x00112233445566778899aabbccddeeff"));
  CHECK(k.keyformat == std::optional<std::string>("identity"));
  CHECK(k.keyformatversions == std::optional<std::string>("1/2/5"));
  CHECK(k.other.empty());
}

TEST_CASE("lexer: duplicate attribute reports duplicate_attribute at the second occurrence", "[lexer][diag]") {
  hlspp::key k;
  auto problems = parse_list("METHOD=NONE,METHOD=AES-128", k);
  const auto* dup = reported_find(problems, diag_code::duplicate_attribute);
  REQUIRE(dup != nullptr);
  CHECK(dup->sev == severity::error);
  CHECK(dup->column == 12);
  CHECK(k.method == std::optional<std::string>("NONE"));  // the first one wins
  REQUIRE(k.other.size() == 1);                            // the second is kept as written
  CHECK(k.other[0].name == "METHOD");
  CHECK(k.other[0].value == "AES-128");

  SECTION("duplicate unknown attributes are reported too") {
    hlspp::key k2;
    auto p2 = parse_list("METHOD=NONE,X-A=1,X-A=2", k2);
    const auto* d2 = reported_find(p2, diag_code::duplicate_attribute);
    REQUIRE(d2 != nullptr);
    CHECK(d2->column == 18);
    REQUIRE(k2.other.size() == 2);
    CHECK(k2.other[1].value == "2");
  }
}

TEST_CASE("lexer: unknown attributes are kept in `other` in their order", "[lexer]") {
  hlspp::key k;
  auto problems =
      parse_list("FOO=1,METHOD=AES-128,X-VENDOR=\"a,b\",URI=\"k\",BAR=0x12,X-LAST=-1.5", k);
  CHECK(k.method == std::optional<std::string>("AES-128"));
  CHECK(k.uri == std::optional<std::string>("k"));
  REQUIRE(k.other.size() == 4);
  CHECK(k.other[0] == hlspp::attribute{"FOO", "1"});
  CHECK(k.other[1] == hlspp::attribute{"X-VENDOR", "\"a,b\""});
  CHECK(k.other[1].quoted());
  CHECK(k.other[1].unquoted() == "a,b");
  CHECK(k.other[2] == hlspp::attribute{"BAR", "0x12"});
  CHECK(k.other[3] == hlspp::attribute{"X-LAST", "-1.5"});
  CHECK_FALSE(k.other[3].quoted());
  // unknown_attribute (info) for non-X- names only
  CHECK(reported_count(problems, diag_code::unknown_attribute) == 2);
  for (const auto& p : problems) {
    CHECK(p.code == diag_code::unknown_attribute);
    CHECK(p.sev == severity::info);
  }
}

TEST_CASE("lexer: an invalid value is kept in `other` with invalid_attribute_value", "[lexer][diag]") {
  hlspp::variant_stream v;
  auto problems = parse_list("BANDWIDTH=12x,RESOLUTION=640x360", v);
  const auto* bad = reported_find(problems, diag_code::invalid_attribute_value);
  REQUIRE(bad != nullptr);
  CHECK(bad->column == 0);
  CHECK(bad->sev == severity::error);
  CHECK_FALSE(v.bandwidth.has_value());
  REQUIRE(v.other.size() == 1);
  CHECK(v.other[0] == hlspp::attribute{"BANDWIDTH", "12x"});
  CHECK(v.resolution == std::optional<hlspp::resolution>(hlspp::resolution{640, 360}));
}

TEST_CASE("lexer: quoted-string attributes reject unquoted or empty values", "[lexer]") {
  hlspp::key k;
  auto problems = parse_list("METHOD=AES-128,URI=k.bin,KEYFORMAT=\"\"", k);
  CHECK(reported_count(problems, diag_code::invalid_attribute_value) == 2);
  CHECK_FALSE(k.uri.has_value());
  CHECK_FALSE(k.keyformat.has_value());
  REQUIRE(k.other.size() == 2);
  CHECK(k.other[0] == hlspp::attribute{"URI", "k.bin"});
  CHECK(k.other[1] == hlspp::attribute{"KEYFORMAT", "\"\""});

  SECTION("but VALUE of EXT-X-DEFINE may be empty") {
    hlspp::variable_definition d;
    auto p = parse_list("NAME=\"x\",VALUE=\"\"", d);
    CHECK(p.empty());
    CHECK(d.value == std::optional<std::string>(""));
  }
  SECTION("and RECENTLY-REMOVED-DATERANGES may be empty") {
    hlspp::skip_info s;
    auto p = parse_list("SKIPPED-SEGMENTS=3,RECENTLY-REMOVED-DATERANGES=\"\"", s);
    CHECK(p.empty());
    CHECK(s.recently_removed_dateranges == std::optional<std::string>(""));
  }
}

TEST_CASE("lexer: enumerated strings must not be quoted", "[lexer]") {
  hlspp::key k;
  auto problems = parse_list("METHOD=\"AES-128\",URI=\"k\"", k);
  CHECK(reported_has(problems, diag_code::invalid_attribute_value));
  CHECK_FALSE(k.method.has_value());
}

TEST_CASE("lexer: hexadecimal IV keeps its spelling, both cases of digits and prefix", "[lexer]") {
  SECTION("lowercase digits") {
    hlspp::key k;
    CHECK(parse_list("IV=0xdeadbeefdeadbeefdeadbeefdeadbeef", k).empty());
    CHECK(k.iv == std::optional<std::string>("0xdeadbeefdeadbeefdeadbeefdeadbeef"));
  }
  SECTION("uppercase prefix and digits") {
    hlspp::key k;
    CHECK(parse_list("IV=0X0123456789ABCDEF0123456789ABCDEF", k).empty());
    CHECK(k.iv == std::optional<std::string>("0X0123456789ABCDEF0123456789ABCDEF"));
  }
  SECTION("invalid sequences") {
    for (std::string_view bad : {"0x", "1234", "0xZZ", "\"0x12\"", "0x12g"}) {
      CAPTURE(bad);
      hlspp::key k;
      std::string list = "IV=" + std::string(bad);
      auto p = parse_list(list, k);
      CHECK_FALSE(k.iv.has_value());
    }
  }
  SECTION("is_hex_sequence") {
    CHECK(hlspp::detail::is_hex_sequence("0x0"));
    CHECK(hlspp::detail::is_hex_sequence("0XaF"));
    CHECK_FALSE(hlspp::detail::is_hex_sequence("0x"));
    CHECK_FALSE(hlspp::detail::is_hex_sequence("x12"));
    CHECK_FALSE(hlspp::detail::is_hex_sequence("0x1g"));
  }
}

TEST_CASE("lexer: decimal-resolution is <int>x<int> with a lowercase x", "[lexer]") {
  SECTION("valid") {
    hlspp::variant_stream v;
    CHECK(parse_list("RESOLUTION=1920x1080", v).empty());
    REQUIRE(v.resolution.has_value());
    CHECK(v.resolution->width == 1920);
    CHECK(v.resolution->height == 1080);
  }
  for (std::string_view bad : {"1920X1080", "1920x", "x1080", "1920*1080", "-1x2", "1920x1080x2", "\"1920x1080\""}) {
    CAPTURE(bad);
    hlspp::variant_stream v;
    std::string list = "RESOLUTION=" + std::string(bad);
    auto p = parse_list(list, v);
    CHECK(reported_has(p, diag_code::invalid_attribute_value));
    CHECK_FALSE(v.resolution.has_value());
    REQUIRE(v.other.size() == 1);
    CHECK(v.other[0].value == bad);
  }
}

TEST_CASE("lexer: CLOSED-CAPTIONS=NONE is the enumerated NONE, a quoted value is a group", "[lexer]") {
  SECTION("NONE") {
    hlspp::variant_stream v;
    CHECK(parse_list("BANDWIDTH=1,CLOSED-CAPTIONS=NONE", v).empty());
    CHECK(v.closed_captions == std::optional<std::string>("NONE"));
  }
  SECTION("quoted group") {
    hlspp::variant_stream v;
    CHECK(parse_list("BANDWIDTH=1,CLOSED-CAPTIONS=\"cc1\"", v).empty());
    CHECK(v.closed_captions == std::optional<std::string>("cc1"));
  }
  SECTION("other unquoted values are invalid") {
    hlspp::variant_stream v;
    auto p = parse_list("BANDWIDTH=1,CLOSED-CAPTIONS=cc1", v);
    CHECK(reported_has(p, diag_code::invalid_attribute_value));
    CHECK_FALSE(v.closed_captions.has_value());
  }
  SECTION("an empty quoted group is invalid") {
    hlspp::variant_stream v;
    auto p = parse_list("BANDWIDTH=1,CLOSED-CAPTIONS=\"\"", v);
    CHECK(reported_has(p, diag_code::invalid_attribute_value));
  }
}

TEST_CASE("lexer: YES/NO attributes", "[lexer]") {
  hlspp::rendition r;
  CHECK(parse_list("DEFAULT=YES,AUTOSELECT=NO", r).empty());
  CHECK(r.is_default == std::optional<bool>(true));
  CHECK(r.autoselect == std::optional<bool>(false));
  hlspp::rendition bad;
  auto p = parse_list("DEFAULT=yes", bad);
  CHECK(reported_has(p, diag_code::invalid_attribute_value));
  CHECK_FALSE(bad.is_default.has_value());
}

TEST_CASE("lexer: quoted byte ranges for MAP and PART", "[lexer]") {
  hlspp::init_section m;
  CHECK(parse_list("URI=\"init.mp4\",BYTERANGE=\"720@0\"", m).empty());
  REQUIRE(m.byterange.has_value());
  CHECK(m.byterange->length == 720);
  CHECK(m.byterange->offset == std::optional<std::uint64_t>(0));

  hlspp::partial_segment p;
  CHECK(parse_list("DURATION=0.5,URI=\"p.mp4\",BYTERANGE=\"1000\"", p).empty());
  REQUIRE(p.byterange.has_value());
  CHECK(p.byterange->length == 1000);
  CHECK_FALSE(p.byterange->offset.has_value());

  hlspp::init_section bad;
  auto problems = parse_list("URI=\"i\",BYTERANGE=720@0", bad);
  CHECK(reported_has(problems, diag_code::invalid_attribute_value));
}

TEST_CASE("lexer: decimal-integer at the u64 limits", "[lexer][numbers]") {
  using hlspp::detail::parse_decimal_integer;
  CHECK(parse_decimal_integer("0") == std::optional<std::uint64_t>(0));
  CHECK(parse_decimal_integer("18446744073709551615") ==
        std::optional<std::uint64_t>(std::numeric_limits<std::uint64_t>::max()));
  CHECK_FALSE(parse_decimal_integer("18446744073709551616").has_value());
  CHECK_FALSE(parse_decimal_integer("99999999999999999999").has_value());
  CHECK_FALSE(parse_decimal_integer("184467440737095516150").has_value());
  CHECK(parse_decimal_integer("00000000000000000042") == std::optional<std::uint64_t>(42));
  for (std::string_view bad : {"", "-1", "+1", " 1", "1 ", "1.0", "0x10", "1e3", "abc"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_decimal_integer(bad).has_value());
  }

  SECTION("through an attribute list") {
    hlspp::variant_stream ok;
    CHECK(parse_list("BANDWIDTH=18446744073709551615", ok).empty());
    CHECK(ok.bandwidth == std::optional<std::uint64_t>(18446744073709551615ULL));

    hlspp::variant_stream over;
    auto p = parse_list("BANDWIDTH=18446744073709551616", over);
    const auto* bad = reported_find(p, diag_code::invalid_attribute_value);
    REQUIRE(bad != nullptr);
    CHECK(bad->column == 0);
    CHECK_FALSE(over.bandwidth.has_value());
    REQUIRE(over.other.size() == 1);
    CHECK(over.other[0].value == "18446744073709551616");
  }
}

TEST_CASE("lexer: decimal-floating-point has no exponent, sign or inf/nan", "[lexer][numbers]") {
  using hlspp::detail::parse_decimal_float;
  CHECK(parse_decimal_float("10") == std::optional<double>(10.0));
  CHECK(parse_decimal_float("10.000") == std::optional<double>(10.0));
  CHECK(parse_decimal_float("9.009") == std::optional<double>(9.009));
  CHECK(parse_decimal_float("0.5") == std::optional<double>(0.5));
  CHECK(parse_decimal_float("5.") == std::optional<double>(5.0));
  for (std::string_view bad : {"", ".", "1e3", "1E3", "1.5e-3", "+1", "-1", "inf", "nan", "1..2", "1,5", " 1", "0x1p3"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_decimal_float(bad).has_value());
  }
  SECTION("signed") {
    CHECK(parse_decimal_float("-1.5", true) == std::optional<double>(-1.5));
    CHECK_FALSE(parse_decimal_float("--1", true).has_value());
    CHECK_FALSE(parse_decimal_float("-", true).has_value());
    CHECK_FALSE(parse_decimal_float("+1.5", true).has_value());
    CHECK_FALSE(parse_decimal_float("-1e2", true).has_value());
  }
  SECTION("through an attribute list") {
    hlspp::variant_stream v;
    auto p = parse_list("BANDWIDTH=1,FRAME-RATE=3e1", v);
    const auto* bad = reported_find(p, diag_code::invalid_attribute_value);
    REQUIRE(bad != nullptr);
    CHECK(bad->column == 12);
    CHECK_FALSE(v.frame_rate.has_value());

    hlspp::start_point s;
    CHECK(parse_list("TIME-OFFSET=-12.25,PRECISE=YES", s).empty());
    CHECK(s.time_offset == std::optional<double>(-12.25));
    hlspp::variant_stream neg;
    auto pn = parse_list("BANDWIDTH=1,FRAME-RATE=-30", neg);
    CHECK(reported_has(pn, diag_code::invalid_attribute_value));  // FRAME-RATE is unsigned
  }
}

TEST_CASE("lexer: whitespace after a comma is tolerated with a warning", "[lexer][diag]") {
  hlspp::variant_stream v;
  auto p = parse_list("BANDWIDTH=1000, RESOLUTION=640x360", v);
  CHECK(reported_has(p, diag_code::whitespace));
  CHECK_FALSE(reported_has(p, diag_code::malformed_attribute_list));
  CHECK(v.bandwidth == std::optional<std::uint64_t>(1000));
  CHECK(v.resolution == std::optional<hlspp::resolution>(hlspp::resolution{640, 360}));
}

TEST_CASE("lexer: lowercase attribute names are malformed and kept in `other`", "[lexer][diag]") {
  hlspp::variant_stream v;
  auto p = parse_list("bandwidth=1", v);
  CHECK(reported_has(p, diag_code::malformed_attribute_list));
  CHECK_FALSE(v.bandwidth.has_value());
  REQUIRE(v.other.size() == 1);
  CHECK(v.other[0].name == "bandwidth");
}

TEST_CASE("lexer: malformed attribute lists in a tag line report the 1-based column", "[lexer][diag]") {
  // "#EXT-X-KEY:" is 11 bytes; the list starts at column 12.
  const std::string text =
      "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-KEY:METHOD=AES-128,URI=\"k\",,IV=0x1\n#EXTINF:10,\na.ts\n";
  auto r = hlspp_test::parse_at(text);
  INFO(hlspp_test::dump(r.diagnostics()));
  REQUIRE(r.ok());
  // ",," : the empty attribute between the commas starts at list offset 23 -> column 35.
  CHECK(hlspp_test::has_diag_at(r.diagnostics(), diag_code::malformed_attribute_list, 3, 35));
  const auto& k = r->media().segments.at(0).keys.at(0);
  CHECK(k.iv == std::optional<std::string>("0x1"));
}

TEST_CASE("lexer: an unterminated quote in a tag keeps the value in `other`", "[lexer][diag]") {
  const std::string text = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-KEY:METHOD=AES-128,URI=\"k\n#EXTINF:10,\na.ts\n";
  auto r = hlspp_test::parse_at(text);
  REQUIRE(r.ok());
  // The opening quote is at list offset 19 -> column 31.
  CHECK(hlspp_test::has_diag_at(r.diagnostics(), diag_code::malformed_attribute_list, 3, 31));
  const auto& k = r->media().segments.at(0).keys.at(0);
  CHECK_FALSE(k.uri.has_value());
  REQUIRE(k.other.size() == 1);
  CHECK(k.other[0] == hlspp::attribute{"URI", "\"k"});
  // and it still writes back byte for byte
  CHECK(hlspp_test::lossless(r->media()) == text);
}
