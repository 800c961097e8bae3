// SPDX-License-Identifier: MIT
#pragma once

/// @file types.hpp
/// Small value types shared by both playlist kinds: byte ranges, resolutions,
/// dates, unknown attributes, kept-verbatim lines and the origin records that
/// let the lossless writer give back the original bytes.

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "shared_string.hpp"

namespace hlspp {

/// `<length>[@<offset>]` (EXT-X-BYTERANGE, MAP/PART BYTERANGE). The offset is kept
/// as written: absent means "continues the previous sub-range".
struct byte_range {
  std::uint64_t length = 0;
  std::optional<std::uint64_t> offset;

  friend bool operator==(const byte_range& a, const byte_range& b) {
    return a.length == b.length && a.offset == b.offset;
  }
  friend bool operator!=(const byte_range& a, const byte_range& b) { return !(a == b); }
};

/// decimal-resolution `<width>x<height>`.
struct resolution {
  std::uint64_t width = 0;
  std::uint64_t height = 0;

  friend bool operator==(const resolution& a, const resolution& b) {
    return a.width == b.width && a.height == b.height;
  }
  friend bool operator!=(const resolution& a, const resolution& b) { return !(a == b); }
};

/// An ISO 8601 date-time kept as its text (so it writes back exactly) with the
/// parsed instant available on demand.
struct date_time {
  shared_string text;

  /// Seconds since 1970-01-01T00:00:00Z, or nullopt when `text` is not a valid
  /// date-time (YYYY-MM-DDThh:mm:ss[.f*][Z|+hh:mm|-hh:mm|+hhmm|+hh]; no zone = UTC).
  [[nodiscard]] std::optional<double> epoch_seconds() const noexcept;

  friend bool operator==(const date_time& a, const date_time& b) { return a.text == b.text; }
  friend bool operator!=(const date_time& a, const date_time& b) { return !(a == b); }
};

/// An attribute the model has no typed field for (unknown names, X- names, or a
/// known name whose value did not parse), kept with its value exactly as written
/// (quotes included when it was quoted). An unknown attribute's name and value are
/// kept without the whitespace around them (reported as `whitespace`): readers drop
/// it at the ends of a list, so it could not be written back there. A value keeps
/// its leading space only where, unpadded, it would read as a quoted string
/// followed by more text.
struct attribute {
  std::string name;
  std::string value;

  [[nodiscard]] bool quoted() const noexcept {
    return value.size() >= 2 && value.front() == '"' && value.back() == '"';
  }
  /// The value without its quotes.
  [[nodiscard]] std::string_view unquoted() const noexcept {
    std::string_view v = value;
    if (quoted()) v = v.substr(1, v.size() - 2);
    return v;
  }

  friend bool operator==(const attribute& a, const attribute& b) {
    return a.name == b.name && a.value == b.value;
  }
  friend bool operator!=(const attribute& a, const attribute& b) { return !(a == b); }
};

using attribute_list = std::vector<attribute>;

/// A line the model keeps verbatim where it stood: a comment, a blank line, an
/// unknown tag, or (lenient parsing) a line that could not be understood.
struct extra_line {
  enum class kind : std::uint8_t { comment, blank, unknown_tag, verbatim };
  extra_line::kind type = kind::comment;
  std::string text;  // the whole line without its line terminator

  /// For an unknown tag: the tag name ("#EXT-X-FOO"), else empty.
  [[nodiscard]] std::string_view tag_name() const noexcept {
    if (type != kind::unknown_tag) return {};
    std::string_view t = text;
    return t.substr(0, t.find(':'));
  }
  /// For an unknown tag: the text after the first ':' (empty when none).
  [[nodiscard]] std::string_view tag_value() const noexcept {
    if (type != kind::unknown_tag) return {};
    std::string_view t = text;
    auto colon = t.find(':');
    return colon == std::string_view::npos ? std::string_view{} : t.substr(colon + 1);
  }

  friend bool operator==(const extra_line& a, const extra_line& b) {
    return a.type == b.type && a.text == b.text;
  }
  friend bool operator!=(const extra_line& a, const extra_line& b) { return !(a == b); }
};

/// Where a model element came from in the parsed text. Not part of the element's
/// value (ignored by ==). `source` identifies the text buffer so that an element
/// moved into another playlist is never written with the wrong bytes.
struct text_origin {
  std::uint32_t offset = 0;  // first byte of the element's first line
  std::uint32_t length = 0;  // bytes up to and including the last line's terminator
  std::uint32_t line = 0;    // 1-based line number of the first line; 0 = not parsed
  std::uint32_t source = 0;  // id of the source buffer; 0 = created by the user

  [[nodiscard]] bool parsed() const noexcept { return source != 0; }
};

/// The kind of each line of a parsed block, one byte per line: a string that
/// keeps up to 15 bytes in place and takes 16 bytes (std::string takes 32), since
/// every segment has one and most have two or three lines.
class line_kind_list {
 public:
  static constexpr std::size_t npos = std::string_view::npos;

  line_kind_list() noexcept = default;
  line_kind_list(std::string_view s) { assign(s); }  // NOLINT: implicit, as from std::string
  line_kind_list(const line_kind_list& o) { assign(o.view()); }
  line_kind_list(line_kind_list&& o) noexcept {
    std::memcpy(raw_, o.raw_, sizeof raw_);
    o.raw_[15] = 0;
  }
  line_kind_list& operator=(const line_kind_list& o) {
    if (this != &o) assign(o.view());
    return *this;
  }
  line_kind_list& operator=(line_kind_list&& o) noexcept {
    if (this != &o) {
      release();
      std::memcpy(raw_, o.raw_, sizeof raw_);
      o.raw_[15] = 0;
    }
    return *this;
  }
  line_kind_list& operator=(std::string_view s) {
    assign(s);
    return *this;
  }
  ~line_kind_list() { release(); }

  [[nodiscard]] std::size_t size() const noexcept { return on_heap() ? heap_size() : raw_[15]; }
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  [[nodiscard]] const char* data() const noexcept { return on_heap() ? heap_data() : reinterpret_cast<const char*>(raw_); }
  [[nodiscard]] std::string_view view() const noexcept { return {data(), size()}; }
  operator std::string_view() const noexcept { return view(); }  // NOLINT: implicit by design
  [[nodiscard]] const char* begin() const noexcept { return data(); }
  [[nodiscard]] const char* end() const noexcept { return data() + size(); }
  [[nodiscard]] char operator[](std::size_t i) const noexcept { return data()[i]; }
  [[nodiscard]] std::size_t find(char c, std::size_t pos = 0) const noexcept { return view().find(c, pos); }

  void push_back(char c) {
    const unsigned char tag = raw_[15];  // the in-place size, or heap_tag (above 15)
    if (tag < 15) {
      raw_[tag] = static_cast<unsigned char>(c);
      raw_[15] = static_cast<unsigned char>(tag + 1);
      return;
    }
    push_back_slow(c);
  }
  line_kind_list& operator+=(char c) {
    push_back(c);
    return *this;
  }
  void clear() noexcept {
    release();
    raw_[15] = 0;
  }

  friend bool operator==(const line_kind_list& a, const line_kind_list& b) noexcept { return a.view() == b.view(); }
  friend bool operator!=(const line_kind_list& a, const line_kind_list& b) noexcept { return !(a == b); }

 private:
  // The 16th kind, and any after it once full: move to (a larger) heap block.
  void push_back_slow(char c) {
    const std::size_t n = size();
    if (!on_heap() || n == heap_capacity(n)) {  // full: move to a block twice the size
      char* fresh = new char[heap_capacity(n + 1)];
      std::memcpy(fresh, data(), n);
      release();
      set_heap(fresh, n);
    }
    heap_data()[n] = c;
    set_heap(heap_data(), n + 1);
  }
  static constexpr unsigned char heap_tag = 0xFF;
  // Heap capacity follows from the size (32, then powers of two), so it needs no field.
  static std::size_t heap_capacity(std::size_t n) noexcept {
    std::size_t cap = 32;
    while (cap < n) cap *= 2;
    return cap;
  }
  [[nodiscard]] bool on_heap() const noexcept { return raw_[15] == heap_tag; }
  [[nodiscard]] char* heap_data() const noexcept {
    char* p;
    std::memcpy(&p, raw_, sizeof p);
    return p;
  }
  [[nodiscard]] std::size_t heap_size() const noexcept {
    std::uint32_t n;
    std::memcpy(&n, raw_ + 8, sizeof n);
    return n;
  }
  void set_heap(char* p, std::size_t n) noexcept {
    const auto n32 = static_cast<std::uint32_t>(n);
    std::memcpy(raw_, &p, sizeof p);
    std::memcpy(raw_ + 8, &n32, sizeof n32);
    raw_[15] = heap_tag;
  }
  void release() noexcept {
    if (on_heap()) delete[] heap_data();
  }
  void assign(std::string_view s) {
    if (s.size() < 16) {
      unsigned char fresh[16] = {};
      std::memcpy(fresh, s.data(), s.size());
      fresh[15] = static_cast<unsigned char>(s.size());
      release();
      std::memcpy(raw_, fresh, sizeof raw_);
      return;
    }
    char* fresh = new char[heap_capacity(s.size())];
    std::memcpy(fresh, s.data(), s.size());
    release();
    set_heap(fresh, s.size());
  }

  alignas(8) unsigned char raw_[16] = {};  // inline: bytes 0-14 + size in 15; heap: pointer, u32 size, tag 0xFF in 15
};

/// The origin of a multi-line element (a segment, a variant with its URI line, ...):
/// its span plus the kind of each of its lines, as the parser classified them, so
/// the lossless writer can match every original line to the element's current fields.
struct block_origin : text_origin {
  line_kind_list line_kinds;  // one detail::tag_id per line
};

namespace detail {

inline bool parse_2digits(std::string_view s, std::size_t at, int& out) noexcept {
  if (at + 2 > s.size()) return false;
  char a = s[at], b = s[at + 1];
  if (a < '0' || a > '9' || b < '0' || b > '9') return false;
  out = (a - '0') * 10 + (b - '0');
  return true;
}

// Days from civil (Howard Hinnant's algorithm): exact for the proleptic Gregorian calendar.
inline long long days_from_civil(long long y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

}  // namespace detail

namespace detail {

/// The end of a date-time from `i`: nothing, `Z`, or `+hh[:]mm` / `-hh[:]mm`, and
/// then the end of `s`. Gives the zone's offset from UTC in seconds.
inline bool read_zone_to_end(std::string_view s, std::size_t i, long long& offset_seconds) noexcept {
  offset_seconds = 0;
  if (i < s.size()) {
    if (s[i] == 'Z' || s[i] == 'z') {
      ++i;
    } else if (s[i] == '+' || s[i] == '-') {
      const int sign = s[i] == '-' ? -1 : 1;
      ++i;
      int oh = 0, om = 0;
      if (!parse_2digits(s, i, oh)) return false;
      i += 2;
      if (i < s.size() && s[i] == ':') ++i;
      if (i < s.size()) {
        if (!parse_2digits(s, i, om)) return false;
        i += 2;
      }
      if (oh > 23 || om > 59) return false;
      offset_seconds = sign * (oh * 3600LL + om * 60LL);
    } else {
      return false;
    }
  }
  return i == s.size();
}

/// The rest of a date-time from byte 19 (after `ss`): an optional fraction (`.` or `,`
/// and digits), then the zone (see read_zone_to_end), to the end of `s`.
inline bool read_fraction_and_zone(std::string_view s, std::size_t& frac_begin, std::size_t& frac_end,
                                   long long& offset_seconds) noexcept {
  std::size_t i = 19;
  frac_begin = frac_end = i;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
    frac_begin = start;
    frac_end = i;
  }
  return read_zone_to_end(s, i, offset_seconds);
}

/// Checks a date-time (YYYY-MM-DDThh:mm:ss[.f*][Z|+hh:mm|-hh:mm|+hhmm|+hh]; no zone =
/// UTC) with integer arithmetic only and gives its whole seconds since the epoch and
/// where its fraction digits are. The parser checks every PROGRAM-DATE-TIME with this
/// (no floating point on the hot path); epoch_seconds() adds the fraction.
/// `whole` may be null when only the check is wanted (skips the calendar arithmetic).
inline bool split_date_time(std::string_view s, long long* whole, std::size_t& frac_begin,
                            std::size_t& frac_end) noexcept {
  // YYYY-MM-DDThh:mm:ss. The 14 digits are checked as three 8-byte words (bytes
  // 0-7, 8-15 and 11-18) rather than one by one: every PROGRAM-DATE-TIME of a
  // playlist goes through here.
  if (s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
      s[16] != ':')
    return false;
  {
    const auto word = [&s](std::size_t at) {
      std::uint64_t w = 0;  // byte k of the text in bits 8k..8k+7
      std::memcpy(&w, s.data() + at, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
      w = __builtin_bswap64(w);
#endif
      return w;
    };
    // In the lanes of `lanes`, every byte is '0'..'9': ASCII (bit 7 clear), and with
    // bit 7 cleared first (so that no lane carries into the next) b + 0x50 reaches
    // 0x80 exactly when b >= 0x30 and b + 0x46 exactly when b >= 0x3A.
    const auto all_digits = [](std::uint64_t w, std::uint64_t lanes) {
      constexpr std::uint64_t high = 0x8080808080808080ULL;
      const std::uint64_t low7 = w & ~high;
      return (w & high & lanes) == 0 && ((low7 + 0x5050505050505050ULL) & high & lanes) == (high & lanes) &&
             ((low7 + 0x4646464646464646ULL) & high & lanes) == 0;
    };
    if (!all_digits(word(0), 0x00FFFF00FFFFFFFFULL) ||   // YYYY-MM-: bytes 0-3, 5, 6
        !all_digits(word(8), 0x000000FFFF00FFFFULL) ||   // DDThh:mm: bytes 8, 9, 11, 12
        !all_digits(word(11), 0xFFFF00FFFF000000ULL))    // hh:mm:ss: bytes 14, 15, 17, 18
      return false;
  }
  const auto two = [&s](std::size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); };
  const int y_hi = two(0), y_lo = two(2), mo = two(5), d = two(8), h = two(11), mi = two(14), se = two(17);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 60) return false;
  {
    const int year = y_hi * 100 + y_lo;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    static constexpr int days_in_month[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (d > days_in_month[mo - 1] + (mo == 2 && leap ? 1 : 0)) return false;
  }
  long long offset_seconds = 0;
  if (!read_fraction_and_zone(s, frac_begin, frac_end, offset_seconds)) return false;
  if (!whole) return true;
  const long long days =
      days_from_civil(y_hi * 100 + y_lo, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  *whole = days * 86400LL + h * 3600LL + mi * 60LL + se - offset_seconds;
  return true;
}

/// True when `s` is a date-time epoch_seconds() accepts.
[[nodiscard]] inline bool valid_date_time(std::string_view s) noexcept {
  std::size_t fb = 0, fe = 0;
  return split_date_time(s, nullptr, fb, fe);
}

/// Checks the PROGRAM-DATE-TIMEs of one playlist, in order, as valid_date_time() does.
/// Consecutive ones nearly always share their date and hour, so when the first 14
/// bytes (`YYYY-MM-DDThh:`) equal those of the last one found valid, that part is
/// known good and only `mm:ss`, the fraction and the zone are read.
class date_time_checker {
 public:
  [[nodiscard]] bool valid(std::string_view s) noexcept {
    // The usual form, YYYY-MM-DDThh:mm:ss.fffZ with a known date and hour: bytes 14-21
    // ("mm:ss.ff") as one word, each lane XOR-ed with its expected character, so the
    // digit lanes hold 0-9 and the ':' and '.' lanes hold 0 exactly when the text fits.
    if (known_ && s.size() == 24 && s[23] == 'Z' && std::memcmp(s.data(), known_prefix_, sizeof known_prefix_) == 0) {
      std::uint64_t w = 0;  // byte k of the text in bits 8k..8k+7
      std::memcpy(&w, s.data() + 14, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
      w = __builtin_bswap64(w);
#endif
      constexpr std::uint64_t expected = 0x30302E3030'3A3030ULL;  // "00:00.00", byte 0 lowest
      constexpr std::uint64_t separators = 0x0000FF0000'FF0000ULL;  // the ':' and '.' lanes
      constexpr std::uint64_t high = 0x8080808080808080ULL;
      const std::uint64_t x = w ^ expected;
      const bool fits = (x & high) == 0 && ((x + 0x7676767676767676ULL) & high) == 0 && (x & separators) == 0 &&
                        static_cast<unsigned char>(s[22] - '0') <= 9;
      if (fits) {
        const unsigned minutes = static_cast<unsigned>(x & 0xFF) * 10 + static_cast<unsigned>((x >> 8) & 0xFF);
        const unsigned seconds = static_cast<unsigned>((x >> 24) & 0xFF) * 10 + static_cast<unsigned>((x >> 32) & 0xFF);
        return minutes <= 59 && seconds <= 60;
      }
    }
    std::size_t frac_begin = 0, frac_end = 0;
    if (known_ && s.size() >= 19 && std::memcmp(s.data(), known_prefix_, sizeof known_prefix_) == 0) {
      int minutes = 0, seconds = 0;
      if (!parse_2digits(s, 14, minutes) || s[16] != ':' || !parse_2digits(s, 17, seconds)) return false;
      long long offset_seconds = 0;
      return minutes <= 59 && seconds <= 60 && read_fraction_and_zone(s, frac_begin, frac_end, offset_seconds);
    }
    if (!split_date_time(s, nullptr, frac_begin, frac_end)) return false;
    std::memcpy(known_prefix_, s.data(), sizeof known_prefix_);
    known_ = true;
    return true;
  }

 private:
  char known_prefix_[14] = {};
  bool known_ = false;
};

}  // namespace detail

inline std::optional<double> date_time::epoch_seconds() const noexcept {
  const std::string_view s = text;
  long long whole = 0;
  std::size_t frac_begin = 0, frac_end = 0;
  if (!detail::split_date_time(s, &whole, frac_begin, frac_end)) return std::nullopt;
  double fraction = 0;
  double scale = 0.1;
  for (std::size_t i = frac_begin; i < frac_end; ++i) {
    fraction += (s[i] - '0') * scale;
    scale /= 10;
  }
  return static_cast<double>(whole) + fraction;
}

}  // namespace hlspp
