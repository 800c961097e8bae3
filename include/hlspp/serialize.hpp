// SPDX-License-Identifier: MIT
#pragma once

/// @file serialize.hpp
/// serialize(): playlist to text. Lossless by default (unchanged lines keep their
/// exact bytes); canonical on request. Refuses, rather than writes, a model whose
/// values would change the meaning of the text.

#include <string>

#include "detail/writer.hpp"
#include "playlist.hpp"

namespace hlspp {

struct serialize_options {
  /// Normalized output: LF endings, spec order, canonical numbers and quoting.
  bool canonical = false;
};

using serialize_result = result<std::string, serialize_error>;

[[nodiscard]] inline serialize_result serialize(const media_playlist& pl, const serialize_options& options = {}) {
  std::string out;
  detail::writer w(out, pl.layout, options.canonical);
  w.write(pl);
  if (w.error) return serialize_result(*w.error, {*w.error});
  return serialize_result(std::move(out));
}

[[nodiscard]] inline serialize_result serialize(const master_playlist& pl, const serialize_options& options = {}) {
  std::string out;
  detail::writer w(out, pl.layout, options.canonical);
  w.write(pl);
  if (w.error) return serialize_result(*w.error, {*w.error});
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
