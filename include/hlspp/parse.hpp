// SPDX-License-Identifier: MIT
#pragma once

/// @file parse.hpp
/// parse(): text to playlist, never throwing; parse_or_throw() for callers who
/// prefer exceptions.

#include <string_view>

#include "detail/parser.hpp"
#include "playlist.hpp"

namespace hlspp {

/// Parses a master or media playlist. The result holds the playlist and every
/// diagnostic; it holds no playlist only when the text cannot be parsed at the
/// requested strictness (result::error() says where and why).
[[nodiscard]] inline parse_result parse(std::string_view text, const parse_options& options = {}) {
  return detail::parser(text, options).run();
}

[[nodiscard]] inline parse_result parse(std::string_view text, hlspp::strictness level) {
  parse_options options;
  options.strictness = level;
  return parse(text, options);
}

/// Like parse(), but throws hlspp::parse_error (line, column, code) on failure.
[[nodiscard]] inline playlist parse_or_throw(std::string_view text, const parse_options& options = {}) {
  return parse(text, options).value();
}

}  // namespace hlspp
