// SPDX-License-Identifier: MIT
// The invariants of fuzz_diff (include/hlspp/live.hpp), kept apart from
// invariants.hpp so the other targets do not depend on the live analysis.
// Shared with tests/cpp/test_fuzz_regressions.cpp like invariants.hpp.
#pragma once

#include <hlspp/live.hpp>

#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>

#include "invariants.hpp"

namespace hlspp_fuzz {

/// The separator line of fuzz_diff inputs: "PREVIOUS\n#--DIFF\nCURRENT".
inline constexpr std::string_view diff_separator = "#--DIFF";

namespace detail {

inline std::size_t line_count(std::string_view s) {
  std::size_t n = 1;
  for (char c : s)
    if (c == '\n') ++n;
  return n;
}

inline std::string check_one_diff(const hlspp::parse_result& prev, const hlspp::parse_result& cur,
                                  std::string_view cur_text, double elapsed) {
  using hlspp::live_status;
  const auto d = hlspp::diff(prev, cur, elapsed);
  const std::string what = "diff(elapsed " + std::to_string(elapsed) + "): ";
  if (hlspp::status_name(d.status) == "unknown") return what + "status out of range";
  const bool unusable = hlspp::detail::live_unusable(cur) != hlspp::detail::live_unusable_reason::none ||
                        hlspp::detail::live_unusable(prev) != hlspp::detail::live_unusable_reason::none;
  if (unusable != (d.status == live_status::unavailable))
    return what + "status " + std::string(hlspp::status_name(d.status)) +
           (unusable ? " for an unusable snapshot" : " unavailable for usable snapshots");
  if (d.status == live_status::invalid_update && !hlspp::has_errors(d.violations))
    return what + "invalid-update without an error-severity violation";
  if (!std::isfinite(d.seconds_added) || !std::isfinite(d.seconds_since_change))
    return what + "non-finite seconds";
  if (d.status != live_status::unavailable) {
    const std::size_t lines = line_count(cur_text);
    for (const auto& v : d.violations)
      if (v.line > lines) return what + "violation positioned past the current snapshot: " + v.to_string();
  }
  return {};
}

}  // namespace detail

/// fuzz_diff: input "PREVIOUS\n#--DIFF\nCURRENT", both parsed leniently.
/// - diff() at several elapsed times: a known status; `unavailable` exactly when
///   a snapshot is unusable (live_unusable()); invalid-update only with an
///   error-severity violation; finite seconds; violations positioned inside the
///   current snapshot;
/// - a usable snapshot diffed with itself: unchanged or ended, no error violation;
/// - lag() and align() of the two media playlists run (no crash, finite figures).
inline std::string check_diff(std::string_view input) {
  const std::size_t sep = input.find(diff_separator);
  if (sep == std::string_view::npos) return {};
  const std::string_view first = input.substr(0, sep);
  const std::string_view rest = input.substr(sep + diff_separator.size());
  const std::size_t eol = rest.find('\n');
  const std::string_view second = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);

  const auto prev = hlspp::parse(first, hlspp::strictness::lenient);
  const auto cur = hlspp::parse(second, hlspp::strictness::lenient);
  for (double elapsed : {0.0, 7.5, 1e6})
    if (std::string e = detail::check_one_diff(prev, cur, second, elapsed); !e.empty()) return e;

  if (hlspp::detail::live_unusable(cur) == hlspp::detail::live_unusable_reason::none) {
    const auto self = hlspp::diff(cur, cur, 0.0);
    if (self.status != hlspp::live_status::unchanged && self.status != hlspp::live_status::ended)
      return "a snapshot diffed with itself is " + std::string(hlspp::status_name(self.status));
    for (const auto& v : self.violations)
      if (v.severity == hlspp::severity::error) return "a snapshot diffed with itself breaks a rule: " + v.to_string();
  }
  if (prev.ok() && cur.ok() && prev->is_media() && cur->is_media()) {
    const auto l = hlspp::lag(cur->media(), prev->media());
    if (!std::isfinite(l.seconds_behind)) return "lag(): non-finite seconds_behind";
    const auto a = hlspp::align(prev->media(), cur->media());
    if (!std::isfinite(a.offset_seconds)) return "align(): non-finite offset";
    if (a.aligned == hlspp::has_errors(a.diagnostics)) return "align(): aligned disagrees with its diagnostics";
  }
  return {};
}

}  // namespace hlspp_fuzz
