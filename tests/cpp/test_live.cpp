// SPDX-License-Identifier: MIT
// live.hpp: diff() of two snapshots (statuses, update rules D1-D15), lag() of a CDN
// copy behind its origin, align() of two regions' copies (R-checks). Snapshots come
// from a small generator (N segments from MSN m, durations, PDT, discontinuities,
// parts, dateranges, keys, delta updates), parsed like fetched text.
#include <hlspp/live.hpp>
#include <hlspp/parse.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"

namespace {

using hlspp::diag_code;
using hlspp::live_status;

// ---- snapshot generator ------------------------------------------------------

struct daterange_spec {
  std::string id;
  std::uint64_t msn = 0;    // the segment it stands before (START-DATE = that segment's PDT)
  std::string attributes;  // extra ",NAME=value..." text
};

/// One snapshot of a media playlist: `count` media sequence numbers from `msn`.
struct snapshot {
  std::uint64_t msn = 100;
  std::size_t count = 6;
  double duration = 6.0;
  std::map<std::uint64_t, double> durations;  // per-MSN overrides
  std::uint64_t target = 6;
  std::uint64_t version = 9;
  std::optional<std::uint64_t> dsn;
  std::set<std::uint64_t> discontinuities;
  bool pdt = false;     // PROGRAM-DATE-TIME on every segment; MSN 0 starts at 00:00:00
  double pdt_shift = 0;  // seconds added to every PROGRAM-DATE-TIME
  std::string prefix = "seg";
  std::map<std::uint64_t, std::string> uris;  // per-MSN URI overrides
  std::set<std::uint64_t> omit;                // MSNs left out (later ones move up)
  std::optional<std::string> type;
  bool endlist = false;
  std::optional<double> part_target;
  std::size_t parts_per_segment = 0;  // parts on each of the last `parts_segments` segments
  std::size_t parts_segments = 0;
  std::size_t open_parts = 0;  // parts of the open segment after the last URI line
  bool hint = false;           // PRELOAD-HINT for the next part
  std::uint64_t skip = 0;      // EXT-X-SKIP:SKIPPED-SEGMENTS
  std::vector<daterange_spec> dateranges;
  std::map<std::uint64_t, std::string> keys;  // EXT-X-KEY attributes before that MSN
  bool map = false;                           // EXT-X-MAP before the first listed segment
  std::vector<std::string> header;            // extra playlist-level lines

  double duration_of(std::uint64_t m) const {
    auto it = durations.find(m);
    return it == durations.end() ? duration : it->second;
  }
  double clock(std::uint64_t m) const {
    double t = pdt_shift;
    for (std::uint64_t k = 0; k < m; ++k) t += duration_of(k);
    return t;
  }
  static std::string date(double t) {
    const auto ms = static_cast<long long>(std::llround(t * 1000.0));
    const long long s = ms / 1000;
    char buf[64];
    std::snprintf(buf, sizeof buf, "2024-01-%02lldT%02lld:%02lld:%02lld.%03lldZ", 1 + s / 86400, (s / 3600) % 24,
                  (s / 60) % 60, s % 60, ms % 1000);
    return buf;
  }
  std::string part_uri(std::uint64_t m, std::size_t x) const {
    return prefix + std::to_string(m) + ".part" + std::to_string(x) + ".ts";
  }

  std::string text() const {
    std::ostringstream o;
    o << "#EXTM3U\n#EXT-X-VERSION:" << version << "\n#EXT-X-TARGETDURATION:" << target << "\n";
    if (type) o << "#EXT-X-PLAYLIST-TYPE:" << *type << "\n";
    if (part_target) o << "#EXT-X-PART-INF:PART-TARGET=" << *part_target << "\n";
    o << "#EXT-X-MEDIA-SEQUENCE:" << msn << "\n";
    if (dsn) o << "#EXT-X-DISCONTINUITY-SEQUENCE:" << *dsn << "\n";
    for (const auto& h : header) o << h << "\n";
    if (skip) o << "#EXT-X-SKIP:SKIPPED-SEGMENTS=" << skip << "\n";
    const std::uint64_t end = msn + count;
    double t = clock(msn + skip);
    bool first = true;
    std::size_t listed = 0;
    for (std::uint64_t m = msn + skip; m < end; ++m)
      if (!omit.count(m)) ++listed;
    std::size_t index = 0;
    for (std::uint64_t m = msn + skip; m < end; ++m) {
      const double d = duration_of(m);
      if (omit.count(m)) {
        t += d;
        continue;
      }
      if (first && map) o << "#EXT-X-MAP:URI=\"init.mp4\"\n";
      first = false;
      if (auto k = keys.find(m); k != keys.end()) o << "#EXT-X-KEY:" << k->second << "\n";
      if (discontinuities.count(m)) o << "#EXT-X-DISCONTINUITY\n";
      if (pdt) o << "#EXT-X-PROGRAM-DATE-TIME:" << date(t) << "\n";
      for (const auto& r : dateranges)
        if (r.msn == m)
          o << "#EXT-X-DATERANGE:ID=\"" << r.id << "\",START-DATE=\"" << date(t) << "\"" << r.attributes << "\n";
      if (parts_per_segment > 0 && index + parts_segments >= listed)
        for (std::size_t x = 0; x < parts_per_segment; ++x)
          o << "#EXT-X-PART:DURATION=" << d / static_cast<double>(parts_per_segment) << ",URI=\"" << part_uri(m, x)
            << "\"\n";
      auto u = uris.find(m);
      o << "#EXTINF:" << d << ",\n" << (u == uris.end() ? prefix + std::to_string(m) + ".ts" : u->second) << "\n";
      t += d;
      ++index;
    }
    const double part = part_target.value_or(1.0);
    for (std::size_t x = 0; x < open_parts; ++x)
      o << "#EXT-X-PART:DURATION=" << part << ",URI=\"" << part_uri(end, x) << "\"\n";
    if (hint) o << "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"" << part_uri(end, open_parts) << "\"\n";
    if (endlist) o << "#EXT-X-ENDLIST\n";
    return o.str();
  }
};

std::string dump(const hlspp::diagnostics& diags) {
  std::string out;
  for (const auto& d : diags) out += d.to_string() + "\n";
  return out;
}

hlspp::media_playlist media(const std::string& text) {
  auto r = hlspp::parse(text);
  INFO(text);
  INFO(dump(r.diagnostics()));
  REQUIRE(r.ok());
  REQUIRE(r->is_media());
  return r->media();
}

hlspp::media_playlist media(const snapshot& s) { return media(s.text()); }

const hlspp::diagnostic* find(const hlspp::diagnostics& diags, diag_code code) {
  for (const auto& d : diags)
    if (d.code == code) return &d;
  return nullptr;
}

std::size_t count(const hlspp::diagnostics& diags, diag_code code) {
  std::size_t n = 0;
  for (const auto& d : diags)
    if (d.code == code) ++n;
  return n;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// 1-based number of the first line of `text` that contains `needle` (0: none).
std::uint32_t line_of(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  std::string line;
  std::uint32_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (contains(line, needle)) return n;
  }
  return 0;
}

/// " (line N in the previous snapshot)"
std::string was_at(std::uint32_t line) { return "(line " + std::to_string(line) + " in the previous snapshot)"; }

/// The snapshot after `n` more segments were produced (window slides).
snapshot slide(snapshot s, std::uint64_t n = 1) {
  s.msn += n;
  return s;
}

std::string corpus_dir() {
#ifdef HLSPP_CORPUS_DIR
  return HLSPP_CORPUS_DIR;
#else
  return "../shared/corpus";
#endif
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

hlspp::media_playlist corpus_media(const std::string& path) {
  const std::string text = read_file(corpus_dir() + "/" + path);
  INFO(path);
  REQUIRE_FALSE(text.empty());
  return media(text);
}

}  // namespace

// ---- statuses ---------------------------------------------------------------------

TEST_CASE("live: status names are stable", "[live]") {
  CHECK(hlspp::status_name(live_status::advanced) == "advanced");
  CHECK(hlspp::status_name(live_status::unchanged) == "unchanged");
  CHECK(hlspp::status_name(live_status::stale) == "stale");
  CHECK(hlspp::status_name(live_status::stuck) == "stuck");
  CHECK(hlspp::status_name(live_status::reset) == "reset");
  CHECK(hlspp::status_name(live_status::ended) == "ended");
  CHECK(hlspp::status_name(live_status::invalid_update) == "invalid-update");
  CHECK(hlspp::status_name(live_status::unavailable) == "unavailable");
  CHECK(hlspp::code_name(diag_code::update_uri_changed) == "update-uri-changed");
  CHECK(hlspp::code_name(diag_code::align_live_edge_skew) == "align-live-edge-skew");
}

TEST_CASE("live: a steady live window advances one segment per update", "[live]") {
  snapshot s;
  s.pdt = true;
  s.discontinuities = {103, 107};
  s.dsn = 0;
  auto previous = media(s);
  for (int step = 0; step < 8; ++step) {
    snapshot next = slide(s);
    // The server bumps the discontinuity sequence when a DISCONTINUITY leaves the window.
    next.dsn = *s.dsn + (s.discontinuities.count(s.msn) ? 1 : 0);
    auto current = media(next);
    auto d = hlspp::diff(previous, current, 6.0);
    INFO("step " << step);
    INFO(dump(d.violations));
    CHECK(d.status == live_status::advanced);
    CHECK(d.violations.empty());
    CHECK(d.media_sequence_delta == 1);
    CHECK(d.segments_added == 1);
    CHECK(d.segments_removed == 1);
    CHECK(d.seconds_added == Catch::Approx(6.0));
    CHECK(d.seconds_since_change == 0);
    CHECK(d.parts_added == 0);
    CHECK_FALSE(d.preload_hint_moved);
    s = next;
    previous = std::move(current);
  }
}

TEST_CASE("live: a frozen origin goes unchanged, stale, then stuck", "[live]") {
  snapshot s;  // target duration 6: stale after 9 s, stuck after 21 s
  const auto frozen = media(s);
  SECTION("thresholds") {
    CHECK(hlspp::diff(frozen, frozen, 0).status == live_status::unchanged);
    CHECK(hlspp::diff(frozen, frozen, 9.0).status == live_status::unchanged);
    auto stale = hlspp::diff(frozen, frozen, 9.5);
    CHECK(stale.status == live_status::stale);
    REQUIRE(find(stale.violations, diag_code::update_stale) != nullptr);
    CHECK(find(stale.violations, diag_code::update_stale)->severity == hlspp::severity::warning);
    CHECK(find(stale.violations, diag_code::update_stale)->line == frozen.segments.back().origin.line);
    CHECK(hlspp::diff(frozen, frozen, 21.0).status == live_status::stale);
    auto stuck = hlspp::diff(frozen, frozen, 21.5);
    CHECK(stuck.status == live_status::stuck);
    CHECK(find(stuck.violations, diag_code::update_stuck) != nullptr);
    CHECK(stuck.seconds_since_change == 21.5);
  }
  SECTION("custom factors") {
    hlspp::diff_options o;
    o.stale_factor = 1.0;
    o.stuck_factor = 2.0;
    CHECK(hlspp::diff(frozen, frozen, 7.0, o).status == live_status::stale);
    CHECK(hlspp::diff(frozen, frozen, 13.0, o).status == live_status::stuck);
  }
  SECTION("a watcher polling every 3 s") {
    // The origin produces a segment every 6 s until t = 24, then freezes.
    auto at = [&](double t) {
      snapshot x = s;
      x.msn += static_cast<std::uint64_t>(std::min(t, 24.0) / 6.0);
      return media(x);
    };
    auto last = at(0);
    double since = 0;
    std::map<double, live_status> seen;
    for (double t = 3; t <= 54; t += 3) {
      auto now = at(t);
      auto d = hlspp::diff(last, now, since + 3);
      seen[t] = d.status;
      since = d.seconds_since_change;
      last = std::move(now);
    }
    CHECK(seen[3] == live_status::unchanged);
    CHECK(seen[6] == live_status::advanced);
    CHECK(seen[24] == live_status::advanced);
    CHECK(seen[30] == live_status::unchanged);  // 6 s
    CHECK(seen[33] == live_status::unchanged);  // 9 s: not more than 1.5 TD
    CHECK(seen[36] == live_status::stale);      // 12 s
    CHECK(seen[42] == live_status::stale);
    CHECK(seen[45] == live_status::stale);  // 21 s: not more than 3.5 TD
    CHECK(seen[48] == live_status::stuck);  // 24 s
  }
}

TEST_CASE("live: a media sequence regression is an invalid update", "[live]") {
  snapshot s;
  const auto previous = media(s);
  snapshot back = s;
  back.msn = 99;
  back.count = 8;  // 99..106: overlaps the previous window, so not a reset
  const std::string text = back.text();
  auto d = hlspp::diff(previous, media(text), 6);
  INFO(dump(d.violations));
  CHECK(d.status == live_status::invalid_update);
  CHECK(d.media_sequence_delta == -1);
  const auto* v = find(d.violations, diag_code::update_media_sequence_regressed);
  REQUIRE(v != nullptr);
  CHECK(v->severity == hlspp::severity::error);
  CHECK(v->line == line_of(text, "#EXT-X-MEDIA-SEQUENCE"));
  CHECK(contains(v->message, was_at(line_of(s.text(), "#EXT-X-MEDIA-SEQUENCE"))));
}

TEST_CASE("live: a reset after an encoder restart", "[live]") {
  snapshot s;
  s.msn = 1000;
  const auto previous = media(s);
  snapshot restarted;
  restarted.msn = 0;
  restarted.count = 3;
  restarted.prefix = "restart-";
  auto d = hlspp::diff(previous, media(restarted), 30);
  INFO(dump(d.violations));
  CHECK(d.status == live_status::reset);
  CHECK(d.seconds_since_change == 0);
  CHECK(d.media_sequence_delta == -1000);
  CHECK(d.segments_added == 3);
  CHECK(d.segments_removed == 6);
  CHECK(find(d.violations, diag_code::update_media_sequence_reset) != nullptr);
  CHECK(find(d.violations, diag_code::update_uri_changed) == nullptr);

  SECTION("ending at the old window's start is a regression, not a reset") {
    snapshot near = restarted;
    near.msn = 994;  // 994..999 ends right where the old window began
    near.count = 6;
    auto e = hlspp::diff(previous, media(near), 6);
    CHECK(e.status == live_status::invalid_update);
    CHECK(find(e.violations, diag_code::update_media_sequence_regressed) != nullptr);
  }
  SECTION("ENDLIST with a lower media sequence: players end the stream") {
    snapshot ended = restarted;
    ended.endlist = true;
    auto e = hlspp::diff(previous, media(ended), 6);
    INFO(dump(e.violations));
    CHECK(e.status == live_status::ended);
    REQUIRE(find(e.violations, diag_code::update_media_sequence_regressed) != nullptr);
    CHECK(find(e.violations, diag_code::update_media_sequence_regressed)->severity == hlspp::severity::warning);
  }
}

TEST_CASE("live: removing a segment from the middle", "[live]") {
  snapshot s;  // 100..105
  const auto previous = media(s);
  snapshot next = slide(s);  // 101..106 ...
  next.count = 7;            // ... with 103 left out, so MSNs 103.. now name later segments
  next.omit = {103};
  const std::string text = next.text();
  const auto current = media(text);
  auto d = hlspp::diff(previous, current, 6);
  INFO(dump(d.violations));
  CHECK(d.status == live_status::invalid_update);
  CHECK(count(d.violations, diag_code::update_removed_not_from_front) == 1);
  const auto* v = find(d.violations, diag_code::update_removed_not_from_front);
  REQUIRE(v != nullptr);
  CHECK(v->line == current.segments[2].origin.line);  // MSN 103
  CHECK(contains(v->message, "MSN 103"));
  CHECK(contains(v->message, was_at(previous.segments[3].origin.line)));
  CHECK(find(d.violations, diag_code::update_uri_changed) == nullptr);

  SECTION("removing from the end") {
    snapshot shorter = s;
    shorter.count = 4;  // 100..103: 104 and 105 disappeared
    auto e = hlspp::diff(previous, media(shorter), 6);
    CHECK(e.status == live_status::invalid_update);
    CHECK(e.segments_removed == 2);
    REQUIRE(find(e.violations, diag_code::update_removed_not_from_front) != nullptr);
    CHECK(contains(find(e.violations, diag_code::update_removed_not_from_front)->message, "MSN 104 to 105"));
  }
  SECTION("inserting a segment") {
    snapshot more = s;
    more.count = 7;
    more.uris = {{102, "ad.ts"}};
    // 100, 101, ad, then the old 102.. one MSN later
    std::string t = more.text();
    for (std::uint64_t m = 105; m >= 102; --m) {
      const std::string from = "seg" + std::to_string(m + 1) + ".ts\n";
      const std::string to = "seg" + std::to_string(m) + ".ts\n";
      t.replace(t.find(from), from.size(), to);
    }
    auto e = hlspp::diff(previous, media(t), 6);
    INFO(t);
    INFO(dump(e.violations));
    CHECK(find(e.violations, diag_code::update_uri_changed) != nullptr);  // MSN 102 is "ad.ts"
    CHECK(find(e.violations, diag_code::update_segment_inserted) != nullptr);
  }
  SECTION("removing from the front without the matching media sequence") {
    // MSN stays 100, but the list starts at the old 101.
    std::string t = slide(s).text();
    t.replace(t.find("MEDIA-SEQUENCE:101"), 18, "MEDIA-SEQUENCE:100");
    auto e = hlspp::diff(previous, media(t), 6);
    INFO(dump(e.violations));
    CHECK(e.status == live_status::invalid_update);
    CHECK(count(e.violations, diag_code::update_media_sequence_mismatch) == 1);
    CHECK(find(e.violations, diag_code::update_uri_changed) == nullptr);
  }
}

TEST_CASE("live: a changed URI at the same media sequence number", "[live]") {
  snapshot s;
  const auto previous = media(s);
  snapshot next = slide(s);
  next.uris = {{103, "other103.ts"}};
  const auto current = media(next);
  auto d = hlspp::diff(previous, current, 6);
  INFO(dump(d.violations));
  CHECK(d.status == live_status::invalid_update);
  CHECK(count(d.violations, diag_code::update_uri_changed) == 1);
  const auto* v = find(d.violations, diag_code::update_uri_changed);
  REQUIRE(v != nullptr);
  CHECK(v->line == current.segments[2].origin.line);
  CHECK(contains(v->message, "\"other103.ts\""));
  CHECK(contains(v->message, was_at(previous.segments[3].origin.line)));

  SECTION("consecutive changes fold into one diagnostic") {
    snapshot many = slide(s);
    many.prefix = "new";
    auto e = hlspp::diff(previous, media(many), 6);
    CHECK(count(e.violations, diag_code::update_uri_changed) == 1);
    CHECK(contains(find(e.violations, diag_code::update_uri_changed)->message, "(and the 4 following segments)"));
  }
  SECTION("a changed byte range") {
    std::string a = s.text(), b = slide(s).text();
    a.replace(a.find("seg103.ts"), 9, "#EXT-X-BYTERANGE:100@0\nall.ts");
    b.replace(b.find("seg103.ts"), 9, "#EXT-X-BYTERANGE:100@100\nall.ts");
    auto e = hlspp::diff(media(a), media(b), 6);
    CHECK(find(e.violations, diag_code::update_uri_changed) != nullptr);
  }
  SECTION("a changed duration, gap or date at the same media sequence number") {
    snapshot x = slide(s);
    x.durations = {{102, 5.0}};
    CHECK(find(hlspp::diff(previous, media(x), 6).violations, diag_code::update_segment_changed) != nullptr);
    std::string g = slide(s).text();
    g.replace(g.find("#EXTINF:6,\nseg104.ts"), 0, "#EXT-X-GAP\n");
    CHECK(find(hlspp::diff(previous, media(g), 6).violations, diag_code::update_segment_changed) != nullptr);
    snapshot timed = s;
    timed.pdt = true;
    snapshot later = slide(timed);
    later.pdt_shift = 2;
    auto e = hlspp::diff(media(timed), media(later), 6);
    CHECK(count(e.violations, diag_code::update_segment_changed) == 1);
  }
}

TEST_CASE("live: a target duration change", "[live]") {
  snapshot s;
  const auto previous = media(s);
  snapshot next = slide(s);
  next.target = 8;
  const std::string text = next.text();
  auto d = hlspp::diff(previous, media(text), 6);
  CHECK(d.status == live_status::invalid_update);
  const auto* v = find(d.violations, diag_code::update_target_duration_changed);
  REQUIRE(v != nullptr);
  CHECK(v->line == line_of(text, "#EXT-X-TARGETDURATION"));
  CHECK(contains(v->message, "from 6 to 8"));

  SECTION("a new segment longer than the target duration") {
    snapshot longer = slide(s);
    longer.durations = {{106, 7.0}};
    auto e = hlspp::diff(previous, media(longer), 6);
    CHECK(find(e.violations, diag_code::extinf_exceeds_target_duration) != nullptr);
  }
}

TEST_CASE("live: ENDLIST appearing then disappearing", "[live]") {
  snapshot s;
  const auto live = media(s);
  snapshot last = slide(s);
  last.endlist = true;
  const std::string ended_text = last.text();
  const auto ended = media(ended_text);
  auto d = hlspp::diff(live, ended, 6);
  INFO(dump(d.violations));
  CHECK(d.status == live_status::ended);
  CHECK(d.violations.empty());
  CHECK(d.segments_added == 1);
  CHECK(d.seconds_since_change == 0);

  // An ended playlist does not go stale.
  auto still = hlspp::diff(ended, ended, 100);
  CHECK(still.status == live_status::ended);
  CHECK(still.violations.empty());

  snapshot again = slide(s);
  const auto reopened = media(again);
  auto e = hlspp::diff(ended, reopened, 6);
  CHECK(e.status == live_status::invalid_update);
  const auto* v = find(e.violations, diag_code::update_endlist_removed);
  REQUIRE(v != nullptr);
  CHECK(v->line == reopened.segments.back().origin.line);
  CHECK(contains(v->message, was_at(line_of(ended_text, "#EXT-X-ENDLIST"))));

  snapshot appended = slide(s, 2);
  appended.msn = last.msn;
  appended.count = last.count + 1;
  appended.endlist = true;
  auto f = hlspp::diff(ended, media(appended), 6);
  CHECK(f.status == live_status::invalid_update);
  CHECK(find(f.violations, diag_code::update_after_endlist) != nullptr);
}

TEST_CASE("live: LL-HLS parts advancing while segments do not", "[live]") {
  snapshot s;
  s.duration = 4;
  s.target = 4;
  s.part_target = 1.0;
  s.parts_per_segment = 4;
  s.parts_segments = 3;
  s.open_parts = 1;
  s.hint = true;
  const auto previous = media(s);
  snapshot next = s;
  next.open_parts = 2;
  const auto current = media(next);
  auto d = hlspp::diff(previous, current, 1.0);
  INFO(dump(d.violations));
  CHECK(d.status == live_status::advanced);
  CHECK(d.violations.empty());
  CHECK(d.segments_added == 0);
  CHECK(d.parts_added == 1);
  CHECK(d.preload_hint_moved);
  CHECK(d.seconds_since_change == 0);

  SECTION("no new part: stale after 1.5 part targets, stuck after 3.5 target durations") {
    CHECK(hlspp::diff(current, current, 1.0).status == live_status::unchanged);
    auto stale = hlspp::diff(current, current, 1.6);
    CHECK(stale.status == live_status::stale);
    REQUIRE(find(stale.violations, diag_code::update_stale) != nullptr);
    CHECK(contains(find(stale.violations, diag_code::update_stale)->message, "part target"));
    CHECK(hlspp::diff(current, current, 14.0).status == live_status::stale);
    CHECK(hlspp::diff(current, current, 14.1).status == live_status::stuck);
  }
  SECTION("the open segment completes") {
    snapshot done = slide(s);
    done.open_parts = 0;
    snapshot three = s;
    three.open_parts = 3;
    auto e = hlspp::diff(media(three), media(done), 1.0);
    INFO(dump(e.violations));
    CHECK(e.status == live_status::advanced);
    CHECK(e.segments_added == 1);
    CHECK(e.parts_added == 1);
    CHECK(e.violations.empty());
  }
  SECTION("the hinted part is not the one published") {
    std::string t = next.text();
    const std::string published = next.part_uri(106, 1);
    t.replace(t.find(published), published.size(), "elsewhere.ts");
    auto e = hlspp::diff(previous, media(t), 1.0);
    INFO(dump(e.violations));
    CHECK(e.status == live_status::advanced);
    const auto* v = find(e.violations, diag_code::update_preload_hint_mismatch);
    REQUIRE(v != nullptr);
    CHECK(v->severity == hlspp::severity::warning);
    CHECK(v->line == line_of(t, "elsewhere.ts"));
  }
  SECTION("parts removed near the live edge") {
    snapshot fewer = s;
    fewer.open_parts = 2;
    fewer.parts_segments = 1;  // MSN 104's parts are gone, 4 s from the end
    auto e = hlspp::diff(previous, media(fewer), 1.0);
    INFO(dump(e.violations));
    CHECK(e.status == live_status::advanced);
    CHECK(find(e.violations, diag_code::update_part_removed) != nullptr);
  }
  SECTION("a changed part") {
    std::string t = next.text();
    const std::string uri = next.part_uri(105, 2);
    t.replace(t.find(uri), uri.size(), "changed.ts");
    auto e = hlspp::diff(previous, media(t), 1.0);
    CHECK(find(e.violations, diag_code::update_part_changed) != nullptr);
  }
}

TEST_CASE("live: an EVENT playlist grows and must not slide", "[live]") {
  snapshot s;
  s.type.emplace("EVENT");
  s.msn = 0;
  s.count = 3;
  auto previous = media(s);
  for (std::size_t n = 4; n <= 6; ++n) {
    snapshot next = s;
    next.count = n;
    auto current = media(next);
    auto d = hlspp::diff(previous, current, 6);
    INFO(dump(d.violations));
    CHECK(d.status == live_status::advanced);
    CHECK(d.violations.empty());
    CHECK(d.segments_removed == 0);
    previous = std::move(current);
  }
  snapshot slid = s;
  slid.count = 6;
  slid.msn = 1;
  const std::string text = slid.text();
  auto d = hlspp::diff(previous, media(text), 6);
  CHECK(d.status == live_status::invalid_update);
  const auto* v = find(d.violations, diag_code::update_playlist_type);
  REQUIRE(v != nullptr);
  CHECK(v->line == line_of(text, "#EXT-X-PLAYLIST-TYPE"));

  SECTION("EVENT becoming VOD with ENDLIST is only a warning") {
    snapshot vod = s;
    vod.count = 7;
    vod.type.emplace("VOD");
    vod.endlist = true;
    auto e = hlspp::diff(previous, media(vod), 6);
    CHECK(e.status == live_status::ended);
    REQUIRE(find(e.violations, diag_code::update_playlist_type) != nullptr);
    CHECK(find(e.violations, diag_code::update_playlist_type)->severity == hlspp::severity::warning);
  }
  SECTION("a VOD playlist must not change") {
    snapshot vod = s;
    vod.type.emplace("VOD");
    vod.endlist = true;
    const auto a = media(vod);
    CHECK(hlspp::diff(a, a, 1000).status == live_status::ended);
    vod.uris = {{1, "patched.ts"}};
    auto e = hlspp::diff(a, media(vod), 6);
    CHECK(e.status == live_status::invalid_update);
    CHECK(find(e.violations, diag_code::update_playlist_type) != nullptr);
  }
}

TEST_CASE("live: delta updates with EXT-X-SKIP", "[live]") {
  snapshot full;
  full.count = 12;  // 100..111
  full.header = {"#EXT-X-SERVER-CONTROL:CAN-SKIP-UNTIL=36"};
  full.discontinuities = {103};
  full.dsn = 4;
  full.keys = {{100, "METHOD=AES-128,URI=\"k1\""}};
  const auto previous = media(full);
  snapshot delta = slide(full);  // 101..112, of which 101..108 skipped
  delta.skip = 8;
  const auto current = media(delta);
  auto d = hlspp::diff(previous, current, 6);
  INFO(dump(d.violations));
  CHECK(d.status == live_status::advanced);
  CHECK(d.violations.empty());
  CHECK(d.segments_added == 1);
  CHECK(d.segments_removed == 1);
  CHECK(d.seconds_added == Catch::Approx(6.0));

  SECTION("the skipped discontinuity still counts") {
    snapshot wrong = delta;
    wrong.dsn = 5;
    auto e = hlspp::diff(previous, media(wrong), 6);
    CHECK(find(e.violations, diag_code::update_discontinuity_sequence) != nullptr);
  }
  SECTION("skipped segments the previous snapshot does not have") {
    snapshot small;
    small.header = full.header;  // 100..105
    snapshot far = small;
    far.msn = 104;
    far.count = 6;
    far.skip = 4;  // skips 104..107, the previous snapshot ends at 105
    const std::string text = far.text();
    auto e = hlspp::diff(media(small), media(text), 6);
    INFO(dump(e.violations));
    CHECK(e.status == live_status::invalid_update);
    const auto* v = find(e.violations, diag_code::update_skip_not_covered);
    REQUIRE(v != nullptr);
    CHECK(v->line == line_of(text, "#EXT-X-SKIP"));
  }
  SECTION("hls.js fixtures") {
    const std::string dir = "hlsjs/level-helper/";
    auto a = corpus_media(dir + "handles_delta_Playlist_updates_with_discontinuities_1.m3u8");
    auto b = corpus_media(dir + "handles_delta_Playlist_updates_with_discontinuities_2.m3u8");
    auto e = hlspp::diff(a, b, 3);
    INFO(dump(e.violations));
    CHECK(e.status == live_status::unchanged);
    CHECK(e.violations.empty());

    const std::string mismatch =
        dir + "detects_media_sequence_mismatch_on_delta_updates_when_EXT_X_SKIP_is_declared_bef_";
    auto c = corpus_media(mismatch + "1.m3u8");
    auto f = corpus_media(mismatch + "2.m3u8");
    auto g = hlspp::diff(c, f, 6);
    INFO(dump(g.violations));
    CHECK(g.status == live_status::invalid_update);
    CHECK(find(g.violations, diag_code::update_media_sequence_mismatch) != nullptr);
  }
}

TEST_CASE("live: discontinuity sequence rules", "[live]") {
  snapshot s;
  s.dsn = 5;
  s.discontinuities = {102};
  const auto previous = media(s);
  snapshot next = slide(s, 3);  // 102's DISCONTINUITY leaves with it
  next.dsn = 6;
  auto d = hlspp::diff(previous, media(next), 6);
  INFO(dump(d.violations));
  CHECK(d.status == live_status::advanced);
  CHECK(d.discontinuity_sequence_delta == 1);
  CHECK(d.violations.empty());

  next.dsn = 5;
  auto e = hlspp::diff(previous, media(next), 6);
  CHECK(e.status == live_status::invalid_update);
  CHECK(count(e.violations, diag_code::update_discontinuity_sequence) == 1);

  SECTION("hls.js fixture: a DISCONTINUITY appears on an old segment") {
    const std::string dir = "hlsjs/level-helper/changes_the_discontinuity_sequence_of_segment_between_updates_";
    auto f = hlspp::diff(corpus_media(dir + "1.m3u8"), corpus_media(dir + "2.m3u8"), 2);
    INFO(dump(f.violations));
    CHECK(f.status == live_status::invalid_update);
    REQUIRE(find(f.violations, diag_code::update_discontinuity_sequence) != nullptr);
    CHECK(contains(find(f.violations, diag_code::update_discontinuity_sequence)->message, "MSN 5431"));
  }
  SECTION("a decreasing discontinuity sequence") {
    snapshot lower = slide(s);
    lower.dsn = 4;
    CHECK(find(hlspp::diff(previous, media(lower), 6).violations, diag_code::update_discontinuity_sequence) !=
          nullptr);
  }
}

TEST_CASE("live: the window must stay at least three target durations", "[live]") {
  snapshot s;
  s.count = 4;
  const auto previous = media(s);
  snapshot next = slide(s, 3);
  next.count = 2;  // 103..104: 12 s < 18 s
  const std::string text = next.text();
  auto d = hlspp::diff(previous, media(text), 6);
  CHECK(d.status == live_status::invalid_update);
  const auto* v = find(d.violations, diag_code::update_window_too_short);
  REQUIRE(v != nullptr);
  CHECK(v->line == line_of(text, "#EXT-X-MEDIA-SEQUENCE"));
  // A short window that only grows is fine (the stream is starting).
  snapshot start = s;
  start.count = 1;
  snapshot grown = start;
  grown.count = 2;
  CHECK(hlspp::diff(media(start), media(grown), 6).violations.empty());
}

TEST_CASE("live: DATERANGE updates", "[live]") {
  snapshot s;
  s.pdt = true;
  s.dateranges = {{"ad-1", 101, ",DURATION=30"}, {"ad-2", 104, ",PLANNED-DURATION=10"}};
  const auto previous = media(s);

  SECTION("added, changed (added attribute), removed with its segment") {
    snapshot next = slide(s, 2);  // 102..107: ad-1's segment left, but it lasts 30 s
    next.dateranges = {{"ad-1", 102, ""}, {"ad-2", 104, ",PLANNED-DURATION=10,END-DATE=\"2024-01-01T00:10:34.000Z\""},
                       {"ad-3", 106, ""}};
    // ad-1 is repeated on 102 with a different START-DATE: a conflict.
    const auto current = media(next);
    auto d = hlspp::diff(previous, current, 6);
    INFO(dump(d.violations));
    CHECK(d.dateranges_added == 1);
    CHECK(d.dateranges_changed == 2);
    CHECK(d.dateranges_removed == 0);
    CHECK(count(d.violations, diag_code::update_daterange_changed) == 1);
    const auto* v = find(d.violations, diag_code::update_daterange_changed);
    REQUIRE(v != nullptr);
    CHECK(contains(v->message, "\"ad-1\""));
    CHECK(contains(v->message, "START-DATE"));
    CHECK(v->line == line_of(next.text(), "ID=\"ad-1\""));
  }
  SECTION("removed while it still maps to the window") {
    snapshot next = slide(s, 2);
    next.dateranges = {{"ad-2", 104, ",PLANNED-DURATION=10"}};
    auto d = hlspp::diff(previous, media(next), 6);
    INFO(dump(d.violations));
    CHECK(d.dateranges_removed == 1);
    CHECK(d.status == live_status::invalid_update);
    CHECK(find(d.violations, diag_code::update_daterange_removed) != nullptr);
  }
  SECTION("removed after it ended") {
    snapshot old = s;
    old.dateranges = {{"short", 100, ",DURATION=2"}};
    snapshot next = slide(old, 2);
    next.dateranges.clear();
    auto d = hlspp::diff(media(old), media(next), 6);
    INFO(dump(d.violations));
    CHECK(d.dateranges_removed == 1);
    CHECK(d.violations.empty());
  }
}

TEST_CASE("live: EXT-X-KEY and EXT-X-MAP stay with their segments", "[live]") {
  snapshot s;
  s.keys = {{100, "METHOD=AES-128,URI=\"key1\""}};
  s.map = true;
  const auto previous = media(s);
  snapshot good = slide(s);
  good.keys = {{101, "METHOD=AES-128,URI=\"key1\""}};
  auto d = hlspp::diff(previous, media(good), 6);
  INFO(dump(d.violations));
  CHECK(d.violations.empty());

  snapshot lost = slide(s);
  lost.keys.clear();
  lost.map = false;
  const auto current = media(lost);
  auto e = hlspp::diff(previous, current, 6);
  INFO(dump(e.violations));
  CHECK(e.status == live_status::invalid_update);
  REQUIRE(find(e.violations, diag_code::update_key_removed) != nullptr);
  CHECK(find(e.violations, diag_code::update_key_removed)->line == current.segments.front().origin.line);
  CHECK(find(e.violations, diag_code::update_map_removed) != nullptr);

  snapshot rotated = slide(s);
  rotated.keys = {{101, "METHOD=AES-128,URI=\"key2\""}};
  CHECK(find(hlspp::diff(previous, media(rotated), 6).violations, diag_code::update_segment_changed) != nullptr);
}

TEST_CASE("live: VERSION and SERVER-CONTROL changes are warnings", "[live]") {
  snapshot s;
  s.header = {"#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES"};
  const auto previous = media(s);
  snapshot next = slide(s);
  next.version = 7;
  next.header = {"#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=NO"};
  auto d = hlspp::diff(previous, media(next), 6);
  CHECK(d.status == live_status::advanced);
  CHECK(find(d.violations, diag_code::update_version_changed) != nullptr);
  CHECK(find(d.violations, diag_code::update_server_control_changed) != nullptr);
  CHECK_FALSE(hlspp::has_errors(d.violations));
}

TEST_CASE("live: unparsable or empty snapshots are unavailable, never fresh", "[live]") {
  const snapshot s;
  const auto good = hlspp::parse(s.text());
  const auto next = hlspp::parse(slide(s).text());
  REQUIRE(good.ok());
  auto ok = hlspp::diff(good, next, 6);
  CHECK(ok.status == live_status::advanced);

  struct bad_case {
    const char* name;
    std::string text;
    hlspp::strictness level;
  };
  const std::vector<bad_case> cases = {
      {"empty", "", hlspp::strictness::normal},
      {"empty, lenient", "", hlspp::strictness::lenient},
      {"an error page", "<html><body>502 Bad Gateway</body></html>\n", hlspp::strictness::normal},
      {"an error page, lenient", "<html><body>502 Bad Gateway</body></html>\n", hlspp::strictness::lenient},
      {"a multivariant playlist", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n", hlspp::strictness::normal},
      {"no segments", "#EXTM3U\n#EXT-X-TARGETDURATION:6\n", hlspp::strictness::normal},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const auto bad = hlspp::parse(c.text, c.level);
    auto d = hlspp::diff(good, bad, 0);
    INFO(dump(d.violations));
    CHECK(d.status == live_status::unavailable);
    CHECK(d.seconds_since_change == 0);
    CHECK(hlspp::has_errors(d.violations));
    auto later = hlspp::diff(good, bad, 30);
    CHECK(later.status == live_status::unavailable);
    CHECK(later.seconds_since_change == 30);
    CHECK(hlspp::diff(bad, good, 6).status == live_status::unavailable);
  }
  const auto empty = hlspp::parse("");
  auto d = hlspp::diff(good, empty, 0);
  CHECK(find(d.violations, diag_code::empty_input) != nullptr);
}

TEST_CASE("live: every live media playlist of the corpus is unchanged against itself", "[live]") {
  std::istringstream index(read_file(corpus_dir() + "/index.tsv"));
  std::string row;
  std::getline(index, row);  // header
  std::size_t checked = 0;
  while (std::getline(index, row)) {
    const auto tab1 = row.find('\t');
    if (tab1 == std::string::npos) continue;
    const auto tab2 = row.find('\t', tab1 + 1);
    if (row.substr(tab1 + 1, tab2 - tab1 - 1) != "media") continue;
    const std::string path = row.substr(0, tab1);
    const auto parsed = hlspp::parse(read_file(corpus_dir() + "/" + path), hlspp::strictness::lenient);
    if (!parsed.ok() || !parsed->is_media()) continue;
    const auto& m = parsed->media();
    if (m.endlist || (m.playlist_type && *m.playlist_type == "VOD")) continue;
    auto d = hlspp::diff(m, m, 0);
    INFO(path);
    INFO(dump(d.violations));
    CHECK(d.status == live_status::unchanged);
    CHECK(d.violations.empty());
    CHECK(d.segments_added == 0);
    CHECK(d.segments_removed == 0);
    CHECK(d.parts_added == 0);
    CHECK(d.dateranges_changed == 0);
    ++checked;
  }
  CHECK(checked > 100);
}

TEST_CASE("live: large snapshots are compared by media sequence arithmetic", "[live]") {
  snapshot s;
  s.count = 10000;
  s.duration = 2;
  s.target = 2;
  s.pdt = true;
  const auto previous = media(s);
  snapshot next = slide(s, 5);
  auto d = hlspp::diff(previous, media(next), 2);
  CHECK(d.status == live_status::advanced);
  CHECK(d.violations.empty());
  CHECK(d.segments_added == 5);
  // Every segment renamed: one folded diagnostic, not ten thousand.
  next.prefix = "other";
  auto e = hlspp::diff(previous, media(next), 2);
  CHECK(count(e.violations, diag_code::update_uri_changed) == 1);
  // Every segment shifted (the 100th removed): one diagnostic too.
  snapshot gap = slide(s, 5);
  gap.count = 10001;
  gap.omit = {5000};
  auto f = hlspp::diff(previous, media(gap), 2);
  CHECK(count(f.violations, diag_code::update_removed_not_from_front) == 1);
  CHECK(f.violations.size() <= 2);
  snapshot copy = s;
  copy.prefix = "https://region-b.example/seg";
  auto g = hlspp::align(previous, media(copy));
  CHECK(g.aligned);
  CHECK(g.diagnostics.empty());
}

// ---- origin versus CDN ---------------------------------------------------------------

TEST_CASE("live: CDN lag at several offsets", "[live]") {
  snapshot origin_snap;
  origin_snap.count = 10;  // 100..109, TD 6
  const auto origin = media(origin_snap);
  struct expectation {
    std::uint64_t behind;
    double seconds;
    bool stale_edge;
    bool stall;
  };
  const std::vector<expectation> offsets = {
      {0, 0, false, false}, {1, 6, false, false}, {2, 12, true, false}, {3, 18, true, true}, {5, 30, true, true}};
  for (const auto& x : offsets) {
    snapshot cdn_snap = origin_snap;
    cdn_snap.msn -= x.behind;
    const auto cdn = media(cdn_snap);
    auto r = hlspp::lag(origin, cdn);
    INFO("behind " << x.behind);
    INFO(dump(r.diagnostics));
    CHECK(r.segments_behind == x.behind);
    CHECK(r.seconds_behind == Catch::Approx(x.seconds));
    CHECK(r.stale_edge == x.stale_edge);
    CHECK(r.player_stall == x.stall);
    CHECK((find(r.diagnostics, diag_code::lag_player_stall) != nullptr) == x.stall);
    CHECK((find(r.diagnostics, diag_code::lag_stale_edge) != nullptr) == (x.stale_edge && !x.stall));
    CHECK_FALSE(hlspp::has_errors(r.diagnostics) != x.stall);
  }
  SECTION("the line of the first segment the CDN lacks") {
    snapshot cdn_snap = origin_snap;
    cdn_snap.msn -= 3;
    auto r = hlspp::lag(origin, media(cdn_snap));
    REQUIRE(find(r.diagnostics, diag_code::lag_player_stall) != nullptr);
    CHECK(find(r.diagnostics, diag_code::lag_player_stall)->line == origin.segments[7].origin.line);
  }
  SECTION("a CDN copy older than the origin's whole window") {
    snapshot cdn_snap = origin_snap;
    cdn_snap.msn = 80;
    auto r = hlspp::lag(origin, media(cdn_snap));
    CHECK(r.segments_behind == 20);
    CHECK(r.seconds_behind == Catch::Approx(120));
    CHECK(find(r.diagnostics, diag_code::lag_beyond_window) != nullptr);
    CHECK(r.player_stall);
  }
  SECTION("a CDN copy ahead of the origin") {
    snapshot cdn_snap = slide(origin_snap, 2);
    auto r = hlspp::lag(origin, media(cdn_snap));
    CHECK(r.segments_behind == 0);
    CHECK(find(r.diagnostics, diag_code::lag_cdn_ahead) != nullptr);
  }
  SECTION("a CDN copy that is not an earlier version of the origin's playlist") {
    snapshot cdn_snap = origin_snap;
    cdn_snap.msn -= 1;
    cdn_snap.uris = {{104, "stale-cache.ts"}};
    auto r = hlspp::lag(origin, media(cdn_snap));
    CHECK(find(r.diagnostics, diag_code::update_uri_changed) != nullptr);
  }
  SECTION("uneven durations: the seconds the CDN has not shown") {
    snapshot o = origin_snap;
    o.durations = {{108, 5.5}, {109, 4.0}};
    snapshot cdn_snap = o;
    cdn_snap.msn -= 2;
    auto r = hlspp::lag(media(o), media(cdn_snap));
    CHECK(r.seconds_behind == Catch::Approx(9.5));
    CHECK(r.stale_edge);
  }
}

// ---- region versus region -----------------------------------------------------------

TEST_CASE("live: aligned region pairs", "[live]") {
  for (bool pdt : {false, true}) {
    INFO("pdt " << pdt);
    snapshot a;
    a.pdt = pdt;
    a.dsn = 3;
    a.discontinuities = {103};
    a.dateranges = pdt ? std::vector<daterange_spec>{{"ad", 102, ",DURATION=12"}} : std::vector<daterange_spec>{};
    snapshot b = a;
    b.prefix = "https://region-b.example/seg";
    auto r = hlspp::align(media(a), media(b));
    INFO(dump(r.diagnostics));
    CHECK(r.aligned);
    CHECK(r.diagnostics.empty());
    CHECK(r.offset_seconds == 0);
    CHECK(r.media_sequence_offset == 0);
    // A window shorter at the front only: same live edge, still aligned.
    snapshot c = a;
    c.msn = 101;
    c.count = 5;
    auto s = hlspp::align(media(a), media(c));
    INFO(dump(s.diagnostics));
    CHECK(s.aligned);
    CHECK(s.offset_seconds == Catch::Approx(0));
    CHECK(s.media_sequence_offset == 0);
    // One segment short at the live edge: one target duration of skew (R4/R16).
    snapshot e = a;
    e.count = 5;
    auto t = hlspp::align(media(a), media(e));
    CHECK(t.offset_seconds == Catch::Approx(-6));
    CHECK_FALSE(t.aligned);
    CHECK(find(t.diagnostics, diag_code::align_live_edge_skew) != nullptr);
  }
}

TEST_CASE("live: misaligned region pairs", "[live]") {
  snapshot a;
  a.pdt = true;
  const auto pa = media(a);

  SECTION("b is one segment ahead") {
    for (bool pdt : {true, false}) {
      snapshot x = a;
      x.pdt = pdt;
      snapshot b = slide(x);
      const std::string text = b.text();
      auto r = hlspp::align(media(x), media(text));
      INFO(dump(r.diagnostics));
      CHECK_FALSE(r.aligned);
      CHECK(r.offset_seconds == Catch::Approx(6));
      CHECK(r.media_sequence_offset == 0);
      const auto* v = find(r.diagnostics, diag_code::align_live_edge_skew);
      REQUIRE(v != nullptr);
      CHECK(v->line == media(text).segments.back().origin.line);
    }
  }
  SECTION("same content under media sequence numbers shifted by one") {
    snapshot b = a;
    b.msn = 101;
    b.pdt_shift = -6;  // MSN 101 of b starts when MSN 100 of a does
    auto r = hlspp::align(pa, media(b));
    INFO(dump(r.diagnostics));
    CHECK(r.media_sequence_offset == 1);
    CHECK(r.offset_seconds == Catch::Approx(0));
    REQUIRE(find(r.diagnostics, diag_code::align_media_sequence) != nullptr);
    CHECK(find(r.diagnostics, diag_code::align_media_sequence)->severity == hlspp::severity::warning);
    CHECK(r.aligned);

    snapshot ea = a, eb = b;
    ea.keys = {{100, "METHOD=AES-128,URI=\"k\""}};
    eb.keys = {{101, "METHOD=AES-128,URI=\"k\""}};
    auto e = hlspp::align(media(ea), media(eb));
    INFO(dump(e.diagnostics));
    REQUIRE(find(e.diagnostics, diag_code::align_media_sequence) != nullptr);
    CHECK(find(e.diagnostics, diag_code::align_media_sequence)->severity == hlspp::severity::error);
    CHECK_FALSE(e.aligned);

    ea.keys = {{100, "METHOD=AES-128,URI=\"k\",IV=0x0123456789abcdef0123456789abcdef"}};
    eb.keys = {{101, "METHOD=AES-128,URI=\"k\",IV=0x0123456789abcdef0123456789abcdef"}};
    auto f = hlspp::align(media(ea), media(eb));
    REQUIRE(find(f.diagnostics, diag_code::align_media_sequence) != nullptr);
    CHECK(find(f.diagnostics, diag_code::align_media_sequence)->severity == hlspp::severity::warning);
    CHECK(f.aligned);
  }
  SECTION("different durations") {
    snapshot b = a;
    b.durations = {{102, 5.0}, {103, 7.0}};
    b.target = 6;
    const std::string text = b.text();
    auto r = hlspp::align(pa, media(text));
    INFO(dump(r.diagnostics));
    CHECK_FALSE(r.aligned);
    const auto* v = find(r.diagnostics, diag_code::align_segment_boundaries);
    REQUIRE(v != nullptr);
    CHECK(v->line == media(text).segments[2].origin.line);
    CHECK(contains(v->message, "(and the next segment)"));
  }
  SECTION("different discontinuity sequence") {
    snapshot b = a;
    b.dsn = 1;
    auto r = hlspp::align(pa, media(b));
    INFO(dump(r.diagnostics));
    CHECK_FALSE(r.aligned);
    CHECK(count(r.diagnostics, diag_code::align_discontinuity_sequence) == 1);
  }
  SECTION("discontinuities at different positions") {
    snapshot x = a, b = a;
    x.discontinuities = {103};
    b.discontinuities = {104};
    auto r = hlspp::align(media(x), media(b));
    INFO(dump(r.diagnostics));
    CHECK(find(r.diagnostics, diag_code::align_discontinuity_position) != nullptr);
    CHECK_FALSE(r.aligned);
  }
  SECTION("playlist-wide differences") {
    snapshot b = a;
    b.target = 8;
    b.type.emplace("EVENT");
    b.header = {"#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES"};
    auto r = hlspp::align(pa, media(b));
    INFO(dump(r.diagnostics));
    CHECK(find(r.diagnostics, diag_code::align_target_duration) != nullptr);
    CHECK(find(r.diagnostics, diag_code::align_playlist_type) != nullptr);
    CHECK(find(r.diagnostics, diag_code::align_server_control) != nullptr);
    CHECK_FALSE(r.aligned);
  }
  SECTION("PROGRAM-DATE-TIME in one copy only, or disagreeing") {
    snapshot b = a;
    b.pdt = false;
    auto r = hlspp::align(pa, media(b));
    CHECK(find(r.diagnostics, diag_code::align_program_date_time) != nullptr);
    CHECK_FALSE(r.aligned);
    snapshot c = a;
    c.pdt_shift = 2;  // same MSNs, dates 2 s later
    auto s = hlspp::align(pa, media(c));
    INFO(dump(s.diagnostics));
    CHECK(count(s.diagnostics, diag_code::align_program_date_time) == 1);
    CHECK(s.media_sequence_offset == 0);
    CHECK_FALSE(s.aligned);
  }
  SECTION("DATERANGEs differ") {
    snapshot x = a, b = a;
    x.dateranges = {{"ad", 102, ",DURATION=30"}, {"only-a", 103, ""}};
    b.dateranges = {{"ad", 102, ",DURATION=31"}};
    auto r = hlspp::align(media(x), media(b));
    INFO(dump(r.diagnostics));
    CHECK(count(r.diagnostics, diag_code::align_daterange) == 2);
    CHECK_FALSE(r.aligned);
  }
  SECTION("nothing in common") {
    snapshot b;
    b.msn = 5000;
    auto r = hlspp::align(media(snapshot{}), media(b));
    CHECK(find(r.diagnostics, diag_code::align_no_overlap) != nullptr);
    CHECK_FALSE(r.aligned);
  }
}
