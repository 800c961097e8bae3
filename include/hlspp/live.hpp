// SPDX-License-Identifier: MIT
#pragma once

/// @file live.hpp
/// Live playlist analysis (RFC 8216bis §6.2.1, §6.2.2, §6.2.4, §6.3.4 and what
/// players do about it):
/// - diff():  two snapshots of one media playlist: did it advance, is it stale or
///            stuck, was it reset or ended, and which update rules (D1–D15) it broke;
/// - lag():   how far a CDN copy is behind the origin;
/// - align(): the same rendition served by two regions (R2–R16 as far as
///            playlists show them).
/// Every function is linear in the size of the playlists: segments are matched by
/// media sequence number arithmetic, never by searching.
///
///     double since_change = 0;                        // a watcher's state
///     auto d = hlspp::diff(last, now, since_change);  // parse_result overload too
///     since_change = d.seconds_since_change;          // + the polling interval
///     last = now;
///     if (d.status == hlspp::live_status::stale) ...  // AVPlayer gives up soon

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "compare.hpp"
#include "detail/live_index.hpp"
#include "diagnostics.hpp"
#include "media_playlist.hpp"
#include "playlist.hpp"

namespace hlspp {

/// What a new snapshot of a live media playlist means.
enum class live_status {
  advanced,        ///< new media: a segment, or (LL-HLS) a partial segment
  unchanged,       ///< no new media yet, within the freshness limit
  stale,           ///< no new media for more than stale_factor × target duration (AVPlayer -12888)
  stuck,           ///< no new media for more than stuck_factor × target duration (ExoPlayer)
  reset,           ///< media sequence jumped back before the old window (encoder restart)
  ended,           ///< the current snapshot has EXT-X-ENDLIST
  invalid_update,  ///< an update rule was broken (an error-severity violation)
  unavailable      ///< a snapshot is missing, unparsable, empty or not a media playlist
};

/// The stable spelling of a status: "advanced", ..., "invalid-update", "unavailable".
[[nodiscard]] inline std::string_view status_name(live_status s) noexcept {
  switch (s) {
    case live_status::advanced: return "advanced";
    case live_status::unchanged: return "unchanged";
    case live_status::stale: return "stale";
    case live_status::stuck: return "stuck";
    case live_status::reset: return "reset";
    case live_status::ended: return "ended";
    case live_status::invalid_update: return "invalid-update";
    case live_status::unavailable: return "unavailable";
  }
  return "unknown";
}

/// Freshness thresholds, in target durations (spec-rules §4.3).
/// With LL-HLS (EXT-X-PART-INF and parts in the playlist) a new partial segment is
/// progress, and `stale` starts after stale_factor × PART-TARGET without one (the
/// server must add a part within one part target; 1.5 gives the same margin as
/// for segments). `stuck` always uses stuck_factor × TARGETDURATION.
struct diff_options {
  double stale_factor = 1.5;  ///< AVPlayer's "unchanged for longer than 1.5 * target duration"
  double stuck_factor = 3.5;  ///< ExoPlayer's DEFAULT_PLAYLIST_STUCK_TARGET_DURATION_COEFFICIENT
};

/// The result of diff(). Counts are over media sequence numbers (skipped segments of
/// a delta update included); `violations` are positioned at the line in the current
/// snapshot, with the previous snapshot's line in the message.
struct live_diff {
  live_status status = live_status::unchanged;
  std::int64_t media_sequence_delta = 0;          ///< current − previous EXT-X-MEDIA-SEQUENCE
  std::int64_t discontinuity_sequence_delta = 0;  ///< current − previous EXT-X-DISCONTINUITY-SEQUENCE
  std::size_t segments_added = 0;                 ///< new MSNs after the previous window
  std::size_t segments_removed = 0;               ///< MSNs of the previous window no longer listed
  std::size_t parts_added = 0;                    ///< partial segments after the previous live edge
  bool preload_hint_moved = false;                ///< the PART preload hint changed
  std::size_t dateranges_added = 0;
  std::size_t dateranges_changed = 0;  ///< same ID, any attribute added or changed
  std::size_t dateranges_removed = 0;
  double seconds_added = 0;  ///< EXTINF sum of the new segments
  /// Seconds since the last new media: 0 when this snapshot brought some (or was a
  /// reset, or ENDLIST appeared), else `elapsed_seconds`. A watcher passes it (plus
  /// its polling interval) as the next call's elapsed_seconds.
  double seconds_since_change = 0;
  hlspp::diagnostics violations;
};

namespace detail {

/// The work of diff(): one object per call, one method per group of rules.
class live_differ {
 public:
  live_differ(const media_playlist& previous, const media_playlist& current, double elapsed,
              const diff_options& options)
      : prev_(previous), cur_(current), p_(previous), c_(current), elapsed_(elapsed), options_(options),
        runs_(out_.violations) {}

  live_diff run() {
    counts();
    sequence_rules();
    if (!reset_ && !exo_end_) {
      segment_rules();
      part_rules();
    }
    runs_.finish();
    daterange_rules();
    playlist_rules();
    decide();
    return std::move(out_);
  }

 private:
  // ---- numbers ---------------------------------------------------------------
  void counts() {
    out_.media_sequence_delta = live_delta(p_.media_sequence, c_.media_sequence);
    out_.discontinuity_sequence_delta =
        live_delta(prev_.discontinuity_sequence.value_or(0), cur_.discontinuity_sequence.value_or(0));
    const bool regressed = c_.media_sequence < p_.media_sequence;
    exo_end_ = regressed && cur_.endlist && !prev_.endlist;
    reset_ = regressed && !exo_end_ && c_.end < p_.media_sequence;
    c_edge_ = c_.duration();
    for (const auto& part : cur_.trailing.parts) c_edge_ += part.duration.value_or(0);
    td_ = static_cast<double>(cur_.target_duration.value_or(prev_.target_duration.value_or(0)));
    if (td_ <= 0)
      for (const auto& s : cur_.segments) td_ = std::max(td_, s.duration);
    if (reset_ || exo_end_) {
      out_.segments_added = static_cast<std::size_t>(c_.end - c_.media_sequence);
      out_.segments_removed = static_cast<std::size_t>(p_.end - p_.media_sequence);
      out_.seconds_added = c_.duration();
      out_.parts_added = total_parts(cur_);
      progress_ = true;
      return;
    }
    const std::uint64_t new_from = std::max(p_.end, c_.media_sequence);
    if (c_.end > new_from) out_.segments_added = static_cast<std::size_t>(c_.end - new_from);
    out_.seconds_added = c_.seconds(new_from, c_.end);
    if (c_.media_sequence > p_.media_sequence)
      front_removed_ = std::min(c_.media_sequence, p_.end) - p_.media_sequence;
    if (c_.end < p_.end) end_removed_ = p_.end - std::max(c_.end, p_.media_sequence);
    out_.segments_removed = static_cast<std::size_t>(front_removed_ + end_removed_);
    out_.parts_added = new_parts();
    progress_ = out_.segments_added > 0 || out_.parts_added > 0;
  }

  static std::size_t total_parts(const media_playlist& pl) {
    std::size_t n = pl.trailing.parts.size();
    for (const auto& s : pl.segments) n += s.parts.size();
    return n;
  }

  /// Parts of the current snapshot after the previous live edge: the open segment
  /// (MSN p_.end) had prev_.trailing.parts.size() parts.
  std::size_t new_parts() const {
    const std::size_t known = prev_.trailing.parts.size();
    std::size_t n = 0;
    for (std::uint64_t m = std::max(p_.end, c_.first); m < c_.end; ++m) {
      const std::size_t here = c_.segment(m).parts.size();
      n += m == p_.end ? (here > known ? here - known : 0) : here;
    }
    const std::size_t open = cur_.trailing.parts.size();
    if (c_.end == p_.end)
      n += open > known ? open - known : 0;
    else if (c_.end > p_.end)
      n += open;
    return n;
  }

  // ---- D1, D4 (window), D13 -------------------------------------------------
  void sequence_rules() {
    auto& v = out_.violations;
    const std::uint32_t msn_line = c_.tag_line(tag_id::media_sequence);
    const std::string was = live_was_at(live_tag_line(prev_, tag_id::media_sequence));
    if (reset_) {
      v.push_back({diag_code::update_media_sequence_reset, severity::error, msn_line, 1,
                   "media sequence jumped back from " + live_number(p_.media_sequence) + " to " +
                       live_number(c_.media_sequence) + ", before the previous window: the stream was reset" +
                       was});
    } else if (exo_end_) {
      v.push_back({diag_code::update_media_sequence_regressed, severity::warning, msn_line, 1,
                   "EXT-X-ENDLIST appeared with a lower media sequence (" + live_number(c_.media_sequence) +
                       ", was " + live_number(p_.media_sequence) +
                       "); players keep the previous segments and end the stream" + was});
    } else if (c_.media_sequence < p_.media_sequence) {
      v.push_back({diag_code::update_media_sequence_regressed, severity::error, msn_line, 1,
                   "EXT-X-MEDIA-SEQUENCE decreased from " + live_number(p_.media_sequence) + " to " +
                       live_number(c_.media_sequence) + was});
    }
    if (!reset_ && cur_.discontinuity_sequence.value_or(0) < prev_.discontinuity_sequence.value_or(0))
      v.push_back({diag_code::update_discontinuity_sequence, severity::error,
                   c_.tag_line(tag_id::discontinuity_sequence), 1,
                   "EXT-X-DISCONTINUITY-SEQUENCE decreased from " +
                       live_number(prev_.discontinuity_sequence.value_or(0)) + " to " +
                       live_number(cur_.discontinuity_sequence.value_or(0)) +
                       live_was_at(live_tag_line(prev_, tag_id::discontinuity_sequence))});
    if (end_removed_ > 0 && c_.media_sequence >= p_.media_sequence)
      v.push_back({diag_code::update_removed_not_from_front, severity::error, c_.edge_line(), 1,
                   live_number(end_removed_) + " segment(s) at the end of the playlist were removed (MSN " +
                       live_number(p_.end - end_removed_) + " to " + live_number(p_.end - 1) + ")" +
                       live_was_at(p_.line(p_.end - end_removed_))});
    if (c_.skipped > 0 && (c_.media_sequence < p_.media_sequence || c_.first > p_.end))
      v.push_back({diag_code::update_skip_not_covered, severity::error, c_.tag_line(tag_id::skip), 1,
                   "EXT-X-SKIP skips MSN " + live_number(c_.media_sequence) + " to " + live_number(c_.first - 1) +
                       " but the previous snapshot has MSN " + live_number(p_.media_sequence) + " to " +
                       live_number(p_.end == 0 ? 0 : p_.end - 1) + "; request the full playlist"});
    // D8: the window may not drop below 3 target durations when segments are removed.
    if (front_removed_ > 0 && !cur_.endlist && td_ > 0) {
      double window = c_.duration();
      bool known = true;
      if (c_.skipped > 0) {
        known = c_.media_sequence >= p_.first && c_.first <= p_.end;
        if (known) window += p_.seconds(c_.media_sequence, c_.first);
      }
      if (known && window + 1e-6 < 3 * td_)
        v.push_back({diag_code::update_window_too_short, severity::error, msn_line, 1,
                     "segments were removed although the playlist lasts only " + live_seconds(window) +
                         " s, less than 3 × the target duration (" + live_seconds(3 * td_) + " s)"});
    }
  }

  // ---- D2, D3, D4 (order), D5 (new segments), D11 -----------------------------
  void segment_rules() {
    const std::uint64_t lo = std::max(p_.first, c_.first), hi = std::min(p_.end, c_.end);
    // D5: new segments must fit the target duration.
    if (cur_.target_duration) {
      const double td = static_cast<double>(*cur_.target_duration);
      for (std::uint64_t m = std::max(p_.end, c_.first); m < c_.end; ++m) {
        const auto& s = c_.segment(m);
        if (std::round(s.duration) > td)
          runs_.report(diag_code::extinf_exceeds_target_duration, severity::error, m, s.origin.line, [&] {
            return "new segment MSN " + live_number(m) + " lasts " + live_seconds(s.duration) +
                   " s, more than EXT-X-TARGETDURATION " + live_number(*cur_.target_duration);
          });
      }
    }
    if (lo >= hi) return;

    // Discontinuity sequence numbers: DSN + DISCONTINUITY tags up to and including the segment.
    std::optional<std::uint64_t> pbase, cbase;
    if (p_.skipped == 0) pbase = prev_.discontinuity_sequence.value_or(0);
    const bool skip_listed = c_.skipped > 0 && c_.media_sequence >= p_.first && c_.first <= p_.end;
    if (c_.skipped == 0)
      cbase = cur_.discontinuity_sequence.value_or(0);
    else if (skip_listed)
      cbase = cur_.discontinuity_sequence.value_or(0) + p_.discontinuities[p_.index(c_.first)] -
              p_.discontinuities[p_.index(c_.media_sequence)];

    // The KEY list / MAP in effect, read in MSN order (no per-segment tables).
    using keys_t = std::vector<key>;
    live_effective_cursor<keys_t> pkeys(prev_, p_.skipped ? live_unknown<keys_t>() : nullptr, live_keys_of);
    live_effective_cursor<init_section> pmaps(prev_, p_.skipped ? live_unknown<init_section>() : nullptr,
                                              live_map_of);
    const keys_t* kseed = nullptr;
    const init_section* mseed = nullptr;
    if (c_.skipped > 0) {
      // c_.first - 1 < lo: the cursors still move forward only.
      const bool seeded = c_.first > 0 && p_.contains(c_.first - 1);
      kseed = seeded ? pkeys.at(p_.index(c_.first - 1)) : live_unknown<keys_t>();
      mseed = seeded ? pmaps.at(p_.index(c_.first - 1)) : live_unknown<init_section>();
    }
    live_effective_cursor<keys_t> ckeys(cur_, kseed, live_keys_of);
    live_effective_cursor<init_section> cmaps(cur_, mseed, live_map_of);

    for (std::uint64_t k = lo; k < hi; ++k) {
      const std::size_t i = p_.index(k), j = c_.index(k);
      const auto& ps = prev_.segments[i];
      const auto& cs = cur_.segments[j];
      if (ps.uri != cs.uri || ps.byterange != cs.byterange) {
        moved_segment(k, lo, ps, cs);
        continue;
      }
      // Messages are built only for the first finding of a run.
      const std::uint32_t line = cs.origin.line;
      auto was = [&ps] { return live_was_at(ps.origin.line); };
      auto changed = [&](diag_code code, auto what) {
        runs_.report(code, severity::error, k, line, [&] { return what() + was(); });
      };
      if (ps.duration != cs.duration || ps.has_extinf != cs.has_extinf)
        changed(diag_code::update_segment_changed, [&] {
          return "EXTINF of MSN " + live_number(k) + " changed from " + live_seconds(ps.duration) + " to " +
                 live_seconds(cs.duration);
        });
      if (ps.gap != cs.gap)
        changed(diag_code::update_segment_changed, [&] {
          return std::string(cs.gap ? "EXT-X-GAP was added to MSN " : "EXT-X-GAP was removed from MSN ") +
                 live_number(k);
        });
      if (pbase && cbase) {
        const std::uint64_t dp = *pbase + p_.discontinuities[i + 1], dc = *cbase + c_.discontinuities[j + 1];
        if (dp != dc)
          changed(diag_code::update_discontinuity_sequence, [&] {
            return "MSN " + live_number(k) + " has discontinuity sequence number " + live_number(dc) + ", was " +
                   live_number(dp);
          });
      }
      if (p_.has_pdt && c_.has_pdt) {
        const bool both = !std::isnan(p_.pdt_explicit[i]) && !std::isnan(c_.pdt_explicit[j]);
        if (std::fabs(p_.pdt[i] - c_.pdt[j]) > (both ? 0.001 : 0.5))
          changed(diag_code::update_segment_changed, [&] {
            return "EXT-X-PROGRAM-DATE-TIME of MSN " + live_number(k) + " moved by " +
                   live_seconds(c_.pdt[j] - p_.pdt[i]) + " s";
          });
      }
      if (k == lo || !ps.keys.empty() || !cs.keys.empty()) {
        const keys_t* pk = pkeys.at(i);
        const keys_t* ck = ckeys.at(j);
        if (pk != live_unknown<keys_t>() && ck != live_unknown<keys_t>() && !live_same_keys(pk, ck)) {
          if (live_encrypted(pk) && !live_encrypted(ck))
            changed(diag_code::update_key_removed,
                    [&] { return "the EXT-X-KEY that applies to MSN " + live_number(k) + " was removed"; });
          else
            changed(diag_code::update_segment_changed,
                    [&] { return "the EXT-X-KEY in effect for MSN " + live_number(k) + " changed"; });
        }
      }
      if (k == lo || ps.map || cs.map) {
        const init_section* pm = pmaps.at(i);
        const init_section* cm = cmaps.at(j);
        if (pm != live_unknown<init_section>() && cm != live_unknown<init_section>() && !live_same_map(pm, cm)) {
          if (cm == nullptr)
            changed(diag_code::update_map_removed,
                    [&] { return "the EXT-X-MAP that applies to MSN " + live_number(k) + " was removed"; });
          else
            changed(diag_code::update_segment_changed,
                    [&] { return "the EXT-X-MAP in effect for MSN " + live_number(k) + " changed"; });
        }
      }
      compare_parts(ps, cs, k, c_.position[j + 1]);
    }
  }

  /// The segment at MSN k is another one: a front removal that does not match the
  /// MEDIA-SEQUENCE change, a removal from the middle, an insertion, or a new URI.
  void moved_segment(std::uint64_t k, std::uint64_t lo, const media_segment& ps, const media_segment& cs) {
    if (!uri_index_built_) {
      uri_index_built_ = true;
      uri_index_.reserve(prev_.segments.size());
      for (std::size_t i = 0; i < prev_.segments.size(); ++i) {
        auto [it, fresh] = uri_index_.emplace(std::string_view(prev_.segments[i].uri), p_.first + i);
        if (!fresh) it->second = ambiguous;  // byte ranges of one resource, repeated URIs
      }
    }
    std::optional<std::int64_t> shift;
    auto it = uri_index_.find(std::string_view(cs.uri));
    const bool known = it != uri_index_.end() && it->second != ambiguous;
    if (known && it->second != k && p_.segment(it->second).byterange == cs.byterange)
      shift = live_delta(k, it->second);
    // A shifted run goes on past the previous window's end with segments it did not have.
    const bool run_on = shift_k_ != ambiguous && shift_k_ + 1 == k;
    if (!shift && run_on && shift_ > 0 && k + static_cast<std::uint64_t>(shift_) >= p_.end) shift = shift_;
    const std::uint32_t line = cs.origin.line;
    auto was = [&ps] { return live_was_at(ps.origin.line); };
    if (!shift) {
      shift_k_ = ambiguous;
      runs_.report(diag_code::update_uri_changed, severity::error, k, line, [&] {
        return "MSN " + live_number(k) + " is now " + describe(cs) + ", was " + describe(ps) + was() +
               "; clients should halt playback";
      });
      return;
    }
    diag_code code = diag_code::update_uri_changed;
    if (run_on && *shift == shift_)
      code = shift_code_;  // the same displacement as the segment before: the same finding
    else if (k == lo)
      code = diag_code::update_media_sequence_mismatch;
    else
      code = *shift > 0 ? diag_code::update_removed_not_from_front : diag_code::update_segment_inserted;
    shift_k_ = k;
    shift_ = *shift;
    shift_code_ = code;
    const std::uint64_t by = static_cast<std::uint64_t>(*shift > 0 ? *shift : -*shift);
    auto same = [&] {
      return known ? describe(cs) + " was MSN " + live_number(it->second) + was() : describe(cs) + " is new";
    };
    runs_.report(code, severity::error, k, line, [&] {
      if (code == diag_code::update_media_sequence_mismatch)
        return "EXT-X-MEDIA-SEQUENCE does not match the segments removed from the front: " + same() +
               " and is now MSN " + live_number(k);
      return live_number(by) + " segment(s) were " +
             (code == diag_code::update_removed_not_from_front ? "removed" : "inserted") + " before MSN " +
             live_number(k) + (code == diag_code::update_removed_not_from_front ? ", not from the front: "
                                                                                : ", not appended: ") +
             same();
    });
  }

  static std::string describe(const media_segment& s) {
    std::string out = '"' + s.uri + '"';
    if (s.byterange) {
      out += " bytes ";
      append_byte_range(out, *s.byterange);
    }
    return out;
  }

  /// D12: parts of one segment in both snapshots. `end` = where the segment ends on
  /// the current timeline.
  void compare_parts(const media_segment& ps, const media_segment& cs, std::uint64_t k, double end) {
    if (ps.parts.empty()) return;
    const std::size_t n = std::min(ps.parts.size(), cs.parts.size());
    for (std::size_t x = 0; x < n; ++x)
      if (!(ps.parts[x] == cs.parts[x])) {
        runs_.report(diag_code::update_part_changed, severity::warning, k, live_block_line(cs, tag_id::part, x),
                     [&] {
                       return "EXT-X-PART " + live_number(x) + " of MSN " + live_number(k) + " changed" +
                              live_was_at(live_block_line(ps, tag_id::part, x));
                     });
        break;
      }
    if (cs.parts.size() >= ps.parts.size() || td_ <= 0) return;
    const double from_end = c_edge_ - end;
    if (from_end + 1e-6 < 3 * td_)
      runs_.report(diag_code::update_part_removed, severity::warning, k, cs.origin.line, [&] {
        return "EXT-X-PART tags of MSN " + live_number(k) + " were removed " + live_seconds(from_end) +
               " s from the end of the playlist, within 3 × the target duration" +
               live_was_at(live_block_line(ps, tag_id::part, 0));
      });
  }

  // ---- D12: the previous open segment, the preload hint ------------------------
  void part_rules() {
    const std::size_t known = prev_.trailing.parts.size();
    if (known > 0) {
      if (c_.contains(p_.end)) {
        const std::size_t j = c_.index(p_.end);
        compare_parts(prev_.trailing, cur_.segments[j], p_.end, c_.position[j + 1]);
      } else if (c_.end == p_.end) {
        compare_parts(prev_.trailing, cur_.trailing, p_.end, c_edge_);
      }
    }
    const preload_hint* ph = part_hint(prev_);
    const preload_hint* ch = part_hint(cur_);
    out_.preload_hint_moved =
        (ph == nullptr) != (ch == nullptr) ||
        (ph && ch && (ph->uri != ch->uri || ph->byterange_start != ch->byterange_start));
    if (ph == nullptr || !ph->uri || out_.parts_added == 0) return;
    // The first part after the previous edge should be the hinted one.
    const media_segment* seg = nullptr;
    std::size_t x = known;
    if (c_.contains(p_.end)) {
      seg = &c_.segment(p_.end);
      if (x >= seg->parts.size()) {
        seg = c_.contains(p_.end + 1) ? &c_.segment(p_.end + 1) : (c_.end == p_.end + 1 ? &cur_.trailing : nullptr);
        x = 0;
      }
    } else if (c_.end == p_.end) {
      seg = &cur_.trailing;
    }
    if (seg == nullptr || x >= seg->parts.size()) return;
    const auto& part = seg->parts[x];
    const bool same_uri = part.uri && *part.uri == *ph->uri;
    const bool same_start = !ph->byterange_start || !part.byterange || !part.byterange->offset ||
                            *part.byterange->offset == *ph->byterange_start;
    if (!same_uri || !same_start)
      out_.violations.push_back(
          {diag_code::update_preload_hint_mismatch, severity::warning, live_block_line(*seg, tag_id::part, x), 1,
           "the next part is \"" + part.uri.value_or("") + "\" but the previous snapshot hinted \"" + *ph->uri +
               "\"" + live_was_at(live_tag_line(prev_, tag_id::preload_hint)) +
               "; fine only if the server answers 404 for the hint"});
  }

  static const preload_hint* part_hint(const media_playlist& pl) noexcept {
    for (const auto& h : pl.preload_hints)
      if (h.type && *h.type == "PART") return &h;
    return nullptr;
  }

  // ---- D10 ---------------------------------------------------------------------
  template <class F>
  static void each_range(const media_playlist& pl, F f) {
    for (const auto& s : pl.segments)
      for (const auto& d : s.dateranges) f(d);
    for (const auto& d : pl.trailing.dateranges) f(d);
  }

  void daterange_rules() {
    const auto pd = live_dateranges(prev_);
    const auto cd = live_dateranges(cur_);
    if (pd.empty() && cd.empty()) return;
    auto& v = out_.violations;
    each_range(cur_, [&](const date_range& d) {
      if (!d.id) return;
      const auto& mine = cd.at(std::string_view(*d.id));
      if (mine.range != &d) return;  // a repeated ID: the first tag stands for it
      auto it = pd.find(std::string_view(*d.id));
      if (it == pd.end()) {
        ++out_.dateranges_added;
        return;
      }
      if (d == *it->second.range) return;
      ++out_.dateranges_changed;
      const std::string names = live_daterange_conflicts(*it->second.range, d);
      if (!names.empty())
        v.push_back({diag_code::update_daterange_changed, severity::error, mine.line, 1,
                     "EXT-X-DATERANGE \"" + *d.id + "\" changed " + names + live_was_at(it->second.line) +
                         "; a repeated ID must repeat its values"});
    });
    std::string_view removed_list;
    if (cur_.skip && cur_.skip->recently_removed_dateranges) removed_list = *cur_.skip->recently_removed_dateranges;
    double t0 = 0, t1 = 0;
    if (c_.has_pdt && c_.size() > 0) {
      t0 = c_.pdt.front();
      t1 = c_.pdt.back() + cur_.segments.back().duration;
    }
    each_range(prev_, [&](const date_range& d) {
      if (!d.id) return;
      const std::string_view id = *d.id;
      if (pd.at(id).range != &d || cd.count(id) != 0) return;
      // A delta update omits ranges it does not need to repeat; only the listed ones are removed.
      if (cur_.skip && !listed(removed_list, id)) return;
      ++out_.dateranges_removed;
      double start = 0, stop = 0;
      if (c_.has_pdt && c_.size() > 0 && live_daterange_span(d, start, stop) && stop >= t0 && start < t1)
        v.push_back({diag_code::update_daterange_removed, severity::error, c_.front_line(), 1,
                     "EXT-X-DATERANGE \"" + *d.id + "\" was removed while it still maps to a segment" +
                         live_was_at(pd.at(id).line)});
    });
  }

  static bool listed(std::string_view tab_separated, std::string_view id) noexcept {
    std::size_t at = 0;
    while (at <= tab_separated.size()) {
      std::size_t tab = tab_separated.find('\t', at);
      if (tab == std::string_view::npos) tab = tab_separated.size();
      if (tab_separated.substr(at, tab - at) == id) return true;
      at = tab + 1;
    }
    return false;
  }

  // ---- D5 (target), D6, D7, D15 --------------------------------------------------
  void playlist_rules() {
    auto& v = out_.violations;
    if (prev_.target_duration != cur_.target_duration)
      v.push_back({diag_code::update_target_duration_changed, severity::error,
                   c_.tag_line(tag_id::targetduration), 1,
                   "EXT-X-TARGETDURATION changed from " + optional_number(prev_.target_duration) + " to " +
                       optional_number(cur_.target_duration) +
                       live_was_at(live_tag_line(prev_, tag_id::targetduration))});
    const std::string type_was = live_was_at(live_tag_line(prev_, tag_id::playlist_type));
    const std::uint32_t type_line = c_.tag_line(tag_id::playlist_type);
    if (prev_.playlist_type != cur_.playlist_type) {
      const bool event_ended = prev_.playlist_type && *prev_.playlist_type == "EVENT" && cur_.playlist_type &&
                               *cur_.playlist_type == "VOD" && cur_.endlist;
      v.push_back({diag_code::update_playlist_type, event_ended ? severity::warning : severity::error, type_line, 1,
                   "EXT-X-PLAYLIST-TYPE changed from " + prev_.playlist_type.value_or("none") + " to " +
                       cur_.playlist_type.value_or("none") + type_was});
    } else if (cur_.playlist_type && *cur_.playlist_type == "VOD") {
      if (!(prev_ == cur_))
        v.push_back({diag_code::update_playlist_type, severity::error, type_line, 1,
                     "a VOD playlist must not change" + type_was});
    } else if (cur_.playlist_type && *cur_.playlist_type == "EVENT" && front_removed_ > 0) {
      v.push_back({diag_code::update_playlist_type, severity::error, type_line, 1,
                   "an EVENT playlist removed " + live_number(front_removed_) +
                       " segment(s) from the front; only appending is allowed" + type_was});
    }
    if (prev_.endlist && !cur_.endlist)
      v.push_back({diag_code::update_endlist_removed, severity::error, c_.edge_line(), 1,
                   "EXT-X-ENDLIST disappeared" + live_was_at(live_tag_line(prev_, tag_id::endlist))});
    if (prev_.endlist && c_.end > p_.end && !reset_)
      v.push_back({diag_code::update_after_endlist, severity::error, c_.line(std::max(p_.end, c_.first)), 1,
                   live_number(out_.segments_added) + " segment(s) were added after EXT-X-ENDLIST" +
                       live_was_at(live_tag_line(prev_, tag_id::endlist))});
    if (prev_.version != cur_.version)
      v.push_back({diag_code::update_version_changed, severity::warning, c_.tag_line(tag_id::version), 1,
                   "EXT-X-VERSION changed from " + optional_number(prev_.version) + " to " +
                       optional_number(cur_.version) + live_was_at(live_tag_line(prev_, tag_id::version))});
    if (prev_.server_control != cur_.server_control)
      v.push_back({diag_code::update_server_control_changed, severity::warning,
                   c_.tag_line(tag_id::server_control), 1,
                   "EXT-X-SERVER-CONTROL changed" + live_was_at(live_tag_line(prev_, tag_id::server_control))});
  }

  static std::string optional_number(const std::optional<std::uint64_t>& n) {
    return n ? live_number(*n) : std::string("none");
  }

  // ---- status, D9 -------------------------------------------------------------
  void decide() {
    const bool live = !cur_.endlist && !(cur_.playlist_type && *cur_.playlist_type == "VOD");
    const bool ll = cur_.part_inf && cur_.part_inf->part_target && *cur_.part_inf->part_target > 0 &&
                    (!cur_.trailing.parts.empty() || (!cur_.segments.empty() && !cur_.segments.back().parts.empty()));
    const double stuck_after = options_.stuck_factor * td_;
    double stale_after = options_.stale_factor * td_;
    if (ll) stale_after = std::min(options_.stale_factor * *cur_.part_inf->part_target, stuck_after);
    const bool fresh = progress_ || reset_ || (cur_.endlist && !prev_.endlist);
    out_.seconds_since_change = fresh ? 0 : elapsed_;
    const bool stuck = live && !fresh && elapsed_ > stuck_after;
    const bool stale = live && !fresh && elapsed_ > stale_after;

    if (reset_)
      out_.status = live_status::reset;
    else if (has_errors(out_.violations))
      out_.status = live_status::invalid_update;
    else if (cur_.endlist)
      out_.status = live_status::ended;
    else if (progress_)
      out_.status = live_status::advanced;
    else if (stuck)
      out_.status = live_status::stuck;
    else if (stale)
      out_.status = live_status::stale;
    else
      out_.status = live_status::unchanged;

    const std::string what = ll ? "new segment or part" : "new segment";
    if (stuck)
      out_.violations.push_back({diag_code::update_stuck, severity::error, c_.edge_line(), 1,
                                 "no " + what + " for " + live_seconds(elapsed_) + " s, more than " +
                                     live_seconds(options_.stuck_factor) + " × the target duration (" +
                                     live_seconds(stuck_after) + " s): ExoPlayer gives up (PlaylistStuckException)"});
    else if (stale)
      out_.violations.push_back(
          {diag_code::update_stale, severity::warning, c_.edge_line(), 1,
           "no " + what + " for " + live_seconds(elapsed_) + " s, more than " + live_seconds(options_.stale_factor) +
               (ll ? " × the part target (" : " × the target duration (") + live_seconds(stale_after) +
               " s): AVPlayer reports -12888"});
  }

  static constexpr std::uint64_t ambiguous = ~std::uint64_t{0};

  const media_playlist& prev_;
  const media_playlist& cur_;
  live_index p_;
  live_index c_;
  double elapsed_;
  const diff_options& options_;
  live_diff out_;
  live_runs runs_;
  double td_ = 0;      // target duration (else the longest segment) for the thresholds
  double c_edge_ = 0;  // end of the current snapshot's timeline, open parts included
  bool reset_ = false;
  bool exo_end_ = false;
  bool progress_ = false;
  std::uint64_t front_removed_ = 0;
  std::uint64_t end_removed_ = 0;
  bool uri_index_built_ = false;
  std::uint64_t shift_k_ = ambiguous;  // last MSN found displaced, its displacement and finding
  std::int64_t shift_ = 0;
  diag_code shift_code_ = diag_code::update_uri_changed;
  std::unordered_map<std::string_view, std::uint64_t> uri_index_;
};

enum class live_unusable_reason { none, unparsable, not_media, not_playlist, empty };

/// Why a fetched snapshot cannot be diffed.
inline live_unusable_reason live_unusable(const parse_result& r) {
  if (!r.ok()) return live_unusable_reason::unparsable;
  if (!r->is_media()) return live_unusable_reason::not_media;
  for (const auto& d : r.diagnostics()) {
    if (d.severity != severity::error) continue;
    switch (d.code) {
      case diag_code::empty_input:
      case diag_code::missing_extm3u:
      case diag_code::nul_byte:
      case diag_code::invalid_utf8:
      case diag_code::input_too_large:
      case diag_code::line_too_long:
      case diag_code::too_many_lines:
      case diag_code::mixed_playlist:
      case diag_code::wrong_playlist_kind:
        return live_unusable_reason::not_playlist;
      default:
        break;
    }
  }
  const auto& m = r->media();
  if (m.segments.empty() && m.trailing.parts.empty() && !m.endlist) return live_unusable_reason::empty;
  return live_unusable_reason::none;
}

}  // namespace detail

/// Compares two snapshots of one media playlist. `elapsed_seconds` is the time since
/// `previous` last brought new media (a watcher carries live_diff::seconds_since_change
/// forward; for two consecutive fetches of a fresh playlist it is the time between them).
/// Status priority: reset, invalid_update, ended, advanced, stuck, stale, unchanged.
/// A reset (the new window ends before the old one starts, as ExoPlayer's
/// PlaylistResetException) skips the segment-by-segment rules.
[[nodiscard]] inline live_diff diff(const media_playlist& previous, const media_playlist& current,
                                    double elapsed_seconds, const diff_options& options = {}) {
  return detail::live_differ(previous, current, elapsed_seconds, options).run();
}

/// diff() of two fetched snapshots. A snapshot that failed to parse, is not a media
/// playlist, is not a playlist at all (lenient parsing of an error page) or lists no
/// media gives status `unavailable` with its parse diagnostics: it is never fresh.
[[nodiscard]] inline live_diff diff(const parse_result& previous, const parse_result& current,
                                    double elapsed_seconds, const diff_options& options = {}) {
  using reason = detail::live_unusable_reason;
  const reason cur_why = detail::live_unusable(current);
  const reason prev_why = cur_why == reason::none ? detail::live_unusable(previous) : reason::none;
  if (cur_why == reason::none && prev_why == reason::none)
    return diff(previous->media(), current->media(), elapsed_seconds, options);
  live_diff out;
  out.status = live_status::unavailable;
  out.seconds_since_change = elapsed_seconds;
  const bool current_bad = cur_why != reason::none;
  const parse_result& bad = current_bad ? current : previous;
  const std::string which = current_bad ? "the current snapshot" : "the previous snapshot";
  out.violations = bad.diagnostics();
  switch (current_bad ? cur_why : prev_why) {
    case reason::not_media:
      out.violations.push_back({diag_code::wrong_playlist_kind, severity::error, 1, 1,
                                which + " is a multivariant playlist, not a media playlist"});
      break;
    case reason::empty:
      out.violations.push_back({diag_code::update_empty_snapshot, severity::error, 0, 0,
                                which + " lists no media segment"});
      break;
    default:
      if (!has_errors(out.violations))
        out.violations.push_back({diag_code::update_empty_snapshot, severity::error, 0, 0,
                                  which + " is not a usable playlist"});
      break;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Origin versus CDN

/// How far a CDN copy of a media playlist is behind the origin (spec-rules D14).
struct lag_result {
  std::uint64_t segments_behind = 0;  ///< origin MSNs the CDN copy does not list yet
  double seconds_behind = 0;          ///< EXTINF sum of those segments
  bool stale_edge = false;            ///< seconds_behind > 1.5 × target duration
  bool player_stall = false;          ///< seconds_behind ≥ 3 × target duration (≈ HOLD-BACK)
  hlspp::diagnostics diagnostics;     ///< lag findings + the update rules with CDN = older snapshot
};

/// Compares a CDN copy with the origin's playlist fetched at (about) the same time.
/// Diagnostics are positioned in the origin's playlist; they include diff(cdn, origin)'s
/// rule violations (a CDN copy must be an earlier version of the origin's playlist)
/// unless the CDN copy is ahead of the origin.
[[nodiscard]] inline lag_result lag(const media_playlist& origin, const media_playlist& cdn) {
  lag_result out;
  detail::live_index o(origin), c(cdn);
  const double td = static_cast<double>(origin.target_duration.value_or(cdn.target_duration.value_or(0)));
  if (c.end > o.end) {
    out.diagnostics.push_back({diag_code::lag_cdn_ahead, severity::warning, o.edge_line(), 1,
                               "the CDN copy lists " + detail::live_number(c.end - o.end) +
                                   " segment(s) the origin does not (another origin instance, or the origin "
                                   "was reset)" +
                                   detail::live_was_at(c.line(c.end - 1), "the CDN copy")});
    return out;
  }
  out.diagnostics = diff(cdn, origin, 0.0).violations;
  if (o.end == c.end) return out;
  out.segments_behind = o.end - c.end;
  double seconds = o.seconds(c.end, o.end);
  if (c.end < o.first) {
    const std::uint64_t unlisted = o.first - c.end;
    const double average = o.size() > 0 ? o.duration() / static_cast<double>(o.size()) : td;
    seconds += static_cast<double>(unlisted) * average;
    out.diagnostics.push_back(
        {diag_code::lag_beyond_window, severity::warning, o.front_line(), 1,
         "the CDN copy ends " + detail::live_number(unlisted) +
             " segment(s) before the origin's window starts; their duration is estimated"});
  }
  out.seconds_behind = seconds;
  out.stale_edge = td > 0 && seconds > 1.5 * td;
  out.player_stall = td > 0 && seconds >= 3 * td - 1e-9;
  const std::uint32_t line = o.line(std::max(c.end, o.first));
  const std::string where = detail::live_was_at(c.edge_line(), "the CDN copy");
  if (out.player_stall)
    out.diagnostics.push_back({diag_code::lag_player_stall, severity::error, line, 1,
                               "the CDN copy is " + detail::live_number(out.segments_behind) + " segment(s), " +
                                   detail::live_seconds(seconds) + " s behind the origin: 3 × the target duration (" +
                                   detail::live_seconds(3 * td) + " s) or more, players may stall" + where});
  else if (out.stale_edge)
    out.diagnostics.push_back({diag_code::lag_stale_edge, severity::warning, line, 1,
                               "the CDN copy is " + detail::live_number(out.segments_behind) + " segment(s), " +
                                   detail::live_seconds(seconds) + " s behind the origin: more than 1.5 × the " +
                                   "target duration (" + detail::live_seconds(1.5 * td) + " s)" + where});
  return out;
}

// ---------------------------------------------------------------------------
// Region versus region

/// The result of align().
struct align_result {
  bool aligned = false;  ///< no error-severity diagnostic
  /// Live-edge skew on the aligned timeline: where b's last segment ends minus where
  /// a's ends (positive: b is ahead). R4/R16 want |offset| < one target duration.
  double offset_seconds = 0;
  /// MSN in b − MSN in a for the same content (0 when aligned by media sequence).
  std::int64_t media_sequence_offset = 0;
  hlspp::diagnostics diagnostics;  ///< positioned in b, with a's line in the message
};

namespace detail {

inline std::string live_in_a(std::uint32_t line) { return live_was_at(line, "a"); }

}  // namespace detail

/// Checks that `b` (one region's copy of a rendition) can stand in for `a` (another
/// region's): spec-rules §5 R2, R3, R4/R16, R5, R6, R7, R8, R10, R13, R14.
/// The timelines are aligned by PROGRAM-DATE-TIME when both have it (the first
/// segment starts that agree within min(0.5 s, TD/4)), else by media sequence
/// number (with matching discontinuity sequence numbers checked); then segments are
/// compared pairwise by index arithmetic. Not checked: R7's interstitial order and
/// X-ASSET-LIST resolution, R1/R9/R11/R12/R15 (not visible in a media playlist).
[[nodiscard]] inline align_result align(const media_playlist& a, const media_playlist& b) {
  using detail::live_in_a;
  using detail::live_number;
  using detail::live_seconds;
  align_result out;
  auto& diags = out.diagnostics;
  detail::live_index ia(a), ib(b);

  // R3, R5, R8: playlist-wide.
  if (a.target_duration != b.target_duration)
    diags.push_back({diag_code::align_target_duration, severity::error, ib.tag_line(detail::tag_id::targetduration), 1,
                     "EXT-X-TARGETDURATION is " + (b.target_duration ? live_number(*b.target_duration) : "absent") +
                         " here and " + (a.target_duration ? live_number(*a.target_duration) : "absent") + " in a" +
                         live_in_a(detail::live_tag_line(a, detail::tag_id::targetduration))});
  if (a.playlist_type != b.playlist_type)
    diags.push_back({diag_code::align_playlist_type, severity::error, ib.tag_line(detail::tag_id::playlist_type), 1,
                     "EXT-X-PLAYLIST-TYPE is " + b.playlist_type.value_or("absent") + " here and " +
                         a.playlist_type.value_or("absent") + " in a" +
                         live_in_a(detail::live_tag_line(a, detail::tag_id::playlist_type))});
  if (a.server_control != b.server_control)
    diags.push_back({diag_code::align_server_control, severity::error, ib.tag_line(detail::tag_id::server_control), 1,
                     std::string(a.server_control && b.server_control
                                     ? "EXT-X-SERVER-CONTROL attributes differ from a's"
                                     : "EXT-X-SERVER-CONTROL must be in both playlists or in neither") +
                         live_in_a(detail::live_tag_line(a, detail::tag_id::server_control))});
  if (ia.has_pdt != ib.has_pdt)
    diags.push_back({diag_code::align_program_date_time, severity::error, ib.front_line(), 1,
                     std::string(ib.has_pdt ? "only this playlist" : "only a") +
                         " has EXT-X-PROGRAM-DATE-TIME; if one copy has it, all must"});

  double td_min = 0;
  for (const auto& t : {a.target_duration, b.target_duration})
    if (t && *t > 0) td_min = td_min > 0 ? std::min(td_min, static_cast<double>(*t)) : static_cast<double>(*t);
  const double tol = td_min > 0 ? std::clamp(0.25 * td_min, 0.001, 0.5) : 0.5;
  const std::size_t na = ia.size(), nb = ib.size();

  // Correspondence: by PROGRAM-DATE-TIME, else by media sequence number.
  bool anchored = false;
  std::size_t ai = 0, bj = 0;
  if (ia.has_pdt && ib.has_pdt) {
    std::size_t i = 0, j = 0;
    while (i < na && j < nb) {
      const double d = ia.pdt[i] - ib.pdt[j];
      if (std::fabs(d) <= tol) {
        anchored = true;
        ai = i;
        bj = j;
        break;
      }
      if (d < 0)
        ++i;
      else
        ++j;
    }
  }
  if (!anchored) {
    const std::uint64_t lo = std::max(ia.first, ib.first), hi = std::min(ia.end, ib.end);
    if (lo < hi) {
      anchored = true;
      ai = ia.index(lo);
      bj = ib.index(lo);
    }
  }
  if (!anchored) {
    if (ia.has_pdt && ib.has_pdt && na > 0 && nb > 0)
      out.offset_seconds = (ib.pdt.back() + b.segments.back().duration) - (ia.pdt.back() + a.segments.back().duration);
    diags.push_back({diag_code::align_no_overlap, severity::error, ib.front_line(), 1,
                     "no segment of this playlist corresponds to one of a (no matching PROGRAM-DATE-TIME "
                     "and no common media sequence number)"});
    if (td_min > 0 && std::fabs(out.offset_seconds) >= td_min)
      diags.push_back({diag_code::align_live_edge_skew, severity::error, ib.edge_line(), 1,
                       "the live edge is " + live_seconds(out.offset_seconds) +
                           " s from a's, at least one target duration"});
    out.aligned = false;
    return out;
  }
  const std::uint64_t msn_a = ia.first + ai, msn_b = ib.first + bj;
  out.media_sequence_offset = detail::live_delta(msn_a, msn_b);
  out.offset_seconds = (ib.position[nb] - ib.position[bj]) - (ia.position[na] - ia.position[ai]);

  // Pairwise: a[i] <-> b[j] with j - i constant.
  const std::size_t back = std::min(ai, bj);
  std::optional<std::uint64_t> abase, bbase;
  if (ia.skipped == 0) abase = a.discontinuity_sequence.value_or(0);
  if (ib.skipped == 0) bbase = b.discontinuity_sequence.value_or(0);
  using keys_t = std::vector<key>;
  const auto akeys = detail::live_effective<keys_t>(a, nullptr, detail::live_keys_of);
  const auto bkeys = detail::live_effective<keys_t>(b, nullptr, detail::live_keys_of);
  auto iv_is_msn = [](const keys_t* keys) {
    if (keys == nullptr) return false;
    for (const auto& k : *keys)
      if (detail::live_msn_is_iv(k)) return true;
    return false;
  };
  bool msn_iv = false;
  {
    detail::live_runs runs(diags);
    for (std::size_t i = ai - back, j = bj - back; i < na && j < nb; ++i, ++j) {
      const auto& sa = a.segments[i];
      const auto& sb = b.segments[j];
      const std::uint64_t m = ib.first + j;
      const std::uint32_t line = sb.origin.line;
      auto in_a = [&sa] { return live_in_a(sa.origin.line); };
      auto pair = [&] { return "MSN " + live_number(m) + " (MSN " + live_number(ia.first + i) + " in a)"; };
      if (std::fabs(sa.duration - sb.duration) > 0.005)
        runs.report(diag_code::align_segment_boundaries, severity::error, m, line, [&] {
          return pair() + " lasts " + live_seconds(sb.duration) + " s here and " + live_seconds(sa.duration) +
                 " s in a: segment boundaries do not line up" + in_a();
        });
      if (i > 0 && j > 0 && sa.discontinuity != sb.discontinuity) {
        runs.report(diag_code::align_discontinuity_position, severity::error, m, line, [&] {
          return pair() + (sb.discontinuity ? " has" : " lacks") + " EXT-X-DISCONTINUITY, a's " +
                 (sa.discontinuity ? "has" : "lacks") + " it" + in_a();
        });
      } else if (abase && bbase) {
        const std::uint64_t dsn_a = *abase + ia.discontinuities[i + 1];
        const std::uint64_t dsn_b = *bbase + ib.discontinuities[j + 1];
        if (dsn_a != dsn_b)
          runs.report(diag_code::align_discontinuity_sequence, severity::error, m, line, [&] {
            return pair() + " has discontinuity sequence number " + live_number(dsn_b) + ", " +
                   live_number(dsn_a) + " in a" + in_a();
          });
      }
      if (ia.has_pdt && ib.has_pdt && std::fabs(ia.pdt[i] - ib.pdt[j]) > tol)
        runs.report(diag_code::align_program_date_time, severity::error, m, line, [&] {
          return pair() + " starts at PROGRAM-DATE-TIME " + live_seconds(ib.pdt[j] - ia.pdt[i]) +
                 " s from a's: the date-to-media mappings disagree" + in_a();
        });
      if (!msn_iv && (iv_is_msn(akeys[i]) || iv_is_msn(bkeys[j]))) msn_iv = true;
    }
    runs.finish();
  }

  // R10: media sequence numbers.
  if (out.media_sequence_offset != 0)
    diags.push_back({diag_code::align_media_sequence, msn_iv ? severity::error : severity::warning,
                     b.segments[bj].origin.line, 1,
                     "the same content is MSN " + live_number(msn_b) + " here and MSN " + live_number(msn_a) +
                         " in a" +
                         (msn_iv ? std::string("; EXT-X-KEY without IV uses the media sequence number as the IV, "
                                               "so the copies cannot both decrypt")
                                 : std::string("; players must not rely on it, failover stacks often do")) +
                         live_in_a(a.segments[ai].origin.line)});

  // R4/R16: live-edge skew under one target duration.
  if (td_min > 0 && std::fabs(out.offset_seconds) + 1e-6 >= td_min)
    diags.push_back({diag_code::align_live_edge_skew, severity::error, ib.edge_line(), 1,
                     std::string("the last segment ends ") + live_seconds(std::fabs(out.offset_seconds)) + " s " +
                         (out.offset_seconds > 0 ? "after" : "before") + " a's, at least one target duration (" +
                         live_seconds(td_min) + " s)" + live_in_a(ia.edge_line())});

  // R7: the same DATERANGEs with the same values (missing ones only where both windows overlap).
  const auto da = detail::live_dateranges(a);
  const auto db = detail::live_dateranges(b);
  if (!da.empty() || !db.empty()) {
    double t0 = 0, t1 = 0;
    const bool timed = ia.has_pdt && ib.has_pdt && na > 0 && nb > 0;
    if (timed) {
      t0 = std::max(ia.pdt.front(), ib.pdt.front());
      t1 = std::min(ia.pdt.back() + a.segments.back().duration, ib.pdt.back() + b.segments.back().duration);
    }
    auto inside = [&](const date_range& d) {
      double s = 0, e = 0;
      return timed && detail::live_daterange_span(d, s, e) && s >= t0 && s < t1;
    };
    auto visit = [](const media_playlist& pl, auto f) {
      for (const auto& s : pl.segments)
        for (const auto& d : s.dateranges) f(d);
      for (const auto& d : pl.trailing.dateranges) f(d);
    };
    visit(b, [&](const date_range& d) {
      if (!d.id || db.at(std::string_view(*d.id)).range != &d) return;
      const auto& mine = db.at(std::string_view(*d.id));
      auto it = da.find(std::string_view(*d.id));
      if (it == da.end()) {
        if (inside(d))
          diags.push_back({diag_code::align_daterange, severity::error, mine.line, 1,
                           "EXT-X-DATERANGE \"" + *d.id + "\" is missing from a"});
        return;
      }
      const std::string names = detail::live_daterange_conflicts(*it->second.range, d);
      if (!names.empty())
        diags.push_back({diag_code::align_daterange, severity::error, mine.line, 1,
                         "EXT-X-DATERANGE \"" + *d.id + "\" differs from a's in " + names +
                             live_in_a(it->second.line)});
    });
    visit(a, [&](const date_range& d) {
      if (!d.id || da.at(std::string_view(*d.id)).range != &d || db.count(std::string_view(*d.id)) != 0) return;
      if (inside(d))
        diags.push_back({diag_code::align_daterange, severity::error, ib.front_line(), 1,
                         "EXT-X-DATERANGE \"" + *d.id + "\" of a is missing here" +
                             live_in_a(da.at(std::string_view(*d.id)).line)});
    });
  }

  out.aligned = !has_errors(diags);
  return out;
}

}  // namespace hlspp
