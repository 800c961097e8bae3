// SPDX-License-Identifier: MIT
#pragma once

/// @file validate.hpp
/// validate(): checks a playlist model against the rules of the HLS specification
/// (RFC 8216bis). The model may come from parse() or may have been built or edited
/// in code, so the structural rules are checked on the model itself; text-level
/// rules (whitespace, attribute syntax, tag order, duplicate tags) are the parser's.
///
///     auto parsed = hlspp::parse(text);
///     for (const auto& d : hlspp::validate(*parsed)) std::cerr << d.to_string() << '\n';
///
/// Every diagnostic has a stable code, a severity (error: a MUST of the spec is
/// broken; warning: a SHOULD) and a position: the line of the offending tag when the
/// element came from parsed text, line 0 (column 0) when it was built in code.
/// Multivariant playlists are also checked as merged playlists: redundant copies of
/// a variant must be equivalent, and Content Steering pathways must be consistent.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "detail/parser.hpp"
#include "detail/renditions.hpp"
#include "detail/schema.hpp"
#include "diagnostics.hpp"
#include "master_playlist.hpp"
#include "media_playlist.hpp"
#include "playlist.hpp"
#include "types.hpp"

namespace hlspp {

namespace detail {

/// The checks behind validate(). Its helpers are static members, so calls to them
/// never pick up a same-named detail function through argument-dependent lookup.
struct validator {
  /// Collects the findings of one validate() call.
  struct findings {
    hlspp::diagnostics out;

    void add(diag_code code, severity sev, std::uint32_t line, std::string message) {
      out.push_back(diagnostic{code, sev, line, line == 0 ? 0u : 1u, std::move(message)});
    }
    void error(diag_code code, std::uint32_t line, std::string message) {
      add(code, severity::error, line, std::move(message));
    }
    void warning(diag_code code, std::uint32_t line, std::string message) {
      add(code, severity::warning, line, std::move(message));
    }
    /// The diagnostics in line order (stable: same-line findings keep their order).
    hlspp::diagnostics finish() {
      std::stable_sort(out.begin(), out.end(),
                       [](const diagnostic& a, const diagnostic& b) { return a.line < b.line; });
      return std::move(out);
    }
  };

  /// The minimum EXT-X-VERSION a feature needs, where it first appears.
  struct version_need {
    std::uint64_t min = 1;
    std::uint32_t line = 0;
    std::string what;
  };

  struct version_needs {
    std::vector<version_need> list;

    /// Records a feature (only its first appearance is kept).
    void need(std::uint64_t min, std::uint32_t line, std::string_view what) {
      for (const auto& n : list)
        if (n.what == what) return;
      list.push_back(version_need{min, line, std::string(what)});
    }
    void report(findings& v, const std::optional<std::uint64_t>& version) const {
      const std::uint64_t declared = version.value_or(1);
      for (const auto& n : list) {
        if (declared >= n.min) continue;
        std::string msg = n.what + " needs EXT-X-VERSION " + std::to_string(n.min) + " or higher";
        if (version) {
          v.error(diag_code::version_too_low, n.line,
                  msg + " (the playlist declares " + std::to_string(*version) + ")");
        } else {
          v.warning(diag_code::version_missing, n.line, msg + " (the playlist has no EXT-X-VERSION)");
        }
      }
    }
  };

  /// The line of the `nth` line of kind `kind` (a tag_id or kind_uri) in an element's
  /// block; the block's first line when not found; 0 for an element built in code.
  [[nodiscard]] static std::uint32_t block_line(const block_origin& o, char kind, std::size_t nth = 0) noexcept {
    if (o.line == 0) return 0;
    for (std::size_t i = 0; i < o.line_kinds.size(); ++i)
      if (o.line_kinds[i] == kind && nth-- == 0) return o.line + static_cast<std::uint32_t>(i);
    return o.line;
  }
  [[nodiscard]] static std::uint32_t block_line(const block_origin& o, tag_id tag, std::size_t nth = 0) noexcept {
    return block_line(o, static_cast<char>(tag), nth);
  }

  /// The line of a playlist-level tag (the `index`th of a repeated tag); 0 when the
  /// tag was not parsed.
  [[nodiscard]] static std::uint32_t layout_line(const playlist_layout& layout, tag_id tag,
                                                 std::size_t index = 0) noexcept {
    for (const auto& e : layout.entries)
      if (e.tag == static_cast<std::uint16_t>(tag) && e.index == index) return e.origin.line;
    return 0;
  }

  /// Where whole-playlist findings go: the #EXTM3U line of a parsed playlist, else 0.
  [[nodiscard]] static std::uint32_t playlist_line(const playlist_layout& layout) noexcept {
    if (std::uint32_t line = layout_line(layout, tag_id::extm3u)) return line;
    return layout.primary_source != 0 ? 1 : 0;
  }

  [[nodiscard]] static std::string number_text(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
    std::string out;
    append_decimal(out, v);
    return out;
  }

  [[nodiscard]] static std::string quoted_text(std::string_view s) {
    std::string out = "\"";
    out += s;
    out += '"';
    return out;
  }

  [[nodiscard]] static bool same(const std::optional<std::string>& a, std::string_view b) noexcept {
    return a && *a == b;
  }

  /// True when `s` is non-empty and every character is a letter, a digit or in `extra`.
  [[nodiscard]] static bool alnum_or(std::string_view s, std::string_view extra) noexcept {
    if (s.empty()) return false;
    for (char c : s) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      extra.find(c) != std::string_view::npos;
      if (!ok) return false;
    }
    return true;
  }

  /// STABLE-VARIANT-ID / STABLE-RENDITION-ID characters: [a-zA-Z0-9+/=._-].
  [[nodiscard]] static bool valid_stable_id(std::string_view s) noexcept {
    return alnum_or(s, "+/=._-") || has_variable(s);
  }
  /// Pathway ID characters: [a-zA-Z0-9._-].
  [[nodiscard]] static bool valid_pathway_id(std::string_view s) noexcept {
    return alnum_or(s, "._-") || has_variable(s);
  }

  /// True when `s` holds a variable reference ({$name}): its characters are checked
  /// only once substituted.
  [[nodiscard]] static bool has_variable(std::string_view s) noexcept { return s.find("{$") != std::string_view::npos; }

  /// CLOSED-CAPTIONS INSTREAM-ID: CC1..CC4 or SERVICE1..SERVICE63.
  [[nodiscard]] static bool valid_cc_instream_id(std::string_view s) noexcept {
    if (s.size() == 3 && s.substr(0, 2) == "CC") return s[2] >= '1' && s[2] <= '4';
    if (!starts_with(s, "SERVICE")) return false;
    std::string_view n = s.substr(7);
    if (n.empty() || n.size() > 2 || n[0] == '0') return false;
    int value = 0;
    for (char c : n) {
      if (!is_digit(c)) return false;
      value = value * 10 + (c - '0');
    }
    return value >= 1 && value <= 63;
  }

  [[nodiscard]] static bool has_req_attribute(const attribute_list& other) noexcept {
    for (const auto& a : other)
      if (starts_with(a.name, "REQ-")) return true;
    return false;
  }

  /// The tokens of an enumerated-string-list ("PRE,ONCE").
  [[nodiscard]] static bool list_has(std::string_view list, std::string_view token) noexcept {
    std::size_t start = 0;
    while (start <= list.size()) {
      std::size_t comma = list.find(',', start);
      if (comma == std::string_view::npos) comma = list.size();
      if (list.substr(start, comma - start) == token) return true;
      start = comma + 1;
    }
    return false;
  }

  /// EXT-X-KEY and EXT-X-SESSION-KEY attribute rules.
  static void validate_key(findings& v, version_needs* needs, const key& k, std::uint32_t line, bool session) {
    const char* tag = session ? "EXT-X-SESSION-KEY" : "EXT-X-KEY";
    if (!k.method) {
      v.error(diag_code::key_missing_method, line, std::string(tag) + " requires METHOD");
    } else if (*k.method == "NONE") {
      if (session)
        v.error(diag_code::session_key_method_none, line, "EXT-X-SESSION-KEY must not have METHOD=NONE");
      else if (k.uri || k.iv || k.keyformat || k.keyformatversions)
        v.error(diag_code::key_none_with_attributes, line, "EXT-X-KEY with METHOD=NONE must have no other attribute");
    } else {
      const std::string& m = *k.method;
      if (m != "AES-128" && m != "SAMPLE-AES" && m != "SAMPLE-AES-CTR" && m != "AES-256-GCM")
        v.warning(diag_code::key_unknown_method, line, std::string(tag) + " has an unknown METHOD " + m);
      if (!k.uri) v.error(diag_code::key_missing_uri, line, std::string(tag) + " requires URI unless METHOD is NONE");
      if (k.iv && (m == "SAMPLE-AES-CTR" || m == "AES-256-GCM"))
        v.error(diag_code::key_iv_not_allowed, line, std::string(tag) + " with METHOD=" + m + " must not have an IV");
    }
    if (needs) {
      if (k.iv) needs->need(2, line, "the IV attribute of EXT-X-KEY");
      if (same(k.method, "SAMPLE-AES")) needs->need(5, line, "METHOD=SAMPLE-AES");
      if (k.keyformat || k.keyformatversions) needs->need(5, line, "KEYFORMAT or KEYFORMATVERSIONS");
      if (has_req_attribute(k.other)) needs->need(12, line, "an attribute named REQ-*");
    }
  }

  /// EXT-X-DEFINE rules shared by both playlist kinds.
  template <class P>
  static void validate_defines(findings& v, version_needs& needs, const P& pl, bool master) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < pl.defines.size(); ++i) {
      const auto& d = pl.defines[i];
      const std::uint32_t line = layout_line(pl.layout, tag_id::define, i);
      const int kinds = (d.name ? 1 : 0) + (d.import ? 1 : 0) + (d.queryparam ? 1 : 0);
      if (kinds != 1)
        v.error(diag_code::invalid_define, line, "EXT-X-DEFINE needs exactly one of NAME, IMPORT or QUERYPARAM");
      if (d.name && !d.value) v.error(diag_code::invalid_define, line, "EXT-X-DEFINE with NAME requires VALUE");
      if (master && d.import)
        v.error(diag_code::invalid_define, line, "EXT-X-DEFINE IMPORT is allowed only in a media playlist");
      const std::optional<std::string>& var = d.name ? d.name : d.import ? d.import : d.queryparam;
      if (var) {
        if (!alnum_or(*var, "_-"))
          v.error(diag_code::invalid_define, line, "variable names use only [a-zA-Z0-9_-]: " + quoted_text(*var));
        if (std::find(names.begin(), names.end(), *var) != names.end())
          v.error(diag_code::duplicate_variable, line, "variable " + quoted_text(*var) + " is defined twice");
        else
          names.push_back(*var);
      }
      if (d.queryparam) needs.need(11, line, "EXT-X-DEFINE with QUERYPARAM");
      if (has_req_attribute(d.other)) needs.need(12, line, "an attribute named REQ-*");
    }
    if (!pl.defines.empty()) needs.need(8, layout_line(pl.layout, tag_id::define, 0), "EXT-X-DEFINE");
  }

  template <class P>
  static void validate_start(findings& v, version_needs& needs, const P& pl) {
    if (!pl.start) return;
    const std::uint32_t line = layout_line(pl.layout, tag_id::start);
    if (!pl.start->time_offset) v.error(diag_code::start_missing_time_offset, line, "EXT-X-START requires TIME-OFFSET");
    if (has_req_attribute(pl.start->other)) needs.need(12, line, "an attribute named REQ-*");
  }

  [[nodiscard]] static bool segment_has_tags(const media_segment& s) noexcept {
    return s.has_extinf || s.byterange || s.discontinuity || s.gap || s.bitrate || !s.keys.empty() || s.map ||
           s.program_date_time || !s.dateranges.empty() || !s.parts.empty();
  }

  /// True when, in a parsed block, the segment's first EXT-X-KEY comes before its EXT-X-MAP
  /// (so the key applies to the map). Built-in-code segments: keys are taken to come first.
  [[nodiscard]] static bool key_before_map(const block_origin& o) noexcept {
    const auto k = o.line_kinds.find(static_cast<char>(tag_id::key));
    const auto m = o.line_kinds.find(static_cast<char>(tag_id::map));
    if (k == std::string::npos || m == std::string::npos) return true;
    return k < m;
  }

  struct located_daterange {
    const date_range* range = nullptr;
    std::uint32_t line = 0;
  };

  /// The first attribute present in both date ranges with different values, or empty.
  [[nodiscard]] static std::string daterange_difference(const date_range& a, const date_range& b) {
    std::string differs;
    schema<date_range>::each([&](std::string_view name, auto mp, attr_type) {
      if (!differs.empty() || name == "ID") return;
      const auto& x = member(a, mp);
      const auto& y = member(b, mp);
      if (x && y && !(*x == *y)) differs.assign(name);
    });
    if (!differs.empty()) return differs;
    for (const auto& x : a.other)
      for (const auto& y : b.other)
        if (x.name == y.name && !(x.value == y.value)) return x.name;
    return {};
  }

  /// `delta_update`: the playlist has EXT-X-SKIP, so earlier tags of a range may be skipped.
  static void validate_dateranges(findings& v, const std::vector<located_daterange>& ranges, bool delta_update) {
    struct consolidated {
      std::vector<const date_range*> seen;
      bool has_start = false;
      bool has_class = false;
      std::optional<double> start;
      std::optional<double> end;
      std::optional<double> duration;
    };
    std::map<std::string, consolidated> by_id;
    for (const auto& [range, line] : ranges) {
      const date_range& dr = *range;
      consolidated local;
      consolidated& c = dr.id ? by_id[*dr.id] : local;
      if (!dr.id) v.error(diag_code::daterange_missing_id, line, "EXT-X-DATERANGE requires ID");
      for (const date_range* earlier : c.seen) {
        std::string attr = daterange_difference(*earlier, dr);
        if (!attr.empty()) {
          v.error(diag_code::daterange_conflict, line,
                  "EXT-X-DATERANGE " + quoted_text(*dr.id) + " repeats " + attr + " with a different value");
          break;
        }
      }
      if (!dr.start_date && !c.has_start && !delta_update)
        v.error(diag_code::daterange_missing_start_date, line,
                "EXT-X-DATERANGE requires START-DATE unless an earlier tag with the same ID has it");
      if (dr.cue && list_has(*dr.cue, "PRE") && list_has(*dr.cue, "POST"))
        v.error(diag_code::daterange_cue_pre_and_post, line, "EXT-X-DATERANGE CUE must not hold both PRE and POST");
      if (dr.end_on_next.value_or(false)) {
        if (!dr.class_name && !c.has_class)
          v.error(diag_code::daterange_end_on_next_without_class, line,
                  "EXT-X-DATERANGE with END-ON-NEXT=YES requires CLASS");
        if (dr.duration || dr.end_date)
          v.error(diag_code::daterange_end_on_next_with_end, line,
                  "EXT-X-DATERANGE with END-ON-NEXT=YES must not have DURATION or END-DATE");
      }
      if (dr.duration && *dr.duration < 0)
        v.error(diag_code::negative_duration, line, "EXT-X-DATERANGE DURATION must not be negative");
      if (dr.planned_duration && *dr.planned_duration < 0)
        v.error(diag_code::negative_duration, line, "EXT-X-DATERANGE PLANNED-DURATION must not be negative");

      // Dates, consolidated over the tags with this ID.
      c.seen.push_back(&dr);
      if (dr.start_date) {
        c.has_start = true;
        if (auto s = dr.start_date->epoch_seconds()) c.start = s;
      }
      if (dr.class_name) c.has_class = true;
      if (dr.end_date)
        if (auto e = dr.end_date->epoch_seconds()) c.end = e;
      if (dr.duration) c.duration = dr.duration;
      if (dr.end_date && c.start && c.end && *c.end < *c.start)
        v.error(diag_code::daterange_end_before_start, line, "EXT-X-DATERANGE END-DATE is before its START-DATE");
      if ((dr.end_date || dr.duration) && c.start && c.end && c.duration &&
          std::fabs(*c.start + *c.duration - *c.end) > 0.001)
        v.error(diag_code::daterange_duration_mismatch, line,
                "EXT-X-DATERANGE END-DATE must equal START-DATE plus DURATION (" + number_text(*c.duration) +
                    " s)");
    }
  }

  static hlspp::diagnostics validate_media(const media_playlist& pl) {
    findings v;
    version_needs needs;
    const auto& layout = pl.layout;
    const std::uint32_t top = playlist_line(layout);
    const std::optional<std::uint64_t> td = pl.target_duration;

    if (!td) v.error(diag_code::missing_target_duration, top, "EXT-X-TARGETDURATION is required");

    const std::size_t count = pl.segments.size() + (segment_has_tags(pl.trailing) ? 1 : 0);
    auto segment_at = [&](std::size_t i) -> const media_segment& {
      return i < pl.segments.size() ? pl.segments[i] : pl.trailing;
    };

    std::uint32_t over_line = 0;
    std::size_t over_count = 0;
    double over_max = 0;
    bool any_pdt = false;
    std::uint32_t first_part_line = 0;
    bool any_part = false;
    std::vector<located_daterange> dateranges;

    for (std::size_t i = 0; i < count; ++i) {
      const media_segment& seg = segment_at(i);
      const bool trailing = i >= pl.segments.size();
      const block_origin& o = seg.origin;

      if (!trailing && !seg.has_extinf)
        v.error(diag_code::missing_extinf, block_line(o, kind_uri), "media segment without EXTINF");
      if (seg.has_extinf) {
        const std::uint32_t line = block_line(o, tag_id::extinf);
        if (seg.duration < 0) v.error(diag_code::negative_duration, line, "negative EXTINF duration");
        if (td && std::round(seg.duration) > static_cast<double>(*td)) {
          if (over_count++ == 0) over_line = line;
          over_max = std::max(over_max, seg.duration);
        }
        if (std::isfinite(seg.duration) && seg.duration != std::floor(seg.duration))
          needs.need(3, line, "a decimal EXTINF duration");
      }
      if (seg.byterange) {
        const std::uint32_t line = block_line(o, tag_id::byterange);
        needs.need(4, line, "EXT-X-BYTERANGE");
        if (!seg.byterange->offset && !trailing) {
          const bool continues = i > 0 && !segment_at(i - 1).uri.empty() && segment_at(i - 1).byterange &&
                                 segment_at(i - 1).uri == seg.uri;
          if (!continues)
            v.error(diag_code::byterange_without_offset, line,
                    "EXT-X-BYTERANGE without an offset must follow a sub-range of the same resource");
        }
      }
      for (std::size_t k = 0; k < seg.keys.size(); ++k)
        validate_key(v, &needs, seg.keys[k], block_line(o, tag_id::key, k), false);
      if (seg.map) {
        const init_section& m = *seg.map;
        const std::uint32_t line = block_line(o, tag_id::map);
        if (!m.uri) v.error(diag_code::map_missing_uri, line, "EXT-X-MAP requires URI");
        if (m.byterange && !m.byterange->offset)
          v.error(diag_code::map_byterange_without_offset, line, "EXT-X-MAP BYTERANGE requires an offset (n@o)");
        needs.need(pl.i_frames_only ? 5 : 6, line, "EXT-X-MAP");
        if (has_req_attribute(m.other)) needs.need(12, line, "an attribute named REQ-*");
        // The keys in effect for the map: this segment's when they precede it, else the last earlier ones.
        const std::vector<key>* keys = nullptr;
        if (!seg.keys.empty() && key_before_map(o)) {
          keys = &seg.keys.as_vector();
        } else {
          for (std::size_t back = i; back-- > 0;)
            if (!segment_at(back).keys.empty()) {
              keys = &segment_at(back).keys.as_vector();
              break;
            }
        }
        if (keys)
          for (const auto& k : *keys)
            if (same(k.method, "AES-128") && !k.iv) {
              v.error(diag_code::map_key_without_iv, line,
                      "an EXT-X-MAP encrypted with METHOD=AES-128 needs an EXT-X-KEY with an IV");
              break;
            }
      }
      if (seg.program_date_time) any_pdt = true;
      for (std::size_t d = 0; d < seg.dateranges.size(); ++d) {
        const std::uint32_t line = block_line(o, tag_id::daterange, d);
        dateranges.push_back(located_daterange{&seg.dateranges[d], line});
        if (has_req_attribute(seg.dateranges[d].other)) needs.need(12, line, "an attribute named REQ-*");
      }
      for (std::size_t p = 0; p < seg.parts.size(); ++p) {
        const partial_segment& part = seg.parts[p];
        const std::uint32_t line = block_line(o, tag_id::part, p);
        if (!any_part) {
          any_part = true;
          first_part_line = line;
        }
        if (!part.uri || !part.duration)
          v.error(diag_code::part_missing_attribute, line, "EXT-X-PART requires URI and DURATION");
        if (part.duration && *part.duration < 0)
          v.error(diag_code::negative_duration, line, "negative EXT-X-PART DURATION");
        if (part.duration && pl.part_inf && pl.part_inf->part_target &&
            *part.duration > *pl.part_inf->part_target + 1e-9)
          v.error(diag_code::part_exceeds_part_target, line,
                  "EXT-X-PART DURATION " + number_text(*part.duration) + " exceeds PART-TARGET " +
                      number_text(*pl.part_inf->part_target));
        if (has_req_attribute(part.other)) needs.need(12, line, "an attribute named REQ-*");
      }
    }

    if (over_count > 0)
      v.error(diag_code::extinf_exceeds_target_duration, over_line,
              "segment duration " + number_text(over_max) + " rounded exceeds EXT-X-TARGETDURATION " +
                  std::to_string(*td) +
                  (over_count > 1 ? " (" + std::to_string(over_count) + " segments exceed it)" : std::string()));
    if (any_part && !pl.part_inf)
      v.error(diag_code::part_without_part_inf, first_part_line, "EXT-X-PART requires EXT-X-PART-INF");
    if (!dateranges.empty() && !any_pdt)
      v.error(diag_code::daterange_without_program_date_time, dateranges.front().line,
              "a playlist with EXT-X-DATERANGE needs an EXT-X-PROGRAM-DATE-TIME");
    validate_dateranges(v, dateranges, pl.skip.has_value());

    if (pl.playlist_type && !(*pl.playlist_type == "VOD" || *pl.playlist_type == "EVENT"))
      v.error(diag_code::invalid_playlist_type, layout_line(layout, tag_id::playlist_type),
              "EXT-X-PLAYLIST-TYPE must be VOD or EVENT, not " + *pl.playlist_type);
    if (pl.i_frames_only) needs.need(4, layout_line(layout, tag_id::i_frames_only), "EXT-X-I-FRAMES-ONLY");

    const std::uint32_t part_inf_line = layout_line(layout, tag_id::part_inf);
    const std::uint32_t control_line = layout_line(layout, tag_id::server_control);
    if (pl.part_inf) {
      const auto& pi = *pl.part_inf;
      if (!pi.part_target)
        v.error(diag_code::part_inf_missing_part_target, part_inf_line, "EXT-X-PART-INF requires PART-TARGET");
      if (has_req_attribute(pi.other)) needs.need(12, part_inf_line, "an attribute named REQ-*");
      const std::optional<double> phb = pl.server_control ? pl.server_control->part_hold_back : std::nullopt;
      if (!phb) {
        v.error(diag_code::part_hold_back_missing, part_inf_line,
                "EXT-X-PART-INF requires EXT-X-SERVER-CONTROL with PART-HOLD-BACK");
      } else if (pi.part_target) {
        const double target = *pi.part_target;
        const std::string what = "PART-HOLD-BACK " + number_text(*phb);
        if (*phb < 2 * target)
          v.error(diag_code::part_hold_back_too_small, control_line,
                  what + " must be at least twice PART-TARGET " + number_text(target));
        else if (*phb < 3 * target)
          v.warning(diag_code::part_hold_back_too_small, control_line,
                    what + " should be at least three times PART-TARGET " + number_text(target));
      }
    }
    if (pl.server_control) {
      const auto& sc = *pl.server_control;
      if (td && sc.hold_back && *sc.hold_back < 3 * static_cast<double>(*td))
        v.error(diag_code::hold_back_too_small, control_line,
                "HOLD-BACK " + number_text(*sc.hold_back) + " must be at least three times the target duration");
      if (td && sc.can_skip_until && *sc.can_skip_until < 6 * static_cast<double>(*td))
        v.error(diag_code::can_skip_until_too_small, control_line,
                "CAN-SKIP-UNTIL " + number_text(*sc.can_skip_until) +
                    " must be at least six times the target duration");
      if (sc.can_skip_dateranges && !sc.can_skip_until)
        v.error(diag_code::can_skip_dateranges_without_can_skip_until, control_line,
                "CAN-SKIP-DATERANGES requires CAN-SKIP-UNTIL");
      if (has_req_attribute(sc.other)) needs.need(12, control_line, "an attribute named REQ-*");
    }
    if (pl.skip) {
      const std::uint32_t line = layout_line(layout, tag_id::skip);
      if (!pl.skip->skipped_segments)
        v.error(diag_code::skip_missing_skipped_segments, line, "EXT-X-SKIP requires SKIPPED-SEGMENTS");
      needs.need(9, line, "EXT-X-SKIP");
      if (pl.skip->recently_removed_dateranges)
        needs.need(10, line, "EXT-X-SKIP with RECENTLY-REMOVED-DATERANGES");
      if (has_req_attribute(pl.skip->other)) needs.need(12, line, "an attribute named REQ-*");
    }
    for (std::size_t i = 0; i < pl.preload_hints.size(); ++i) {
      const auto& h = pl.preload_hints[i];
      const std::uint32_t line = layout_line(layout, tag_id::preload_hint, i);
      if (!h.type || !h.uri)
        v.error(diag_code::preload_hint_missing_attribute, line, "EXT-X-PRELOAD-HINT requires TYPE and URI");
      if (i == 0 && pl.endlist)
        v.error(diag_code::preload_hint_with_endlist, line, "EXT-X-PRELOAD-HINT must not appear with EXT-X-ENDLIST");
      if (has_req_attribute(h.other)) needs.need(12, line, "an attribute named REQ-*");
    }
    for (std::size_t i = 0; i < pl.rendition_reports.size(); ++i) {
      const auto& r = pl.rendition_reports[i];
      const std::uint32_t line = layout_line(layout, tag_id::rendition_report, i);
      if (!r.uri) v.error(diag_code::rendition_report_missing_uri, line, "EXT-X-RENDITION-REPORT requires URI");
      if (has_req_attribute(r.other)) needs.need(12, line, "an attribute named REQ-*");
    }
    validate_start(v, needs, pl);
    validate_defines(v, needs, pl, false);
    needs.report(v, pl.version);
    return v.finish();
  }

  // ---- multivariant ------------------------------------------------------------

  [[nodiscard]] static const rendition_group* find_group(const std::vector<rendition_group>& groups,
                                                         std::string_view type, std::string_view id) {
    for (const auto& g : groups)
      if (g.type == type && g.id == id) return &g;
    return nullptr;
  }

  /// The rendition groups a stream references: (TYPE, GROUP-ID attribute).
  [[nodiscard]] static std::vector<std::pair<const char*, const std::optional<std::string>*>> group_references(
      const variant_stream& s) {
    std::vector<std::pair<const char*, const std::optional<std::string>*>> refs = {
        {"AUDIO", &s.audio}, {"VIDEO", &s.video}, {"SUBTITLES", &s.subtitles}};
    if (!same(s.closed_captions, "NONE")) refs.emplace_back("CLOSED-CAPTIONS", &s.closed_captions);
    return refs;
  }
  [[nodiscard]] static std::vector<std::pair<const char*, const std::optional<std::string>*>> group_references(
      const iframe_stream& s) {
    return {{"VIDEO", &s.video}};
  }

  /// How a variant is identified as a redundant copy (R11: hls.js and ExoPlayer keys).
  [[nodiscard]] static auto redundancy_key(const variant_stream& s) {
    return std::tie(s.bandwidth, s.average_bandwidth, s.codecs, s.resolution, s.frame_rate, s.video_range,
                    s.hdcp_level, s.supplemental_codecs, s.score);
  }
  [[nodiscard]] static auto redundancy_key(const iframe_stream& s) {
    return std::tie(s.bandwidth, s.average_bandwidth, s.codecs, s.resolution, s.video_range, s.hdcp_level,
                    s.supplemental_codecs, s.score);
  }

  template <class Stream>
  [[nodiscard]] static std::vector<std::vector<std::size_t>> redundant_groups(const std::vector<Stream>& streams) {
    std::vector<std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < streams.size(); ++i) {
      bool placed = false;
      for (auto& g : groups)
        if (redundancy_key(streams[g.front()]) == redundancy_key(streams[i])) {
          g.push_back(i);
          placed = true;
          break;
        }
      if (!placed) groups.push_back({i});
    }
    return groups;
  }

  [[nodiscard]] static std::string describe(const variant_stream& s) {
    return "BANDWIDTH=" + (s.bandwidth ? std::to_string(*s.bandwidth) : std::string("?")) +
           (s.codecs ? ",CODECS=" + quoted_text(*s.codecs) : std::string());
  }
  [[nodiscard]] static std::string describe(const iframe_stream& s) {
    return "BANDWIDTH=" + (s.bandwidth ? std::to_string(*s.bandwidth) : std::string("?")) +
           (s.codecs ? ",CODECS=" + quoted_text(*s.codecs) : std::string());
  }

  [[nodiscard]] static std::uint32_t line_of(const variant_stream& s) {
    return block_line(s.origin, tag_id::stream_inf);
  }
  [[nodiscard]] static std::uint32_t line_of(const iframe_stream& s) {
    return block_line(s.origin, tag_id::i_frame_stream_inf);
  }
  [[nodiscard]] static std::uint32_t line_of(const rendition& r) { return block_line(r.origin, tag_id::media); }

  [[nodiscard]] static std::string pathway_of(const std::optional<std::string>& id) { return id ? *id : "."; }

  /// What a redundant copy must share besides its key: which rendition kinds it
  /// references, its content-protection and video-layout requirements.
  [[nodiscard]] static std::string variant_copy_difference(const variant_stream& a, const variant_stream& b) {
    if (a.audio.has_value() != b.audio.has_value()) return "AUDIO";
    if (a.video.has_value() != b.video.has_value()) return "VIDEO";
    if (a.subtitles.has_value() != b.subtitles.has_value()) return "SUBTITLES";
    const bool a_none = same(a.closed_captions, "NONE"), b_none = same(b.closed_captions, "NONE");
    if (a.closed_captions.has_value() != b.closed_captions.has_value() || a_none != b_none) return "CLOSED-CAPTIONS";
    if (!(a.allowed_cpc == b.allowed_cpc)) return "ALLOWED-CPC";
    if (!(a.req_video_layout == b.req_video_layout)) return "REQ-VIDEO-LAYOUT";
    return {};
  }
  [[nodiscard]] static std::string variant_copy_difference(const iframe_stream& a, const iframe_stream& b) {
    if (a.video.has_value() != b.video.has_value()) return "VIDEO";
    if (!(a.allowed_cpc == b.allowed_cpc)) return "ALLOWED-CPC";
    if (!(a.req_video_layout == b.req_video_layout)) return "REQ-VIDEO-LAYOUT";
    return {};
  }

  /// R11 and the pathway half of R12 for one list of streams (variants or I-frame streams).
  template <class Stream>
  static void validate_redundant_copies(findings& v, const std::vector<Stream>& streams,
                                        const std::vector<rendition_group>& groups, bool steering,
                                        const std::vector<std::string>& pathways, const char* tag) {
    std::set<std::tuple<std::string, std::string, std::string>> compared;  // (TYPE, group, group)
    for (const auto& group : redundant_groups(streams)) {
      const Stream& first = streams[group.front()];
      for (std::size_t k = 1; k < group.size(); ++k) {
        const Stream& copy = streams[group[k]];
        std::string attr = variant_copy_difference(first, copy);
        if (!attr.empty())
          v.warning(diag_code::redundant_variants_differ, line_of(copy),
                    std::string(tag) + " " + describe(copy) + " is a redundant copy of the one on line " +
                        std::to_string(line_of(first)) + " but differs in " + attr);
        // The renditions of redundant copies must be equivalent too (§4.4.6.1.1).
        const auto mine = group_references(first);
        const auto theirs = group_references(copy);
        for (std::size_t r = 0; r < mine.size() && r < theirs.size(); ++r) {
          const std::optional<std::string>& a = *mine[r].second;
          const std::optional<std::string>& b = *theirs[r].second;
          if (!a || !b || *a == *b) continue;
          const rendition_group* ga = find_group(groups, mine[r].first, *a);
          const rendition_group* gb = find_group(groups, mine[r].first, *b);
          if (!ga || !gb || !compared.insert(std::make_tuple(std::string(mine[r].first), *a, *b)).second) continue;
          std::string why = groups_difference(*ga, *gb);
          if (!why.empty())
            v.error(diag_code::rendition_groups_differ, line_of(copy),
                    std::string(mine[r].first) + " group " + quoted_text(*b) +
                        " of this redundant copy must match group " + quoted_text(*a) + " of the one on line " +
                        std::to_string(line_of(first)) + ": " + why);
        }
      }
      if (!steering) continue;
      std::set<std::string> present;
      for (std::size_t index : group) present.insert(pathway_of(streams[index].pathway_id));
      for (const auto& p : pathways)
        if (present.count(p) == 0)
          v.warning(diag_code::pathway_missing_variant, line_of(first),
                    "pathway " + quoted_text(p) + " has no " + tag + " matching " + describe(first));
    }
  }

  static hlspp::diagnostics validate_master(const master_playlist& pl) {
    findings v;
    version_needs needs;
    const auto& layout = pl.layout;

    // ---- renditions and their groups ----
    std::vector<rendition_group> groups;
    for (const auto& r : pl.renditions) {
      const std::uint32_t line = line_of(r);
      if (!r.type || !r.group_id || !r.name) {
        std::string missing;
        for (auto [present, name] : {std::pair<bool, const char*>{r.type.has_value(), "TYPE"},
                                     {r.group_id.has_value(), "GROUP-ID"},
                                     {r.name.has_value(), "NAME"}})
          if (!present) missing += missing.empty() ? name : std::string(", ") + name;
        v.error(diag_code::media_missing_attribute, line, "EXT-X-MEDIA requires " + missing);
      }
      const bool cc = same(r.type, "CLOSED-CAPTIONS");
      const bool audio = same(r.type, "AUDIO");
      const bool subtitles = same(r.type, "SUBTITLES");
      if (r.type && !(audio || cc || subtitles || *r.type == "VIDEO"))
        v.error(diag_code::media_invalid_type, line,
                "EXT-X-MEDIA TYPE must be AUDIO, VIDEO, SUBTITLES or CLOSED-CAPTIONS, not " + *r.type);
      if (cc && r.uri)
        v.error(diag_code::media_uri_not_allowed, line, "EXT-X-MEDIA of TYPE CLOSED-CAPTIONS must not have URI");
      if (subtitles && !r.uri)
        v.error(diag_code::media_missing_uri, line, "EXT-X-MEDIA of TYPE SUBTITLES requires URI");
      if (r.forced && r.type && !subtitles)
        v.error(diag_code::media_forced_not_subtitles, line, "FORCED is allowed only on EXT-X-MEDIA of TYPE SUBTITLES");
      if (r.type && !audio && (r.bit_depth || r.sample_rate || r.channels))
        v.error(diag_code::media_audio_only_attribute, line,
                "BIT-DEPTH, SAMPLE-RATE and CHANNELS are allowed only on EXT-X-MEDIA of TYPE AUDIO");
      if (r.is_default.value_or(false) && r.autoselect && !*r.autoselect)
        v.error(diag_code::media_default_not_autoselect, line, "EXT-X-MEDIA with DEFAULT=YES must have AUTOSELECT=YES");
      if (cc) {
        if (!r.instream_id) {
          v.error(diag_code::media_missing_instream_id, line,
                  "EXT-X-MEDIA of TYPE CLOSED-CAPTIONS requires INSTREAM-ID");
        } else if (!valid_cc_instream_id(*r.instream_id) && !has_variable(*r.instream_id)) {
          v.error(diag_code::media_invalid_instream_id, line,
                  "CLOSED-CAPTIONS INSTREAM-ID must be CC1-CC4 or SERVICE1-SERVICE63, not " + *r.instream_id);
        } else if (starts_with(*r.instream_id, "SERVICE")) {
          needs.need(7, line, "INSTREAM-ID=\"SERVICEn\"");
        }
      } else if (r.instream_id) {
        if (!alnum_or(*r.instream_id, ".") && !has_variable(*r.instream_id))
          v.error(diag_code::media_invalid_instream_id, line,
                  "INSTREAM-ID uses only [A-Za-z0-9.]: " + quoted_text(*r.instream_id));
        if (r.type) needs.need(13, line, "INSTREAM-ID on EXT-X-MEDIA that is not CLOSED-CAPTIONS");
      }
      if (r.stable_rendition_id && !valid_stable_id(*r.stable_rendition_id))
        v.error(diag_code::invalid_stable_id, line,
                "STABLE-RENDITION-ID uses only [a-zA-Z0-9+/=._-]: " + quoted_text(*r.stable_rendition_id));
      if (has_req_attribute(r.other)) needs.need(12, line, "an attribute named REQ-*");

      if (!r.type || !r.group_id) continue;
      rendition_group* group = nullptr;
      for (auto& g : groups)
        if (g.type == *r.type && g.id == *r.group_id) group = &g;
      if (!group) {
        groups.push_back(rendition_group{*r.type, *r.group_id, {}});
        group = &groups.back();
      }
      bool default_seen = false;
      bool name_seen = false;
      for (const rendition* m : group->members) {
        if (r.name && m->name && *m->name == *r.name) name_seen = true;
        if (m->is_default.value_or(false)) default_seen = true;
      }
      if (name_seen)
        v.error(diag_code::duplicate_rendition_name, line,
                "NAME " + quoted_text(*r.name) + " appears twice in group " + quoted_text(*r.group_id));
      if (default_seen && r.is_default.value_or(false))
        v.error(diag_code::multiple_default_renditions, line,
                "group " + quoted_text(*r.group_id) + " has more than one member with DEFAULT=YES");
      group->members.push_back(&r);
    }
    // ---- variant streams ----
    auto check_reference = [&](const std::optional<std::string>& ref, const char* attr, const char* type,
                               std::uint32_t line) {
      if (ref && !find_group(groups, type, *ref))
        v.error(diag_code::unresolved_group, line,
                std::string(attr) + "=" + quoted_text(*ref) + " matches no EXT-X-MEDIA of TYPE " + type);
    };
    auto check_ids = [&](const std::optional<std::string>& stable, const std::optional<std::string>& pathway,
                         std::uint32_t line) {
      if (stable && !valid_stable_id(*stable))
        v.error(diag_code::invalid_stable_id, line,
                "STABLE-VARIANT-ID uses only [a-zA-Z0-9+/=._-]: " + quoted_text(*stable));
      if (pathway && !valid_pathway_id(*pathway))
        v.error(diag_code::invalid_pathway_id, line, "PATHWAY-ID uses only [a-zA-Z0-9._-]: " + quoted_text(*pathway));
    };
    bool any_cc_none = false;
    for (const auto& s : pl.variants) any_cc_none = any_cc_none || same(s.closed_captions, "NONE");
    for (const auto& s : pl.variants) {
      const std::uint32_t line = line_of(s);
      if (!s.bandwidth) v.error(diag_code::stream_inf_missing_bandwidth, line, "EXT-X-STREAM-INF requires BANDWIDTH");
      if (s.uri.empty())
        v.error(diag_code::stream_inf_without_uri, line, "EXT-X-STREAM-INF must be followed by a URI line");
      check_reference(s.audio, "AUDIO", "AUDIO", line);
      check_reference(s.video, "VIDEO", "VIDEO", line);
      check_reference(s.subtitles, "SUBTITLES", "SUBTITLES", line);
      if (!same(s.closed_captions, "NONE"))
        check_reference(s.closed_captions, "CLOSED-CAPTIONS", "CLOSED-CAPTIONS", line);
      if (any_cc_none && !same(s.closed_captions, "NONE"))
        v.error(diag_code::closed_captions_none_mixed, line,
                "when any EXT-X-STREAM-INF has CLOSED-CAPTIONS=NONE, all must have it");
      check_ids(s.stable_variant_id, s.pathway_id, line);
      if (s.req_video_layout || has_req_attribute(s.other)) needs.need(12, line, "an attribute named REQ-*");
    }
    for (const auto& s : pl.iframe_streams) {
      const std::uint32_t line = line_of(s);
      if (!s.bandwidth || !s.uri)
        v.error(diag_code::iframe_stream_missing_attribute, line,
                "EXT-X-I-FRAME-STREAM-INF requires BANDWIDTH and URI");
      check_reference(s.video, "VIDEO", "VIDEO", line);
      check_ids(s.stable_variant_id, s.pathway_id, line);
      if (s.req_video_layout || has_req_attribute(s.other)) needs.need(12, line, "an attribute named REQ-*");
    }

    // ---- session data and keys ----
    for (std::size_t i = 0; i < pl.session_data.size(); ++i) {
      const auto& d = pl.session_data[i];
      const std::uint32_t line = block_line(d.origin, tag_id::session_data);
      if (!d.data_id) v.error(diag_code::session_data_missing_data_id, line, "EXT-X-SESSION-DATA requires DATA-ID");
      if (d.value.has_value() == d.uri.has_value())
        v.error(diag_code::session_data_value_or_uri, line, "EXT-X-SESSION-DATA needs exactly one of VALUE or URI");
      for (std::size_t j = 0; j < i && d.data_id; ++j)
        if (pl.session_data[j].data_id == d.data_id && pl.session_data[j].language == d.language) {
          v.error(diag_code::duplicate_session_data, line,
                  "EXT-X-SESSION-DATA " + quoted_text(*d.data_id) + " appears twice with the same LANGUAGE");
          break;
        }
      if (has_req_attribute(d.other)) needs.need(12, line, "an attribute named REQ-*");
    }
    for (std::size_t i = 0; i < pl.session_keys.size(); ++i) {
      const auto& k = pl.session_keys[i];
      const std::uint32_t line = block_line(k.origin, tag_id::session_key);
      validate_key(v, nullptr, k, line, true);
      for (std::size_t j = 0; j < i; ++j) {
        const auto& o = pl.session_keys[j];
        if (o.method == k.method && o.uri == k.uri && o.iv == k.iv && o.keyformat == k.keyformat &&
            o.keyformatversions == k.keyformatversions) {
          v.error(diag_code::duplicate_session_key, line,
                  "EXT-X-SESSION-KEY repeats METHOD, URI, IV, KEYFORMAT and KEYFORMATVERSIONS of an earlier one");
          break;
        }
      }
      if (has_req_attribute(k.other)) needs.need(12, line, "an attribute named REQ-*");
    }

    // ---- content steering and pathways ----
    std::vector<std::string> pathways;  // in order of first use
    bool steering = false;
    auto note_pathway = [&](const std::optional<std::string>& id) {
      if (id) steering = true;
      std::string p = pathway_of(id);
      if (std::find(pathways.begin(), pathways.end(), p) == pathways.end()) pathways.push_back(p);
    };
    for (const auto& s : pl.variants) note_pathway(s.pathway_id);
    for (const auto& s : pl.iframe_streams) note_pathway(s.pathway_id);
    if (pl.content_steering) {
      const auto& cs = *pl.content_steering;
      const std::uint32_t line = layout_line(layout, tag_id::content_steering);
      if (!cs.server_uri)
        v.error(diag_code::content_steering_missing_server_uri, line, "EXT-X-CONTENT-STEERING requires SERVER-URI");
      if (cs.pathway_id) {
        if (!valid_pathway_id(*cs.pathway_id))
          v.error(diag_code::invalid_pathway_id, line,
                  "PATHWAY-ID uses only [a-zA-Z0-9._-]: " + quoted_text(*cs.pathway_id));
        bool used = false;
        for (const auto& s : pl.variants) used = used || pathway_of(s.pathway_id) == *cs.pathway_id;
        if (!used)
          v.error(diag_code::steering_pathway_not_found, line,
                  "EXT-X-CONTENT-STEERING PATHWAY-ID " + quoted_text(*cs.pathway_id) + " is used by no variant stream");
      }
      if (has_req_attribute(cs.other)) needs.need(12, line, "an attribute named REQ-*");
    }

    // ---- merged-playlist rules: redundant copies (R11) and steering (R12) ----
    validate_redundant_copies(v, pl.variants, groups, steering, pathways, "EXT-X-STREAM-INF");
    if (!pl.iframe_streams.empty())
      validate_redundant_copies(v, pl.iframe_streams, groups, steering, pathways, "EXT-X-I-FRAME-STREAM-INF");
    if (steering) {
      // Each rendition group is used by one pathway only.
      std::map<std::pair<std::string, std::string>, std::string> owner;
      std::set<std::tuple<std::string, std::string, std::string>> reported;
      auto claim = [&](const std::optional<std::string>& ref, const char* type, const std::string& pathway,
                       std::uint32_t line) {
        if (!ref || (std::string_view(type) == "CLOSED-CAPTIONS" && *ref == "NONE")) return;
        auto group_key = std::make_pair(std::string(type), *ref);
        auto [it, inserted] = owner.emplace(group_key, pathway);
        if (inserted || it->second == pathway) return;
        if (!reported.insert(std::make_tuple(group_key.first, group_key.second, pathway)).second) return;
        v.error(diag_code::group_on_multiple_pathways, line,
                std::string(type) + " group " + quoted_text(*ref) + " is used by pathways " +
                    quoted_text(it->second) + " and " + quoted_text(pathway) +
                    "; each pathway needs its own rendition groups");
      };
      for (const auto& s : pl.variants) {
        const std::string p = pathway_of(s.pathway_id);
        const std::uint32_t line = line_of(s);
        claim(s.audio, "AUDIO", p, line);
        claim(s.video, "VIDEO", p, line);
        claim(s.subtitles, "SUBTITLES", p, line);
        claim(s.closed_captions, "CLOSED-CAPTIONS", p, line);
      }
      for (const auto& s : pl.iframe_streams) claim(s.video, "VIDEO", pathway_of(s.pathway_id), line_of(s));

      // Every pathway offers the same stable IDs.
      struct pathway_ids {
        std::set<std::string> variants;
        std::set<std::string> renditions;
        std::uint32_t line = 0;
        bool line_set = false;
      };
      std::map<std::string, pathway_ids> ids;
      bool any_variant_id = false, any_rendition_id = false;
      auto add_rendition_ids = [&](pathway_ids& into, const std::optional<std::string>& ref, const char* type) {
        if (!ref) return;
        if (const rendition_group* g = find_group(groups, type, *ref))
          for (const rendition* m : g->members)
            if (m->stable_rendition_id) {
              into.renditions.insert(*m->stable_rendition_id);
              any_rendition_id = true;
            }
      };
      auto add_stream = [&](const std::optional<std::string>& pathway, const std::optional<std::string>& stable,
                            std::uint32_t line) -> pathway_ids& {
        pathway_ids& into = ids[pathway_of(pathway)];
        if (!into.line_set) {
          into.line = line;
          into.line_set = true;
        }
        if (stable) {
          into.variants.insert(*stable);
          any_variant_id = true;
        }
        return into;
      };
      for (const auto& s : pl.variants) {
        pathway_ids& into = add_stream(s.pathway_id, s.stable_variant_id, line_of(s));
        add_rendition_ids(into, s.audio, "AUDIO");
        add_rendition_ids(into, s.video, "VIDEO");
        add_rendition_ids(into, s.subtitles, "SUBTITLES");
        if (!same(s.closed_captions, "NONE")) add_rendition_ids(into, s.closed_captions, "CLOSED-CAPTIONS");
      }
      for (const auto& s : pl.iframe_streams) {
        pathway_ids& into = add_stream(s.pathway_id, s.stable_variant_id, line_of(s));
        add_rendition_ids(into, s.video, "VIDEO");
      }
      auto describe_difference = [](const std::set<std::string>& want, const std::set<std::string>& have) {
        for (const auto& id : want)
          if (have.count(id) == 0) return "lacks " + quoted_text(id);
        for (const auto& id : have)
          if (want.count(id) == 0) return "has extra " + quoted_text(id);
        return std::string();
      };
      const pathway_ids& reference = ids[pathways.front()];
      for (std::size_t i = 1; i < pathways.size(); ++i) {
        const pathway_ids& other = ids[pathways[i]];
        if (any_variant_id && !(other.variants == reference.variants))
          v.warning(diag_code::pathway_stable_variant_ids_differ, other.line,
                    "pathway " + quoted_text(pathways[i]) + " " +
                        describe_difference(reference.variants, other.variants) +
                        " among its STABLE-VARIANT-IDs (compared with pathway " + quoted_text(pathways.front()) + ")");
        if (any_rendition_id && !(other.renditions == reference.renditions))
          v.warning(diag_code::pathway_stable_rendition_ids_differ, other.line,
                    "pathway " + quoted_text(pathways[i]) + " " +
                        describe_difference(reference.renditions, other.renditions) +
                        " among its STABLE-RENDITION-IDs (compared with pathway " + quoted_text(pathways.front()) +
                        ")");
      }
    }

    validate_start(v, needs, pl);
    validate_defines(v, needs, pl, true);
    needs.report(v, pl.version);
    return v.finish();
  }
};

}  // namespace detail

/// Checks a media playlist against the specification; see the file comment.
[[nodiscard]] inline hlspp::diagnostics validate(const media_playlist& pl) {
  return detail::validator::validate_media(pl);
}

/// Checks a multivariant playlist, including the merged-playlist rules (redundant
/// copies, Content Steering pathways); see the file comment.
[[nodiscard]] inline hlspp::diagnostics validate(const master_playlist& pl) {
  return detail::validator::validate_master(pl);
}

/// Checks either kind of playlist.
[[nodiscard]] inline hlspp::diagnostics validate(const playlist& pl) {
  if (const auto* m = pl.as_master()) return validate(*m);
  return validate(pl.media());
}

}  // namespace hlspp
