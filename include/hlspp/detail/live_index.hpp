// SPDX-License-Identifier: MIT
#pragma once

/// @file detail/live_index.hpp
/// Internals of live.hpp: a per-snapshot index built in one pass (media sequence
/// range, segment positions, discontinuity counts, PROGRAM-DATE-TIME mapping),
/// line look-ups, DATERANGE indexes, and a reporter that folds a run of findings on
/// consecutive media sequence numbers into one diagnostic. Everything is linear in
/// the size of the playlists.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "../compare.hpp"
#include "../diagnostics.hpp"
#include "../media_playlist.hpp"
#include "schema.hpp"
#include "text.hpp"

namespace hlspp::detail {

/// `a + b`, saturating at the largest value (media sequence numbers near 2^64).
[[nodiscard]] inline std::uint64_t live_add(std::uint64_t a, std::uint64_t b) noexcept {
  const std::uint64_t top = std::numeric_limits<std::uint64_t>::max();
  return a > top - b ? top : a + b;
}

/// `b - a` as a signed number, clamped to the int64 range.
[[nodiscard]] inline std::int64_t live_delta(std::uint64_t a, std::uint64_t b) noexcept {
  const auto top = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (b >= a) return static_cast<std::int64_t>(std::min(b - a, top));
  return -static_cast<std::int64_t>(std::min(a - b, top));
}

/// Seconds for a message: at most three decimals, no exponent.
[[nodiscard]] inline std::string live_seconds(double v) {
  std::string out;
  append_decimal(out, std::round(v * 1000.0) / 1000.0);
  return out;
}

[[nodiscard]] inline std::string live_number(std::uint64_t v) {
  std::string out;
  append_integer(out, v);
  return out;
}

/// " (line N in the previous snapshot)", or "" when the line is unknown.
[[nodiscard]] inline std::string live_was_at(std::uint32_t line, std::string_view where = "the previous snapshot") {
  if (line == 0) return {};
  std::string out = " (line ";
  append_integer(out, line);
  out += " in ";
  out += where;
  out += ')';
  return out;
}

/// Line of the first playlist-level tag `id` (0 when absent or not parsed).
[[nodiscard]] inline std::uint32_t live_tag_line(const media_playlist& pl, tag_id id) noexcept {
  for (const auto& e : pl.layout.entries)
    if (e.tag == static_cast<std::uint16_t>(id)) return e.origin.line;
  return 0;
}

/// Line of the `nth` tag `id` inside a segment block (the block's first line when the
/// block does not record its lines; 0 when the segment was not parsed).
[[nodiscard]] inline std::uint32_t live_block_line(const media_segment& s, tag_id id, std::size_t nth) noexcept {
  if (s.origin.line == 0) return 0;
  const char want = static_cast<char>(id);
  std::size_t seen = 0;
  const auto& kinds = s.origin.line_kinds;
  for (std::size_t i = 0; i < kinds.size(); ++i)
    if (kinds[i] == want && seen++ == nth) return s.origin.line + static_cast<std::uint32_t>(i);
  return s.origin.line;
}

/// date_time::epoch_seconds() for the PROGRAM-DATE-TIMEs of one playlist, in order.
/// A live index needs every segment's (20,000 calls per diff of two 10k-segment
/// snapshots, which made up ~45% of it); consecutive tags almost always share their
/// date, hour and minute, so that prefix ("YYYY-MM-DDThh:mm", validated and converted
/// by epoch_seconds() itself the first time; a new hh:mm on a known date is read
/// here) is converted once and only the seconds, fraction and zone are read per tag,
/// with the same arithmetic: the same doubles.
class live_pdt_reader {
 public:
  [[nodiscard]] std::optional<double> operator()(const date_time& d) noexcept {
    const std::string_view s = d.text;
    if (!valid_ || s.size() < 19 || s[16] != ':') return miss(d);
    if (std::memcmp(s.data(), prefix_, sizeof prefix_) != 0) {
      // Same date, another minute (every 15 segments of 4 s): hh:mm read here.
      int h = 0, mi = 0;
      if (std::memcmp(s.data(), prefix_, 11) != 0 || s[13] != ':' || !parse_2digits(s, 11, h) ||
          !parse_2digits(s, 14, mi) || h > 23 || mi > 59)
        return miss(d);
      minute_ = days_ * 86400LL + h * 3600LL + mi * 60LL;
      std::memcpy(prefix_, s.data(), sizeof prefix_);
    }
    int se = 0;
    if (!parse_2digits(s, 17, se) || se > 60) return std::nullopt;
    std::size_t i = 19;
    double fraction = 0;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      ++i;
      double scale = 0.1;
      const std::size_t start = i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        fraction += (s[i] - '0') * scale;
        scale /= 10;
        ++i;
      }
      if (i == start) return std::nullopt;
    }
    long long offset_seconds = 0;
    if (!read_zone_to_end(s, i, offset_seconds)) return std::nullopt;
    const long long secs = minute_ + se - offset_seconds;
    return static_cast<double>(secs) + fraction;
  }

 private:
  std::optional<double> miss(const date_time& d) noexcept {
    auto t = d.epoch_seconds();
    if (!t) return t;  // keeps the last valid prefix
    // epoch_seconds() accepted it: the prefix is well formed and in range.
    const std::string_view s = d.text;
    int y_hi = 0, y_lo = 0, mo = 0, day = 0, h = 0, mi = 0;
    (void)parse_2digits(s, 0, y_hi);
    (void)parse_2digits(s, 2, y_lo);
    (void)parse_2digits(s, 5, mo);
    (void)parse_2digits(s, 8, day);
    (void)parse_2digits(s, 11, h);
    (void)parse_2digits(s, 14, mi);
    const long long days =
        days_from_civil(y_hi * 100 + y_lo, static_cast<unsigned>(mo), static_cast<unsigned>(day));
    minute_ = days * 86400LL + h * 3600LL + mi * 60LL;
    days_ = days;
    std::memcpy(prefix_, s.data(), sizeof prefix_);
    valid_ = true;
    return t;
  }
  char prefix_[16] = {};
  long long days_ = 0;
  long long minute_ = 0;
  bool valid_ = false;
};

/// What applies to each segment in turn (the KEY list or MAP set at or before it),
/// for indexes that never decrease: the same answers as live_effective() without
/// its table. nullptr = none; `seed` is what applies before segments[0].
template <class T>
class live_effective_cursor {
 public:
  using getter = const T* (*)(const media_segment&) noexcept;
  live_effective_cursor(const media_playlist& pl, const T* seed, getter get) noexcept
      : pl_(pl), cur_(seed), get_(get) {}
  [[nodiscard]] const T* at(std::size_t i) noexcept {
    for (; next_ <= i && next_ < pl_.segments.size(); ++next_)
      if (const T* own = get_(pl_.segments[next_])) cur_ = own;
    return cur_;
  }

 private:
  const media_playlist& pl_;
  const T* cur_;
  getter get_;
  std::size_t next_ = 0;
};

/// One pass over a media playlist: where each segment sits on the media sequence
/// number line, on the playlist's own timeline and (with PROGRAM-DATE-TIME) on the
/// wall clock.
struct live_index {
  const media_playlist* pl = nullptr;
  std::uint64_t media_sequence = 0;  // EXT-X-MEDIA-SEQUENCE: MSN of the first (maybe skipped) segment
  std::uint64_t skipped = 0;         // EXT-X-SKIP SKIPPED-SEGMENTS
  std::uint64_t first = 0;           // MSN of segments[0]
  std::uint64_t end = 0;             // one past the MSN of the last segment
  std::vector<double> position;      // start of segments[i] on the playlist timeline; size n + 1
  std::vector<std::uint64_t> discontinuities;  // DISCONTINUITY tags in segments[0, i); size n + 1
  bool has_pdt = false;              // some segment has a valid PROGRAM-DATE-TIME
  std::vector<double> pdt;           // start of segments[i] in epoch seconds (when has_pdt)
  std::vector<double> pdt_explicit;  // the segment's own PROGRAM-DATE-TIME, NaN when none

  explicit live_index(const media_playlist& p) : pl(&p) {
    media_sequence = p.media_sequence.value_or(0);
    skipped = p.skip ? p.skip->skipped_segments.value_or(0) : 0;
    first = live_add(media_sequence, skipped);
    const std::size_t n = p.segments.size();
    end = live_add(first, n);
    // Filled by push_back after reserve: no zero-fill of arrays written in full anyway.
    position.reserve(n + 1);
    discontinuities.reserve(n + 1);
    pdt_explicit.reserve(n);
    double at = 0;
    std::uint64_t disc = 0;
    std::size_t first_anchor = n;
    live_pdt_reader read_pdt;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& s = p.segments[i];
      position.push_back(at);
      discontinuities.push_back(disc);
      if (s.discontinuity) ++disc;
      double explicit_pdt = std::numeric_limits<double>::quiet_NaN();
      if (s.program_date_time) {
        if (auto t = read_pdt(*s.program_date_time)) {
          explicit_pdt = *t;
          if (first_anchor == n) first_anchor = i;
        }
      }
      pdt_explicit.push_back(explicit_pdt);
      at += s.duration;
    }
    position.push_back(at);
    discontinuities.push_back(disc);
    has_pdt = first_anchor < n;
    if (!has_pdt) return;
    pdt.resize(n);
    // Before the first tag: back from it; after: forward from the latest tag.
    for (std::size_t i = 0; i < first_anchor; ++i)
      pdt[i] = pdt_explicit[first_anchor] - (position[first_anchor] - position[i]);
    double anchor_time = 0, anchor_pos = 0;
    for (std::size_t i = first_anchor; i < n; ++i) {
      if (!std::isnan(pdt_explicit[i])) {
        anchor_time = pdt_explicit[i];
        anchor_pos = position[i];
      }
      pdt[i] = anchor_time + (position[i] - anchor_pos);
    }
  }

  [[nodiscard]] std::size_t size() const noexcept { return pl->segments.size(); }
  [[nodiscard]] bool contains(std::uint64_t msn) const noexcept { return msn >= first && msn < end; }
  [[nodiscard]] std::size_t index(std::uint64_t msn) const noexcept { return static_cast<std::size_t>(msn - first); }
  [[nodiscard]] const media_segment& segment(std::uint64_t msn) const { return pl->segments[index(msn)]; }
  [[nodiscard]] double duration() const noexcept { return position.back(); }
  /// Seconds of the listed segments with MSN in [from, to) (clamped to the listed range).
  [[nodiscard]] double seconds(std::uint64_t from, std::uint64_t to) const noexcept {
    from = std::max(from, first);
    to = std::min(to, end);
    if (from >= to) return 0;
    return position[index(to - 1) + 1] - position[index(from)];
  }
  /// Line of the segment with this MSN, 0 if not listed.
  [[nodiscard]] std::uint32_t line(std::uint64_t msn) const noexcept {
    return contains(msn) ? pl->segments[index(msn)].origin.line : 0;
  }
  /// Line of the live edge: the open segment's block, else the last segment, else
  /// EXT-X-MEDIA-SEQUENCE / EXT-X-TARGETDURATION.
  [[nodiscard]] std::uint32_t edge_line() const noexcept {
    if (pl->trailing.origin.line != 0 && !pl->trailing.parts.empty()) return pl->trailing.origin.line;
    if (!pl->segments.empty()) return pl->segments.back().origin.line;
    if (auto l = live_tag_line(*pl, tag_id::media_sequence)) return l;
    return live_tag_line(*pl, tag_id::targetduration);
  }
  /// Line of the window's start: the first segment, else the edge.
  [[nodiscard]] std::uint32_t front_line() const noexcept {
    if (!pl->segments.empty() && pl->segments.front().origin.line != 0) return pl->segments.front().origin.line;
    return edge_line();
  }
  /// Line of a playlist tag, falling back to the window's start.
  [[nodiscard]] std::uint32_t tag_line(tag_id id) const noexcept {
    if (auto l = live_tag_line(*pl, id)) return l;
    return front_line();
  }
};

/// Sentinel for "the tag in effect cannot be known" (it sits in skipped segments).
template <class T>
[[nodiscard]] inline const T* live_unknown() noexcept {
  static const T value{};
  return &value;
}

/// For every segment, the EXT-X-KEY list (or EXT-X-MAP) in effect; nullptr = none,
/// live_unknown<T>() = unknown. `seed` is what applies before segments[0].
template <class T, class Get>
[[nodiscard]] std::vector<const T*> live_effective(const media_playlist& pl, const T* seed, Get get) {
  std::vector<const T*> out(pl.segments.size());
  const T* cur = seed;
  for (std::size_t i = 0; i < pl.segments.size(); ++i) {
    if (const T* own = get(pl.segments[i])) cur = own;
    out[i] = cur;
  }
  return out;
}

[[nodiscard]] inline const std::vector<key>* live_keys_of(const media_segment& s) noexcept {
  return s.keys.empty() ? nullptr : &s.keys.as_vector();
}
[[nodiscard]] inline const init_section* live_map_of(const media_segment& s) noexcept {
  return s.map ? &*s.map : nullptr;
}

/// True when some key of the list encrypts (METHOD other than NONE).
[[nodiscard]] inline bool live_encrypted(const std::vector<key>* keys) noexcept {
  if (keys == nullptr) return false;
  for (const auto& k : *keys)
    if (k.method && *k.method != "NONE") return true;
  return false;
}

/// Same encryption in effect (no key and METHOD=NONE are the same thing).
[[nodiscard]] inline bool live_same_keys(const std::vector<key>* a, const std::vector<key>* b) {
  if (a == b) return true;
  const bool ea = live_encrypted(a), eb = live_encrypted(b);
  if (!ea && !eb) return true;
  if (ea != eb) return false;
  return *a == *b;
}

[[nodiscard]] inline bool live_same_map(const init_section* a, const init_section* b) {
  if (a == b) return true;
  if (a == nullptr || b == nullptr) return false;
  return *a == *b;
}

/// A key whose IV is the media sequence number (RFC 8216bis §5.2): AES-128 or
/// SAMPLE-AES, identity key format, no IV attribute.
[[nodiscard]] inline bool live_msn_is_iv(const key& k) noexcept {
  if (!k.method || (*k.method != "AES-128" && *k.method != "SAMPLE-AES")) return false;
  if (k.iv) return false;
  return !k.keyformat || *k.keyformat == "identity";
}

/// One DATERANGE of a snapshot (the first tag with its ID) and where it stands.
struct live_daterange {
  const date_range* range = nullptr;
  std::uint32_t line = 0;
};

/// ID -> first EXT-X-DATERANGE with that ID (segments in order, then the open block).
/// Repeated tags with one ID are the parser's business (daterange-conflict).
[[nodiscard]] inline std::unordered_map<std::string_view, live_daterange> live_dateranges(const media_playlist& pl) {
  std::unordered_map<std::string_view, live_daterange> out;
  std::size_t n = pl.trailing.dateranges.size();
  for (const auto& s : pl.segments) n += s.dateranges.size();
  if (n == 0) return out;
  out.reserve(n);
  auto add = [&](const media_segment& s) {
    for (std::size_t k = 0; k < s.dateranges.size(); ++k) {
      const auto& d = s.dateranges[k];
      if (!d.id) continue;
      out.emplace(std::string_view(*d.id), live_daterange{&d, live_block_line(s, tag_id::daterange, k)});
    }
  };
  for (const auto& s : pl.segments) add(s);
  add(pl.trailing);
  return out;
}

template <class A>
[[nodiscard]] bool live_value_equal(const A& a, const A& b) {
  return a == b;
}
[[nodiscard]] inline bool live_value_equal(const date_time& a, const date_time& b) {
  if (a.text == b.text) return true;
  auto x = a.epoch_seconds(), y = b.epoch_seconds();
  return x && y && std::fabs(*x - *y) < 1e-6;
}

/// Names of the attributes both ranges have with different values (empty: no
/// conflict; attributes present in only one of them are not conflicts).
[[nodiscard]] inline std::string live_daterange_conflicts(const date_range& a, const date_range& b) {
  std::string names;
  auto note = [&](std::string_view name) {
    if (!names.empty()) names += ", ";
    names += name;
  };
  schema<date_range>::each([&](std::string_view name, auto mp, attr_type) {
    const auto& x = a.*mp;
    const auto& y = b.*mp;
    if (x && y && !live_value_equal(*x, *y)) note(name);
  });
  for (const auto& x : a.other)
    for (const auto& y : b.other)
      if (x.name == y.name && x.value != y.value) note(x.name);
  return names;
}

/// [start, end] of a DATERANGE in epoch seconds (end = start without an end).
[[nodiscard]] inline bool live_daterange_span(const date_range& d, double& start, double& stop) noexcept {
  if (!d.start_date) return false;
  auto s = d.start_date->epoch_seconds();
  if (!s) return false;
  start = stop = *s;
  if (d.end_date) {
    if (auto e = d.end_date->epoch_seconds()) stop = std::max(*s, *e);
  } else if (d.duration) {
    stop = *s + std::max(0.0, *d.duration);
  } else if (d.planned_duration) {
    stop = *s + std::max(0.0, *d.planned_duration);
  }
  return true;
}

/// Folds findings with one code on consecutive media sequence numbers into the
/// first one's diagnostic ("... (and the N following segments)").
class live_runs {
 public:
  explicit live_runs(diagnostics& out) : out_(out) {}
  live_runs(const live_runs&) = delete;
  live_runs& operator=(const live_runs&) = delete;
  ~live_runs() = default;

  /// Reports a finding for `msn`; returns false when it only extended a run.
  /// `message()` is called only when a new diagnostic starts.
  template <class F>
  bool report(diag_code code, severity sev, std::uint64_t msn, std::uint32_t line, F message) {
    for (auto& r : runs_) {
      if (r.code != code) continue;
      if (r.last == msn) return false;  // a second finding on the same segment
      if (r.last + 1 == msn) {
        r.last = msn;
        ++r.extra;
        return false;
      }
      close(r);
      r = run{code, out_.size(), msn, 0};
      out_.push_back(diagnostic{code, sev, line, 1, message()});
      return true;
    }
    runs_.push_back(run{code, out_.size(), msn, 0});
    out_.push_back(diagnostic{code, sev, line, 1, message()});
    return true;
  }
  /// Appends the run lengths to the messages; call once at the end.
  void finish() {
    for (auto& r : runs_) close(r);
    runs_.clear();
  }

 private:
  struct run {
    diag_code code;
    std::size_t index;
    std::uint64_t last;
    std::uint64_t extra;
  };
  void close(run& r) {
    if (r.extra == 0) return;
    auto& m = out_[r.index].message;
    m += " (and the ";
    m += r.extra == 1 ? std::string("next segment") : live_number(r.extra) + " following segments";
    m += ')';
    r.extra = 0;
  }
  diagnostics& out_;
  std::vector<run> runs_;
};

}  // namespace hlspp::detail
