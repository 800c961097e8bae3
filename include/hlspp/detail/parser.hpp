// SPDX-License-Identifier: MIT
#pragma once

// The line-oriented parser behind hlspp::parse(). One pass over the text: each
// line is classified (blank, comment, tag, URI), tags are dispatched through the
// tag table and attribute schemas, and every line is recorded in the origin of the
// element it belongs to so the lossless writer can give back the original bytes.

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "../diagnostics.hpp"
#include "../playlist.hpp"
#include "schema.hpp"
#include "text.hpp"

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#endif

// For the few helpers called on every line: parse_media is so large that g++ stops
// inlining into it, and a call costs more than these helpers' work. A compiler hint
// only (no behaviour depends on it); #undef'd at the end of this header.
#if defined(__GNUC__) || defined(__clang__)
#define HLSPP_DETAIL_HOT_INLINE __attribute__((always_inline))
#else
#define HLSPP_DETAIL_HOT_INLINE
#endif

namespace hlspp::detail {

/// The first LF in [p, end), or nullptr. Playlist lines are short (15-100 bytes),
/// where a library memchr spends much of each call on its setup; an inline
/// 16-bytes-at-a-time loop needs fewer instructions per line (~22 against ~31 for
/// vod_10k under callgrind).
[[nodiscard]] inline const char* find_lf(const char* p, const char* end) noexcept {
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
  const __m128i lf = _mm_set1_epi8('\n');
  while (end - p >= 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const int mask = _mm_movemask_epi8(_mm_cmpeq_epi8(chunk, lf));
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
  for (; p < end; ++p)
    if (*p == '\n') return p;
  return nullptr;
#else
  return static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
#endif
}

/// A line kind recorded in block_origin::line_kinds besides tag ids.
inline constexpr char kind_uri = static_cast<char>(static_cast<int>(tag_id::count_) + 1);
/// A line inside a block that belongs to the playlist level (kept in the layout).
inline constexpr char kind_foreign = static_cast<char>(static_cast<int>(tag_id::count_) + 2);
inline constexpr char kind_extra = static_cast<char>(tag_id::extra);

struct line_view {
  std::string_view text;  // without terminator (CR of CRLF removed)
  std::uint32_t offset = 0;
  std::uint32_t length = 0;  // including the terminator
  std::uint32_t number = 0;
};

/// Splits `text` (starting at `pos`) into the next line.
inline bool next_line(std::string_view text, std::size_t& pos, std::uint32_t& number, line_view& out) {
  if (pos >= text.size()) return false;
  const char* base = text.data();
  const char* nl = find_lf(base + pos, base + text.size());
  std::size_t end = nl ? static_cast<std::size_t>(nl - base) : text.size();
  std::size_t content_end = end;
  if (content_end > pos && base[content_end - 1] == '\r') --content_end;
  out.text = std::string_view(base + pos, content_end - pos);
  out.offset = static_cast<std::uint32_t>(pos);
  std::size_t next = nl ? end + 1 : end;
  out.length = static_cast<std::uint32_t>(next - pos);
  out.number = ++number;
  pos = next;
  return true;
}

/// Index of the lowest set bit of a non-zero mask.
[[nodiscard]] inline unsigned lowest_bit(std::uint64_t mask) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  return static_cast<unsigned>(__builtin_ctzll(mask));
#else
  unsigned i = 0;
  while (!(mask & 1)) {
    mask >>= 1;
    ++i;
  }
  return i;
#endif
}

/// One bit per byte of the 64 at `p` that is an LF.
HLSPP_DETAIL_HOT_INLINE inline std::uint64_t lf_mask64(const char* p) noexcept {
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
  const __m128i lf = _mm_set1_epi8('\n');
  auto part = [&](int k) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, lf))));
  };
  return part(0) | part(1) << 16 | part(2) << 32 | part(3) << 48;
#else
  std::uint64_t mask = 0;
  for (unsigned i = 0; i < 64; ++i) mask |= static_cast<std::uint64_t>(p[i] == '\n') << i;
  return mask;
#endif
}

/// The text's lines in order, as next_line() gives them, from a 64-byte LF bitmask
/// per block: a line costs a bit scan rather than a search from its first byte (most
/// lines are 15-100 bytes, where a search spends its time starting and stopping).
class line_reader {
 public:
  explicit line_reader(std::string_view text) noexcept : base_(text.data()), size_(text.size()) { load(0); }

  bool next(line_view& out) noexcept {
    const char* data = nullptr;
    std::size_t size = 0;
    return next(out, data, size);
  }
  /// The same, with the line's text also in (`data`, `size`): scalars the loop builds
  /// its view from. Copying `out.text`, stored just before as two words, as one 16-byte
  /// load (what compilers do with a string_view) waits for the stores to retire: a
  /// store-forwarding stall of ~12 cycles a line, an eighth of a parse.
  bool next(line_view& out, const char*& data, std::size_t& size) noexcept {
    if (pos_ >= size_) return false;
    std::size_t end = next_lf();
    const std::size_t next = end < size_ ? end + 1 : size_;
    std::size_t content_end = end;
    if (content_end > pos_ && base_[content_end - 1] == '\r') --content_end;
    data = base_ + pos_;
    size = content_end - pos_;
    out.text = std::string_view(data, size);
    out.offset = static_cast<std::uint32_t>(pos_);
    out.length = static_cast<std::uint32_t>(next - pos_);
    out.number = ++number_;
    pos_ = next;
    return true;
  }

 private:
  /// Offset of the next LF not yet given, or size_ when there is none.
  std::size_t next_lf() noexcept {
    while (mask_ == 0) {
      block_ += 64;
      if (block_ >= size_) return size_;
      load(block_);
    }
    const std::size_t at = block_ + lowest_bit(mask_);
    mask_ &= mask_ - 1;
    return at;
  }
  void load(std::size_t at) noexcept {
    if (size_ - at >= 64) {
      mask_ = lf_mask64(base_ + at);
    } else if (size_ > at) {
      char tail[64] = {};  // the last block, padded: no read past the text
      std::memcpy(tail, base_ + at, size_ - at);
      mask_ = lf_mask64(tail);
    }
  }

  const char* base_;
  std::size_t size_;
  std::size_t pos_ = 0;
  std::size_t block_ = 0;
  std::uint64_t mask_ = 0;
  std::uint32_t number_ = 0;
};

/// What one pass over the whole text finds before any line is parsed: which rare bytes
/// occur (each has a check of its own, run only when the byte is there), the line
/// count, an upper bound on the URI lines (to reserve the segments once) and the first
/// line over a limit. One pass instead of one search per question: on a 1 MB playlist
/// the separate searches and the line count took as long as a fifth of the parse.
struct text_scan {
  bool nul = false;        // a NUL byte
  bool cr = false;         // a CR (CRLF or a lone CR)
  bool non_ascii = false;  // a byte >= 0x80: UTF-8 needs checking
  bool brace = false;      // a '{': "{$" variable references may occur
  bool lf = false;         // at least one LF
  std::size_t lines = 0;
  std::size_t uri_lines = 0;  // lines with text that is not a tag or comment
  // The first line over a limit (0: none); over max_line_bytes wins on the same line.
  std::uint32_t limit_line = 0;
  std::size_t limit_line_bytes = 0;  // that line's length when it is too long, else 0
};

[[nodiscard]] inline text_scan scan_text(std::string_view text, std::size_t max_line_bytes,
                                         std::size_t max_lines) noexcept {
  text_scan out;
  const char* base = text.data();
  const std::size_t size = text.size();
  // Counters in locals, not in `out`: increments of a member in memory chain through
  // the store buffer (the pass took 2.5x as long that way).
  std::size_t pos = 0;  // start of the current line
  std::size_t lines = 0, uri_lines = 0;
  bool over_limit = false;
  auto end_line = [&](std::size_t end, std::size_t next) HLSPP_DETAIL_HOT_INLINE {
    ++lines;
    if ((next - pos > max_line_bytes || lines > max_lines) && !over_limit) {
      over_limit = true;
      out.limit_line = static_cast<std::uint32_t>(lines);
      if (next - pos > max_line_bytes) out.limit_line_bytes = next - pos;
    }
    const std::size_t content_end = end > pos && base[end - 1] == '\r' ? end - 1 : end;
    uri_lines += content_end > pos && base[pos] != '#';
    pos = next;
  };
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
  const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'), brace = _mm_set1_epi8('{');
  const __m128i zero = _mm_setzero_si128();
  __m128i any_nul = zero, any_cr = zero, any_brace = zero, any_high = zero;
  auto block = [&](const char* p) HLSPP_DETAIL_HOT_INLINE {
    std::uint64_t mask = 0;
    for (int k = 0; k < 4; ++k) {
      const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
      mask |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(c, lf)))) << (16 * k);
      any_nul = _mm_or_si128(any_nul, _mm_cmpeq_epi8(c, zero));
      any_cr = _mm_or_si128(any_cr, _mm_cmpeq_epi8(c, cr));
      any_brace = _mm_or_si128(any_brace, _mm_cmpeq_epi8(c, brace));
      any_high = _mm_or_si128(any_high, c);
    }
    return mask;
  };
#else
  auto block = [&](const char* p) {
    std::uint64_t mask = 0;
    for (unsigned i = 0; i < 64; ++i) {
      const char c = p[i];
      mask |= static_cast<std::uint64_t>(c == '\n') << i;
      out.nul |= c == '\0';
      out.cr |= c == '\r';
      out.brace |= c == '{';
      out.non_ascii |= static_cast<unsigned char>(c) >= 0x80;
    }
    return mask;
  };
#endif
  std::uint64_t any_lf = 0;
  for (std::size_t at = 0; at < size; at += 64) {
    std::uint64_t mask;
    if (size - at >= 64) {
      mask = block(base + at);
    } else {
      char tail[64];
      std::memset(tail, ' ', sizeof tail);  // padding that none of the questions counts
      std::memcpy(tail, base + at, size - at);
      mask = block(tail);
    }
    any_lf |= mask;
    while (mask) {
      const std::size_t end = at + lowest_bit(mask);
      mask &= mask - 1;
      end_line(end, end + 1);
    }
  }
  if (pos < size) end_line(size, size);  // a last line without LF
  out.lf = any_lf != 0;
  out.lines = lines;
  out.uri_lines = uri_lines;
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
  out.nul = _mm_movemask_epi8(any_nul) != 0;
  out.cr = _mm_movemask_epi8(any_cr) != 0;
  out.brace = _mm_movemask_epi8(any_brace) != 0;
  out.non_ascii = _mm_movemask_epi8(any_high) != 0;
#endif
  return out;
}

/// Trims spaces and tabs at both ends.
inline std::string_view trim_ends(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
HLSPP_DETAIL_HOT_INLINE inline std::string_view trim(std::string_view s) noexcept {
  // Most values have nothing to trim: one test of each end, small enough to inline
  // (with the loops in here too, g++ kept it out of line: ~15 instructions a call).
  if (s.empty() || ((s.front() != ' ' && s.front() != '\t') && (s.back() != ' ' && s.back() != '\t'))) return s;
  return trim_ends(s);
}

/// Parses an attribute list into `out` through its schema. Problems are reported
/// through `report(code, column0, message)`; anything that cannot be stored in a
/// typed field is kept in `out.other` exactly as written.
template <class T, class Report>
void parse_attribute_list(std::string_view list, T& out, Report&& report) {
  std::uint64_t seen = 0;
  lex_attributes(
      list,
      [&](const raw_attribute& a) {
        std::string_view name = a.name;
        std::string_view value = a.value;
        if (!valid_attribute_name(name)) {
          std::string_view trimmed = trim(name);
          if (trimmed != name && valid_attribute_name(trimmed)) {
            report(diag_code::whitespace, severity::warning, a.column, "whitespace in an attribute list");
          } else {
            report(diag_code::malformed_attribute_list, severity::error, a.column,
                   "invalid attribute name '" + std::string(name) + "'");
          }
        }
        bool matched = false;
        unsigned index = 0;
        schema<T>::each([&](std::string_view field_name, auto mp, attr_type type) {
          const unsigned my_index = index++;
          if (matched || field_name != trim(name)) return;
          matched = true;
          auto& field = member(out, mp);
          using field_type = std::remove_reference_t<decltype(field)>;
          const std::uint64_t bit = std::uint64_t{1} << my_index;
          if (seen & bit) {
            report(diag_code::duplicate_attribute, severity::error, a.column,
                   "attribute " + std::string(field_name) + " appears more than once");
            out.other.push_back(attribute{std::string(field_name), std::string(value)});
            return;
          }
          seen |= bit;
          typename field_type::value_type parsed{};
          const bool padded = trim(value) != value;
          if (padded)
            report(diag_code::whitespace, severity::warning, a.column, "whitespace around an attribute value");
          if (parse_attr_value(value, type, parsed) || (padded && parse_attr_value(trim(value), type, parsed))) {
            if (type == attr_type::closed_captions && !value.empty() && value.front() == '"' &&
                trim(value) == "\"NONE\"")
              report(diag_code::invalid_attribute_value, severity::warning, a.column,
                     "a CLOSED-CAPTIONS group named \"NONE\" reads as the enumerated NONE");
            field = std::move(parsed);
            if (type == attr_type::quoted_byterange && (value.empty() || value.front() != '"'))
              report(diag_code::invalid_attribute_value, severity::warning, a.column,
                     std::string(field_name) + " should be a quoted-string");
          } else {
            report(diag_code::invalid_attribute_value, severity::error, a.column,
                   "invalid value for " + std::string(field_name) + ": " + std::string(value));
            out.other.push_back(attribute{std::string(field_name), std::string(value)});
          }
        });
        if (!matched) {
          // Kept under its trimmed name (the whitespace or the bad name was reported):
          // a list cannot be written with a space that a reader would keep.
          if (const auto trimmed = trim(name); !trimmed.empty()) name = trimmed;
          for (const auto& o : out.other)
            if (o.name == name) {
              report(diag_code::duplicate_attribute, severity::error, a.column,
                     "attribute " + std::string(name) + " appears more than once");
              break;
            }
          // Its value too: readers trim the end of a list, so a value kept with its
          // padding could not be written last in a canonical list. The start stays
          // when the rest would read differently unpadded (` "a"b` is one unquoted
          // value; `"a"b` a quoted string followed by junk).
          if (const auto trimmed = trim(value); trimmed.size() != value.size()) {
            report(diag_code::whitespace, severity::warning, a.column, "whitespace around an attribute value");
            const bool requotes = !trimmed.empty() && trimmed.front() == '"' &&
                                  (trimmed.size() < 2 || trimmed.find('"', 1) != trimmed.size() - 1);
            value = requotes ? value.substr(0, value.find_last_not_of(" \t") + 1) : trimmed;
          }
          out.other.push_back(attribute{std::string(name), std::string(value)});
          if (!starts_with(name, "X-"))
            report(diag_code::unknown_attribute, severity::info, a.column,
                   "unknown attribute " + std::string(name));
        }
      },
      [&](const lex_problem& p) {
        report(diag_code::malformed_attribute_list, severity::error, p.column, p.what);
      });
}

/// Storage a parse may reuse: an emptied segment vector and a text block.
struct recycled_storage {
  std::vector<media_segment> segments;  // empty; its capacity is what counts
  text_storage text;
};

class parser {
 public:
  parser(std::string_view input, const parse_options& options) : input_(input), options_(options) {}
  /// A parser that builds its playlist in a previous playlist's storage (see
  /// parse_recycling()) instead of fresh memory.
  parser(std::string_view input, const parse_options& options, recycled_storage&& storage)
      : input_(input), options_(options), recycled_(std::move(storage)), recycling_(true) {}

  parse_result run();

 private:
  // ---- diagnostics -------------------------------------------------------
  void report(diag_code code, severity sev, std::uint32_t line, std::uint32_t column, std::string message) {
    // Clients must ignore unknown tags and attributes; a strict check still flags them.
    if (options_.strictness == strictness::strict && sev == severity::info &&
        (code == diag_code::unknown_tag || code == diag_code::unknown_attribute))
      sev = severity::warning;
    if (sev == severity::error && !first_error_) first_error_ = diagnostic{code, sev, line, column, message};
    if (diags_.size() >= options_.limits.max_diagnostics) {
      ++dropped_;
      return;
    }
    diags_.push_back(diagnostic{code, sev, line, column, std::move(message)});
  }
  void report_at(const line_view& ln, std::size_t column0, diag_code code, severity sev, std::string message) {
    report(code, sev, ln.number, static_cast<std::uint32_t>(column0 + 1), std::move(message));
  }
  // A line kept verbatim before a late #EXTM3U is not parsed, but a tag of the other
  // kind there mixes the playlist as much as one after the header would: the
  // canonical writer moves the header first and the mix would surface on re-reading.
  void check_pre_header_kind(const line_view& ln, std::string_view text, bool in_master) {
    if (!starts_with(text, "#EXT")) return;
    const tag_id id = lookup_tag(trim(text.substr(0, text.find(':'))));
    if (!(in_master ? is_media_tag(id) : is_master_tag(id))) return;
    if (!wrong_kind_line_) wrong_kind_line_ = ln.number;
    report_at(ln, 0, diag_code::wrong_playlist_kind, severity::error,
              std::string(trim(text.substr(0, text.find(':')))) +
                  (in_master ? " cannot appear in a multivariant playlist" : " cannot appear in a media playlist"));
  }
  parse_result fail(diag_code code, std::uint32_t line, std::uint32_t column, std::string message) {
    diagnostic d{code, severity::error, line, column, std::move(message)};
    diags_.push_back(d);
    return parse_result(std::move(d), std::move(diags_));
  }
  bool lenient() const noexcept { return options_.strictness == strictness::lenient; }

  // ---- shared helpers ----------------------------------------------------
  text_origin origin_of(const line_view& ln) const noexcept {
    return text_origin{ln.offset, ln.length, ln.number, source_->id};
  }
  static std::string_view tag_value(const line_view& ln, std::string_view name) noexcept {
    // name is a prefix of the line; substr's bounds check kept it out of line.
    if (name.size() > ln.text.size()) return {};
    std::string_view v(ln.text.data() + name.size(), ln.text.size() - name.size());
    if (!v.empty() && v.front() == ':') v.remove_prefix(1);
    return v;
  }
  template <class T>
  void parse_attrs(const line_view& ln, std::string_view name, T& out) {
    std::string_view list = tag_value(ln, name);
    const std::size_t base = name.size() + 1;
    if (!list.empty() && trim(list).size() != list.size()) {
      report_at(ln, base, diag_code::whitespace, severity::warning, "whitespace around an attribute list");
      list = trim(list);
    }
    parse_attribute_list(list, out, [&](diag_code c, severity s, std::size_t col, std::string msg) {
      report_at(ln, base + col, c, s, std::move(msg));
    });
    check_variables_in(ln, out);
  }
  template <class T>
  void check_variables_in(const line_view& ln, const T& obj) {
    schema<T>::each([&](std::string_view, auto mp, attr_type type) {
      if constexpr (std::is_same_v<std::decay_t<decltype(member(obj, mp))>, std::optional<std::string>>) {
        const auto& f = member(obj, mp);
        if (f && (type == attr_type::quoted || type == attr_type::quoted_or_empty || type == attr_type::hex ||
                  type == attr_type::closed_captions))
          check_variables(ln, *f);
      }
    });
    for (const auto& a : obj.other) check_variables(ln, a.value);
  }
  HLSPP_DETAIL_HOT_INLINE void check_variables(const line_view& ln, std::string_view value) {
    // Most texts hold no "{$" at all (one search of the whole text, in run()); in the
    // others nearly every value has no '{': one memchr, no string search.
    if (text_has_variable_refs_) check_variables_in_value(ln, value);
  }
  void check_variables_in_value(const line_view& ln, std::string_view value) {
    if (value.empty() || !std::memchr(value.data(), '{', value.size()) || value.find("{$") == std::string_view::npos)
      return;
    std::size_t pos = 0;
    while ((pos = value.find("{$", pos)) != std::string_view::npos) {
      std::size_t close = value.find('}', pos + 2);
      if (close == std::string_view::npos) break;
      std::string_view var = value.substr(pos + 2, close - pos - 2);
      bool defined = std::find(defined_names_.begin(), defined_names_.end(), var) != defined_names_.end();
      if (!defined) {
        // Column of this very reference: the next occurrence after the last one reported.
        const std::string ref = "{$" + std::string(var) + "}";
        std::size_t col = ln.text.find(ref, ln.number == var_line_ ? var_from_ : 0);
        if (col == std::string_view::npos) col = ln.text.find(ref);
        var_line_ = ln.number;
        var_from_ = col == std::string_view::npos ? 0 : col + 1;
        report_at(ln, col == std::string_view::npos ? 0 : col, diag_code::undefined_variable, severity::error,
                  "variable " + ref + " is not defined before use");
      }
      pos = close + 1;
    }
  }
  void add_layout(const line_view& ln, tag_id tag, std::size_t index, playlist_layout& layout) {
    layout.entries.push_back(layout_entry{origin_of(ln), static_cast<std::uint16_t>(tag),
                                          static_cast<std::uint32_t>(index)});
  }
  static extra_line make_extra(const line_view& ln, extra_line::kind k) {
    return extra_line{k, std::string(ln.text)};
  }
  void duplicate(const line_view& ln, std::string_view name) {
    report_at(ln, 0, diag_code::duplicate_tag, severity::error,
              std::string(name) + " must not appear more than once");
  }
  bool flag_tag_value_check(const line_view& ln, std::string_view name) {
    if (ln.text.size() != name.size()) {
      report_at(ln, name.size(), diag_code::malformed_tag, severity::warning,
                std::string(name) + " takes no value");
    }
    return true;
  }

  // Shared playlist-level tags (VERSION, INDEPENDENT-SEGMENTS, START, DEFINE).
  template <class P>
  bool common_tag(tag_id id, const line_view& ln, std::string_view name, P& pl);
  void define_tag(const line_view& ln, std::string_view name, variable_definition& def);

  parse_result parse_media(media_playlist& pl);
  parse_result parse_master(master_playlist& pl);
  template <class P>
  parse_result finish(P&& pl);

  std::string_view input_;
  const parse_options& options_;
  std::shared_ptr<source_buffer> source_;
  std::string_view text_;  // view of source_->text
  share_budget shares_;   // the segments' strings from source_->text, references taken in batches
  hlspp::diagnostics diags_;
  std::optional<diagnostic> first_error_;  // kept even when the list is full
  std::size_t dropped_ = 0;
  std::vector<std::string> defined_names_;
  std::uint32_t wrong_kind_line_ = 0;
  std::uint64_t version_seen_ = 0;
  std::uint32_t m3u_line_ = 0;  // line of the #EXTM3U header (0: none)
  bool text_has_variable_refs_ = true;  // "{$" somewhere in the text: values need checking
  bool text_has_crlf_ = false;          // a CRLF line end somewhere (the writer keeps them)
  std::size_t uri_lines_ = 0;   // upper bound on the segment count, to reserve once
  recycled_storage recycled_;  // what a parse_recycling() call hands over
  bool recycling_ = false;
  std::uint32_t var_line_ = 0;  // where the last undefined variable was reported
  std::size_t var_from_ = 0;
};

template <class P>
bool parser::common_tag(tag_id id, const line_view& ln, std::string_view name, P& pl) {
  auto& layout = pl.layout;
  switch (id) {
    case tag_id::version: {
      if (pl.version) {
        duplicate(ln, name);
        return false;
      }
      std::string_view v = tag_value(ln, name);
      auto n = parse_decimal_integer(v);
      if (!n && parse_decimal_integer(trim(v))) {
        report_at(ln, name.size() + 1, diag_code::whitespace, severity::warning, "whitespace in EXT-X-VERSION");
        n = parse_decimal_integer(trim(v));
      }
      if (!n) {
        report_at(ln, name.size() + 1, diag_code::invalid_attribute_value, severity::error,
                  "EXT-X-VERSION needs a decimal integer, got '" + std::string(v) + "'");
        return false;
      }
      pl.version = *n;
      add_layout(ln, id, 0, layout);
      return true;
    }
    case tag_id::independent_segments:
      if (pl.independent_segments) {
        duplicate(ln, name);
        return false;
      }
      flag_tag_value_check(ln, name);
      pl.independent_segments = true;
      add_layout(ln, id, 0, layout);
      return true;
    case tag_id::start: {
      if (pl.start) {
        duplicate(ln, name);
        return false;
      }
      start_point sp;
      parse_attrs(ln, name, sp);
      if (!sp.time_offset)
        report_at(ln, name.size() + 1, diag_code::missing_attribute, severity::error,
                  "EXT-X-START requires TIME-OFFSET");
      pl.start = std::move(sp);
      add_layout(ln, id, 0, layout);
      return true;
    }
    case tag_id::define: {
      variable_definition def;
      define_tag(ln, name, def);
      add_layout(ln, id, pl.defines.size(), layout);
      pl.defines.push_back(std::move(def));
      return true;
    }
    default:
      return false;
  }
}

inline void parser::define_tag(const line_view& ln, std::string_view name, variable_definition& def) {
  parse_attrs(ln, name, def);
  const int kinds = (def.name ? 1 : 0) + (def.import ? 1 : 0) + (def.queryparam ? 1 : 0);
  if (kinds != 1) {
    report_at(ln, name.size() + 1, diag_code::invalid_define, severity::error,
              "EXT-X-DEFINE needs exactly one of NAME, IMPORT or QUERYPARAM");
  }
  if (def.name && !def.value)
    report_at(ln, name.size() + 1, diag_code::missing_attribute, severity::error,
              "EXT-X-DEFINE with NAME requires VALUE");
  const std::optional<std::string>& var = def.name ? def.name : def.import ? def.import : def.queryparam;
  if (var) {
    for (char c : *var) {
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-' || c == '_')) {
        report_at(ln, name.size() + 1, diag_code::invalid_define, severity::error,
                  "variable names use only [a-zA-Z0-9_-]: '" + *var + "'");
        break;
      }
    }
    if (std::find(defined_names_.begin(), defined_names_.end(), *var) != defined_names_.end())
      report_at(ln, name.size() + 1, diag_code::duplicate_variable, severity::error,
                "variable '" + *var + "' is defined twice");
    else
      defined_names_.push_back(*var);
  }
}

inline parse_result parser::run() {
  const auto& limits = options_.limits;
  if (input_.size() > limits.max_input_bytes)
    return fail(diag_code::input_too_large, 0, 0,
                "input is " + std::to_string(input_.size()) + " bytes, over the limit of " +
                    std::to_string(limits.max_input_bytes));
  if (input_.size() > 0xFFFFFFF0u)
    return fail(diag_code::input_too_large, 0, 0, "input over 4 GiB cannot be parsed");

  // Empty input (or only a BOM / whitespace) cannot be a playlist.
  std::string_view probe = input_;
  if (starts_with(probe, "\xEF\xBB\xBF")) probe.remove_prefix(3);
  bool only_space = true;
  for (char c : probe)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      only_space = false;
      break;
    }
  if (only_space) {
    const char* what = probe.size() == input_.size() ? "input is empty" : "input holds only a byte order mark";
    if (!lenient()) return fail(diag_code::empty_input, 1, 1, what);
    report(diag_code::empty_input, severity::error, 1, 1, what);
  }

  auto src = std::make_shared<source_buffer>();
  src->text = recycling_ ? recycled_.text.copy(input_) : shared_string(input_);
  src->id = next_source_id();
  source_ = src;
  text_ = source_->text;
  shares_.reset(source_->text);

  // Position of a byte offset, for whole-input checks.
  auto position_of = [&](std::size_t offset) {
    std::uint32_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset; ++i)
      if (text_[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    return std::pair<std::uint32_t, std::uint32_t>{line, static_cast<std::uint32_t>(offset - line_start + 1)};
  };

  const text_scan scan = scan_text(text_, limits.max_line_bytes, limits.max_lines);
  if (scan.nul) {
    const void* nul = std::memchr(text_.data(), 0, text_.size());
    auto [l, c] = position_of(static_cast<std::size_t>(static_cast<const char*>(nul) - text_.data()));
    if (!lenient()) return fail(diag_code::nul_byte, l, c, "NUL byte: this is not a text playlist");
    report(diag_code::nul_byte, severity::error, l, c, "NUL byte in the playlist");
  }
  if (scan.non_ascii) {
    if (std::size_t bad = find_invalid_utf8(text_); bad != std::string_view::npos) {
      auto [l, c] = position_of(bad);
      report(diag_code::invalid_utf8, severity::error, l, c, "invalid UTF-8 byte sequence");
    }
  }
  if (scan.cr && !scan.lf) {
    if (!lenient())
      return fail(diag_code::cr_line_endings, 1, 1, "lines end in CR alone; HLS lines end in LF or CRLF");
    report(diag_code::cr_line_endings, severity::error, 1, 1, "lines end in CR alone; HLS lines end in LF or CRLF");
  } else if (scan.cr) {
    // A CR not followed by LF (nor ending the input) sits inside a line: the line would
    // read differently to a reader that splits on CR, and no writer may emit it.
    for (std::size_t cr = text_.find('\r'); cr != std::string_view::npos; cr = text_.find('\r', cr + 1)) {
      if (cr + 1 == text_.size() || text_[cr + 1] == '\n') continue;
      auto [l, c] = position_of(cr);
      report(diag_code::cr_line_endings, severity::error, l, c, "CR inside a line; HLS lines end in LF or CRLF");
      break;
    }
  }
  text_has_variable_refs_ = scan.brace && text_.find("{$") != std::string_view::npos;
  // Without a CR, no search of the whole text (it was 1% of a parse, at its end).
  text_has_crlf_ = scan.cr && text_.find("\r\n") != std::string_view::npos;
  std::size_t start = 0;
  if (starts_with(text_, "\xEF\xBB\xBF")) {
    report(diag_code::byte_order_mark, severity::warning, 1, 1, "playlists must not start with a byte order mark");
    start = 3;
  }

  // Line-level limits, before any model is built.
  if (scan.limit_line != 0) {
    if (scan.limit_line_bytes != 0)
      return fail(diag_code::line_too_long, scan.limit_line, 1,
                  "line is " + std::to_string(scan.limit_line_bytes) + " bytes, over the limit of " +
                      std::to_string(limits.max_line_bytes));
    return fail(diag_code::too_many_lines, scan.limit_line, 1,
                "more than " + std::to_string(limits.max_lines) + " lines");
  }
  uri_lines_ = scan.uri_lines;

  // The header: the first #EXTM3U line (normally line 1; lenient parses accept it later).
  {
    std::size_t pos = 0;
    std::uint32_t n = 0;
    line_view ln;
    while (next_line(text_, pos, n, ln)) {
      std::string_view t = ln.text;
      if (n == 1 && starts_with(t, "\xEF\xBB\xBF")) t.remove_prefix(3);
      if (trim(t) == "#EXTM3U") {
        m3u_line_ = ln.number;
        break;
      }
    }
  }

  // Which kind? The first tag that only one kind may hold decides.
  playlist_kind kind = playlist_kind::master;
  bool decided = false;
  {
    std::size_t pos = start;
    std::uint32_t n = 0;
    line_view ln;
    while (!decided && next_line(text_, pos, n, ln)) {
      if (!starts_with(ln.text, "#EXT")) continue;
      std::string_view name = ln.text.substr(0, ln.text.find(':'));
      tag_id id = lookup_tag(trim(name));
      if (is_media_tag(id)) {
        kind = playlist_kind::media;
        decided = true;
      } else if (is_master_tag(id)) {
        kind = playlist_kind::master;
        decided = true;
      }
    }
    if (!decided) {
      // No decisive tag: a bare list of URIs is a media playlist missing its tags;
      // otherwise the spec says to treat it as an empty multivariant playlist.
      pos = start;
      n = 0;
      while (next_line(text_, pos, n, ln)) {
        if (!ln.text.empty() && ln.text.front() != '#' && !is_blank(ln.text)) {
          kind = playlist_kind::media;
          break;
        }
      }
    }
  }
  if (options_.expected_kind && *options_.expected_kind != kind) {
    const char* want = *options_.expected_kind == playlist_kind::master ? "a multivariant" : "a media";
    if (!lenient()) return fail(diag_code::wrong_playlist_kind, 1, 1, std::string("expected ") + want + " playlist");
    report(diag_code::wrong_playlist_kind, severity::error, 1, 1, std::string("expected ") + want + " playlist");
  }

  if (kind == playlist_kind::media) {
    media_playlist pl;
    pl.segments = std::move(recycled_.segments);
    return parse_media(pl);
  }
  master_playlist pl;
  return parse_master(pl);
}

template <class P>
parse_result parser::finish(P&& pl) {
  pl.layout.sources.push_back(source_);
  pl.layout.primary_source = source_->id;
  if (dropped_ > 0)
    diags_.push_back(diagnostic{diag_code::malformed_tag, severity::info, 0, 0,
                                std::to_string(dropped_) + " more diagnostics were not stored"});
  if (wrong_kind_line_ != 0 && !lenient()) {
    return fail(diag_code::mixed_playlist, wrong_kind_line_, 1,
                "the playlist holds both multivariant and media playlist tags");
  }
  if (options_.strictness == strictness::strict && first_error_)
    return parse_result(*first_error_, std::move(diags_));
  return parse_result(playlist(std::forward<P>(pl)), std::move(diags_));
}

}  // namespace hlspp::detail

#include "parse_media.hpp"
#include "parse_master.hpp"

#undef HLSPP_DETAIL_HOT_INLINE
