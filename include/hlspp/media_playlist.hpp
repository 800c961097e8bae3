// SPDX-License-Identifier: MIT
#pragma once

/// @file media_playlist.hpp
/// The media playlist model (RFC 8216bis §4.4.3–§4.4.5): segments with every
/// segment tag, LL-HLS parts, metadata tags and the playlist-wide tags.
/// Every attribute is typed and optional (absent = not written); attributes the
/// model has no field for are kept in `other`, in order.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compact.hpp"
#include "types.hpp"

namespace hlspp {

namespace detail {
struct source_buffer;
/// Bookkeeping for lossless writing: the parsed text and where each playlist-level
/// line stood. Not part of the playlist's value.
struct layout_entry {
  text_origin origin;
  std::uint16_t tag = 0;    // detail::tag_id of the line, or an extra
  std::uint32_t index = 0;  // which element of a repeated tag / extras
};
struct playlist_layout {
  std::vector<std::shared_ptr<const source_buffer>> sources;  // [0] = the parsed text
  std::vector<layout_entry> entries;                          // playlist-level lines, in order
  std::uint32_t primary_source = 0;                           // id of the parsed text (0: none)
  bool crlf = false;                                          // dominant line ending
  bool extm3u_missing = false;                                // parsed (leniently) without one
};
}  // namespace detail

/// EXT-X-KEY (segments) and EXT-X-SESSION-KEY (multivariant).
struct key {
  std::optional<std::string> method;  // NONE, AES-128, SAMPLE-AES, SAMPLE-AES-CTR, AES-256-GCM
  std::optional<std::string> uri;
  std::optional<std::string> iv;  // hexadecimal-sequence as written, "0x..."
  std::optional<std::string> keyformat;
  std::optional<std::string> keyformatversions;
  attribute_list other;
};

/// EXT-X-MAP: the media initialization section.
struct init_section {
  std::optional<std::string> uri;
  std::optional<byte_range> byterange;
  attribute_list other;
};

/// EXT-X-DATERANGE. Client attributes (X-...) are kept in `other` with their values
/// as written; client_attribute() finds one.
struct date_range {
  std::optional<std::string> id;
  std::optional<std::string> class_name;  // CLASS
  std::optional<date_time> start_date;
  std::optional<std::string> cue;
  std::optional<date_time> end_date;
  std::optional<double> duration;
  std::optional<double> planned_duration;
  std::optional<std::string> scte35_cmd;
  std::optional<std::string> scte35_out;
  std::optional<std::string> scte35_in;
  std::optional<bool> end_on_next;
  attribute_list other;

  [[nodiscard]] const attribute* client_attribute(std::string_view name) const noexcept {
    for (const auto& a : other)
      if (a.name == name) return &a;
    return nullptr;
  }
};

/// EXT-X-PART (LL-HLS partial segment).
struct partial_segment {
  std::optional<std::string> uri;
  std::optional<double> duration;
  std::optional<bool> independent;
  std::optional<byte_range> byterange;
  std::optional<bool> gap;
  attribute_list other;
};

/// EXT-X-PRELOAD-HINT.
struct preload_hint {
  std::optional<std::string> type;  // PART or MAP
  std::optional<std::string> uri;
  std::optional<std::uint64_t> byterange_start;
  std::optional<std::uint64_t> byterange_length;
  attribute_list other;
};

/// EXT-X-RENDITION-REPORT.
struct rendition_report {
  std::optional<std::string> uri;
  std::optional<std::uint64_t> last_msn;
  std::optional<std::uint64_t> last_part;
  attribute_list other;
};

/// EXT-X-SKIP (playlist delta updates).
struct skip_info {
  std::optional<std::uint64_t> skipped_segments;
  std::optional<std::string> recently_removed_dateranges;  // tab-separated IDs, may be empty
  attribute_list other;
};

/// EXT-X-SERVER-CONTROL.
struct server_control {
  std::optional<double> can_skip_until;
  std::optional<bool> can_skip_dateranges;
  std::optional<double> hold_back;
  std::optional<double> part_hold_back;
  std::optional<bool> can_block_reload;
  attribute_list other;
};

/// EXT-X-PART-INF.
struct part_information {
  std::optional<double> part_target;
  attribute_list other;
};

/// EXT-X-START.
struct start_point {
  std::optional<double> time_offset;
  std::optional<bool> precise;
  attribute_list other;
};

/// EXT-X-DEFINE: exactly one of NAME(+VALUE), IMPORT or QUERYPARAM.
struct variable_definition {
  std::optional<std::string> name;
  std::optional<std::string> value;
  std::optional<std::string> import;
  std::optional<std::string> queryparam;
  attribute_list other;
};

/// One media segment: its URI line and every tag that stood before it, kept as
/// written (a KEY or MAP is stored on the segment it precedes; effective_key()
/// and effective_map() give what applies).
struct media_segment {
  shared_string uri;  // empty only for the open (trailing) pseudo-segment
  double duration = 0;
  shared_string title;
  bool has_extinf = true;  // false when the input had no (valid) EXTINF for it
  bool discontinuity = false;
  bool gap = false;
  std::optional<byte_range> byterange;
  std::optional<std::uint64_t> bitrate;
  // The members most segments leave empty are one pointer wide (compact.hpp): they
  // read and change like std::vector / std::optional.
  compact_vector<key> keys;
  boxed_optional<init_section> map;
  std::optional<date_time> program_date_time;
  compact_vector<date_range> dateranges;
  compact_vector<partial_segment> parts;
  compact_vector<extra_line> extras;  // comments, blank lines, unknown tags attached here
  block_origin origin;                // not part of the value
};

/// A media playlist. Playlist-wide tags may appear anywhere in the text; the
/// lossless writer puts each back where it stood.
struct media_playlist {
  std::optional<std::uint64_t> version;
  bool independent_segments = false;
  std::optional<start_point> start;
  std::vector<variable_definition> defines;
  std::optional<std::uint64_t> target_duration;
  std::optional<std::uint64_t> media_sequence;
  std::optional<std::uint64_t> discontinuity_sequence;
  bool endlist = false;
  std::optional<std::string> playlist_type;  // EVENT or VOD
  bool i_frames_only = false;
  std::optional<part_information> part_inf;
  std::optional<hlspp::server_control> server_control;
  std::optional<skip_info> skip;
  std::optional<std::string> allow_cache;  // removed in v7; kept when present
  std::vector<media_segment> segments;
  /// Tags after the last URI line: parts of the segment still being produced,
  /// date ranges after the last segment, and so on. Its `uri` is empty.
  media_segment trailing = [] {
    media_segment open;
    open.has_extinf = false;
    return open;
  }();
  std::vector<preload_hint> preload_hints;
  std::vector<rendition_report> rendition_reports;
  std::vector<extra_line> extras;  // playlist-level comments, blank lines, unknown tags
  detail::playlist_layout layout;  // not part of the value

  media_playlist() = default;
  media_playlist(const media_playlist&) = default;
  media_playlist(media_playlist&&) = default;
  media_playlist& operator=(const media_playlist&) = default;
  media_playlist& operator=(media_playlist&&) = default;
  /// Gives the segments' strings back in batches (see detail::release_batch): the
  /// segments of a parsed playlist share one text block. Each segment is destroyed
  /// right after its strings are taken, from the back, so the segments are read once:
  /// a second pass (the vector's own destructor) reads a million-segment playlist's
  /// 190 MB from memory again.
  ~media_playlist() { clear_segments(); }

  /// Destroys every segment and keeps the vector's storage (what a parse that
  /// recycles this playlist reuses, see parse_recycling()).
  void clear_segments() noexcept {
    detail::release_batch batch;
    while (!segments.empty()) {
      media_segment& s = segments.back();
      batch.take(s.uri);
      batch.take(s.title);
      if (s.program_date_time) batch.take(s.program_date_time->text);
      segments.pop_back();
    }
  }

  /// Media sequence number of segments[i] (after the segments an EXT-X-SKIP replaced).
  [[nodiscard]] std::uint64_t sequence_number(std::size_t i) const noexcept {
    const std::uint64_t skipped = skip ? skip->skipped_segments.value_or(0) : 0;
    return media_sequence.value_or(0) + skipped + i;
  }
  /// Sum of the segment durations.
  [[nodiscard]] double total_duration() const noexcept {
    double total = 0;
    for (const auto& s : segments) total += s.duration;
    return total;
  }
  /// The EXT-X-KEY tags in effect for segments[i] (the last KEY set at or before it;
  /// several KEY tags in a row with different KEYFORMATs apply together).
  [[nodiscard]] const std::vector<key>* effective_keys(std::size_t i) const noexcept {
    for (std::size_t k = i + 1; k-- > 0;)
      if (k < segments.size() && !segments[k].keys.empty()) return &segments[k].keys.as_vector();
    return nullptr;
  }
  /// The EXT-X-MAP in effect for segments[i], if any.
  [[nodiscard]] const init_section* effective_map(std::size_t i) const noexcept {
    for (std::size_t k = i + 1; k-- > 0;)
      if (k < segments.size() && segments[k].map) return &*segments[k].map;
    return nullptr;
  }
};

}  // namespace hlspp
