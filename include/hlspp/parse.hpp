// SPDX-License-Identifier: MIT
#pragma once

/// @file parse.hpp
/// parse(): text to playlist, never throwing; parse_recycling() to re-read a
/// playlist in the storage of its previous reading; parse_or_throw() for callers who
/// prefer exceptions.

#include <string_view>
#include <utility>

#include "detail/parser.hpp"
#include "playlist.hpp"
#include "validate.hpp"

namespace hlspp {

namespace detail {
/// A strict parse also runs validate(): its new errors fail the result.
inline parse_result check_strict(parse_result parsed, const parse_options& options) {
  if (options.strictness != strictness::strict || !parsed.ok()) return parsed;
  hlspp::diagnostics all = parsed.diagnostics();
  std::optional<diagnostic> first_error;
  for (auto& d : validate(*parsed)) {
    bool seen = false;
    for (const auto& have : all)
      if (have.code == d.code && have.line == d.line) seen = true;
    if (seen) continue;
    if (d.severity == severity::error && !first_error) first_error = d;
    all.push_back(std::move(d));
  }
  if (first_error) return parse_result(std::move(*first_error), std::move(all));
  return parse_result(std::move(*parsed), std::move(all));
}
}  // namespace detail

/// Parses a master or media playlist. The result holds the playlist and every
/// diagnostic; it holds no playlist only when the text cannot be parsed at the
/// requested strictness (result::error() says where and why).
/// Strict parsing also runs validate(): every MUST the model can show is enforced.
[[nodiscard]] inline parse_result parse(std::string_view text, const parse_options& options = {}) {
  return detail::check_strict(detail::parser(text, options).run(), options);
}

[[nodiscard]] inline parse_result parse(std::string_view text, hlspp::strictness level) {
  parse_options options;
  options.strictness = level;
  return parse(text, options);
}

/// Like parse(), but builds the result in `recycled`'s storage: a media playlist's
/// segment vector is emptied and filled again, and the copy of the text goes into the
/// block of the text `recycled` was parsed from (when no string taken from it is still
/// held elsewhere). A long playlist re-read every few seconds (a live DVR window in a
/// Lambda) then does not ask the system for hundreds of megabytes of fresh pages on
/// each read, which at a million segments costs more than the parse itself
/// (docs/performance.md). Storage over four times what the new text needs is let go.
///
/// The result is exactly what parse(text, options) gives. What `recycled` held is
/// discarded, whether or not `text` parses: views into its strings dangle, while
/// shared_string copies taken from it stay valid (and keep their bytes: a text block
/// still shared is not reused). `text` may lie in the text `recycled` was parsed
/// from, but not in other strings `recycled` owns (they are gone before it is read).
[[nodiscard]] inline parse_result parse_recycling(std::string_view text, playlist&& recycled,
                                                  const parse_options& options = {}) {
  detail::recycled_storage storage;
  shared_string old_text;
  auto take_text = [&](const detail::playlist_layout& layout) {
    for (const auto& source : layout.sources)
      if (source && source->id == layout.primary_source) old_text = source->text;
  };
  if (media_playlist* old = recycled.as_media()) {
    old->clear_segments();
    storage.segments = std::move(old->segments);
    take_text(old->layout);
  } else {
    take_text(recycled.master().layout);
  }
  recycled = playlist();  // the rest of it goes now, before the new text is copied
  storage.text.keep(std::move(old_text));
  return detail::check_strict(detail::parser(text, options, std::move(storage)).run(), options);
}

/// Like parse(), but throws hlspp::parse_error (line, column, code) on failure.
[[nodiscard]] inline playlist parse_or_throw(std::string_view text, const parse_options& options = {}) {
  return parse(text, options).value();
}

}  // namespace hlspp
