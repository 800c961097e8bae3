// SPDX-License-Identifier: MIT
#pragma once

/// @file diagnostics.hpp
/// Diagnostics (line, column, stable code, severity, message), the parse_error
/// exception, and the strictness levels that decide which diagnostics are fatal.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hlspp {

/// How bad a finding is. Only `error` can make strict parsing fail.
enum class severity : std::uint8_t { info, warning, error };

/// How forgiving parse() is.
/// - lenient: never fails; everything it cannot model is kept verbatim and reported.
/// - normal ("default"): fails only when the text cannot be a playlist at all.
/// - strict: fails on any error-severity diagnostic (every MUST of the spec).
enum class strictness : std::uint8_t { lenient, normal, strict };

/// Stable diagnostic codes. The spelling returned by code_name() is part of the API
/// (scripts match on it); enumerator order is not.
enum class diag_code : std::uint16_t {
  // input-level (fatal outside lenient mode unless noted)
  empty_input,
  input_too_large,
  line_too_long,
  too_many_lines,
  nul_byte,
  invalid_utf8,
  byte_order_mark,
  cr_line_endings,
  missing_extm3u,
  mixed_playlist,
  // lexical
  malformed_tag,
  malformed_attribute_list,
  duplicate_attribute,
  missing_attribute,
  invalid_attribute_value,
  attribute_not_allowed,
  unknown_tag,
  unknown_attribute,
  whitespace,
  // structure
  duplicate_tag,
  tag_after_segment,
  wrong_playlist_kind,
  removed_tag,
  missing_target_duration,
  extinf_exceeds_target_duration,
  missing_extinf,
  negative_duration,
  uri_without_stream_inf,
  stream_inf_without_uri,
  byterange_without_offset,
  version_too_low,
  version_missing,
  daterange_without_program_date_time,
  part_without_part_inf,
  preload_hint_with_endlist,
  // variables
  undefined_variable,
  duplicate_variable,
  invalid_define,
  import_without_parent,
  missing_query_parameter,
  expansion_too_large,
  // writers
  unsafe_value,
  // merge
  merge_input,
  ladder_mismatch,
  merge_conflict,
  // rebase
  invalid_base_uri,
  // validate()
  key_missing_method,
  key_none_with_attributes,
  key_missing_uri,
  key_iv_not_allowed,
  key_unknown_method,
  map_missing_uri,
  map_byterange_without_offset,
  map_key_without_iv,
  part_missing_attribute,
  part_exceeds_part_target,
  part_inf_missing_part_target,
  part_hold_back_missing,
  part_hold_back_too_small,
  hold_back_too_small,
  can_skip_until_too_small,
  can_skip_dateranges_without_can_skip_until,
  invalid_playlist_type,
  start_missing_time_offset,
  skip_missing_skipped_segments,
  preload_hint_missing_attribute,
  rendition_report_missing_uri,
  daterange_missing_id,
  daterange_missing_start_date,
  daterange_cue_pre_and_post,
  daterange_end_on_next_without_class,
  daterange_end_on_next_with_end,
  daterange_end_before_start,
  daterange_duration_mismatch,
  daterange_conflict,
  stream_inf_missing_bandwidth,
  iframe_stream_missing_attribute,
  media_missing_attribute,
  media_invalid_type,
  media_uri_not_allowed,
  media_missing_uri,
  media_forced_not_subtitles,
  media_audio_only_attribute,
  media_default_not_autoselect,
  media_missing_instream_id,
  media_invalid_instream_id,
  unresolved_group,
  closed_captions_none_mixed,
  duplicate_rendition_name,
  multiple_default_renditions,
  rendition_groups_differ,
  session_data_missing_data_id,
  session_data_value_or_uri,
  duplicate_session_data,
  session_key_method_none,
  duplicate_session_key,
  invalid_stable_id,
  invalid_pathway_id,
  content_steering_missing_server_uri,
  steering_pathway_not_found,
  redundant_variants_differ,
  pathway_missing_variant,
  group_on_multiple_pathways,
  pathway_stable_variant_ids_differ,
  pathway_stable_rendition_ids_differ,
  // live.hpp: diff() (update rules D1-D15), lag(), align() (R-checks)
  update_empty_snapshot,
  update_media_sequence_regressed,
  update_media_sequence_reset,
  update_media_sequence_mismatch,
  update_uri_changed,
  update_segment_changed,
  update_segment_inserted,
  update_discontinuity_sequence,
  update_removed_not_from_front,
  update_target_duration_changed,
  update_playlist_type,
  update_endlist_removed,
  update_after_endlist,
  update_window_too_short,
  update_stale,
  update_stuck,
  update_daterange_removed,
  update_daterange_changed,
  update_key_removed,
  update_map_removed,
  update_part_removed,
  update_part_changed,
  update_preload_hint_mismatch,
  update_skip_not_covered,
  update_version_changed,
  update_server_control_changed,
  lag_stale_edge,
  lag_player_stall,
  lag_cdn_ahead,
  lag_beyond_window,
  align_no_overlap,
  align_target_duration,
  align_playlist_type,
  align_discontinuity_sequence,
  align_discontinuity_position,
  align_segment_boundaries,
  align_program_date_time,
  align_daterange,
  align_server_control,
  align_live_edge_skew,
  align_media_sequence,
};

/// The stable text of a code, e.g. "duplicate-tag".
[[nodiscard]] inline std::string_view code_name(diag_code code) noexcept {
  switch (code) {
    case diag_code::empty_input: return "empty-input";
    case diag_code::input_too_large: return "input-too-large";
    case diag_code::line_too_long: return "line-too-long";
    case diag_code::too_many_lines: return "too-many-lines";
    case diag_code::nul_byte: return "nul-byte";
    case diag_code::invalid_utf8: return "invalid-utf8";
    case diag_code::byte_order_mark: return "byte-order-mark";
    case diag_code::cr_line_endings: return "cr-line-endings";
    case diag_code::missing_extm3u: return "missing-extm3u";
    case diag_code::mixed_playlist: return "mixed-playlist";
    case diag_code::malformed_tag: return "malformed-tag";
    case diag_code::malformed_attribute_list: return "malformed-attribute-list";
    case diag_code::duplicate_attribute: return "duplicate-attribute";
    case diag_code::missing_attribute: return "missing-attribute";
    case diag_code::invalid_attribute_value: return "invalid-attribute-value";
    case diag_code::attribute_not_allowed: return "attribute-not-allowed";
    case diag_code::unknown_tag: return "unknown-tag";
    case diag_code::unknown_attribute: return "unknown-attribute";
    case diag_code::whitespace: return "whitespace";
    case diag_code::duplicate_tag: return "duplicate-tag";
    case diag_code::tag_after_segment: return "tag-after-segment";
    case diag_code::wrong_playlist_kind: return "wrong-playlist-kind";
    case diag_code::removed_tag: return "removed-tag";
    case diag_code::missing_target_duration: return "missing-target-duration";
    case diag_code::extinf_exceeds_target_duration: return "extinf-exceeds-target-duration";
    case diag_code::missing_extinf: return "missing-extinf";
    case diag_code::negative_duration: return "negative-duration";
    case diag_code::uri_without_stream_inf: return "uri-without-stream-inf";
    case diag_code::stream_inf_without_uri: return "stream-inf-without-uri";
    case diag_code::byterange_without_offset: return "byterange-without-offset";
    case diag_code::version_too_low: return "version-too-low";
    case diag_code::version_missing: return "version-missing";
    case diag_code::daterange_without_program_date_time:
      return "daterange-without-program-date-time";
    case diag_code::part_without_part_inf: return "part-without-part-inf";
    case diag_code::preload_hint_with_endlist: return "preload-hint-with-endlist";
    case diag_code::undefined_variable: return "undefined-variable";
    case diag_code::duplicate_variable: return "duplicate-variable";
    case diag_code::invalid_define: return "invalid-define";
    case diag_code::import_without_parent: return "import-without-parent";
    case diag_code::missing_query_parameter: return "missing-query-parameter";
    case diag_code::expansion_too_large: return "expansion-too-large";
    case diag_code::unsafe_value: return "unsafe-value";
    case diag_code::merge_input: return "merge-input";
    case diag_code::ladder_mismatch: return "ladder-mismatch";
    case diag_code::merge_conflict: return "merge-conflict";
    case diag_code::invalid_base_uri: return "invalid-base-uri";
    case diag_code::key_missing_method: return "key-missing-method";
    case diag_code::key_none_with_attributes: return "key-none-with-attributes";
    case diag_code::key_missing_uri: return "key-missing-uri";
    case diag_code::key_iv_not_allowed: return "key-iv-not-allowed";
    case diag_code::key_unknown_method: return "key-unknown-method";
    case diag_code::map_missing_uri: return "map-missing-uri";
    case diag_code::map_byterange_without_offset: return "map-byterange-without-offset";
    case diag_code::map_key_without_iv: return "map-key-without-iv";
    case diag_code::part_missing_attribute: return "part-missing-attribute";
    case diag_code::part_exceeds_part_target: return "part-exceeds-part-target";
    case diag_code::part_inf_missing_part_target: return "part-inf-missing-part-target";
    case diag_code::part_hold_back_missing: return "part-hold-back-missing";
    case diag_code::part_hold_back_too_small: return "part-hold-back-too-small";
    case diag_code::hold_back_too_small: return "hold-back-too-small";
    case diag_code::can_skip_until_too_small: return "can-skip-until-too-small";
    case diag_code::can_skip_dateranges_without_can_skip_until:
      return "can-skip-dateranges-without-can-skip-until";
    case diag_code::invalid_playlist_type: return "invalid-playlist-type";
    case diag_code::start_missing_time_offset: return "start-missing-time-offset";
    case diag_code::skip_missing_skipped_segments: return "skip-missing-skipped-segments";
    case diag_code::preload_hint_missing_attribute: return "preload-hint-missing-attribute";
    case diag_code::rendition_report_missing_uri: return "rendition-report-missing-uri";
    case diag_code::daterange_missing_id: return "daterange-missing-id";
    case diag_code::daterange_missing_start_date: return "daterange-missing-start-date";
    case diag_code::daterange_cue_pre_and_post: return "daterange-cue-pre-and-post";
    case diag_code::daterange_end_on_next_without_class: return "daterange-end-on-next-without-class";
    case diag_code::daterange_end_on_next_with_end: return "daterange-end-on-next-with-end";
    case diag_code::daterange_end_before_start: return "daterange-end-before-start";
    case diag_code::daterange_duration_mismatch: return "daterange-duration-mismatch";
    case diag_code::daterange_conflict: return "daterange-conflict";
    case diag_code::stream_inf_missing_bandwidth: return "stream-inf-missing-bandwidth";
    case diag_code::iframe_stream_missing_attribute: return "iframe-stream-missing-attribute";
    case diag_code::media_missing_attribute: return "media-missing-attribute";
    case diag_code::media_invalid_type: return "media-invalid-type";
    case diag_code::media_uri_not_allowed: return "media-uri-not-allowed";
    case diag_code::media_missing_uri: return "media-missing-uri";
    case diag_code::media_forced_not_subtitles: return "media-forced-not-subtitles";
    case diag_code::media_audio_only_attribute: return "media-audio-only-attribute";
    case diag_code::media_default_not_autoselect: return "media-default-not-autoselect";
    case diag_code::media_missing_instream_id: return "media-missing-instream-id";
    case diag_code::media_invalid_instream_id: return "media-invalid-instream-id";
    case diag_code::unresolved_group: return "unresolved-group";
    case diag_code::closed_captions_none_mixed: return "closed-captions-none-mixed";
    case diag_code::duplicate_rendition_name: return "duplicate-rendition-name";
    case diag_code::multiple_default_renditions: return "multiple-default-renditions";
    case diag_code::rendition_groups_differ: return "rendition-groups-differ";
    case diag_code::session_data_missing_data_id: return "session-data-missing-data-id";
    case diag_code::session_data_value_or_uri: return "session-data-value-or-uri";
    case diag_code::duplicate_session_data: return "duplicate-session-data";
    case diag_code::session_key_method_none: return "session-key-method-none";
    case diag_code::duplicate_session_key: return "duplicate-session-key";
    case diag_code::invalid_stable_id: return "invalid-stable-id";
    case diag_code::invalid_pathway_id: return "invalid-pathway-id";
    case diag_code::content_steering_missing_server_uri: return "content-steering-missing-server-uri";
    case diag_code::steering_pathway_not_found: return "steering-pathway-not-found";
    case diag_code::redundant_variants_differ: return "redundant-variants-differ";
    case diag_code::pathway_missing_variant: return "pathway-missing-variant";
    case diag_code::group_on_multiple_pathways: return "group-on-multiple-pathways";
    case diag_code::pathway_stable_variant_ids_differ: return "pathway-stable-variant-ids-differ";
    case diag_code::pathway_stable_rendition_ids_differ: return "pathway-stable-rendition-ids-differ";
    case diag_code::update_empty_snapshot: return "update-empty-snapshot";
    case diag_code::update_media_sequence_regressed: return "update-media-sequence-regressed";
    case diag_code::update_media_sequence_reset: return "update-media-sequence-reset";
    case diag_code::update_media_sequence_mismatch: return "update-media-sequence-mismatch";
    case diag_code::update_uri_changed: return "update-uri-changed";
    case diag_code::update_segment_changed: return "update-segment-changed";
    case diag_code::update_segment_inserted: return "update-segment-inserted";
    case diag_code::update_discontinuity_sequence: return "update-discontinuity-sequence";
    case diag_code::update_removed_not_from_front: return "update-removed-not-from-front";
    case diag_code::update_target_duration_changed: return "update-target-duration-changed";
    case diag_code::update_playlist_type: return "update-playlist-type";
    case diag_code::update_endlist_removed: return "update-endlist-removed";
    case diag_code::update_after_endlist: return "update-after-endlist";
    case diag_code::update_window_too_short: return "update-window-too-short";
    case diag_code::update_stale: return "update-stale";
    case diag_code::update_stuck: return "update-stuck";
    case diag_code::update_daterange_removed: return "update-daterange-removed";
    case diag_code::update_daterange_changed: return "update-daterange-changed";
    case diag_code::update_key_removed: return "update-key-removed";
    case diag_code::update_map_removed: return "update-map-removed";
    case diag_code::update_part_removed: return "update-part-removed";
    case diag_code::update_part_changed: return "update-part-changed";
    case diag_code::update_preload_hint_mismatch: return "update-preload-hint-mismatch";
    case diag_code::update_skip_not_covered: return "update-skip-not-covered";
    case diag_code::update_version_changed: return "update-version-changed";
    case diag_code::update_server_control_changed: return "update-server-control-changed";
    case diag_code::lag_stale_edge: return "lag-stale-edge";
    case diag_code::lag_player_stall: return "lag-player-stall";
    case diag_code::lag_cdn_ahead: return "lag-cdn-ahead";
    case diag_code::lag_beyond_window: return "lag-beyond-window";
    case diag_code::align_no_overlap: return "align-no-overlap";
    case diag_code::align_target_duration: return "align-target-duration";
    case diag_code::align_playlist_type: return "align-playlist-type";
    case diag_code::align_discontinuity_sequence: return "align-discontinuity-sequence";
    case diag_code::align_discontinuity_position: return "align-discontinuity-position";
    case diag_code::align_segment_boundaries: return "align-segment-boundaries";
    case diag_code::align_program_date_time: return "align-program-date-time";
    case diag_code::align_daterange: return "align-daterange";
    case diag_code::align_server_control: return "align-server-control";
    case diag_code::align_live_edge_skew: return "align-live-edge-skew";
    case diag_code::align_media_sequence: return "align-media-sequence";
  }
  return "unknown";
}

[[nodiscard]] inline std::string_view severity_name(severity s) noexcept {
  switch (s) {
    case severity::info: return "info";
    case severity::warning: return "warning";
    case severity::error: return "error";
  }
  return "unknown";
}

/// One finding, positioned at a 1-based line and 1-based byte column. Line 0 means
/// "not tied to a line": the input's size, or a finding of an operation (merge,
/// substitution) on a model rather than on text. An empty input is reported at 1:1.
struct diagnostic {
  diag_code code = diag_code::malformed_tag;
  hlspp::severity severity = severity::error;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string message;

  /// "LINE:COLUMN: SEVERITY: CODE: message" (callers prepend the source name).
  [[nodiscard]] std::string to_string() const {
    std::string out = std::to_string(line);
    out += ':';
    out += std::to_string(column);
    out += ": ";
    out += severity_name(severity);
    out += ": ";
    out += code_name(code);
    out += ": ";
    out += message;
    return out;
  }

  friend bool operator==(const diagnostic& a, const diagnostic& b) {
    return a.code == b.code && a.severity == b.severity && a.line == b.line &&
           a.column == b.column && a.message == b.message;
  }
  friend bool operator!=(const diagnostic& a, const diagnostic& b) { return !(a == b); }
};

using diagnostics = std::vector<diagnostic>;

/// True when any diagnostic has error severity.
[[nodiscard]] inline bool has_errors(const diagnostics& list) noexcept {
  for (const auto& d : list)
    if (d.severity == severity::error) return true;
  return false;
}

/// Base of hlspp's exceptions: carries the diagnostic that caused it.
class error : public std::runtime_error {
 public:
  explicit error(diagnostic d) : std::runtime_error(d.to_string()), diagnostic_(std::move(d)) {}
  /// The whole diagnostic (code, severity, position, message).
  [[nodiscard]] const hlspp::diagnostic& info() const noexcept { return diagnostic_; }
  [[nodiscard]] std::uint32_t line() const noexcept { return diagnostic_.line; }
  [[nodiscard]] std::uint32_t column() const noexcept { return diagnostic_.column; }
  [[nodiscard]] diag_code code() const noexcept { return diagnostic_.code; }

 private:
  hlspp::diagnostic diagnostic_;
};

/// Thrown by the throwing layer of parsing (parse_or_throw, result::value()).
class parse_error : public error {
 public:
  using error::error;
};

/// Thrown by to_string() when the model holds a value that would corrupt the text
/// (a quoted string with '"', CR or LF, a URI line starting with '#', ...).
class serialize_error : public error {
 public:
  using error::error;
};

}  // namespace hlspp
