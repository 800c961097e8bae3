// SPDX-License-Identifier: MIT
#pragma once

/// @file compare.hpp
/// Value equality of model elements. Origins and layout (where an element came
/// from) are not part of the value; kept lines (comments, unknown tags) are.

#include "detail/schema.hpp"
#include "master_playlist.hpp"
#include "media_playlist.hpp"
#include "playlist.hpp"

namespace hlspp {

// Attribute-list elements compare attribute by attribute through their schema.
inline bool operator==(const key& a, const key& b) { return detail::attributes_equal(a, b); }
inline bool operator==(const init_section& a, const init_section& b) { return detail::attributes_equal(a, b); }
inline bool operator==(const date_range& a, const date_range& b) { return detail::attributes_equal(a, b); }
inline bool operator==(const partial_segment& a, const partial_segment& b) {
  return detail::attributes_equal(a, b);
}
inline bool operator==(const preload_hint& a, const preload_hint& b) { return detail::attributes_equal(a, b); }
inline bool operator==(const rendition_report& a, const rendition_report& b) {
  return detail::attributes_equal(a, b);
}
inline bool operator==(const skip_info& a, const skip_info& b) { return detail::attributes_equal(a, b); }
inline bool operator==(const server_control& a, const server_control& b) {
  return detail::attributes_equal(a, b);
}
inline bool operator==(const part_information& a, const part_information& b) {
  return detail::attributes_equal(a, b);
}
inline bool operator==(const start_point& a, const start_point& b) { return detail::attributes_equal(a, b); }
inline bool operator==(const variable_definition& a, const variable_definition& b) {
  return detail::attributes_equal(a, b);
}
inline bool operator==(const content_steering& a, const content_steering& b) {
  return detail::attributes_equal(a, b);
}
inline bool operator==(const variant_stream& a, const variant_stream& b) {
  return detail::attributes_equal(a, b) && a.uri == b.uri && a.extras == b.extras;
}
inline bool operator==(const iframe_stream& a, const iframe_stream& b) {
  return detail::attributes_equal(a, b) && a.extras == b.extras;
}
inline bool operator==(const rendition& a, const rendition& b) {
  return detail::attributes_equal(a, b) && a.extras == b.extras;
}
inline bool operator==(const session_data& a, const session_data& b) {
  return detail::attributes_equal(a, b) && a.extras == b.extras;
}
inline bool operator==(const session_key& a, const session_key& b) {
  return detail::attributes_equal(a, b) && a.extras == b.extras;
}

inline bool operator==(const media_segment& a, const media_segment& b) {
  return a.uri == b.uri && a.duration == b.duration && a.title == b.title && a.has_extinf == b.has_extinf &&
         a.byterange == b.byterange && a.discontinuity == b.discontinuity && a.gap == b.gap &&
         a.bitrate == b.bitrate && a.keys == b.keys && a.map == b.map &&
         a.program_date_time == b.program_date_time && a.dateranges == b.dateranges && a.parts == b.parts &&
         a.extras == b.extras;
}

inline bool operator==(const media_playlist& a, const media_playlist& b) {
  return a.version == b.version && a.independent_segments == b.independent_segments && a.start == b.start &&
         a.defines == b.defines && a.target_duration == b.target_duration &&
         a.media_sequence == b.media_sequence && a.discontinuity_sequence == b.discontinuity_sequence &&
         a.endlist == b.endlist && a.playlist_type == b.playlist_type && a.i_frames_only == b.i_frames_only &&
         a.part_inf == b.part_inf && a.server_control == b.server_control && a.skip == b.skip &&
         a.allow_cache == b.allow_cache && a.segments == b.segments && a.trailing == b.trailing &&
         a.preload_hints == b.preload_hints && a.rendition_reports == b.rendition_reports &&
         a.extras == b.extras;
}

inline bool operator==(const master_playlist& a, const master_playlist& b) {
  return a.version == b.version && a.independent_segments == b.independent_segments && a.start == b.start &&
         a.defines == b.defines && a.renditions == b.renditions && a.variants == b.variants &&
         a.iframe_streams == b.iframe_streams && a.session_data == b.session_data &&
         a.session_keys == b.session_keys && a.content_steering == b.content_steering && a.extras == b.extras;
}

inline bool operator==(const playlist& a, const playlist& b) { return a.get() == b.get(); }

inline bool operator!=(const key& a, const key& b) { return !(a == b); }
inline bool operator!=(const init_section& a, const init_section& b) { return !(a == b); }
inline bool operator!=(const date_range& a, const date_range& b) { return !(a == b); }
inline bool operator!=(const partial_segment& a, const partial_segment& b) { return !(a == b); }
inline bool operator!=(const preload_hint& a, const preload_hint& b) { return !(a == b); }
inline bool operator!=(const rendition_report& a, const rendition_report& b) { return !(a == b); }
inline bool operator!=(const skip_info& a, const skip_info& b) { return !(a == b); }
inline bool operator!=(const server_control& a, const server_control& b) { return !(a == b); }
inline bool operator!=(const part_information& a, const part_information& b) { return !(a == b); }
inline bool operator!=(const start_point& a, const start_point& b) { return !(a == b); }
inline bool operator!=(const variable_definition& a, const variable_definition& b) { return !(a == b); }
inline bool operator!=(const content_steering& a, const content_steering& b) { return !(a == b); }
inline bool operator!=(const variant_stream& a, const variant_stream& b) { return !(a == b); }
inline bool operator!=(const iframe_stream& a, const iframe_stream& b) { return !(a == b); }
inline bool operator!=(const rendition& a, const rendition& b) { return !(a == b); }
inline bool operator!=(const session_data& a, const session_data& b) { return !(a == b); }
inline bool operator!=(const session_key& a, const session_key& b) { return !(a == b); }
inline bool operator!=(const media_segment& a, const media_segment& b) { return !(a == b); }
inline bool operator!=(const media_playlist& a, const media_playlist& b) { return !(a == b); }
inline bool operator!=(const master_playlist& a, const master_playlist& b) { return !(a == b); }
inline bool operator!=(const playlist& a, const playlist& b) { return !(a == b); }

}  // namespace hlspp
