// SPDX-License-Identifier: MIT
#pragma once

/// @file parse.hpp
/// parse(): text to playlist, never throwing; parse_or_throw() for callers who
/// prefer exceptions.

#include <string_view>

#include "detail/parser.hpp"
#include "playlist.hpp"
#include "validate.hpp"

namespace hlspp {

/// Parses a master or media playlist. The result holds the playlist and every
/// diagnostic; it holds no playlist only when the text cannot be parsed at the
/// requested strictness (result::error() says where and why).
/// Strict parsing also runs validate(): every MUST the model can show is enforced.
[[nodiscard]] inline parse_result parse(std::string_view text, const parse_options& options = {}) {
  parse_result parsed = detail::parser(text, options).run();
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
