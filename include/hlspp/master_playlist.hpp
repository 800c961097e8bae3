// SPDX-License-Identifier: MIT
#pragma once

/// @file master_playlist.hpp
/// The multivariant ("master") playlist model (RFC 8216bis §4.4.6).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "media_playlist.hpp"
#include "types.hpp"

namespace hlspp {

/// EXT-X-STREAM-INF and the URI line that follows it.
struct variant_stream {
  std::optional<std::uint64_t> bandwidth;
  std::optional<std::uint64_t> average_bandwidth;
  std::optional<double> score;
  std::optional<std::string> codecs;
  std::optional<std::string> supplemental_codecs;
  std::optional<hlspp::resolution> resolution;
  std::optional<double> frame_rate;
  std::optional<std::string> hdcp_level;  // TYPE-0, TYPE-1, NONE
  std::optional<std::string> allowed_cpc;
  std::optional<std::string> video_range;  // SDR, HLG, PQ
  std::optional<std::string> req_video_layout;
  std::optional<std::string> stable_variant_id;
  std::optional<std::string> audio;
  std::optional<std::string> video;
  std::optional<std::string> subtitles;
  /// A CLOSED-CAPTIONS group id, or "NONE" for the unquoted enumerated NONE.
  std::optional<std::string> closed_captions;
  std::optional<std::string> pathway_id;
  std::optional<std::uint64_t> program_id;  // removed in v6; kept when present
  attribute_list other;
  std::string uri;                 // the URI line; empty when the input had none
  std::vector<extra_line> extras;  // lines attached before it
  block_origin origin;             // not part of the value
};

/// EXT-X-I-FRAME-STREAM-INF.
struct iframe_stream {
  std::optional<std::uint64_t> bandwidth;
  std::optional<std::uint64_t> average_bandwidth;
  std::optional<double> score;
  std::optional<std::string> codecs;
  std::optional<std::string> supplemental_codecs;
  std::optional<hlspp::resolution> resolution;
  std::optional<std::string> hdcp_level;
  std::optional<std::string> allowed_cpc;
  std::optional<std::string> video_range;
  std::optional<std::string> req_video_layout;
  std::optional<std::string> stable_variant_id;
  std::optional<std::string> video;
  std::optional<std::string> pathway_id;
  std::optional<std::uint64_t> program_id;
  std::optional<std::string> uri;
  attribute_list other;
  std::vector<extra_line> extras;
  block_origin origin;
};

/// EXT-X-MEDIA: one alternative rendition.
struct rendition {
  std::optional<std::string> type;  // AUDIO, VIDEO, SUBTITLES, CLOSED-CAPTIONS
  std::optional<std::string> uri;
  std::optional<std::string> group_id;
  std::optional<std::string> language;
  std::optional<std::string> assoc_language;
  std::optional<std::string> name;
  std::optional<std::string> stable_rendition_id;
  std::optional<bool> is_default;  // DEFAULT
  std::optional<bool> autoselect;
  std::optional<bool> forced;
  std::optional<std::string> instream_id;
  std::optional<std::uint64_t> bit_depth;
  std::optional<std::uint64_t> sample_rate;
  std::optional<std::string> characteristics;
  std::optional<std::string> channels;
  attribute_list other;
  std::vector<extra_line> extras;
  block_origin origin;
};

/// EXT-X-SESSION-DATA.
struct session_data {
  std::optional<std::string> data_id;
  std::optional<std::string> value;
  std::optional<std::string> uri;
  std::optional<std::string> format;  // JSON or RAW
  std::optional<std::string> language;
  attribute_list other;
  std::vector<extra_line> extras;
  block_origin origin;
};

/// EXT-X-SESSION-KEY: a key plus its place in the text.
struct session_key : key {
  std::vector<extra_line> extras;
  block_origin origin;
};

/// EXT-X-CONTENT-STEERING.
struct content_steering {
  std::optional<std::string> server_uri;
  std::optional<std::string> pathway_id;
  attribute_list other;
};

/// A multivariant playlist.
struct master_playlist {
  std::optional<std::uint64_t> version;
  bool independent_segments = false;
  std::optional<start_point> start;
  std::vector<variable_definition> defines;
  std::vector<rendition> renditions;
  std::vector<variant_stream> variants;
  std::vector<iframe_stream> iframe_streams;
  std::vector<hlspp::session_data> session_data;
  std::vector<session_key> session_keys;
  std::optional<hlspp::content_steering> content_steering;
  std::vector<extra_line> extras;  // playlist-level comments, blank lines, unknown tags
  detail::playlist_layout layout;  // not part of the value
};

}  // namespace hlspp
