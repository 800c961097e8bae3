// Regressions: each case is a bug found by review or by the unit tests, fixed in the
// library, and kept here so it stays fixed.
#include <hlspp/hlspp.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support.hpp"

// parser.hpp's inlining hint is for its own hot helpers only: it must not leak.
#ifdef HLSPP_DETAIL_HOT_INLINE
#error "HLSPP_DETAIL_HOT_INLINE leaked out of hlspp/detail/parser.hpp"
#endif

using hlspp_test::find_diag;
using hlspp_test::has_diag;
using hlspp_test::parse_at;

TEST_CASE("regression: an edited PROGRAM-DATE-TIME cannot inject a tag through the lossless writer", "[regression]") {
  auto r = parse_at("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-PROGRAM-DATE-TIME:2020-01-01T00:00:00Z\n#EXTINF:10,\na.ts\n");
  REQUIRE(r.ok());
  r->media().segments[0].program_date_time->text = "2020-01-01T00:00:00Z\n#EXT-X-ENDLIST";
  auto out = hlspp::serialize(*r);
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().code == hlspp::diag_code::unsafe_value);
}

TEST_CASE("regression: an empty segment URI is refused, not dropped", "[regression]") {
  auto r = parse_at("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\na.ts\n#EXTINF:10,\nb.ts\n");
  REQUIRE(r.ok());
  r->media().segments[0].uri.clear();
  for (bool canonical : {false, true}) {
    hlspp::serialize_options options;
    options.canonical = canonical;
    auto out = hlspp::serialize(*r, options);
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().code == hlspp::diag_code::unsafe_value);
  }
}

TEST_CASE("regression: reordered variants are written in their new order", "[regression]") {
  auto r = parse_at(
      "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\none.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=2\ntwo.m3u8\n"
      "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"x\"\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"y\"\n");
  REQUIRE(r.ok());
  auto& m = r->master();
  std::swap(m.variants[0], m.variants[1]);
  std::swap(m.renditions[0], m.renditions[1]);
  const std::string out = hlspp::to_string(*r);
  CHECK(out.find("two.m3u8") < out.find("one.m3u8"));
  CHECK(out.find("NAME=\"y\"") < out.find("NAME=\"x\""));
  // Unchanged lines keep their bytes.
  CHECK(out.find("#EXT-X-STREAM-INF:BANDWIDTH=2\ntwo.m3u8\n") != std::string::npos);
}

TEST_CASE("regression: each undefined variable is reported at its own column", "[regression]") {
  auto r = parse_at("#EXTM3U\n#EXT-X-VERSION:8\n#EXT-X-TARGETDURATION:10\n"
                    "#EXT-X-KEY:METHOD=AES-128,URI=\"{$k}\",KEYFORMAT=\"{$k}\"\n#EXTINF:10,\na.ts\n");
  std::vector<std::uint32_t> columns;
  for (const auto& d : r.diagnostics())
    if (d.code == hlspp::diag_code::undefined_variable) columns.push_back(d.column);
  REQUIRE(columns.size() == 2);
  CHECK(columns[0] == 32);
  CHECK(columns[1] == 49);
}

TEST_CASE("regression: variables in client attributes are checked", "[regression]") {
  auto r = parse_at("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-PROGRAM-DATE-TIME:2020-01-01T00:00:00Z\n"
                    "#EXT-X-DATERANGE:ID=\"x\",START-DATE=\"2020-01-01T00:00:00Z\",X-ASSET-URI=\"{$nope}\"\n"
                    "#EXTINF:10,\na.ts\n");
  const auto* d = find_diag(r.diagnostics(), hlspp::diag_code::undefined_variable);
  REQUIRE(d != nullptr);
  CHECK(d->line == 4);
}

TEST_CASE("regression: whitespace around an attribute value is a warning", "[regression]") {
  auto r = parse_at("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000 ,RESOLUTION=640x360\nv.m3u8\n");
  REQUIRE(r.ok());
  CHECK(has_diag(r.diagnostics(), hlspp::diag_code::whitespace));
  CHECK(r->master().variants[0].bandwidth == std::optional<std::uint64_t>(1000));
}

TEST_CASE("regression: editing one attribute keeps the others in place despite odd spacing", "[regression]") {
  auto r = parse_at("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000, RESOLUTION=640x360,FRAME-RATE=30.000\nv.m3u8\n");
  REQUIRE(r.ok());
  r->master().variants[0].bandwidth = 2000;
  const std::string out = hlspp::to_string(*r);
  CHECK(out.find("#EXT-X-STREAM-INF:BANDWIDTH=2000,RESOLUTION=640x360,FRAME-RATE=30.000\n") != std::string::npos);
}

TEST_CASE("regression: a CLOSED-CAPTIONS group quoted as \"NONE\" is flagged", "[regression]") {
  auto r = parse_at("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,CLOSED-CAPTIONS=\"NONE\"\nv.m3u8\n");
  REQUIRE(r.ok());
  const auto* d = find_diag(r.diagnostics(), hlspp::diag_code::invalid_attribute_value);
  REQUIRE(d != nullptr);
  CHECK(d->severity == hlspp::severity::warning);
}

TEST_CASE("regression: impossible calendar dates have no instant", "[regression]") {
  CHECK_FALSE(hlspp::date_time{"2020-02-30T00:00:00Z"}.epoch_seconds().has_value());
  CHECK_FALSE(hlspp::date_time{"2021-02-29T00:00:00Z"}.epoch_seconds().has_value());
  CHECK_FALSE(hlspp::date_time{"2020-04-31T00:00:00Z"}.epoch_seconds().has_value());
  CHECK(hlspp::date_time{"2020-02-29T00:00:00Z"}.epoch_seconds().has_value());
  CHECK(hlspp::date_time{"2000-02-29T00:00:00Z"}.epoch_seconds().has_value());
  CHECK_FALSE(hlspp::date_time{"1900-02-29T00:00:00Z"}.epoch_seconds().has_value());
}

TEST_CASE("regression: PROGRAM-ID on an I-frame stream is a removed attribute", "[regression]") {
  auto r = parse_at("#EXTM3U\n#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,PROGRAM-ID=1,URI=\"i.m3u8\"\n");
  REQUIRE(r.ok());
  CHECK(has_diag(r.diagnostics(), hlspp::diag_code::removed_tag));
}

TEST_CASE("regression: a lenient parse of empty input says so", "[regression]") {
  auto r = parse_at("", hlspp::strictness::lenient);
  REQUIRE(r.ok());
  const auto* d = find_diag(r.diagnostics(), hlspp::diag_code::empty_input);
  REQUIRE(d != nullptr);
  CHECK(d->line == 1);
  CHECK(hlspp::to_string(*r).empty());
}

TEST_CASE("regression: the first error is kept in strict mode even when the diagnostic list is full",
          "[regression]") {
  hlspp::parse_options o;
  o.strictness = hlspp::strictness::strict;
  o.limits.max_diagnostics = 1;
  auto r = hlspp::parse("#EXTM3U\n#EXT-FOO\n#EXT-X-TARGETDURATION:10\n#EXT-X-TARGETDURATION:10\n#EXTINF:9,\na.ts\n", o);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == hlspp::diag_code::duplicate_tag);
  CHECK(r.error().line == 4);
}

TEST_CASE("regression: sequence numbers count the segments EXT-X-SKIP replaced", "[regression]") {
  auto r = parse_at("#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:100\n"
                    "#EXT-X-SKIP:SKIPPED-SEGMENTS=3\n#EXTINF:4,\na.ts\n#EXTINF:4,\nb.ts\n");
  REQUIRE(r.ok());
  CHECK(r->media().sequence_number(0) == 103);
  CHECK(r->media().sequence_number(1) == 104);
}

TEST_CASE("regression: a comment added to a parsed variant is written before it", "[regression]") {
  auto r = parse_at("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\none.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=2\ntwo.m3u8\n");
  REQUIRE(r.ok());
  r->master().variants[1].extras.push_back({hlspp::extra_line::kind::comment, "# backup"});
  r->master().iframe_streams.clear();
  const std::string out = hlspp::to_string(*r);
  CHECK(out == "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\none.m3u8\n# backup\n#EXT-X-STREAM-INF:BANDWIDTH=2\ntwo.m3u8\n");
  hlspp::serialize_options canonical;
  canonical.canonical = true;
  CHECK(hlspp::to_string(*r, canonical) == out);
}

TEST_CASE("date-time: the word-at-a-time digit check agrees with a byte-by-byte one on every one-byte change",
          "[regression]") {
  // split_date_time checks the 14 digits of YYYY-MM-DDThh:mm:ss as three 8-byte
  // words. Reference: the plain rule, position by position. Every byte value at
  // every position of a valid date-time (and of its shorter/longer neighbours).
  const auto reference_shape = [](std::string_view s) {
    if (s.size() < 19) return false;
    for (std::size_t k = 0; k < 19; ++k) {
      const char c = s[k];
      switch (k) {
        case 4:
        case 7:
          if (c != '-') return false;
          break;
        case 10:
          if (c != 'T' && c != 't') return false;
          break;
        case 13:
        case 16:
          if (c != ':') return false;
          break;
        default:
          if (c < '0' || c > '9') return false;
      }
    }
    return true;
  };
  const std::string base = "2024-03-01T12:00:04.812Z";
  std::size_t accepted = 0;
  for (std::size_t at = 0; at < 19; ++at) {
    for (int b = 0; b < 256; ++b) {
      std::string s = base;
      s[at] = static_cast<char>(b);
      const bool shape = reference_shape(s);
      const bool valid = hlspp::detail::valid_date_time(s);
      INFO("byte " << b << " at " << at);
      if (!shape) CHECK_FALSE(valid);
      // A well-shaped change is valid unless the calendar rejects it (month 13, hour 24...).
      if (shape && valid) ++accepted;
      if (shape && !valid) {
        const auto two = [&s](std::size_t i) { return (s[i] - '0') * 10 + (s[i + 1] - '0'); };
        CHECK((two(5) > 12 || two(5) == 0 || two(8) == 0 || two(8) > 29 || two(11) > 23 || two(14) > 59 ||
               two(17) > 60));
      }
    }
  }
  CHECK(accepted > 100);  // digits at every digit position, 'T'/'t': most shapes are dates
  CHECK(hlspp::date_time{"2024-03-01t12:00:04Z"}.epoch_seconds().has_value());
  CHECK_FALSE(hlspp::detail::valid_date_time("2024-03-01T12:00:0"));
}

TEST_CASE("EXTINF: the one-pass duration reader agrees with the general path wherever it answers", "[regression]") {
  // Every string of up to 5 characters over the bytes that matter, plus long ones:
  // when read_plain_extinf_duration accepts, the general reader (find ',', trim,
  // parse_decimal_float) must give the same comma and the same double, bit for bit.
  const std::string alphabet = "0159.,- x";
  std::size_t accepted = 0;
  std::string s;
  const auto check = [&](const std::string& v) {
    std::size_t comma = 0;
    std::optional<double> fast;
    if (!hlspp::detail::read_plain_extinf_duration(v, comma, fast)) return;
    ++accepted;
    INFO("value '" << v << "'");
    const std::size_t general_comma = v.find(',');
    REQUIRE(comma == general_comma);
    const auto general = hlspp::detail::parse_decimal_float(hlspp::detail::trim(std::string_view(v).substr(0, comma)), true);
    REQUIRE(general.has_value());
    REQUIRE(fast.has_value());
    CHECK(*fast == *general);
  };
  std::vector<std::size_t> digits;
  for (std::size_t len = 1; len <= 5; ++len) {
    digits.assign(len, 0);
    while (true) {
      s.clear();
      for (std::size_t d : digits) s += alphabet[d];
      check(s);
      std::size_t k = 0;
      while (k < len && ++digits[k] == alphabet.size()) digits[k++] = 0;
      if (k == len) break;
    }
  }
  for (const char* v : {"123456789012345,", "1234567890123456,", "12345678.9012345,t", "0.000000000000001,",
                        "9.999999999999999,", "10.010,title, with comma", "6,"})
    check(v);
  CHECK(accepted > 1000);
  std::size_t comma = 0;
  std::optional<double> d;
  CHECK_FALSE(hlspp::detail::read_plain_extinf_duration("1234567890123456,", comma, d));  // 16 digits: general path
  CHECK_FALSE(hlspp::detail::read_plain_extinf_duration(" 6,", comma, d));
  CHECK_FALSE(hlspp::detail::read_plain_extinf_duration("-6,", comma, d));
  CHECK_FALSE(hlspp::detail::read_plain_extinf_duration("6", comma, d));
  CHECK_FALSE(hlspp::detail::read_plain_extinf_duration(".5,", comma, d));
}

TEST_CASE("date-time: the checker that reuses a known date and hour agrees with the full check",
          "[regression]") {
  // The parser checks PROGRAM-DATE-TIMEs with a date_time_checker, which skips the
  // date and hour when they equal the last valid one's. Whatever came before, its
  // answer must be valid_date_time's: one- and two-byte changes after the shared
  // prefix, every length from 13 to 30, and primed with valid and invalid strings.
  const std::vector<std::string> primes = {"2024-02-29T23:59:59.999Z", "2024-02-29T23:00:00Z",
                                           "2024-02-29T23:00:00",      "2024-02-29t23:10:00+01:00",
                                           "2024-02-30T23:00:00Z",     "2024-02-29T24:00:00Z"};
  const std::string bytes = std::string("0123456789:.,Zz+-Tt ax") + '\0';
  std::size_t fast_answers = 0, word_answers = 0;
  const auto agree = [&](const std::string& prime, const std::string& s) {
    hlspp::detail::date_time_checker checker;
    const bool prime_valid = checker.valid(prime);
    REQUIRE(prime_valid == hlspp::detail::valid_date_time(prime));
    INFO("after '" << prime << "': '" << s << "'");
    REQUIRE(checker.valid(s) == hlspp::detail::valid_date_time(s));
    if (prime_valid && s.size() >= 19 && s.compare(0, 14, prime, 0, 14) == 0) ++fast_answers;
    if (prime_valid && s.size() == 24 && s[23] == 'Z' && s.compare(0, 14, prime, 0, 14) == 0) ++word_answers;
  };
  // The second base is the usual shape (millisecond fraction and Z), which the checker
  // reads as one word: each of its bytes and pairs of them changed.
  for (const auto& prime : primes)
    for (const std::string base : {"2024-02-29T23:45:07.250+05:30", "2024-02-29T23:45:07.250Z"}) {
      for (std::size_t len = 13; len <= base.size() + 1; ++len) {
        std::string s = base.substr(0, std::min(len, base.size()));
        if (len > base.size()) s += '5';
        agree(prime, s);
        for (std::size_t at = 14; at < s.size(); ++at)
          for (char b : bytes) {
            std::string one = s;
            one[at] = b;
            agree(prime, one);
            for (std::size_t at2 = at + 1; at2 < one.size() && at2 < 24; ++at2)
              for (char b2 : std::string("0169:.Z+")) {
                std::string two = one;
                two[at2] = b2;
                agree(prime, two);
              }
          }
      }
    }
  CHECK(fast_answers > 1000);  // the shortcut was taken, and agreed
  CHECK(word_answers > 1000);  // and so was the one-word reading of the usual shape
  // A date the calendar rejects is never remembered as known good.
  hlspp::detail::date_time_checker checker;
  CHECK_FALSE(checker.valid("2023-02-29T10:00:00Z"));
  CHECK_FALSE(checker.valid("2023-02-29T10:00:01Z"));
  CHECK(checker.valid("2023-02-28T10:00:01Z"));
  CHECK(checker.valid("2023-02-28T10:59:60Z"));  // a leap second, as before
  CHECK_FALSE(checker.valid("2023-02-28T10:60:00Z"));
  // The same edges in the usual shape, read as one word.
  CHECK(checker.valid("2023-02-28T10:59:60.000Z"));
  CHECK_FALSE(checker.valid("2023-02-28T10:59:61.000Z"));
  CHECK_FALSE(checker.valid("2023-02-28T10:60:00.000Z"));
  CHECK(checker.valid("2023-02-28T10:00:00.000Z"));
  CHECK_FALSE(checker.valid("2023-02-28T10:00:00.00aZ"));
  CHECK_FALSE(checker.valid("2023-02-28T10:00;00.000Z"));
  CHECK_FALSE(checker.valid("2023-02-28T10:00:00,000Z") != hlspp::detail::valid_date_time("2023-02-28T10:00:00,000Z"));
}
