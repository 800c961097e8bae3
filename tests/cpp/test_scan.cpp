// SPDX-License-Identifier: MIT
// The parser's whole-text pass (detail::scan_text), its bitmask line splitter
// (detail::line_reader) and the batched references of detail::share_budget: each
// checked against the plain code it replaces, on texts built to hit 64-byte block
// edges, CRLF, missing final LFs and the rare bytes.
#include <random>
#include <type_traits>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support.hpp"

// The inlining hint of the hot helpers is each header's own: none may leak it.
#ifdef HLSPP_DETAIL_HOT_INLINE
#error "an hlspp header leaks HLSPP_DETAIL_HOT_INLINE"
#endif

namespace {

using hlspp::detail::line_view;

std::vector<line_view> lines_by_next_line(std::string_view text) {
  std::vector<line_view> out;
  std::size_t pos = 0;
  std::uint32_t number = 0;
  line_view ln;
  while (hlspp::detail::next_line(text, pos, number, ln)) out.push_back(ln);
  return out;
}

std::vector<line_view> lines_by_reader(std::string_view text) {
  std::vector<line_view> out;
  hlspp::detail::line_reader reader(text);
  line_view ln;
  while (reader.next(ln)) out.push_back(ln);
  return out;
}

// What scan_text answers, the slow way.
hlspp::detail::text_scan scan_by_hand(std::string_view text, std::size_t max_line_bytes, std::size_t max_lines) {
  hlspp::detail::text_scan out;
  for (char c : text) {
    out.nul |= c == '\0';
    out.cr |= c == '\r';
    out.lf |= c == '\n';
    out.brace |= c == '{';
    out.non_ascii |= static_cast<unsigned char>(c) >= 0x80;
  }
  for (const auto& ln : lines_by_next_line(text)) {
    ++out.lines;
    if (out.limit_line == 0) {
      if (ln.length > max_line_bytes) {
        out.limit_line = ln.number;
        out.limit_line_bytes = ln.length;
      } else if (out.lines > max_lines) {
        out.limit_line = ln.number;
      }
    }
    if (!ln.text.empty() && ln.text.front() != '#') ++out.uri_lines;
  }
  return out;
}

void check_same_scan(const std::string& text, std::size_t max_line_bytes, std::size_t max_lines) {
  const auto fast = hlspp::detail::scan_text(text, max_line_bytes, max_lines);
  const auto slow = scan_by_hand(text, max_line_bytes, max_lines);
  INFO("text of " << text.size() << " bytes, limits " << max_line_bytes << "/" << max_lines);
  CHECK(fast.nul == slow.nul);
  CHECK(fast.cr == slow.cr);
  CHECK(fast.lf == slow.lf);
  CHECK(fast.brace == slow.brace);
  CHECK(fast.non_ascii == slow.non_ascii);
  CHECK(fast.lines == slow.lines);
  CHECK(fast.uri_lines == slow.uri_lines);
  CHECK(fast.limit_line == slow.limit_line);
  CHECK(fast.limit_line_bytes == slow.limit_line_bytes);
}

// Lines of random lengths (0-150 bytes) from a small alphabet, LF or CRLF ends, with
// or without a final terminator; `rare` adds NUL, '{', lone CR and high bytes.
std::string random_text(std::mt19937& rng, bool rare) {
  const std::string common = "#EXTINF:,.0123456789abcxyz/?=&- \t";
  const std::string rare_bytes = std::string("\r{\x80\xC3\xFF") + '\0';
  std::uniform_int_distribution<int> lines(0, 40), length(0, 150), coin(0, 9);
  std::string text;
  const int n = lines(rng);
  for (int i = 0; i < n; ++i) {
    const int len = length(rng);
    for (int k = 0; k < len; ++k) {
      if (rare && coin(rng) == 0 && std::uniform_int_distribution<int>(0, 20)(rng) == 0)
        text += rare_bytes[std::uniform_int_distribution<std::size_t>(0, rare_bytes.size() - 1)(rng)];
      else
        text += common[std::uniform_int_distribution<std::size_t>(0, common.size() - 1)(rng)];
    }
    if (i + 1 < n || coin(rng) < 7) text += coin(rng) < 3 ? "\r\n" : "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("line_reader: the same lines as next_line, at every block edge") {
  // Every line length from 0 to 130 (so LFs fall on each position of a 64-byte block
  // and on the last byte of the text), with LF or CRLF, with and without a final LF.
  for (std::size_t len = 0; len <= 130; ++len)
    for (const char* end : {"\n", "\r\n", ""}) {
      for (std::size_t before = 0; before < 3; ++before) {
        std::string text;
        for (std::size_t i = 0; i < before; ++i) text += "#EXT-X-A\n";
        text += std::string(len, 'x') + end;
        text += std::string(len / 2, 'y') + "\n" + std::string(len % 7, 'z');
        const auto expected = lines_by_next_line(text);
        const auto got = lines_by_reader(text);
        INFO("line length " << len << ", " << before << " lines before");
        REQUIRE(got.size() == expected.size());
        for (std::size_t i = 0; i < got.size(); ++i) {
          CHECK(got[i].text == expected[i].text);
          CHECK(got[i].offset == expected[i].offset);
          CHECK(got[i].length == expected[i].length);
          CHECK(got[i].number == expected[i].number);
        }
      }
    }
  CHECK(lines_by_reader("").empty());
  CHECK(lines_by_reader("\n").size() == 1);
  CHECK(lines_by_reader(std::string(64, '\n')).size() == 64);
  CHECK(lines_by_reader(std::string(65, '\n')).size() == 65);
}

TEST_CASE("line_reader: random texts split as next_line splits them") {
  std::mt19937 rng(20261202);
  for (int round = 0; round < 400; ++round) {
    const std::string text = random_text(rng, round % 2 == 1);
    const auto expected = lines_by_next_line(text);
    const auto got = lines_by_reader(text);
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      REQUIRE(got[i].text == expected[i].text);
      REQUIRE(got[i].offset == expected[i].offset);
      REQUIRE(got[i].length == expected[i].length);
    }
  }
}

TEST_CASE("scan_text: flags, counts and the first line over a limit, as by hand") {
  std::mt19937 rng(7);
  for (int round = 0; round < 400; ++round) {
    const std::string text = random_text(rng, round % 2 == 1);
    check_same_scan(text, std::size_t{1} << 20, std::size_t{1} << 20);
    check_same_scan(text, static_cast<std::size_t>(1 + round % 150), std::size_t{1} << 20);  // a line over the byte limit
    check_same_scan(text, std::size_t{1} << 20, static_cast<std::size_t>(round % 30));  // too many lines
    check_same_scan(text, 40, 10);                                  // both: the first line decides
  }
  // Each rare byte alone, at each position of a block and in the padded last block.
  for (const char rare : {'\0', '\r', '{', '\x80'})
    for (std::size_t at = 0; at < 130; ++at) {
      std::string text(130, 'a');
      text[at] = rare;
      check_same_scan(text, 1000, 1000);
    }
  const auto empty = hlspp::detail::scan_text("", 10, 10);
  CHECK(empty.lines == 0);
  CHECK_FALSE(empty.lf);
}

TEST_CASE("scan_text: the parser reports the same problems as before the pass was fused") {
  // A NUL stops a parse before any limit is looked at; a lenient one reports the NUL
  // and stops at the long line (line 5: 44 bytes with its LF, over 40).
  hlspp::parse_options normal;
  normal.limits.max_line_bytes = 40;
  const std::string nul_and_long = std::string("#EXTM3U\n#EXT-X-TARGETDURATION:6\n") + '\0' +
                                   "\n#EXTINF:6,\nhttps://a.example/a-very-long-uri-indeed.ts\n";
  auto parsed = hlspp::parse(nul_and_long, normal);
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().code == hlspp::diag_code::nul_byte);
  CHECK(parsed.error().line == 3);
  hlspp::parse_options lenient = normal;
  lenient.strictness = hlspp::strictness::lenient;
  parsed = hlspp::parse(nul_and_long, lenient);
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().code == hlspp::diag_code::line_too_long);
  CHECK(parsed.error().line == 5);
  bool nul_reported = false;
  for (const auto& d : parsed.diagnostics())
    if (d.code == hlspp::diag_code::nul_byte && d.line == 3) nul_reported = true;
  CHECK(nul_reported);
  // A text with no '{' is never searched for "{$"; one with "{$" still is.
  hlspp::parse_options defines;
  const std::string with_ref =
      "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6,\nhttps://a.example/{$undefined}.ts\n#EXT-X-ENDLIST\n";
  parsed = hlspp::parse(with_ref, defines);
  bool undefined_reported = false;
  for (const auto& d : parsed.diagnostics())
    if (d.code == hlspp::diag_code::undefined_variable && d.line == 4) undefined_reported = true;
  CHECK(undefined_reported);
}

TEST_CASE("share_budget: batched references come out exact") {
  const hlspp::shared_string whole("0123456789abcdefghijklmnopqrstuvwxyz");
  std::vector<hlspp::shared_string> parts;
  {
    hlspp::detail::share_budget budget(whole, 4);  // several batches for 10 strings
    for (std::size_t i = 0; i < 10; ++i) parts.push_back(budget.share(std::string_view(whole).substr(i, 3)));
    parts[3] = hlspp::shared_string();  // dropped while the budget lasts
    const std::string outside = "elsewhere";
    const auto copied = budget.share(outside);  // not within `whole`: a copy
    CHECK(copied == "elsewhere");
    CHECK(copied.data() != outside.data());
    CHECK_FALSE(copied.shares_bytes());
    CHECK(budget.share({}).empty());
  }
  CHECK(parts[0] == "012");
  CHECK(parts[9] == "9ab");
  CHECK(parts[9].data() == whole.data() + 9);
  CHECK(whole.shares_bytes());
  parts.clear();
  // Every reference the budget took and did not hand out was given back.
  CHECK_FALSE(whole.shares_bytes());
}

TEST_CASE("share_budget: assign() writes what share() gives and lets go of what was there") {
  const hlspp::shared_string whole("0123456789abcdefghijklmnopqrstuvwxyz");
  hlspp::shared_string other("another block");
  hlspp::shared_string from_other = other;  // the other block has two holders
  std::vector<hlspp::shared_string> parts(6);
  parts[4] = whole;
  {
    hlspp::detail::share_budget budget(whole, 2);  // a new batch every other string
    for (std::size_t i = 0; i < 4; ++i) budget.assign(parts[i], std::string_view(whole).substr(i, 5));
    budget.assign(parts[0], std::string_view(whole).substr(30, 6));  // over a string of the same block
    budget.assign(from_other, std::string_view(whole).substr(10, 2));  // over a string of another block
    const std::string outside = "elsewhere";
    budget.assign(parts[5], outside);  // not within `whole`: a copy
    CHECK(parts[5] == "elsewhere");
    CHECK(parts[5].data() != outside.data());
    budget.assign(parts[4], {});  // empty: no block
    CHECK(parts[4].empty());
  }
  CHECK(parts[0] == "uvwxyz");
  CHECK(parts[0].data() == whole.data() + 30);
  CHECK(parts[3] == "34567");
  CHECK(parts[3].data() == whole.data() + 3);
  CHECK(from_other == "ab");
  CHECK_FALSE(other.shares_bytes());  // from_other let go of its reference
  CHECK_FALSE(parts[5].shares_bytes());
  parts.clear();
  from_other = hlspp::shared_string();
  // Every reference taken was handed out or given back, none twice (the ASan leg
  // turns an over-release into a use after free above).
  CHECK_FALSE(whole.shares_bytes());
}

TEST_CASE("share_budget: strings outlive the budget and the string they came from") {
  std::vector<hlspp::shared_string> parts;
  {
    const hlspp::shared_string whole(std::string(100, 'q') + "tail");
    hlspp::detail::share_budget budget(whole, 3);
    for (std::size_t i = 0; i < 7; ++i) parts.push_back(budget.share(std::string_view(whole).substr(96 + i % 4, 4 - i % 4)));
  }
  // The sanitizer leg turns a block freed too early into a failure here.
  CHECK(parts[0] == "qqqq");
  CHECK(parts[3] == "q");
  CHECK(parts[3].data() == parts[0].data() + 3);
  CHECK(parts[6].shares_bytes());  // the seven share one block
  parts.resize(1);
  CHECK_FALSE(parts[0].shares_bytes());  // the last one holds the only reference
}

TEST_CASE("share_budget: a parsed playlist holds exactly one reference per string") {
  const std::string text =
      "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXT-X-PROGRAM-DATE-TIME:2024-03-01T12:00:00.000Z\n"
      "#EXTINF:6.000,title\nhttps://a.example/1.ts\n#EXTINF:6.000,\nhttps://a.example/2.ts\n#EXT-X-ENDLIST\n";
  hlspp::shared_string uri;
  {
    auto parsed = hlspp::parse(text);
    REQUIRE(parsed);
    uri = parsed->media().segments[1].uri;
  }
  // The playlist is gone: only `uri` holds the text now (no reference left over from
  // the parse's batches, which would keep the text alive for ever).
  CHECK(uri == "https://a.example/2.ts");
  CHECK_FALSE(uri.shares_bytes());
}

TEST_CASE("release_batch: a playlist's strings from several blocks are all given back exactly") {
  static_assert(std::is_nothrow_move_constructible_v<hlspp::media_playlist>);
  static_assert(std::is_nothrow_move_assignable_v<hlspp::media_playlist>);
  const std::string text =
      "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXT-X-PROGRAM-DATE-TIME:2024-03-01T12:00:00.000Z\n"
      "#EXTINF:6.000,one\nhttps://a.example/1.ts\n#EXT-X-PROGRAM-DATE-TIME:2024-03-01T12:00:06.000Z\n"
      "#EXTINF:6.000,two\nhttps://a.example/2.ts\n#EXTINF:6.000,\nhttps://a.example/3.ts\n#EXT-X-ENDLIST\n";
  hlspp::shared_string kept_uri, kept_title, foreign;
  {
    auto parsed = hlspp::parse(text);
    REQUIRE(parsed);
    hlspp::media_playlist pl = parsed->media();  // a copy: its strings hold references too
    auto other = hlspp::parse(text);
    REQUIRE(other);
    foreign = other->media().segments[0].title;
    // Strings of three kinds in one playlist: the parsed text's, another text's, and
    // strings with blocks of their own, interleaved so runs of one block are short.
    pl.segments[0].title = foreign;
    pl.segments[1].uri = "https://b.example/own.ts";
    pl.segments[2].title = std::string("own title");
    pl.segments.push_back(pl.segments[1]);
    kept_uri = pl.segments[2].uri;
    kept_title = pl.segments[1].title;
    CHECK(kept_uri.shares_bytes());
  }  // both parses, the copy and the edited playlist are gone
  // Each kept string is now its block's only holder: nothing over- or under-released
  // (under: shares_bytes() stays true and the leak checker of the sanitizer leg fails;
  // over: the sanitizer reports the freed block read below).
  CHECK(kept_uri == "https://a.example/3.ts");
  CHECK(kept_title == "two");
  CHECK(foreign == "one");
  CHECK(kept_uri.shares_bytes());  // with kept_title: the two references left on that text
  kept_title = hlspp::shared_string();
  CHECK_FALSE(kept_uri.shares_bytes());
  CHECK_FALSE(foreign.shares_bytes());
}
