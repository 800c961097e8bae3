// SPDX-License-Identifier: MIT
#pragma once

// The tag table and, for every attribute-list tag, its attribute schema: name,
// member and value type. Parsing, both writers and equality are driven by these
// tables, so a tag's attributes are listed in exactly one place.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "../master_playlist.hpp"
#include "../media_playlist.hpp"
#include "../types.hpp"
#include "text.hpp"

namespace hlspp::detail {

enum class tag_id : std::uint16_t {
  none = 0,
  extm3u,
  version,
  independent_segments,
  start,
  define,
  targetduration,
  media_sequence,
  discontinuity_sequence,
  endlist,
  playlist_type,
  i_frames_only,
  part_inf,
  server_control,
  extinf,
  byterange,
  discontinuity,
  key,
  map,
  program_date_time,
  gap,
  bitrate,
  part,
  daterange,
  skip,
  preload_hint,
  rendition_report,
  media,
  stream_inf,
  i_frame_stream_inf,
  session_data,
  session_key,
  content_steering,
  allow_cache,
  // layout markers (not tags)
  extra,
  count_
};

struct tag_info {
  std::string_view name;
  tag_id id;
};

inline constexpr tag_info tag_table[] = {
    {"#EXTINF", tag_id::extinf},
    {"#EXT-X-BYTERANGE", tag_id::byterange},
    {"#EXT-X-PROGRAM-DATE-TIME", tag_id::program_date_time},
    {"#EXT-X-PART", tag_id::part},
    {"#EXT-X-KEY", tag_id::key},
    {"#EXT-X-MAP", tag_id::map},
    {"#EXT-X-DISCONTINUITY", tag_id::discontinuity},
    {"#EXT-X-DATERANGE", tag_id::daterange},
    {"#EXT-X-GAP", tag_id::gap},
    {"#EXT-X-BITRATE", tag_id::bitrate},
    {"#EXT-X-STREAM-INF", tag_id::stream_inf},
    {"#EXT-X-MEDIA", tag_id::media},
    {"#EXT-X-I-FRAME-STREAM-INF", tag_id::i_frame_stream_inf},
    {"#EXTM3U", tag_id::extm3u},
    {"#EXT-X-VERSION", tag_id::version},
    {"#EXT-X-INDEPENDENT-SEGMENTS", tag_id::independent_segments},
    {"#EXT-X-START", tag_id::start},
    {"#EXT-X-DEFINE", tag_id::define},
    {"#EXT-X-TARGETDURATION", tag_id::targetduration},
    {"#EXT-X-MEDIA-SEQUENCE", tag_id::media_sequence},
    {"#EXT-X-DISCONTINUITY-SEQUENCE", tag_id::discontinuity_sequence},
    {"#EXT-X-ENDLIST", tag_id::endlist},
    {"#EXT-X-PLAYLIST-TYPE", tag_id::playlist_type},
    {"#EXT-X-I-FRAMES-ONLY", tag_id::i_frames_only},
    {"#EXT-X-PART-INF", tag_id::part_inf},
    {"#EXT-X-SERVER-CONTROL", tag_id::server_control},
    {"#EXT-X-SKIP", tag_id::skip},
    {"#EXT-X-PRELOAD-HINT", tag_id::preload_hint},
    {"#EXT-X-RENDITION-REPORT", tag_id::rendition_report},
    {"#EXT-X-SESSION-DATA", tag_id::session_data},
    {"#EXT-X-SESSION-KEY", tag_id::session_key},
    {"#EXT-X-CONTENT-STEERING", tag_id::content_steering},
    {"#EXT-X-ALLOW-CACHE", tag_id::allow_cache},
};

[[nodiscard]] inline tag_id lookup_tag(std::string_view name) noexcept {
  for (const auto& t : tag_table)
    if (t.name.size() == name.size() && std::memcmp(t.name.data(), name.data(), name.size()) == 0)
      return t.id;
  return tag_id::none;
}

[[nodiscard]] inline std::string_view tag_name(tag_id id) noexcept {
  for (const auto& t : tag_table)
    if (t.id == id) return t.name;
  return {};
}

/// Tags only a media playlist may hold.
[[nodiscard]] inline bool is_media_tag(tag_id t) noexcept {
  switch (t) {
    case tag_id::targetduration:
    case tag_id::media_sequence:
    case tag_id::discontinuity_sequence:
    case tag_id::endlist:
    case tag_id::playlist_type:
    case tag_id::i_frames_only:
    case tag_id::part_inf:
    case tag_id::server_control:
    case tag_id::extinf:
    case tag_id::byterange:
    case tag_id::discontinuity:
    case tag_id::key:
    case tag_id::map:
    case tag_id::program_date_time:
    case tag_id::gap:
    case tag_id::bitrate:
    case tag_id::part:
    case tag_id::daterange:
    case tag_id::skip:
    case tag_id::preload_hint:
    case tag_id::rendition_report:
    case tag_id::allow_cache:
      return true;
    default:
      return false;
  }
}

/// Tags only a multivariant playlist may hold.
[[nodiscard]] inline bool is_master_tag(tag_id t) noexcept {
  switch (t) {
    case tag_id::media:
    case tag_id::stream_inf:
    case tag_id::i_frame_stream_inf:
    case tag_id::session_data:
    case tag_id::session_key:
    case tag_id::content_steering:
      return true;
    default:
      return false;
  }
}

/// Tags that belong to the next media segment.
[[nodiscard]] inline bool is_segment_tag(tag_id t) noexcept {
  switch (t) {
    case tag_id::extinf:
    case tag_id::byterange:
    case tag_id::discontinuity:
    case tag_id::key:
    case tag_id::map:
    case tag_id::program_date_time:
    case tag_id::gap:
    case tag_id::bitrate:
    case tag_id::part:
    case tag_id::daterange:
      return true;
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------
// Attribute schemas

enum class attr_type : std::uint8_t {
  integer,           // decimal-integer                  -> std::uint64_t
  decimal,           // decimal-floating-point           -> double
  signed_decimal,    // signed-decimal-floating-point    -> double
  quoted,            // quoted-string                    -> std::string
  quoted_or_empty,   // quoted-string that may be ""     -> std::string
  enumerated,        // enumerated-string                -> std::string
  hex,               // hexadecimal-sequence             -> std::string (as written)
  yes_no,            // enumerated YES / NO              -> bool
  resolution,        // decimal-resolution               -> resolution
  quoted_byterange,  // "<n>[@<o>]"                      -> byte_range
  quoted_date,       // quoted ISO 8601 date             -> date_time
  closed_captions,   // quoted group id or NONE          -> std::string
};

template <class T>
struct schema;  // specialised per attribute-list struct: static void each(V&&)

#define HLSPP_FIELD(name, member, type) v(std::string_view{name}, &S::member, attr_type::type)
// (A local helper macro only to keep the tables one line per attribute; #undef'd below.)

template <>
struct schema<key> {
  using S = key;
  template <class V>
  static void each(V&& v) {
    HLSPP_FIELD("METHOD", method, enumerated);
    HLSPP_FIELD("URI", uri, quoted);
    HLSPP_FIELD("IV", iv, hex);
    HLSPP_FIELD("KEYFORMAT", keyformat, quoted);
    HLSPP_FIELD("KEYFORMATVERSIONS", keyformatversions, quoted);
  }
};

template <>
struct schema<session_key> {
  using S = key;
  template <class V>
  static void each(V&& v) {
    schema<key>::each(v);
  }
};

template <>
struct schema<init_section> {
  using S = init_section;
  template <class V>
  static void each(V&& v) {
    HLSPP_FIELD("URI", uri, quoted);
    HLSPP_FIELD("BYTERANGE", byterange, quoted_byterange);
  }
};

template <>
struct schema<date_range> {
  using S = date_range;
  template <class V>
  static void each(V&& v) {
    HLSPP_FIELD("ID", id, quoted);
    HLSPP_FIELD("CLASS", class_name, quoted);
    HLSPP_FIELD("START-DATE", start_date, quoted_date);
    HLSPP_FIELD("CUE", cue, quoted);
    HLSPP_FIELD("END-DATE", end_date, quoted_date);
    HLSPP_FIELD("DURATION", duration, decimal);
    HLSPP_FIELD("PLANNED-DURATION", planned_duration, decimal);
    HLSPP_FIELD("SCTE35-CMD", scte35_cmd, hex);
    HLSPP_FIELD("SCTE35-OUT", scte35_out, hex);
    HLSPP_FIELD("SCTE35-IN", scte35_in, hex);
    HLSPP_FIELD("END-ON-NEXT", end_on_next, yes_no);
  }
};

template <>
struct schema<partial_segment> {
  using S = partial_segment;
  template <class V>
  static void each(V&& v) {
    HLSPP_FIELD("DURATION", duration, decimal);
    HLSPP_FIELD("URI", uri, quoted);
    HLSPP_FIELD("INDEPENDENT", independent, yes_no);
    HLSPP_FIELD("BYTERANGE", byterange, quoted_byterange);
    HLSPP_FIELD("GAP", gap, yes_no);
  }
};

template <>
struct schema<preload_hint> {
  using S = preload_hint;
  template <class V>
  static void each(V&& v) {
    HLSPP_FIELD("TYPE", type, enumerated);
    HLSPP_FIELD("URI", uri, quoted);
    HLSPP_FIELD("BYTERANGE-START", byterange_start, integer);
    HLSPP_FIELD("BYTERANGE-LENGTH", byterange_length, integer);
  }
};

template <>
struct schema<rendition_report> {
  using S = rendition_report;
  template <class V>
  static void each(V&& v) {
    HLSPP_FIELD("URI", uri, quoted);
    HLSPP_FIELD("LAST-MSN", last_msn, integer);
    HLSPP_FIELD("LAST-PART", last_part, integer);
  }
};

template <>
struct schema<skip_info> {
  using S = skip_info;
  template <class V>
  static void each(V&& v) {
    HLSPP_FIELD("SKIPPED-SEGMENTS", skipped_segments, integer);
    HLSPP_FIELD("RECENTLY-REMOVED-DATERANGES", recently_removed_dateranges, quoted_or_empty);
  }
};

template <>
struct schema<server_control> {
  using S = server_control;
  template <class V>
  static void each(V&& v) {
    HLSPP_FIELD("CAN-SKIP-UNTIL", can_skip_until, decimal);
    HLSPP_FIELD("CAN-SKIP-DATERANGES", can_skip_dateranges, yes_no);
    HLSPP_FIELD("HOLD-BACK", hold_back, decimal);
    HLSPP_FIELD("PART-HOLD-BACK", part_hold_back, decimal);
    HLSPP_FIELD("CAN-BLOCK-RELOAD", can_block_reload, yes_no);
  }
};

template <>
struct schema<part_information> {
  using S = part_information;
  template <class V>
  static void each(V&& v) {
    HLSPP_FIELD("PART-TARGET", part_target, decimal);
  }
};

template <>
struct schema<start_point> {
  using S = start_point;
  template <class V>
  static void each(V&& v) {
    HLSPP_FIELD("TIME-OFFSET", time_offset, signed_decimal);
    HLSPP_FIELD("PRECISE", precise, yes_no);
  }
};

template <>
struct schema<variable_definition> {
  using S = variable_definition;
  template <class V>
  static void each(V&& v) {
    HLSPP_FIELD("NAME", name, quoted);
    HLSPP_FIELD("VALUE", value, quoted_or_empty);
    HLSPP_FIELD("IMPORT", import, quoted);
    HLSPP_FIELD("QUERYPARAM", queryparam, quoted);
  }
};

template <>
struct schema<variant_stream> {
  using S = variant_stream;
  template <class V>
  static void each(V&& v) {
    HLSPP_FIELD("BANDWIDTH", bandwidth, integer);
    HLSPP_FIELD("AVERAGE-BANDWIDTH", average_bandwidth, integer);
    HLSPP_FIELD("SCORE", score, decimal);
    HLSPP_FIELD("CODECS", codecs, quoted);
    HLSPP_FIELD("SUPPLEMENTAL-CODECS", supplemental_codecs, quoted);
    HLSPP_FIELD("RESOLUTION", resolution, resolution);
    HLSPP_FIELD("FRAME-RATE", frame_rate, decimal);
    HLSPP_FIELD("HDCP-LEVEL", hdcp_level, enumerated);
    HLSPP_FIELD("ALLOWED-CPC", allowed_cpc, quoted);
    HLSPP_FIELD("VIDEO-RANGE", video_range, enumerated);
    HLSPP_FIELD("REQ-VIDEO-LAYOUT", req_video_layout, quoted);
    HLSPP_FIELD("STABLE-VARIANT-ID", stable_variant_id, quoted);
    HLSPP_FIELD("AUDIO", audio, quoted);
    HLSPP_FIELD("VIDEO", video, quoted);
    HLSPP_FIELD("SUBTITLES", subtitles, quoted);
    HLSPP_FIELD("CLOSED-CAPTIONS", closed_captions, closed_captions);
    HLSPP_FIELD("PATHWAY-ID", pathway_id, quoted);
    HLSPP_FIELD("PROGRAM-ID", program_id, integer);
  }
};

template <>
struct schema<iframe_stream> {
  using S = iframe_stream;
  template <class V>
  static void each(V&& v) {
    HLSPP_FIELD("BANDWIDTH", bandwidth, integer);
    HLSPP_FIELD("AVERAGE-BANDWIDTH", average_bandwidth, integer);
    HLSPP_FIELD("SCORE", score, decimal);
    HLSPP_FIELD("CODECS", codecs, quoted);
    HLSPP_FIELD("SUPPLEMENTAL-CODECS", supplemental_codecs, quoted);
    HLSPP_FIELD("RESOLUTION", resolution, resolution);
    HLSPP_FIELD("HDCP-LEVEL", hdcp_level, enumerated);
    HLSPP_FIELD("ALLOWED-CPC", allowed_cpc, quoted);
    HLSPP_FIELD("VIDEO-RANGE", video_range, enumerated);
    HLSPP_FIELD("REQ-VIDEO-LAYOUT", req_video_layout, quoted);
    HLSPP_FIELD("STABLE-VARIANT-ID", stable_variant_id, quoted);
    HLSPP_FIELD("VIDEO", video, quoted);
    HLSPP_FIELD("PATHWAY-ID", pathway_id, quoted);
    HLSPP_FIELD("PROGRAM-ID", program_id, integer);
    HLSPP_FIELD("URI", uri, quoted);
  }
};

template <>
struct schema<rendition> {
  using S = rendition;
  template <class V>
  static void each(V&& v) {
    HLSPP_FIELD("TYPE", type, enumerated);
    HLSPP_FIELD("GROUP-ID", group_id, quoted);
    HLSPP_FIELD("LANGUAGE", language, quoted);
    HLSPP_FIELD("ASSOC-LANGUAGE", assoc_language, quoted);
    HLSPP_FIELD("NAME", name, quoted);
    HLSPP_FIELD("STABLE-RENDITION-ID", stable_rendition_id, quoted);
    HLSPP_FIELD("DEFAULT", is_default, yes_no);
    HLSPP_FIELD("AUTOSELECT", autoselect, yes_no);
    HLSPP_FIELD("FORCED", forced, yes_no);
    HLSPP_FIELD("INSTREAM-ID", instream_id, quoted);
    HLSPP_FIELD("BIT-DEPTH", bit_depth, integer);
    HLSPP_FIELD("SAMPLE-RATE", sample_rate, integer);
    HLSPP_FIELD("CHARACTERISTICS", characteristics, quoted);
    HLSPP_FIELD("CHANNELS", channels, quoted);
    HLSPP_FIELD("URI", uri, quoted);
  }
};

template <>
struct schema<session_data> {
  using S = session_data;
  template <class V>
  static void each(V&& v) {
    HLSPP_FIELD("DATA-ID", data_id, quoted);
    HLSPP_FIELD("VALUE", value, quoted);
    HLSPP_FIELD("URI", uri, quoted);
    HLSPP_FIELD("FORMAT", format, enumerated);
    HLSPP_FIELD("LANGUAGE", language, quoted);
  }
};

template <>
struct schema<content_steering> {
  using S = content_steering;
  template <class V>
  static void each(V&& v) {
    HLSPP_FIELD("SERVER-URI", server_uri, quoted);
    HLSPP_FIELD("PATHWAY-ID", pathway_id, quoted);
  }
};

#undef HLSPP_FIELD

// ---------------------------------------------------------------------------
// Typed value parsing and canonical rendering, one overload per C++ field type.

inline bool parse_attr_value(std::string_view raw, attr_type t, std::uint64_t& out) {
  (void)t;
  auto v = parse_decimal_integer(raw);
  if (!v) return false;
  out = *v;
  return true;
}

inline bool parse_attr_value(std::string_view raw, attr_type t, double& out) {
  auto v = parse_decimal_float(raw, t == attr_type::signed_decimal);
  if (!v) return false;
  out = *v;
  return true;
}

inline bool unquote(std::string_view raw, std::string_view& inner) noexcept {
  if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"') return false;
  inner = raw.substr(1, raw.size() - 2);
  return quotable(inner);
}

inline bool parse_attr_value(std::string_view raw, attr_type t, std::string& out) {
  std::string_view inner;
  switch (t) {
    case attr_type::quoted:
      if (!unquote(raw, inner) || inner.empty()) return false;
      out.assign(inner);
      return true;
    case attr_type::quoted_or_empty:
      if (!unquote(raw, inner)) return false;
      out.assign(inner);
      return true;
    case attr_type::enumerated:
      if (!enumerable(raw)) return false;
      out.assign(raw);
      return true;
    case attr_type::hex:
      // A variable reference may stand for hex digits (checked once substituted).
      // Same rule as the writer's: an unquoted token (no space, quote or comma).
      if (!is_hex_sequence(raw) &&
          !(starts_with(raw, "0x") && raw.find("{$") != std::string_view::npos && enumerable(raw)))
        return false;
      out.assign(raw);
      return true;
    case attr_type::closed_captions:
      if (raw == "NONE") {
        out.assign(raw);
        return true;
      }
      if (!unquote(raw, inner) || inner.empty()) return false;
      out.assign(inner);
      return true;
    default:
      return false;
  }
}

inline bool parse_attr_value(std::string_view raw, attr_type, bool& out) {
  if (raw == "YES") {
    out = true;
    return true;
  }
  if (raw == "NO") {
    out = false;
    return true;
  }
  return false;
}

inline bool parse_attr_value(std::string_view raw, attr_type, hlspp::resolution& out) {
  auto x = raw.find('x');
  if (x == std::string_view::npos) return false;
  auto w = parse_decimal_integer(raw.substr(0, x));
  auto h = parse_decimal_integer(raw.substr(x + 1));
  if (!w || !h) return false;
  out = {*w, *h};
  return true;
}

/// "<n>[@<o>]" without quotes (EXT-X-BYTERANGE's value, or a quoted attribute's inside).
inline bool parse_byte_range(std::string_view s, byte_range& out) {
  auto at = s.find('@');
  auto n = parse_decimal_integer(s.substr(0, at));
  if (!n) return false;
  out.length = *n;
  out.offset.reset();
  if (at != std::string_view::npos) {
    auto o = parse_decimal_integer(s.substr(at + 1));
    if (!o) return false;
    out.offset = *o;
  }
  return true;
}

inline bool parse_attr_value(std::string_view raw, attr_type, byte_range& out) {
  std::string_view inner;
  // Unquoted "n@o" is common in the wild; the parser accepts it with a warning.
  if (!unquote(raw, inner)) return parse_byte_range(raw, out);
  return parse_byte_range(inner, out);
}

inline bool parse_attr_value(std::string_view raw, attr_type, date_time& out) {
  std::string_view inner;
  if (!unquote(raw, inner) || inner.empty()) return false;
  out.text.assign(inner);
  return true;
}

/// Why a value cannot be written, or nullptr when it can.
inline const char* render_attr_value(std::string& out, attr_type, std::uint64_t v) {
  append_integer(out, v);
  return nullptr;
}

inline const char* render_attr_value(std::string& out, attr_type, double v) {
  if (!std::isfinite(v)) return "a non-finite number cannot be written";
  append_decimal(out, v);
  return nullptr;
}

inline const char* render_attr_value(std::string& out, attr_type t, std::string_view v) {
  switch (t) {
    case attr_type::quoted:
    case attr_type::quoted_date:
      // The reader rejects "" for these (only quoted_or_empty may be empty).
      if (v.empty()) return "this quoted-string cannot be empty";
      [[fallthrough]];
    case attr_type::quoted_or_empty:
      if (!quotable(v)) return "a quoted-string cannot contain '\"', CR or LF";
      out += '"';
      out += v;
      out += '"';
      return nullptr;
    case attr_type::enumerated:
      if (!enumerable(v)) return "an enumerated-string must be non-empty without quotes, commas or whitespace";
      out += v;
      return nullptr;
    case attr_type::hex:
      if (!is_hex_sequence(v) && !(starts_with(v, "0x") && v.find("{$") != std::string_view::npos && enumerable(v)))
        return "not a hexadecimal-sequence (0x...)";
      out += v;
      return nullptr;
    case attr_type::closed_captions:
      if (v == "NONE") {
        out += v;
        return nullptr;
      }
      return render_attr_value(out, attr_type::quoted, v);
    default:
      return "internal: wrong attribute type";
  }
}

inline const char* render_attr_value(std::string& out, attr_type, bool v) {
  out += v ? "YES" : "NO";
  return nullptr;
}

inline const char* render_attr_value(std::string& out, attr_type, const hlspp::resolution& v) {
  append_integer(out, v.width);
  out += 'x';
  append_integer(out, v.height);
  return nullptr;
}

inline void append_byte_range(std::string& out, const byte_range& v) {
  append_integer(out, v.length);
  if (v.offset) {
    out += '@';
    append_integer(out, *v.offset);
  }
}

inline const char* render_attr_value(std::string& out, attr_type, const byte_range& v) {
  out += '"';
  append_byte_range(out, v);
  out += '"';
  return nullptr;
}

inline const char* render_attr_value(std::string& out, attr_type, const date_time& v) {
  return render_attr_value(out, attr_type::quoted, v.text.view());
}

/// Member pointer -> member reference, whatever the struct's base (session_key's
/// schema points into its `key` base).
template <class Obj, class Base, class M>
decltype(auto) member(Obj& obj, M Base::*mp) {
  return static_cast<std::conditional_t<std::is_const_v<Obj>, const Base&, Base&>>(obj).*mp;
}

/// Attribute-wise equality of two objects of the same schema (ignores origins and extras).
template <class T>
bool attributes_equal(const T& a, const T& b) {
  bool equal = true;
  schema<T>::each([&](std::string_view, auto mp, attr_type) {
    if (equal && !(member(a, mp) == member(b, mp))) equal = false;
  });
  return equal && a.other == b.other;
}

}  // namespace hlspp::detail
