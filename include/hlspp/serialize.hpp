// SPDX-License-Identifier: MIT
#pragma once

/// @file serialize.hpp
/// serialize(): playlist to text. Lossless by default (unchanged lines keep their
/// exact bytes); canonical on request. Refuses, rather than writes, a model whose
/// values would change the meaning of the text. serialize_into() writes into a
/// string the caller keeps, reusing its storage.

#include <optional>
#include <string>

#include "detail/writer.hpp"
#include "playlist.hpp"

namespace hlspp {

struct serialize_options {
  /// Normalized output: LF endings, spec order, canonical numbers and quoting.
  bool canonical = false;
};

using serialize_result = result<std::string, serialize_error>;

/// What serialize_into() reports: nothing when the text was written, else why not.
using serialize_status = std::optional<diagnostic>;

namespace detail {
template <class P>
serialize_status write_into(std::string& out, const P& pl, bool canonical) {
  out.clear();
  writer w(out, pl.layout, canonical);
  w.write(pl);
  if (w.error) out.clear();
  return w.error;
}
}  // namespace detail

/// Like serialize(), but writes into `out`, replacing what it held and keeping its
/// storage: writing a long playlist again and again (a live DVR window republished
/// every few seconds) then fills memory it already has instead of fresh pages, which
/// at a million segments costs more than the writing (docs/performance.md). Returns
/// the error when the model cannot be written, and leaves `out` empty then:
///
///     std::string text;
///     if (auto error = hlspp::serialize_into(text, playlist)) report(error->to_string());
[[nodiscard]] inline serialize_status serialize_into(std::string& out, const media_playlist& pl,
                                                     const serialize_options& options = {}) {
  return detail::write_into(out, pl, options.canonical);
}

[[nodiscard]] inline serialize_status serialize_into(std::string& out, const master_playlist& pl,
                                                     const serialize_options& options = {}) {
  return detail::write_into(out, pl, options.canonical);
}

[[nodiscard]] inline serialize_status serialize_into(std::string& out, const playlist& pl,
                                                     const serialize_options& options = {}) {
  if (const auto* m = pl.as_master()) return serialize_into(out, *m, options);
  return serialize_into(out, pl.media(), options);
}

/// The text of `pl` (lossless unless options.canonical), or the error that stops it.
[[nodiscard]] inline serialize_result serialize(const media_playlist& pl, const serialize_options& options = {}) {
  std::string out;
  if (auto error = serialize_into(out, pl, options)) return serialize_result(*error, {*error});
  return serialize_result(std::move(out));
}

[[nodiscard]] inline serialize_result serialize(const master_playlist& pl, const serialize_options& options = {}) {
  std::string out;
  if (auto error = serialize_into(out, pl, options)) return serialize_result(*error, {*error});
  return serialize_result(std::move(out));
}

[[nodiscard]] inline serialize_result serialize(const playlist& pl, const serialize_options& options = {}) {
  if (const auto* m = pl.as_master()) return serialize(*m, options);
  return serialize(pl.media(), options);
}

/// Like serialize(), but throws hlspp::serialize_error when the model cannot be written.
template <class P>
[[nodiscard]] std::string to_string(const P& pl, const serialize_options& options = {}) {
  return serialize(pl, options).value();
}

}  // namespace hlspp
