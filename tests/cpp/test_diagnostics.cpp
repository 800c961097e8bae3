// SPDX-License-Identifier: MIT
// Diagnostics: codes, positions (1-based line and byte column), strictness levels,
// input-level checks and parse limits.
#include <cstddef>
#include <string>

#include "catch.hpp"
#include "support.hpp"

using hlspp::diag_code;
using hlspp::severity;
using hlspp::strictness;
using hlspp_test::dump;
using hlspp_test::find_diag;
using hlspp_test::has_diag;
using hlspp_test::has_diag_at;
using hlspp_test::parse_at;

namespace {

const std::string simple_media = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\na.ts\n#EXT-X-ENDLIST\n";

hlspp::parse_result parse_with_limits(std::string_view text, const hlspp::parse_limits& limits,
                                      strictness level = strictness::normal) {
  hlspp::parse_options o;
  o.strictness = level;
  o.limits = limits;
  return hlspp::parse(text, o);
}

}  // namespace

TEST_CASE("diagnostics: code_name spellings are stable", "[diag]") {
  CHECK(hlspp::code_name(diag_code::duplicate_tag) == "duplicate-tag");
  CHECK(hlspp::code_name(diag_code::invalid_attribute_value) == "invalid-attribute-value");
  CHECK(hlspp::code_name(diag_code::unsafe_value) == "unsafe-value");
  CHECK(hlspp::code_name(diag_code::daterange_without_program_date_time) == "daterange-without-program-date-time");
  CHECK(hlspp::severity_name(severity::warning) == "warning");
  hlspp::diagnostic d{diag_code::duplicate_tag, severity::error, 3, 1, "m"};
  CHECK(d.to_string() == "3:1: error: duplicate-tag: m");
}

TEST_CASE("diagnostics: a clean playlist has no diagnostics", "[diag]") {
  for (auto level : {strictness::lenient, strictness::normal, strictness::strict}) {
    auto r = parse_at(simple_media, level);
    INFO(dump(r.diagnostics()));
    REQUIRE(r.ok());
    CHECK(r.diagnostics().empty());
  }
}

TEST_CASE("diagnostics: duplicate TARGETDURATION is reported at its line, column 1", "[diag]") {
  auto r = parse_at("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-TARGETDURATION:12\n#EXTINF:10,\na.ts\n");
  REQUIRE(r.ok());
  const auto* d = find_diag(r.diagnostics(), diag_code::duplicate_tag);
  REQUIRE(d != nullptr);
  CHECK(d->line == 3);
  CHECK(d->column == 1);
  CHECK(d->severity == severity::error);
  CHECK(r->media().target_duration == std::optional<std::uint64_t>(10));
}

TEST_CASE("diagnostics: an invalid attribute value points at the attribute name", "[diag]") {
  // "#EXT-X-STREAM-INF:" (18 bytes) + "BANDWIDTH=1," (12 bytes): RESOLUTION starts at byte 31.
  auto r = parse_at("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=wide\nv.m3u8\n");
  REQUIRE(r.ok());
  const auto* d = find_diag(r.diagnostics(), diag_code::invalid_attribute_value);
  REQUIRE(d != nullptr);
  CHECK(d->line == 2);
  CHECK(d->column == 31);

  SECTION("columns count bytes, not characters") {
    // "Zürich" has a two-byte character, so the next attribute is one column further.
    auto u = parse_at("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"Z\xC3\xBCrich\",RESOLUTION=wide\nv.m3u8\n");
    REQUIRE(u.ok());
    const auto* du = find_diag(u.diagnostics(), diag_code::invalid_attribute_value);
    REQUIRE(du != nullptr);
    // 18 + 12 + len("CODECS=\"Zürich\",") = 18 + 12 + 17 = 47 -> column 48
    CHECK(du->column == 48);
  }
  SECTION("a duplicate attribute points at the second name") {
    auto dup = parse_at("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,BANDWIDTH=2\nv.m3u8\n");
    REQUIRE(dup.ok());
    CHECK(has_diag_at(dup.diagnostics(), diag_code::duplicate_attribute, 2, 31));
  }
}

TEST_CASE("diagnostics: missing #EXTM3U fails in normal and strict, not in lenient", "[diag]") {
  const std::string text = "#EXT-X-TARGETDURATION:10\n#EXTINF:10,\na.ts\n";
  for (auto level : {strictness::normal, strictness::strict}) {
    auto r = parse_at(text, level);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == diag_code::missing_extm3u);
    CHECK(r.error().line == 1);
    CHECK(r.error().column == 1);
    hlspp::parse_options o;
    o.strictness = level;
    CHECK(hlspp_test::throws_as<hlspp::parse_error>([&] { (void)hlspp::parse_or_throw(text, o); }));
  }
  auto lenient = parse_at(text, strictness::lenient);
  REQUIRE(lenient.ok());
  CHECK(has_diag_at(lenient.diagnostics(), diag_code::missing_extm3u, 1, 1));
  CHECK(lenient->media().segments.size() == 1);
  CHECK(lenient->media().target_duration == std::optional<std::uint64_t>(10));
  // and the lossless writer does not invent one
  CHECK(hlspp_test::lossless(lenient->media()) == text);
}

TEST_CASE("diagnostics: parse_error carries line, column and code", "[diag]") {
  try {
    (void)hlspp::parse_or_throw("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv\n");
    CHECK(false);  // parse_or_throw did not throw
  } catch (const hlspp::parse_error& e) {
    CHECK(e.code() == diag_code::mixed_playlist);
    CHECK(e.line() == 3);
    CHECK(e.column() == 1);
    CHECK(e.info().severity == severity::error);
  }
}

TEST_CASE("diagnostics: mixed master and media tags fail outside lenient", "[diag]") {
  SECTION("media playlist with a master tag") {
    const std::string text = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\na.ts\n#EXT-X-STREAM-INF:BANDWIDTH=1\n";
    auto r = parse_at(text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == diag_code::mixed_playlist);
    CHECK(r.error().line == 5);
    CHECK(r.error().column == 1);
    CHECK(has_diag_at(r.diagnostics(), diag_code::wrong_playlist_kind, 5, 1));
    auto lenient = parse_at(text, strictness::lenient);
    REQUIRE(lenient.ok());
    REQUIRE(lenient->is_media());
    CHECK(has_diag_at(lenient.diagnostics(), diag_code::wrong_playlist_kind, 5, 1));
    CHECK(hlspp_test::lossless(lenient->media()) == text);
  }
  SECTION("master playlist with a media tag") {
    const std::string text = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n#EXTINF:10,\n";
    auto r = parse_at(text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == diag_code::mixed_playlist);
    CHECK(r.error().line == 4);
    auto lenient = parse_at(text, strictness::lenient);
    REQUIRE(lenient.ok());
    REQUIRE(lenient->is_master());
    CHECK(hlspp_test::lossless(lenient->master()) == text);
  }
}

TEST_CASE("diagnostics: strict fails on the first error, normal succeeds with the same diagnostics", "[diag]") {
  const std::string text =
      "#EXTM3U\n#EXT-X-TARGETDURATION:10\n"
      "#EXTINF:abc,\na.ts\n"                                      // invalid duration at 3:9
      "#EXT-X-KEY:METHOD=AES-128\n#EXTINF:10,\nb.ts\n";           // missing URI at 5:12
  auto normal = parse_at(text, strictness::normal);
  auto strict = parse_at(text, strictness::strict);
  INFO(dump(normal.diagnostics()));
  REQUIRE(normal.ok());
  REQUIRE_FALSE(strict.ok());
  CHECK(strict.error().code == diag_code::invalid_attribute_value);
  CHECK(strict.error().line == 3);
  CHECK(strict.error().column == 9);
  CHECK(strict.diagnostics() == normal.diagnostics());
  const hlspp::diagnostic* first_error = nullptr;
  for (const auto& d : normal.diagnostics())
    if (d.severity == severity::error) {
      first_error = &d;
      break;
    }
  REQUIRE(first_error != nullptr);
  CHECK(strict.error() == *first_error);
  CHECK(has_diag_at(normal.diagnostics(), diag_code::missing_attribute, 5, 12));

  SECTION("warnings alone do not fail strict") {
    auto w = parse_at("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10\na.ts\n", strictness::strict);
    INFO(dump(w.diagnostics()));
    REQUIRE(w.ok());
    CHECK(has_diag(w.diagnostics(), diag_code::malformed_tag));
  }
  SECTION("a playlist-wide error (missing target duration) fails strict") {
    auto m = parse_at("#EXTM3U\n#EXTINF:10,\na.ts\n", strictness::strict);
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().code == diag_code::missing_target_duration);
  }
}

TEST_CASE("diagnostics: empty input", "[diag]") {
  for (const char* text : {"", "\n\n", "  \t\r\n"}) {
    CAPTURE(text);
    auto r = parse_at(text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == diag_code::empty_input);
    auto s = parse_at(text, strictness::strict);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == diag_code::empty_input);
  }
  SECTION("only a byte order mark") {
    auto r = parse_at("\xEF\xBB\xBF");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == diag_code::empty_input);
  }
  SECTION("lenient never fails") {
    CHECK(parse_at("", strictness::lenient).ok());
  }
}

TEST_CASE("diagnostics: a byte order mark is a warning at 1:1 and is kept", "[diag]") {
  const std::string text = "\xEF\xBB\xBF" + simple_media;
  auto r = parse_at(text);
  REQUIRE(r.ok());
  const auto* d = find_diag(r.diagnostics(), diag_code::byte_order_mark);
  REQUIRE(d != nullptr);
  CHECK(d->severity == severity::warning);
  CHECK(d->line == 1);
  CHECK(d->column == 1);
  CHECK_FALSE(has_diag(r.diagnostics(), diag_code::missing_extm3u));
  CHECK(r->media().segments.size() == 1);
  CHECK(hlspp_test::lossless(r->media()) == text);
  CHECK(hlspp_test::canonical(r->media()).rfind("#EXTM3U\n", 0) == 0);
  CHECK(parse_at(text, strictness::strict).ok());
}

TEST_CASE("diagnostics: CRLF line endings are accepted", "[diag]") {
  const std::string text = "#EXTM3U\r\n#EXT-X-TARGETDURATION:10\r\n#EXTINF:10,title\r\na.ts\r\n#EXT-X-ENDLIST\r\n";
  auto r = parse_at(text, strictness::strict);
  INFO(dump(r.diagnostics()));
  REQUIRE(r.ok());
  CHECK(r.diagnostics().empty());
  const auto& pl = r->media();
  REQUIRE(pl.segments.size() == 1);
  CHECK(pl.segments[0].uri == "a.ts");
  CHECK(pl.segments[0].title == "title");
  CHECK(pl.endlist);
  CHECK(pl.layout.crlf);
}

TEST_CASE("diagnostics: positions are the same with CRLF endings", "[diag]") {
  auto r = parse_at(
      "#EXTM3U\r\n#EXT-X-TARGETDURATION:10\r\n#EXT-X-TARGETDURATION:10\r\n"
      "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=xyz\r\n#EXTINF:10,\r\na.ts\r\n");
  REQUIRE(r.ok());
  CHECK(has_diag_at(r.diagnostics(), diag_code::duplicate_tag, 3, 1));
  // "#EXT-X-KEY:" (11) + "METHOD=AES-128," (15) + "URI=\"k\"," (8): IV starts at byte 35.
  CHECK(has_diag_at(r.diagnostics(), diag_code::invalid_attribute_value, 4, 35));
}

TEST_CASE("diagnostics: a missing final newline is accepted", "[diag]") {
  auto r = parse_at("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\na.ts", strictness::strict);
  INFO(dump(r.diagnostics()));
  REQUIRE(r.ok());
  CHECK(r.diagnostics().empty());
  REQUIRE(r->media().segments.size() == 1);
  CHECK(r->media().segments[0].uri == "a.ts");
}

TEST_CASE("diagnostics: a NUL byte fails in normal, with its position", "[diag]") {
  std::string text = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,ab";
  text += '\0';
  text += "c\na.ts\n";
  auto r = parse_at(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == diag_code::nul_byte);
  CHECK(r.error().line == 3);
  CHECK(r.error().column == 14);
  auto lenient = parse_at(text, strictness::lenient);
  REQUIRE(lenient.ok());
  CHECK(has_diag_at(lenient.diagnostics(), diag_code::nul_byte, 3, 14));
}

TEST_CASE("diagnostics: invalid UTF-8 is an error with its position", "[diag]") {
  const std::string text = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,a\xFF\na.ts\n";
  auto normal = parse_at(text);
  REQUIRE(normal.ok());
  CHECK(has_diag_at(normal.diagnostics(), diag_code::invalid_utf8, 3, 13));
  auto strict = parse_at(text, strictness::strict);
  REQUIRE_FALSE(strict.ok());
  CHECK(strict.error().code == diag_code::invalid_utf8);
}

TEST_CASE("diagnostics: CR-only line endings fail outside lenient", "[diag]") {
  const std::string text = "#EXTM3U\r#EXT-X-TARGETDURATION:10\r#EXTINF:10,\ra.ts\r";
  auto r = parse_at(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == diag_code::cr_line_endings);
  CHECK(r.error().line == 1);
  CHECK(r.error().column == 1);
  auto lenient = parse_at(text, strictness::lenient);
  REQUIRE(lenient.ok());
  CHECK(has_diag_at(lenient.diagnostics(), diag_code::cr_line_endings, 1, 1));
}

TEST_CASE("diagnostics: input_too_large at the limit and one past it", "[diag][limits]") {
  hlspp::parse_limits limits;
  limits.max_input_bytes = simple_media.size();
  for (auto level : {strictness::lenient, strictness::normal, strictness::strict}) {
    CHECK(parse_with_limits(simple_media, limits, level).ok());
  }
  limits.max_input_bytes = simple_media.size() - 1;
  for (auto level : {strictness::lenient, strictness::normal, strictness::strict}) {
    auto r = parse_with_limits(simple_media, limits, level);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == diag_code::input_too_large);
    CHECK(r.error().line == 0);
  }
}

TEST_CASE("diagnostics: line_too_long at the limit and one past it", "[diag][limits]") {
  // The longest line is the last one, written without a terminator so that its
  // length is unambiguous: 30 bytes.
  const std::string last = "#EXTINF:10,abcdefghijklmnopqrs";
  REQUIRE(last.size() == 30);
  const std::string text = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\na.ts\n" + last;
  hlspp::parse_limits limits;
  limits.max_line_bytes = 30;
  for (auto level : {strictness::lenient, strictness::normal}) {
    auto r = parse_with_limits(text, limits, level);
    INFO(dump(r.diagnostics()));
    CHECK(r.ok());
  }
  limits.max_line_bytes = 29;
  for (auto level : {strictness::lenient, strictness::normal, strictness::strict}) {
    auto r = parse_with_limits(text, limits, level);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == diag_code::line_too_long);
    CHECK(r.error().line == 5);
    CHECK(r.error().column == 1);
  }
}

TEST_CASE("diagnostics: too_many_lines at the limit and one past it", "[diag][limits]") {
  hlspp::parse_limits limits;
  limits.max_lines = 5;  // simple_media has 5 lines
  CHECK(parse_with_limits(simple_media, limits).ok());
  limits.max_lines = 4;
  auto r = parse_with_limits(simple_media, limits, strictness::lenient);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == diag_code::too_many_lines);
  CHECK(r.error().line == 5);
}

TEST_CASE("diagnostics: max_segments at the limit and one past it", "[diag][limits]") {
  const std::string text =
      "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\na.ts\n#EXTINF:10,\nb.ts\n#EXTINF:10,\nc.ts\n";
  hlspp::parse_limits limits;
  limits.max_segments = 3;
  auto ok = parse_with_limits(text, limits);
  REQUIRE(ok.ok());
  CHECK(ok->media().segments.size() == 3);
  limits.max_segments = 2;
  for (auto level : {strictness::lenient, strictness::normal}) {
    auto r = parse_with_limits(text, limits, level);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == diag_code::too_many_lines);  // the limits' shared code
    CHECK(r.error().line == 8);  // the third URI line
    CHECK(r.error().column == 1);
  }
}

TEST_CASE("diagnostics: max_diagnostics stores at most that many and counts the rest", "[diag][limits]") {
  std::string text = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n";
  for (int i = 0; i < 10; ++i) text += "#EXT-X-UNKNOWN-" + std::to_string(i) + "\n";
  text += "#EXTINF:10,\na.ts\n";
  hlspp::parse_limits limits;
  limits.max_diagnostics = 4;
  auto r = parse_with_limits(text, limits);
  REQUIRE(r.ok());
  // 4 stored + 1 summary
  CHECK(r.diagnostics().size() == 5);
  CHECK(r.diagnostics().back().line == 0);
}

TEST_CASE("diagnostics: blank lines before #EXTM3U warn", "[diag]") {
  auto r = parse_at("\n#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\na.ts\n");
  REQUIRE(r.ok());
  const auto* d = find_diag(r.diagnostics(), diag_code::missing_extm3u);
  REQUIRE(d != nullptr);
  CHECK(d->severity == severity::warning);
  CHECK(d->line == 1);
}

TEST_CASE("diagnostics: whitespace is tolerated with warnings", "[diag]") {
  auto r = parse_at("#EXTM3U \n#EXT-X-TARGETDURATION: 10\n#EXTINF:10,\n a.ts \n");
  INFO(dump(r.diagnostics()));
  REQUIRE(r.ok());
  CHECK(has_diag_at(r.diagnostics(), diag_code::whitespace, 1, 8));
  CHECK(has_diag_at(r.diagnostics(), diag_code::whitespace, 2, 23));
  CHECK(has_diag_at(r.diagnostics(), diag_code::whitespace, 4, 1));
  CHECK(r->media().target_duration == std::optional<std::uint64_t>(10));
  CHECK(r->media().segments.at(0).uri == "a.ts");
  CHECK_FALSE(hlspp::has_errors(r.diagnostics()));
}

TEST_CASE("diagnostics: tags are case-sensitive", "[diag]") {
  auto r = parse_at("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#ext-x-endlist\n#EXTINF:10,\na.ts\n");
  REQUIRE(r.ok());
  CHECK_FALSE(r->media().endlist);
  // "#ext..." is not "#EXT...": it is a comment
  REQUIRE(r->media().segments.at(0).extras.size() == 1);
  CHECK(r->media().segments[0].extras[0].type == hlspp::extra_line::kind::comment);
}
