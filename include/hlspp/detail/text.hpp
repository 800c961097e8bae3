// SPDX-License-Identifier: MIT
#pragma once

// Low-level text helpers: number parsing and formatting with from_chars/to_chars,
// the attribute-list lexer, and value-safety checks. Nothing here allocates on the
// success path of parsing.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

// For the helpers the parser calls on every segment (parse_media is so large that g++
// stops inlining into it). A compiler hint only; #undef'd at the end of this header.
#if defined(__GNUC__) || defined(__clang__)
#define HLSPP_DETAIL_HOT_INLINE __attribute__((always_inline))
#else
#define HLSPP_DETAIL_HOT_INLINE
#endif

namespace hlspp::detail {

[[nodiscard]] inline bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

[[nodiscard]] inline bool starts_with(std::string_view s, std::string_view prefix) noexcept {
  return s.size() >= prefix.size() && std::memcmp(s.data(), prefix.data(), prefix.size()) == 0;
}
/// A literal prefix: its length is a constant, so the compare is a few inline loads
/// instead of a call to memcmp (the parser tests a prefix or two on every line).
template <std::size_t N>
[[nodiscard]] inline bool starts_with(std::string_view s, const char (&prefix)[N]) noexcept {
  return s.size() >= N - 1 && std::memcmp(s.data(), prefix, N - 1) == 0;
}

[[nodiscard]] inline bool is_blank(std::string_view s) noexcept {
  for (char c : s)
    if (c != ' ' && c != '\t') return false;
  return true;
}

/// decimal-integer: [0-9]{1,20}, 0 .. 2^64-1. Rejects signs, spaces and overflow.
[[nodiscard]] inline std::optional<std::uint64_t> parse_decimal_integer(std::string_view s) noexcept {
  if (s.empty() || s.size() > 20 || !is_digit(s.front())) return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

/// decimal-floating-point (signed when allowed): digits with an optional fraction.
/// No exponent, no "+", no inf/nan: only the spec's grammar, so any accepted text
/// is finite.
[[nodiscard]] inline std::optional<double> parse_decimal_float(std::string_view s,
                                                               bool allow_sign = false) noexcept {
  std::size_t i = 0;
  if (allow_sign && !s.empty() && s[0] == '-') i = 1;
  std::size_t digits = 0;
  std::size_t fraction_digits = 0;
  std::uint64_t mantissa = 0;
  bool dot = false;
  for (std::size_t j = i; j < s.size(); ++j) {
    if (is_digit(s[j])) {
      ++digits;
      if (dot) ++fraction_digits;
      // Wraps harmlessly past 20 digits: only used below when digits <= 15.
      mantissa = mantissa * 10 + static_cast<std::uint64_t>(s[j] - '0');
    } else if (s[j] == '.' && !dot) {
      dot = true;
    } else {
      return std::nullopt;
    }
  }
  if (digits == 0) return std::nullopt;
  // Fast path (Clinger): with at most 15 digits the mantissa (< 10^15 < 2^53) and
  // 10^k (k <= 15 <= 22) are exact doubles and IEEE division rounds correctly, so
  // mantissa / 10^k is the value from_chars would give. Needs a digit before the
  // dot so that ".5"-style text keeps going through from_chars as before.
  if (digits <= 15 && i < s.size() && is_digit(s[i])) {
    static constexpr double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const double v = static_cast<double>(mantissa) / pow10[fraction_digits];
    return i == 1 ? -v : v;
  }
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::fixed);
  if (ec == std::errc::result_out_of_range) return std::nullopt;
  if (ec != std::errc{} || p != s.data() + s.size()) {
    // from_chars rejects "5." on some library versions; retry without the dot.
    if (!s.empty() && s.back() == '.') return parse_decimal_float(s.substr(0, s.size() - 1), allow_sign);
    return std::nullopt;
  }
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

/// The usual EXTINF value, read in one pass: `d+(.d*)?,` with at most 15 digits (a
/// duration as the parser reads it, exactly: mantissa / 10^k is correctly rounded
/// then, see parse_decimal_float). Gives the comma's index and the duration; any other
/// shape (sign, space, no comma, more digits) returns false and the caller takes the
/// general path, which also explains what is wrong.
[[nodiscard]] HLSPP_DETAIL_HOT_INLINE inline bool read_plain_extinf_duration(std::string_view v, std::size_t& comma,
                                                                         std::optional<double>& duration) noexcept {
  static constexpr double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  std::uint64_t mantissa = 0;
  std::size_t digits = 0, fraction = 0, i = 0;
  const std::size_t n = v.size();
  for (; i < n && static_cast<unsigned char>(v[i] - '0') <= 9; ++i) mantissa = mantissa * 10 + static_cast<unsigned>(v[i] - '0');
  digits = i;
  if (digits == 0 || i == n) return false;
  if (v[i] == '.') {
    const std::size_t start = ++i;
    for (; i < n && static_cast<unsigned char>(v[i] - '0') <= 9; ++i)
      mantissa = mantissa * 10 + static_cast<unsigned>(v[i] - '0');
    fraction = i - start;
    digits += fraction;
    if (i == n) return false;
  }
  if (v[i] != ',' || digits > 15) return false;
  comma = i;
  duration = static_cast<double>(mantissa) / pow10[fraction];
  return true;
}

/// A non-negative decimal-floating-point rounded up to an integer (how a fractional
/// EXT-X-TARGETDURATION is read), or nothing when the result would not fit in 64 bits.
[[nodiscard]] inline std::optional<std::uint64_t> parse_float_ceil_u64(std::string_view s) noexcept {
  auto f = parse_decimal_float(s);
  // 2^64 is exact in a double; anything at or past it does not fit (the cast would be UB).
  if (!f || !(*f < 18446744073709551616.0)) return std::nullopt;
  return static_cast<std::uint64_t>(std::ceil(*f));
}

inline void append_integer(std::string& out, std::uint64_t v) {
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out.append(buf, static_cast<std::size_t>(p - buf));
}

/// Shortest fixed notation that reads back to the same double; never an exponent
/// (the spec's decimal-floating-point has none).
inline void append_decimal(std::string& out, double v) {
  if (!std::isfinite(v)) v = 0;  // unreachable for parsed values; refuse to write "inf"
  if (v == 0) v = 0;             // folds -0 into 0
  char buf[400];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  if (ec != std::errc{}) {
    out += '0';
    return;
  }
  out.append(buf, static_cast<std::size_t>(p - buf));
}

/// True when `s` can sit inside a quoted-string (no CR, LF or '"').
[[nodiscard]] inline bool quotable(std::string_view s) noexcept {
  for (char c : s)
    if (c == '"' || c == '\r' || c == '\n') return false;
  return true;
}

/// True when `s` can be an unquoted enumerated-string (no '"', ',', whitespace, CR, LF).
[[nodiscard]] inline bool enumerable(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s)
    if (c == '"' || c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n') return false;
  return true;
}

/// True when `s` can be written as a URI line: non-empty, no CR/LF, not starting
/// with '#' (which would make it a tag or comment) or whitespace-only.
[[nodiscard]] inline bool uri_line_safe(std::string_view s) noexcept {
  if (s.empty() || s.front() == '#') return false;
  // The reader trims a URI line, so surrounding space would not read back.
  if (s.front() == ' ' || s.front() == '\t' || s.back() == ' ' || s.back() == '\t') return false;
  bool any = false;
  for (char c : s) {
    if (c == '\r' || c == '\n') return false;
    if (c != ' ' && c != '\t') any = true;
  }
  return any;
}

/// hexadecimal-sequence: 0x/0X followed by at least one hex digit.
[[nodiscard]] inline bool is_hex_sequence(std::string_view s) noexcept {
  if (s.size() < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return false;
  for (std::size_t i = 2; i < s.size(); ++i) {
    char c = s[i];
    if (!is_digit(c) && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F')) return false;
  }
  return true;
}

/// One `NAME=VALUE` of an attribute list, as slices of the line.
struct raw_attribute {
  std::string_view name;
  std::string_view value;       // exactly as written, quotes included
  std::size_t column = 0;       // 0-based offset of the name within the attribute list
};

/// A lexical problem found while splitting an attribute list.
struct lex_problem {
  std::size_t column = 0;  // 0-based offset within the attribute list
  const char* what = nullptr;
};

/// Splits an attribute list into attributes, calling `on_attribute(raw_attribute)`
/// for each and `on_problem(lex_problem)` for malformed stretches (then skips to the
/// next comma outside quotes). Commas inside quoted strings do not split.
template <class OnAttribute, class OnProblem>
void lex_attributes(std::string_view list, OnAttribute&& on_attribute, OnProblem&& on_problem) {
  std::size_t i = 0;
  const std::size_t n = list.size();
  while (i < n) {
    const std::size_t start = i;
    while (i < n && list[i] != '=' && list[i] != ',') ++i;
    std::string_view name = list.substr(start, i - start);
    if (i >= n || list[i] == ',') {
      on_problem(lex_problem{start, "attribute without '='"});
      if (i < n) ++i;
      continue;
    }
    if (name.empty()) on_problem(lex_problem{start, "attribute with an empty name"});
    ++i;  // '='
    const std::size_t value_start = i;
    if (i < n && list[i] == '"') {
      ++i;
      while (i < n && list[i] != '"') ++i;
      if (i >= n) {
        on_problem(lex_problem{value_start, "unterminated quoted string"});
        on_attribute(raw_attribute{name, list.substr(value_start), start});
        return;
      }
      ++i;  // closing quote
      if (i < n && list[i] != ',') {
        on_problem(lex_problem{i, "text after a quoted string"});
        const std::size_t junk = i;
        while (i < n && list[i] != ',') ++i;
        (void)junk;
      }
    } else {
      while (i < n && list[i] != ',') ++i;
    }
    // A lone CR is not a line end here, and a quoted-string may not hold one: the
    // text would change meaning when written on a line of its own.
    const std::string_view value = list.substr(value_start, i - value_start);
    if (const std::size_t cr = value.find_first_of("\r\n"); cr != std::string_view::npos)
      on_problem(lex_problem{value_start + cr, "CR or LF inside an attribute value"});
    on_attribute(raw_attribute{name, value, start});
    if (i < n) {
      ++i;  // ','
      if (i == n) on_problem(lex_problem{i - 1, "trailing comma"});
    }
  }
}

/// True for a valid AttributeName ([A-Z0-9-]+).
[[nodiscard]] inline bool valid_attribute_name(std::string_view name) noexcept {
  if (name.empty()) return false;
  for (char c : name)
    if (!((c >= 'A' && c <= 'Z') || is_digit(c) || c == '-')) return false;
  return true;
}

/// Validates UTF-8; returns the byte offset of the first invalid sequence or npos.
[[nodiscard]] inline std::size_t find_invalid_utf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    // Fast path over ASCII: 32 bytes per test (four words OR-ed), then 8 at a time.
    while (i + 32 <= n) {
      std::uint64_t w[4];
      std::memcpy(w, p + i, 32);
      if ((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ULL) break;
      i += 32;
    }
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07u;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3Fu);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
  return std::string_view::npos;
}

}  // namespace hlspp::detail

#undef HLSPP_DETAIL_HOT_INLINE
