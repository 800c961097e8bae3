// SPDX-License-Identifier: MIT
#pragma once

// The two writers. Canonical: a normalized rendering of the model. Lossless: every
// element still equal to what its original lines say is written with those lines'
// bytes; an edited line is written canonically (an edited attribute list keeps the
// original order and spelling of its unchanged attributes); new elements go where
// the canonical order puts them.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "../diagnostics.hpp"
#include "../playlist.hpp"
#include "parser.hpp"
#include "schema.hpp"
#include "text.hpp"

namespace hlspp::detail {

/// The text after a tag line's first ':' (empty when it has none), as the parser saw it.
inline std::string_view value_after_colon(std::string_view line) noexcept {
  const std::size_t colon = line.find(':');
  return colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
}

/// Re-reads one attribute-list line the way the parser did (diagnostics dropped).
template <class T>
T reparse_attributes(std::string_view line, std::string_view name) {
  (void)name;
  T out{};
  std::string_view list = value_after_colon(line);
  if (trim(list).size() != list.size()) list = trim(list);
  parse_attribute_list(list, static_cast<T&>(out), [](diag_code, severity, std::size_t, const std::string&) {});
  return out;
}

/// memcmp(a, b, n) == 0 for the short strings the lossless fast path compares (tag
/// names, dates, URIs): 8 bytes at a time with an overlapping last word. GCC expands
/// a memcmp against a literal byte by byte, and a libc call costs more than these
/// few loads for 10-60 bytes.
[[nodiscard]] inline bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
  auto load64 = [](const char* p) noexcept {
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
  };
  auto load32 = [](const char* p) noexcept {
    std::uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
  };
  if (n >= 8) {
    const std::size_t last = n - 8;
    for (std::size_t i = 0; i < last; i += 8)
      if (load64(a + i) != load64(b + i)) return false;
    return load64(a + last) == load64(b + last);
  }
  if (n >= 4) return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

/// The EXTINF durations a lossless write checks against the model, read fast:
/// `-?d+(.d*)?` with at most 15 digits is an integer m < 2^53 over 10^k, k <= 15,
/// both exact doubles, so one division gives the correctly rounded value (Clinger's
/// fast path), i.e. exactly what parse_decimal_float (std::from_chars) gives.
/// Returns false for anything else; the caller then uses parse_decimal_float.
[[nodiscard]] inline bool quick_decimal(std::string_view s, double& out) noexcept {
  static constexpr double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  std::size_t i = 0;
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) i = 1;
  const std::size_t int_start = i;
  std::uint64_t m = 0;
  std::size_t digits = 0, fraction = 0;
  bool dot = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      if (++digits > 15) return false;
      m = m * 10 + static_cast<std::uint64_t>(c - '0');
      if (dot) ++fraction;
    } else if (c == '.' && !dot && i > int_start) {
      dot = true;
    } else {
      return false;
    }
  }
  if (digits == 0) return false;
  const double v = static_cast<double>(m) / pow10[fraction];
  out = negative ? -v : v;
  return true;
}

/// append_decimal() (shortest fixed notation that reads back to the same double)
/// without std::to_chars for the values durations take: 0 <= v < 1e6 with at most 6
/// decimals. There, an ulp of v is below 1.2e-10, so at most one decimal with k <= 6
/// fraction digits reads back as v: the first k for which round(v * 10^k) / 10^k
/// (correctly rounded, see quick_decimal) is v gives the shortest text, the one
/// to_chars writes. Anything else goes to append_decimal.
inline void append_decimal_quick(std::string& out, double v) {
  static constexpr double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
  static constexpr std::uint64_t ipow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
  if (v >= 0 && v < 1e6) {
    for (std::size_t k = 0; k <= 6; ++k) {
      const auto m = static_cast<std::uint64_t>(std::floor(v * pow10[k] + 0.5));
      if (static_cast<double>(m) / pow10[k] != v) continue;
      char buf[32];
      auto [p, ec] = std::to_chars(buf, buf + 16, m / ipow10[k]);
      (void)ec;
      if (k > 0) {
        *p++ = '.';
        std::uint64_t f = m % ipow10[k];
        for (std::size_t d = k; d-- > 0;) {
          p[d] = static_cast<char>('0' + f % 10);
          f /= 10;
        }
        p += k;
      }
      out.append(buf, static_cast<std::size_t>(p - buf));
      return;
    }
  }
  append_decimal(out, v);
}

class writer {
 public:
  writer(std::string& out, const playlist_layout& layout, bool canonical)
      : out_(out), layout_(layout), canonical_(canonical) {
    eol_ = (!canonical && layout.crlf) ? std::string_view("\r\n") : std::string_view("\n");
  }

  void write(const media_playlist& pl) {
    prepare(pl.segments.size() + 8);
    write_body(pl);
    flush_run();
  }
  void write(const master_playlist& pl) {
    prepare(pl.variants.size() + pl.renditions.size() + pl.iframe_streams.size() + 8);
    write_body(pl);
    flush_run();
  }

  std::optional<diagnostic> error;

 private:
  // ---- low-level output ----------------------------------------------------
  void begin_line() {
    flush_run();
    if (need_newline_) {
      out_ += eol_;
      need_newline_ = false;
    }
  }
  void end_line() { out_ += eol_; }
  /// Bytes of an original line (terminator included, if it had one).
  /// Unchanged lines are not copied one by one: lines that follow each other in the
  /// parsed text (the whole playlist when nothing was edited) accumulate into one
  /// pending run of the primary text, appended with a single copy when something
  /// else has to be written (begin_line) or the write ends.
  void emit_raw(std::string_view bytes) {
    if (need_newline_) begin_line();
    if (run_end_ != nullptr && bytes.data() == run_end_ && in_primary(bytes)) {
      run_end_ += bytes.size();
    } else {
      flush_run();
      if (in_primary(bytes)) {
        run_begin_ = bytes.data();
        run_end_ = run_begin_ + bytes.size();
      } else {
        out_.append(bytes.data(), bytes.size());
      }
    }
    if (bytes.empty() || bytes.back() != '\n') need_newline_ = true;
  }
  void flush_run() {
    if (run_begin_ != run_end_) out_.append(run_begin_, static_cast<std::size_t>(run_end_ - run_begin_));
    run_begin_ = run_end_ = nullptr;
  }
  /// Whether `bytes` lies inside the primary text (std::less_equal: a total order
  /// even for pointers into different objects), so that extending a run over it
  /// copies exactly these bytes.
  bool in_primary(std::string_view bytes) const noexcept {
    if (primary_text_.empty()) return false;
    const std::less_equal<const char*> le;
    return le(primary_text_.data(), bytes.data()) &&
           le(bytes.data() + bytes.size(), primary_text_.data() + primary_text_.size());
  }
  /// Once per write: the primary text and an output reserve. An unchanged playlist
  /// writes exactly its text; an edited one about as much, so the output string
  /// grows at most once or twice instead of doubling from empty (at 1M segments the
  /// doublings re-copied, and page-faulted, ~100 MB).
  void prepare(std::size_t elements) {
    if (const source_buffer* s = source(layout_.primary_source)) primary_text_ = s->text;
    const std::size_t guess = primary_text_.empty() ? elements * 64 : primary_text_.size() + primary_text_.size() / 16;
    out_.reserve(out_.size() + guess + 64);
  }
  void refuse(const char* what, std::string_view where) {
    if (error) return;
    error = diagnostic{diag_code::unsafe_value, severity::error, 0, 0,
                       std::string(what) + " (in " + std::string(where) + ")"};
  }
  const source_buffer* source(std::uint32_t id) const noexcept {
    if (id == 0) return nullptr;
    for (const auto& s : layout_.sources)
      if (s && s->id == id) return s.get();
    return nullptr;
  }
  /// The original bytes of an element, when they are available to this playlist.
  std::optional<std::string_view> raw_of(const text_origin& o) const {
    if (canonical_) return std::nullopt;
    if (o.source != 0 && o.source == layout_.primary_source && !primary_text_.empty()) {  // no source lookup
      if (static_cast<std::size_t>(o.offset) + o.length > primary_text_.size()) return std::nullopt;
      return primary_text_.substr(o.offset, o.length);
    }
    const source_buffer* s = source(o.source);
    if (!s || static_cast<std::size_t>(o.offset) + o.length > s->text.size()) return std::nullopt;
    return std::string_view(s->text).substr(o.offset, o.length);
  }
  bool primary(const text_origin& o) const noexcept {
    return !canonical_ && o.source != 0 && o.source == layout_.primary_source;
  }

  // ---- canonical pieces ------------------------------------------------------
  template <class T>
  void attribute_text(const T& obj, std::string& line, std::string_view where) {
    bool first = true;
    schema<T>::each([&](std::string_view name, auto mp, attr_type type) {
      const auto& field = member(obj, mp);
      if (!field) return;
      if (!first) line += ',';
      first = false;
      line += name;
      line += '=';
      if (const char* why = render_attr_value(line, type, *field)) refuse(why, where);
    });
    for (std::size_t i = 0; i < obj.other.size(); ++i) {
      const auto& a = obj.other[i];
      if (!attribute_name_safe(a.name)) refuse("invalid attribute name", where);
      if (!attribute_value_safe(a.value, i + 1 == obj.other.size())) refuse("unsafe attribute value", where);
      if (!first) line += ',';
      first = false;
      line += a.name;
      line += '=';
      line += a.value;
    }
  }
  /// A kept attribute can be written when it reads back as exactly itself: no
  /// CR/LF, and the list lexer sees one attribute with this very value. A value
  /// with an unterminated quote (kept from a broken input) reads back only as the
  /// last attribute of its line; `last` says whether it is.
  static bool attribute_value_safe(std::string_view v, bool last = false) {
    for (char c : v)
      if (c == '\r' || c == '\n') return false;
    // Readers trim the end of the list, so the last value cannot end in space.
    if (last && !v.empty() && (v.back() == ' ' || v.back() == '\t')) return false;
    std::string probe = "N=";
    probe += v;
    std::size_t count = 0;
    bool same = false, problem = false;
    lex_attributes(
        probe,
        [&](const raw_attribute& a) {
          ++count;
          same = a.value == v;
        },
        [&](const lex_problem& p) {
          if (!(last && std::string_view(p.what) == "unterminated quoted string")) problem = true;
        });
    return count == 1 && same && !problem;
  }
  static bool attribute_name_safe(std::string_view n) {
    // Readers trim the list after the colon, so a leading space would not survive.
    if (n.empty() || trim(n) != n) return false;
    for (char c : n)
      if (c == '=' || c == ',' || c == '"' || c == '\r' || c == '\n') return false;
    return true;
  }
  template <class T>
  void canonical_attr_tag(std::string_view name, const T& obj) {
    begin_line();
    std::string line(name);
    line += ':';
    attribute_text(obj, line, name);
    out_ += line;
    end_line();
  }
  /// An attribute-list tag: its original line when nothing changed, else the
  /// original attribute order with only changed values re-rendered.
  template <class T>
  void attr_tag(std::string_view name, const T& obj, std::optional<std::string_view> raw_line) {
    if (!raw_line) return canonical_attr_tag(name, obj);
    // Line 1 is read without its byte order mark.
    std::string_view line = without_bom(strip_eol(*raw_line));
    T before = reparse_attributes<T>(line, name);
    if (attributes_equal(before, obj)) return emit_raw(*raw_line);
    // Attribute-granular rewrite.
    std::string out(name);
    out += ':';
    std::string_view list = value_after_colon(line);
    if (trim(list).size() != list.size()) list = trim(list);
    bool first = true;
    std::uint64_t written = 0;
    std::vector<bool> other_used(obj.other.size(), false);
    std::size_t unterminated_at = std::string::npos;  // an unterminated quote must end the line
    lex_attributes(
        list,
        [&](const raw_attribute& a) {
          bool known = false;
          unsigned index = 0;
          schema<T>::each([&](std::string_view fname, auto mp, attr_type type) {
            const unsigned my = index++;
            if (known || fname != trim(a.name)) return;
            const std::uint64_t bit = std::uint64_t{1} << my;
            const auto& now = member(obj, mp);
            const auto& was = member(before, mp);
            // A known name whose value did not parse lives in `other`: matched below.
            if (!now || (written & bit)) return;
            known = true;
            written |= bit;
            if (!first) out += ',';
            first = false;
            out += fname;
            out += '=';
            if (was && *was == *now) {
              out += a.value;
            } else if (const char* why = render_attr_value(out, type, *now)) {
              refuse(why, name);
            }
          });
          if (known) return;
          for (std::size_t i = 0; i < obj.other.size(); ++i) {
            if (other_used[i] || obj.other[i].name != a.name) continue;  // kept as written
            other_used[i] = true;
            if (!attribute_value_safe(obj.other[i].value, true)) refuse("unsafe attribute value", name);
            if (!attribute_value_safe(obj.other[i].value)) unterminated_at = out.size();
            if (!first) out += ',';
            first = false;
            out += a.name;
            out += '=';
            out += obj.other[i].value;
            break;
          }
        },
        [](const lex_problem&) {});
    // Attributes that are new.
    unsigned index = 0;
    schema<T>::each([&](std::string_view fname, auto mp, attr_type type) {
      const std::uint64_t bit = std::uint64_t{1} << index++;
      const auto& now = member(obj, mp);
      if (!now || (written & bit)) return;
      if (!first) out += ',';
      first = false;
      out += fname;
      out += '=';
      if (const char* why = render_attr_value(out, type, *now)) refuse(why, name);
    });
    for (std::size_t i = 0; i < obj.other.size(); ++i) {
      if (other_used[i]) continue;
      if (!attribute_name_safe(obj.other[i].name) || !attribute_value_safe(obj.other[i].value, true))
        refuse("unsafe attribute", name);
      if (!attribute_value_safe(obj.other[i].value)) unterminated_at = out.size();
      if (!first) out += ',';
      first = false;
      out += obj.other[i].name;
      out += '=';
      out += obj.other[i].value;
    }
    // Anything after an unterminated quote would be swallowed by it.
    if (unterminated_at != std::string::npos && out.find(',', unterminated_at) != std::string::npos &&
        out.find('"', unterminated_at) == std::string::npos)
      refuse("an attribute with an unterminated quote must be the last", name);
    begin_line();
    out_ += out;
    end_line();
  }
  static std::string_view strip_eol(std::string_view s) noexcept {
    if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    return s;
  }
  void simple_line(std::string_view text) {
    begin_line();
    out_ += text;
    end_line();
  }
  template <class Int>
  void integer_tag(std::string_view name, Int value) {
    begin_line();
    out_ += name;
    out_ += ':';
    append_integer(out_, static_cast<std::uint64_t>(value));
    end_line();
  }
  // The parser keeps only these values (anything else stays a verbatim line), so the
  // writer refuses others: they would not read back as what the model holds.
  void enum_tag(std::string_view name, const std::string& value, std::string_view first, std::string_view second,
                const char* rule) {
    if (value != first && value != second) return refuse(rule, value);
    begin_line();
    out_ += name;
    out_ += ':';
    out_ += value;
    end_line();
  }
  void playlist_type_tag(const std::string& v) {
    enum_tag("#EXT-X-PLAYLIST-TYPE", v, "VOD", "EVENT", "EXT-X-PLAYLIST-TYPE must be VOD or EVENT");
  }
  void allow_cache_tag(const std::string& v) {
    enum_tag("#EXT-X-ALLOW-CACHE", v, "YES", "NO", "EXT-X-ALLOW-CACHE must be YES or NO");
  }
  // The parser reads line 1 without its byte order mark, so an unchanged first line
  // matches its raw bytes with or without one.
  static std::string_view without_bom(std::string_view line) noexcept {
    return starts_with(line, "\xEF\xBB\xBF") ? line.substr(3) : line;
  }
  void extra(const extra_line& e, std::optional<std::string_view> raw_line) {
    if (raw_line && (strip_eol(*raw_line) == e.text || without_bom(strip_eol(*raw_line)) == e.text))
      return emit_raw(*raw_line);
    for (char c : e.text)
      if (c == '\r' || c == '\n') return refuse("a kept line cannot contain CR or LF", e.text);
    switch (e.type) {
      case extra_line::kind::comment:
        if (e.text.empty() || e.text.front() != '#' || starts_with(e.text, "#EXT"))
          return refuse("a comment must start with '#' (and not #EXT)", e.text);
        break;
      case extra_line::kind::blank:
        if (!is_blank(e.text)) return refuse("a blank line must hold only spaces or tabs", e.text);
        break;
      case extra_line::kind::unknown_tag:
        if (!starts_with(e.text, "#EXT")) return refuse("an unknown tag must start with #EXT", e.text);
        break;
      case extra_line::kind::verbatim:
        break;
    }
    simple_line(e.text);
  }
  void pdt_line(std::string_view t) {
    // The reader trims the value, so surrounding space would not read back. A comma is
    // kept: the reader takes the whole line, and ISO 8601 allows a decimal comma
    // ("10:49:39,634Z"), which the parser accepts as valid.
    if (t.empty() || !quotable(t) || trim(t) != t)
      return refuse("a PROGRAM-DATE-TIME cannot be empty, padded, or hold '\"', CR or LF", t);
    begin_line();
    out_ += "#EXT-X-PROGRAM-DATE-TIME:";  // appended in place: no temporary line
    out_ += t;
    end_line();
  }
  void uri_line(std::string_view uri, std::optional<std::string_view> raw_line) {
    // Line 1 is read without its byte order mark; any other line keeps it.
    if (raw_line && (trim(strip_eol(*raw_line)) == uri || trim(without_bom(strip_eol(*raw_line))) == uri))
      return emit_raw(*raw_line);
    if (!uri_line_safe(uri)) return refuse("a URI line must be non-empty, unpadded, without CR/LF, not starting with '#'", uri);
    simple_line(uri);
  }

  void write_body(const media_playlist& pl);
  void write_body(const master_playlist& pl);

  // ---- media ---------------------------------------------------------------------
  /// Fast path of the lossless writer: whether the block `raw` of segment `s` is, byte
  /// for byte, what the line-by-line comparison would find unchanged, for the usual
  /// shape of a segment: #EXTINF:<duration>,<title>, optionally #EXT-X-PROGRAM-DATE-TIME
  /// and #EXT-X-DISCONTINUITY (any order), then the URI line, LF line ends, nothing
  /// trimmed. One pass over the bytes, no line splitting. Any other shape or any
  /// difference returns false, and segment() compares line by line as before.
  static bool segment_bytes_unchanged(const media_segment& s, const char* p, const char* const end) noexcept {
    if (!s.extras.empty() || !s.keys.empty() || s.map || !s.dateranges.empty() || !s.parts.empty() || s.gap ||
        s.bitrate || s.byterange || s.uri.empty() || s.uri.back() == '\r')
      return false;
    bool extinf = false, pdt = false, disc = false;
    const auto& kinds = s.origin.line_kinds;
    for (std::size_t k = 0; k < kinds.size(); ++k) {
      const char kind = kinds[k];
      if (kind == kind_uri) {
        // The last line: the URI, then LF or the end of the text.
        if (k + 1 != kinds.size() || extinf != s.has_extinf || pdt != static_cast<bool>(s.program_date_time) ||
            disc != s.discontinuity || !take(p, end, s.uri))
          return false;
        return p == end || (*p == '\n' && p + 1 == end);
      }
      switch (static_cast<tag_id>(kind)) {
        case tag_id::extinf:
          if (extinf || !s.has_extinf || !take(p, end, "#EXTINF:") || !take_duration(p, end, s.duration) ||
              !take_line(p, end, s.title))
            return false;
          extinf = true;
          break;
        case tag_id::program_date_time:
          if (pdt || !s.program_date_time || !take(p, end, "#EXT-X-PROGRAM-DATE-TIME:") ||
              !take_line(p, end, s.program_date_time->text))
            return false;
          pdt = true;
          break;
        case tag_id::discontinuity:
          if (disc || !s.discontinuity || !take_line(p, end, "#EXT-X-DISCONTINUITY")) return false;
          disc = true;
          break;
        default:
          return false;
      }
    }
    return false;  // no URI line
  }
  /// `text` at p (advancing p past it).
  /// (A string the parse made from this text points at these very bytes, and a
  /// shared_string's bytes never change: then the compare is the pointer's.)
  static bool take(const char*& p, const char* end, std::string_view text) noexcept {
    if (static_cast<std::size_t>(end - p) < text.size() ||
        (text.data() != p && !same_bytes(p, text.data(), text.size())))
      return false;
    p += text.size();
    return true;
  }
  template <std::size_t N>
  static bool take(const char*& p, const char* end, const char (&literal)[N]) noexcept {
    constexpr std::size_t n = N - 1;  // a constant length: same_bytes unrolls to a few loads
    if (static_cast<std::size_t>(end - p) < n || !same_bytes(p, literal, n)) return false;
    p += n;
    return true;
  }
  /// `text` then LF at p. A value ending in CR would match a CRLF line whose CR the
  /// reader strips: not the same value, so not unchanged. A value holding an LF
  /// cannot match either: it would consume one more line than the block has kinds
  /// for (one kind per line), leaving no bytes for the URI line.
  static bool take_line(const char*& p, const char* end, std::string_view text) noexcept {
    if ((!text.empty() && text.back() == '\r') || static_cast<std::size_t>(end - p) <= text.size() ||
        (text.data() != p && !same_bytes(p, text.data(), text.size())) || p[text.size()] != '\n')
      return false;
    p += text.size() + 1;
    return true;
  }
  /// An EXTINF duration equal to `duration` and its ',': -?d+(.d*)? as quick_decimal reads it.
  static bool take_duration(const char*& p, const char* end, double duration) noexcept {
    // The usual shape (d+(.d*)?, at most 15 digits) in the parser's own two loops; the
    // same value as the general loop below gives for it.
    std::size_t comma = 0;
    std::optional<double> plain;
    if (read_plain_extinf_duration(std::string_view(p, static_cast<std::size_t>(end - p)), comma, plain)) {
      if (*plain != duration) return false;
      p += comma + 1;
      return true;
    }
    static constexpr double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const bool negative = p < end && *p == '-';
    if (negative) ++p;
    std::uint64_t m = 0;
    std::size_t digits = 0, fraction = 0;
    bool dot = false;
    for (; p < end; ++p) {
      const char c = *p;
      if (c >= '0' && c <= '9') {
        if (++digits > 15) return false;
        m = m * 10 + static_cast<std::uint64_t>(c - '0');
        if (dot) ++fraction;
      } else if (c == '.' && !dot && digits > 0) {
        dot = true;
      } else {
        break;
      }
    }
    if (digits == 0 || p == end || *p != ',') return false;
    const double v = static_cast<double>(m) / pow10[fraction];
    if ((negative ? -v : v) != duration) return false;
    ++p;
    return true;
  }
  void extinf(const media_segment& s, std::optional<std::string_view> raw_line);
  void segment_canonical(const media_segment& s, bool trailing, std::size_t from_extra = 0,
                         std::size_t from_key = 0, std::size_t from_daterange = 0, std::size_t from_part = 0,
                         unsigned done = 0);
  void segment(const media_segment& s, const media_playlist& pl, bool trailing);
  void media_header_tags(const media_playlist& pl, bool only_new);
  void media_entry(const layout_entry& e, const media_playlist& pl);
  void flush_media_entries(const media_playlist& pl, std::uint32_t up_to_line, bool inclusive);

  // ---- master ----------------------------------------------------------------------
  void master_header_tags(const master_playlist& pl, bool only_new);
  void master_entry(const layout_entry& e, const master_playlist& pl);
  template <class Item>
  void master_item(std::string_view name, const Item& item);
  void variant(const variant_stream& v);

  bool has_entry(tag_id id, std::size_t index = 0) const noexcept {
    for (const auto& e : layout_.entries)
      if (e.tag == static_cast<std::uint16_t>(id) && e.index == index && primary(e.origin)) return true;
    return false;
  }
  std::size_t entry_count(tag_id id) const noexcept {
    std::size_t n = 0;
    for (const auto& e : layout_.entries)
      if (e.tag == static_cast<std::uint16_t>(id) && primary(e.origin)) ++n;
    return n;
  }

  std::string& out_;
  const playlist_layout& layout_;
  bool canonical_;
  std::string_view eol_;
  bool need_newline_ = false;
  std::size_t entry_cursor_ = 0;
  std::string_view primary_text_;  // the parsed text (empty: none)
  const char* run_begin_ = nullptr;  // pending run of unchanged primary bytes
  const char* run_end_ = nullptr;
};

// Flags for segment_canonical's `done` mask (what the lossless walk already wrote).
enum : unsigned {
  done_extinf = 1,
  done_byterange = 2,
  done_discontinuity = 4,
  done_gap = 8,
  done_bitrate = 16,
  done_pdt = 32,
  done_map = 64,
  done_uri = 128,
};

inline void writer::extinf(const media_segment& s, std::optional<std::string_view> raw_line) {
  if (raw_line) {
    std::string_view line = strip_eol(*raw_line);
    std::string_view value = value_after_colon(line);
    const std::size_t comma = value.find(',');
    std::string_view title = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
    if (title == s.title) {
      const std::string_view text = trim(value.substr(0, comma));
      double quick = 0;
      if (quick_decimal(text, quick)) {
        if (quick == s.duration) return emit_raw(*raw_line);
      } else if (auto d = parse_decimal_float(text, true); d && *d == s.duration) {
        return emit_raw(*raw_line);
      }
    }
  }
  for (char c : s.title)
    if (c == '\r' || c == '\n') return refuse("an EXTINF title cannot contain CR or LF", s.title);
  if (!std::isfinite(s.duration)) return refuse("a non-finite duration cannot be written", "EXTINF");
  begin_line();
  out_ += "#EXTINF:";
  if (s.duration < 0) {
    out_ += '-';
    append_decimal_quick(out_, -s.duration);
  } else {
    append_decimal_quick(out_, s.duration);
  }
  out_ += ',';
  out_ += s.title;
  end_line();
}

inline void writer::segment_canonical(const media_segment& s, bool trailing, std::size_t from_extra,
                                      std::size_t from_key, std::size_t from_daterange, std::size_t from_part,
                                      unsigned done) {
  // Kept lines first, except lines kept verbatim (duplicates, invalid tags): those go
  // last, so that re-reading the output keeps the same line as the real tag.
  auto verbatim = [](const extra_line& e) { return e.type == extra_line::kind::verbatim; };
  for (std::size_t i = from_extra; i < s.extras.size(); ++i)
    if (!verbatim(s.extras[i])) extra(s.extras[i], std::nullopt);
  if (s.discontinuity && !(done & done_discontinuity)) simple_line("#EXT-X-DISCONTINUITY");
  for (std::size_t i = from_key; i < s.keys.size(); ++i) canonical_attr_tag("#EXT-X-KEY", s.keys[i]);
  if (s.map && !(done & done_map)) canonical_attr_tag("#EXT-X-MAP", *s.map);
  if (s.program_date_time && !(done & done_pdt)) pdt_line(s.program_date_time->text);
  for (std::size_t i = from_daterange; i < s.dateranges.size(); ++i)
    canonical_attr_tag("#EXT-X-DATERANGE", s.dateranges[i]);
  if (s.gap && !(done & done_gap)) simple_line("#EXT-X-GAP");
  if (s.bitrate && !(done & done_bitrate)) integer_tag("#EXT-X-BITRATE", *s.bitrate);
  for (std::size_t i = from_part; i < s.parts.size(); ++i) canonical_attr_tag("#EXT-X-PART", s.parts[i]);
  if (s.has_extinf && !(done & done_extinf)) extinf(s, std::nullopt);
  if (s.byterange && !(done & done_byterange)) {
    std::string line = "#EXT-X-BYTERANGE:";
    append_byte_range(line, *s.byterange);
    simple_line(line);
  }
  for (std::size_t i = from_extra; i < s.extras.size(); ++i)
    if (verbatim(s.extras[i])) extra(s.extras[i], std::nullopt);
  if (!(done & done_uri) && (!s.uri.empty() || !trailing)) uri_line(s.uri, std::nullopt);
}

inline void writer::segment(const media_segment& s, const media_playlist& pl, bool trailing) {
  auto raw = raw_of(s.origin);
  if (!raw) return segment_canonical(s, trailing);
  const bool is_primary = primary(s.origin);
  if (is_primary) flush_media_entries(pl, s.origin.line, false);
  if (!trailing && segment_bytes_unchanged(s, raw->data(), raw->data() + raw->size())) {
    // The common case, inline: the block continues the pending run.
    if (!need_newline_ && run_end_ == raw->data() && is_primary && !raw->empty() && raw->back() == '\n') {
      run_end_ += raw->size();
      return;
    }
    return emit_raw(*raw);
  }
  std::size_t k_extra = 0, k_key = 0, k_daterange = 0, k_part = 0;
  unsigned done = 0;
  std::size_t pos = 0;
  std::uint32_t number = s.origin.line - 1;
  line_view ln;
  for (char kind : s.origin.line_kinds) {
    if (!next_line(*raw, pos, number, ln)) break;
    std::string_view bytes = raw->substr(ln.offset, ln.length);
    if (kind == kind_foreign) {
      if (is_primary) flush_media_entries(pl, ln.number, true);
      continue;
    }
    if (kind == kind_extra) {
      if (k_extra < s.extras.size()) extra(s.extras[k_extra++], bytes);
      continue;
    }
    if (kind == kind_uri) {
      segment_canonical(s, trailing, k_extra, k_key, k_daterange, k_part, done | done_uri);
      if (!s.uri.empty() || !trailing) uri_line(s.uri, bytes);
      k_extra = s.extras.size();
      k_key = s.keys.size();
      k_daterange = s.dateranges.size();
      k_part = s.parts.size();
      done = ~0u;
      continue;
    }
    switch (static_cast<tag_id>(kind)) {
      case tag_id::extinf:
        if (s.has_extinf && !(done & done_extinf)) extinf(s, bytes);
        done |= done_extinf;
        break;
      case tag_id::byterange:
        if (s.byterange && !(done & done_byterange)) {
          byte_range was;
          std::string_view v = value_after_colon(strip_eol(bytes));
          if (parse_byte_range(trim(v), was) && was == *s.byterange) {
            emit_raw(bytes);
          } else {
            std::string line = "#EXT-X-BYTERANGE:";
            append_byte_range(line, *s.byterange);
            simple_line(line);
          }
        }
        done |= done_byterange;
        break;
      case tag_id::discontinuity:
        if (s.discontinuity && !(done & done_discontinuity)) emit_raw(bytes);
        done |= done_discontinuity;
        break;
      case tag_id::gap:
        if (s.gap && !(done & done_gap)) emit_raw(bytes);
        done |= done_gap;
        break;
      case tag_id::bitrate:
        if (s.bitrate && !(done & done_bitrate)) {
          auto was = parse_decimal_integer(trim(value_after_colon(strip_eol(bytes))));
          if (was && *was == *s.bitrate)
            emit_raw(bytes);
          else
            integer_tag("#EXT-X-BITRATE", *s.bitrate);
        }
        done |= done_bitrate;
        break;
      case tag_id::program_date_time:
        if (s.program_date_time && !(done & done_pdt)) {
          if (trim(value_after_colon(strip_eol(bytes))) == s.program_date_time->text)
            emit_raw(bytes);
          else
            pdt_line(s.program_date_time->text);
        }
        done |= done_pdt;
        break;
      case tag_id::map:
        if (s.map && !(done & done_map)) attr_tag("#EXT-X-MAP", *s.map, bytes);
        done |= done_map;
        break;
      case tag_id::key:
        if (k_key < s.keys.size()) attr_tag("#EXT-X-KEY", s.keys[k_key++], bytes);
        break;
      case tag_id::daterange:
        if (k_daterange < s.dateranges.size()) attr_tag("#EXT-X-DATERANGE", s.dateranges[k_daterange++], bytes);
        break;
      case tag_id::part:
        if (k_part < s.parts.size()) attr_tag("#EXT-X-PART", s.parts[k_part++], bytes);
        break;
      default:
        break;
    }
  }
  if (done != ~0u) segment_canonical(s, trailing, k_extra, k_key, k_daterange, k_part, done);
}

inline void writer::media_entry(const layout_entry& e, const media_playlist& pl) {
  auto raw = raw_of(e.origin);
  const auto id = static_cast<tag_id>(e.tag);
  auto int_tag = [&](std::string_view name, const std::optional<std::uint64_t>& v) {
    if (!v) return;
    if (raw) {
      auto was = parse_decimal_integer(trim(value_after_colon(strip_eol(*raw))));
      if (was && *was == *v) return emit_raw(*raw);
    }
    integer_tag(name, *v);
  };
  auto flag_tag = [&](std::string_view name, bool v) {
    if (!v) return;
    if (raw) return emit_raw(*raw);
    simple_line(name);
  };
  auto string_tag = [&](const std::optional<std::string>& v, auto&& write) {
    if (!v) return;
    if (raw && trim(value_after_colon(strip_eol(*raw))) == *v) return emit_raw(*raw);
    write(*v);
  };
  switch (id) {
    case tag_id::extm3u:
      if (raw) return emit_raw(*raw);
      return simple_line("#EXTM3U");
    case tag_id::extra:
      if (e.index < pl.extras.size()) extra(pl.extras[e.index], raw);
      return;
    case tag_id::version: return int_tag("#EXT-X-VERSION", pl.version);
    case tag_id::independent_segments: return flag_tag("#EXT-X-INDEPENDENT-SEGMENTS", pl.independent_segments);
    case tag_id::start:
      if (pl.start) attr_tag("#EXT-X-START", *pl.start, raw);
      return;
    case tag_id::define:
      if (e.index < pl.defines.size()) attr_tag("#EXT-X-DEFINE", pl.defines[e.index], raw);
      return;
    case tag_id::targetduration: {
      if (!pl.target_duration) return;
      if (raw) {
        std::string_view v = trim(value_after_colon(strip_eol(*raw)));
        auto was = parse_decimal_integer(v);
        if (!was) was = parse_float_ceil_u64(v);
        if (was && *was == *pl.target_duration) return emit_raw(*raw);
      }
      return integer_tag("#EXT-X-TARGETDURATION", *pl.target_duration);
    }
    case tag_id::media_sequence: return int_tag("#EXT-X-MEDIA-SEQUENCE", pl.media_sequence);
    case tag_id::discontinuity_sequence: return int_tag("#EXT-X-DISCONTINUITY-SEQUENCE", pl.discontinuity_sequence);
    case tag_id::endlist: return flag_tag("#EXT-X-ENDLIST", pl.endlist);
    case tag_id::playlist_type: return string_tag(pl.playlist_type, [&](const std::string& v) { playlist_type_tag(v); });
    case tag_id::i_frames_only: return flag_tag("#EXT-X-I-FRAMES-ONLY", pl.i_frames_only);
    case tag_id::allow_cache: return string_tag(pl.allow_cache, [&](const std::string& v) { allow_cache_tag(v); });
    case tag_id::part_inf:
      if (pl.part_inf) attr_tag("#EXT-X-PART-INF", *pl.part_inf, raw);
      return;
    case tag_id::server_control:
      if (pl.server_control) attr_tag("#EXT-X-SERVER-CONTROL", *pl.server_control, raw);
      return;
    case tag_id::skip:
      if (pl.skip) attr_tag("#EXT-X-SKIP", *pl.skip, raw);
      return;
    case tag_id::preload_hint:
      if (e.index < pl.preload_hints.size()) attr_tag("#EXT-X-PRELOAD-HINT", pl.preload_hints[e.index], raw);
      return;
    case tag_id::rendition_report:
      if (e.index < pl.rendition_reports.size())
        attr_tag("#EXT-X-RENDITION-REPORT", pl.rendition_reports[e.index], raw);
      return;
    default:
      return;
  }
}

inline void writer::flush_media_entries(const media_playlist& pl, std::uint32_t up_to_line, bool inclusive) {
  const auto& entries = layout_.entries;
  while (entry_cursor_ < entries.size()) {
    const auto& e = entries[entry_cursor_];
    if (!primary(e.origin)) {
      ++entry_cursor_;
      continue;
    }
    if (inclusive ? e.origin.line > up_to_line : e.origin.line >= up_to_line) break;
    ++entry_cursor_;
    if (e.tag == static_cast<std::uint16_t>(tag_id::extm3u)) continue;  // written first
    media_entry(e, pl);
  }
}

/// Header tags in canonical order; with only_new, just those the layout does not place.
inline void writer::media_header_tags(const media_playlist& pl, bool only_new) {
  auto want = [&](tag_id id, std::size_t index = 0) { return !only_new || !has_entry(id, index); };
  if (pl.version && want(tag_id::version)) integer_tag("#EXT-X-VERSION", *pl.version);
  if (pl.independent_segments && want(tag_id::independent_segments)) simple_line("#EXT-X-INDEPENDENT-SEGMENTS");
  if (pl.start && want(tag_id::start)) canonical_attr_tag("#EXT-X-START", *pl.start);
  for (std::size_t i = 0; i < pl.defines.size(); ++i)
    if (want(tag_id::define, i)) canonical_attr_tag("#EXT-X-DEFINE", pl.defines[i]);
  if (pl.target_duration && want(tag_id::targetduration)) integer_tag("#EXT-X-TARGETDURATION", *pl.target_duration);
  if (pl.media_sequence && want(tag_id::media_sequence)) integer_tag("#EXT-X-MEDIA-SEQUENCE", *pl.media_sequence);
  if (pl.discontinuity_sequence && want(tag_id::discontinuity_sequence))
    integer_tag("#EXT-X-DISCONTINUITY-SEQUENCE", *pl.discontinuity_sequence);
  if (pl.playlist_type && want(tag_id::playlist_type)) playlist_type_tag(*pl.playlist_type);
  if (pl.i_frames_only && want(tag_id::i_frames_only)) simple_line("#EXT-X-I-FRAMES-ONLY");
  if (pl.allow_cache && want(tag_id::allow_cache)) allow_cache_tag(*pl.allow_cache);
  if (pl.part_inf && want(tag_id::part_inf)) canonical_attr_tag("#EXT-X-PART-INF", *pl.part_inf);
  if (pl.server_control && want(tag_id::server_control))
    canonical_attr_tag("#EXT-X-SERVER-CONTROL", *pl.server_control);
  if (pl.skip && want(tag_id::skip)) canonical_attr_tag("#EXT-X-SKIP", *pl.skip);
}

inline void writer::write_body(const media_playlist& pl) {
  if (canonical_) {
    simple_line("#EXTM3U");
    // Playlist-level kept lines: those after the media go to the end, the rest here.
    std::uint32_t boundary = 0xFFFFFFFFu;
    for (const auto& e : layout_.entries) {
      const auto id = static_cast<tag_id>(e.tag);
      if (id == tag_id::endlist || id == tag_id::preload_hint || id == tag_id::rendition_report)
        boundary = std::min(boundary, e.origin.line);
    }
    auto last_line = [](const media_segment& s) {
      return s.origin.line + static_cast<std::uint32_t>(s.origin.line_kinds.size());
    };
    if (!pl.segments.empty() && pl.segments.back().origin.source == layout_.primary_source && layout_.primary_source)
      boundary = std::min(boundary, last_line(pl.segments.back()));
    std::vector<bool> trailer(pl.extras.size(), false);
    for (const auto& e : layout_.entries)
      if (static_cast<tag_id>(e.tag) == tag_id::extra && e.index < trailer.size() && e.origin.line >= boundary &&
          e.origin.source == layout_.primary_source)
        trailer[e.index] = true;
    // Playlist-level kept lines before the header tags: read again, they are followed
    // by a playlist-level tag and so stay at the playlist level.
    auto verbatim = [&](std::size_t i) { return pl.extras[i].type == extra_line::kind::verbatim; };
    for (std::size_t i = 0; i < pl.extras.size(); ++i)
      if (!trailer[i] && !verbatim(i)) extra(pl.extras[i], std::nullopt);
    media_header_tags(pl, false);
    for (const auto& s : pl.segments) segment_canonical(s, false);
    segment_canonical(pl.trailing, true);
    for (const auto& h : pl.preload_hints) canonical_attr_tag("#EXT-X-PRELOAD-HINT", h);
    for (const auto& r : pl.rendition_reports) canonical_attr_tag("#EXT-X-RENDITION-REPORT", r);
    if (pl.endlist) simple_line("#EXT-X-ENDLIST");
    for (std::size_t i = 0; i < pl.extras.size(); ++i)
      if (trailer[i] && !verbatim(i)) extra(pl.extras[i], std::nullopt);
    // Lines kept verbatim (duplicates, invalid or misplaced tags) last: where they
    // cannot take the place of a real tag when the output is read again.
    for (std::size_t i = 0; i < pl.extras.size(); ++i)
      if (verbatim(i)) extra(pl.extras[i], std::nullopt);
    return;
  }
  // Lossless.
  const layout_entry* m3u = nullptr;
  for (const auto& e : layout_.entries)
    if (e.tag == static_cast<std::uint16_t>(tag_id::extm3u) && primary(e.origin)) {
      m3u = &e;
      break;
    }
  // Lines before #EXTM3U (lenient parses) keep their place.
  if (m3u) flush_media_entries(pl, m3u->origin.line, false);
  if (m3u) {
    emit_raw(*raw_of(m3u->origin));
  } else if (!layout_.extm3u_missing) {
    simple_line("#EXTM3U");
  }
  media_header_tags(pl, true);
  for (std::size_t i = 0; i < pl.extras.size(); ++i) {
    bool placed = false;
    for (const auto& e : layout_.entries)
      if (e.tag == static_cast<std::uint16_t>(tag_id::extra) && e.index == i && primary(e.origin)) placed = true;
    if (!placed) extra(pl.extras[i], std::nullopt);
  }
  for (const auto& s : pl.segments) segment(s, pl, false);
  segment(pl.trailing, pl, true);
  flush_media_entries(pl, 0xFFFFFFFFu, true);
  for (std::size_t i = entry_count(tag_id::preload_hint); i < pl.preload_hints.size(); ++i)
    canonical_attr_tag("#EXT-X-PRELOAD-HINT", pl.preload_hints[i]);
  for (std::size_t i = entry_count(tag_id::rendition_report); i < pl.rendition_reports.size(); ++i)
    canonical_attr_tag("#EXT-X-RENDITION-REPORT", pl.rendition_reports[i]);
  if (pl.endlist && !has_entry(tag_id::endlist)) simple_line("#EXT-X-ENDLIST");
}

// ---- master --------------------------------------------------------------------------

inline void writer::master_header_tags(const master_playlist& pl, bool only_new) {
  auto want = [&](tag_id id, std::size_t index = 0) { return !only_new || !has_entry(id, index); };
  if (pl.version && want(tag_id::version)) integer_tag("#EXT-X-VERSION", *pl.version);
  if (pl.independent_segments && want(tag_id::independent_segments)) simple_line("#EXT-X-INDEPENDENT-SEGMENTS");
  if (pl.start && want(tag_id::start)) canonical_attr_tag("#EXT-X-START", *pl.start);
  for (std::size_t i = 0; i < pl.defines.size(); ++i)
    if (want(tag_id::define, i)) canonical_attr_tag("#EXT-X-DEFINE", pl.defines[i]);
  if (pl.content_steering && want(tag_id::content_steering))
    canonical_attr_tag("#EXT-X-CONTENT-STEERING", *pl.content_steering);
}

inline void writer::master_entry(const layout_entry& e, const master_playlist& pl) {
  auto raw = raw_of(e.origin);
  switch (static_cast<tag_id>(e.tag)) {
    case tag_id::extm3u:
      if (raw) return emit_raw(*raw);
      return simple_line("#EXTM3U");
    case tag_id::extra:
      if (e.index < pl.extras.size()) extra(pl.extras[e.index], raw);
      return;
    case tag_id::version:
      if (!pl.version) return;
      if (raw) {
        auto was = parse_decimal_integer(trim(value_after_colon(strip_eol(*raw))));
        if (was && *was == *pl.version) return emit_raw(*raw);
      }
      return integer_tag("#EXT-X-VERSION", *pl.version);
    case tag_id::independent_segments:
      if (!pl.independent_segments) return;
      if (raw) return emit_raw(*raw);
      return simple_line("#EXT-X-INDEPENDENT-SEGMENTS");
    case tag_id::start:
      if (pl.start) attr_tag("#EXT-X-START", *pl.start, raw);
      return;
    case tag_id::define:
      if (e.index < pl.defines.size()) attr_tag("#EXT-X-DEFINE", pl.defines[e.index], raw);
      return;
    case tag_id::content_steering:
      if (pl.content_steering) attr_tag("#EXT-X-CONTENT-STEERING", *pl.content_steering, raw);
      return;
    default:
      return;
  }
}

template <class Item>
void writer::master_item(std::string_view name, const Item& item) {
  auto raw = raw_of(item.origin);
  std::size_t k_extra = 0;
  bool done = false;
  if (raw) {
    std::size_t pos = 0;
    std::uint32_t number = item.origin.line - 1;
    line_view ln;
    for (char kind : item.origin.line_kinds) {
      if (!next_line(*raw, pos, number, ln)) break;
      std::string_view bytes = raw->substr(ln.offset, ln.length);
      if (kind == kind_extra) {
        if (k_extra < item.extras.size()) extra(item.extras[k_extra++], bytes);
      } else if (!done) {
        // Lines added to the element go before its tag, as canonical output puts them.
        for (; k_extra < item.extras.size(); ++k_extra) extra(item.extras[k_extra], std::nullopt);
        attr_tag(name, item, bytes);
        done = true;
      }
    }
  }
  for (; k_extra < item.extras.size(); ++k_extra) extra(item.extras[k_extra], std::nullopt);
  if (!done) canonical_attr_tag(name, item);
}

inline void writer::variant(const variant_stream& v) {
  auto raw = raw_of(v.origin);
  std::size_t k_extra = 0;
  bool tag_done = false, uri_done = false;
  if (raw) {
    std::size_t pos = 0;
    std::uint32_t number = v.origin.line - 1;
    line_view ln;
    const auto& kinds = v.origin.line_kinds;
    for (std::size_t at = 0; at < kinds.size(); ++at) {
      const char kind = kinds[at];
      if (!next_line(*raw, pos, number, ln)) break;
      std::string_view bytes = raw->substr(ln.offset, ln.length);
      if (kind == kind_extra) {
        if (k_extra < v.extras.size()) extra(v.extras[k_extra++], bytes);
      } else if (kind != kind_uri && !tag_done) {
        // Lines added to the variant go before its tag (as canonical output puts
        // them), keeping back those still matched by original lines after the tag.
        const auto later = static_cast<std::size_t>(std::count(kinds.begin() + static_cast<std::ptrdiff_t>(at), kinds.end(), kind_extra));
        while (k_extra + later < v.extras.size()) extra(v.extras[k_extra++], std::nullopt);
        attr_tag("#EXT-X-STREAM-INF", v, bytes);
        tag_done = true;
      } else if (kind == kind_uri) {
        if (!tag_done) {
          canonical_attr_tag("#EXT-X-STREAM-INF", v);
          tag_done = true;
        }
        if (!v.uri.empty()) uri_line(v.uri, bytes);
        uri_done = true;
      }
    }
  }
  for (; k_extra < v.extras.size(); ++k_extra) extra(v.extras[k_extra], std::nullopt);
  if (!tag_done) canonical_attr_tag("#EXT-X-STREAM-INF", v);
  if (!uri_done && !v.uri.empty()) uri_line(v.uri, std::nullopt);
}

inline void writer::write_body(const master_playlist& pl) {
  // Units in output order: (sort key, writer). Parsed elements keep their line;
  // everything else follows in canonical order.
  struct unit {
    std::uint64_t key;
    int kind;  // 0 layout entry, 1 rendition, 2 variant, 3 iframe, 4 session data, 5 session key
    std::size_t index;
  };
  std::vector<unit> units;
  const std::uint64_t late = std::uint64_t{1} << 40;
  auto key_of = [&](const text_origin& o, int kind, std::size_t i) -> std::uint64_t {
    if (primary(o)) return std::uint64_t{o.line} << 20;
    // Canonical order for new items: session data, session keys, renditions, variants, I-frames.
    static constexpr int rank[] = {0, 3, 4, 5, 1, 2};
    return late + (static_cast<std::uint64_t>(rank[kind]) << 32) + i;
  };
  const layout_entry* m3u = nullptr;
  for (std::size_t i = 0; i < layout_.entries.size(); ++i) {
    const auto& e = layout_.entries[i];
    if (!primary(e.origin)) continue;
    if (e.tag == static_cast<std::uint16_t>(tag_id::extm3u) && !m3u) {
      m3u = &e;
      continue;
    }
    units.push_back({std::uint64_t{e.origin.line} << 20, 0, i});
  }
  // Within a kind the vector's order wins: an item never goes before the one that
  // precedes it in its vector (so a reordered ladder is written in its new order).
  auto add_kind = [&](const auto& items, int kind) {
    std::uint64_t floor = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      std::uint64_t key = std::max(key_of(items[i].origin, kind, i), floor);
      units.push_back({key, kind, i});
      floor = key + 1;
    }
  };
  add_kind(pl.renditions, 1);
  add_kind(pl.variants, 2);
  add_kind(pl.iframe_streams, 3);
  add_kind(pl.session_data, 4);
  add_kind(pl.session_keys, 5);
  if (canonical_) {
    // Canonical: fixed order regardless of where things stood.
    for (auto& u : units) {
      static constexpr int rank[] = {0, 3, 4, 5, 1, 2};
      u.key = (static_cast<std::uint64_t>(rank[u.kind]) << 40) + u.index;
    }
  }
  std::stable_sort(units.begin(), units.end(), [](const unit& a, const unit& b) { return a.key < b.key; });

  // Lines before #EXTM3U (lenient parses) keep their place.
  std::size_t u = 0;
  if (m3u) {
    while (u < units.size() && units[u].kind == 0 && layout_.entries[units[u].index].origin.line < m3u->origin.line)
      master_entry(layout_.entries[units[u++].index], pl);
    emit_raw(*raw_of(m3u->origin));
  } else if (canonical_ || !layout_.extm3u_missing) {
    simple_line("#EXTM3U");
  }
  // Canonical: playlist-level lines that stood after every item go last again (read
  // back after the header, they would attach to the first item instead).
  std::vector<bool> trailer(pl.extras.size(), false);
  if (canonical_) {
    std::uint32_t last_item = 0;
    auto note = [&](const auto& items) {
      for (const auto& item : items)
        if (item.origin.source == layout_.primary_source) last_item = std::max(last_item, item.origin.line);
    };
    note(pl.renditions);
    note(pl.variants);
    note(pl.iframe_streams);
    note(pl.session_data);
    note(pl.session_keys);
    for (const auto& e : layout_.entries)
      if (static_cast<tag_id>(e.tag) == tag_id::extra && e.index < trailer.size() && e.origin.line > last_item &&
          e.origin.source == layout_.primary_source && last_item > 0)
        trailer[e.index] = true;
    for (std::size_t i = 0; i < pl.extras.size(); ++i)
      if (!trailer[i] && pl.extras[i].type != extra_line::kind::verbatim) extra(pl.extras[i], std::nullopt);
    master_header_tags(pl, false);
  } else {
    master_header_tags(pl, true);
    for (std::size_t i = 0; i < pl.extras.size(); ++i) {
      bool placed = false;
      for (const auto& e : layout_.entries)
        if (e.tag == static_cast<std::uint16_t>(tag_id::extra) && e.index == i && primary(e.origin)) placed = true;
      if (!placed) extra(pl.extras[i], std::nullopt);
    }
  }
  for (; u < units.size(); ++u) {
    const unit& x = units[u];
    switch (x.kind) {
      case 0:
        if (!canonical_) master_entry(layout_.entries[x.index], pl);
        break;
      case 1: master_item("#EXT-X-MEDIA", pl.renditions[x.index]); break;
      case 2: variant(pl.variants[x.index]); break;
      case 3: master_item("#EXT-X-I-FRAME-STREAM-INF", pl.iframe_streams[x.index]); break;
      case 4: master_item("#EXT-X-SESSION-DATA", pl.session_data[x.index]); break;
      case 5: master_item("#EXT-X-SESSION-KEY", pl.session_keys[x.index]); break;
      default: break;
    }
  }
  if (canonical_) {
    for (std::size_t i = 0; i < pl.extras.size(); ++i)
      if (trailer[i] && pl.extras[i].type != extra_line::kind::verbatim) extra(pl.extras[i], std::nullopt);
    // Lines kept verbatim (duplicates, invalid or misplaced tags) last.
    for (const auto& e : pl.extras)
      if (e.type == extra_line::kind::verbatim) extra(e, std::nullopt);
  }
}

}  // namespace hlspp::detail
