// SPDX-License-Identifier: MIT
#pragma once

/// @file inputs.hpp
/// What the benchmarks run on, and the pieces every bench_*.cpp shares:
/// - the workloads: the four of ../shared/bench/gen_workloads.py (generated into
///   the build tree at configure time), quick-m3u8's long media playlist and grafov's
///   large media playlist from ../shared/corpus;
/// - synthetic inputs made here: the scaling series (1k to 1M segments) and two
///   snapshots of a 10k-segment live playlist (for diff/align);
/// - the line-scan floor (split into lines, classify the first byte, nothing else)
///   and the `x_floor` counter every benchmark reports: its time per call divided
///   by the floor's time on the same input;
/// - main(): registers the benchmarks of one executable, then runs Google Benchmark.
///
/// Flags of every bench executable, before Google Benchmark's own:
///   --workloads=DIR   generated workloads (default: HLSPP_BENCH_WORKLOADS_DIR)
///   --corpus=DIR      the shared corpus (default: HLSPP_BENCH_CORPUS_DIR)
///   --max-scale=N     largest synthetic scaling input, in segments (default 1000000)
///   --write-scaling=DIR  write the scaling series to DIR/scale_N.m3u8 and exit (no
///                     benchmark runs): bench/compare_peers gives the peers the same bytes

#include <benchmark/benchmark.h>
#include <time.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <hlspp/hlspp.hpp>

#ifndef HLSPP_BENCH_WORKLOADS_DIR
#define HLSPP_BENCH_WORKLOADS_DIR "workloads"
#endif
#ifndef HLSPP_BENCH_CORPUS_DIR
#define HLSPP_BENCH_CORPUS_DIR "../shared/corpus"
#endif

namespace bench {

// ---- Configuration -------------------------------------------------------------

struct config {
  std::string workloads_dir = HLSPP_BENCH_WORKLOADS_DIR;
  std::string corpus_dir = HLSPP_BENCH_CORPUS_DIR;
  std::size_t max_scale = 1'000'000;
};

inline config& settings() {
  static config c;
  return c;
}

// ---- Inputs ----------------------------------------------------------------------

struct input {
  std::string name;   // "vod_10k", "scale_1000", ...
  std::string text;   // the playlist
  std::size_t segments = 0;  // media segments (variants + renditions for a master)
};

inline bool read_file(const std::string& path, std::string& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::ostringstream ss;
  ss << f.rdbuf();
  out = ss.str();
  return true;
}

/// Parse options that accept everything the benchmarks feed in (1M segments is
/// the default limit, and the 1M scaling input is larger than 64 MiB of lines).
inline hlspp::parse_options big_options() {
  hlspp::parse_options o;
  o.limits.max_input_bytes = std::size_t{1} << 31;
  o.limits.max_lines = 50'000'000;
  o.limits.max_segments = 10'000'000;
  return o;
}

/// Counts what a benchmark reports as "segments": media segments of a media
/// playlist, variants + I-frame streams + renditions of a master.
inline std::size_t count_segments(std::string_view text) {
  auto parsed = hlspp::parse(text, big_options());
  if (!parsed) return 0;
  if (const auto* m = parsed->as_master())
    return m->variants.size() + m->iframe_streams.size() + m->renditions.size();
  return parsed->media().segments.size();
}

/// The named file workloads, in a fixed order; missing files are reported once and skipped.
inline const std::vector<input>& file_workloads() {
  static const std::vector<input> all = [] {
    const auto& s = settings();
    const std::pair<const char*, std::string> files[] = {
        {"vod_10k", s.workloads_dir + "/vod_10k.m3u8"},
        {"live_window", s.workloads_dir + "/live_window.m3u8"},
        {"llhls", s.workloads_dir + "/llhls.m3u8"},
        {"master_big", s.workloads_dir + "/master_big.m3u8"},
        {"quick_long", s.corpus_dir + "/therealrobg-m3u8/long_media_playlist.m3u8"},
        {"grafov_large", s.corpus_dir + "/grafov-m3u8/media-playlist-large.m3u8"},
    };
    std::vector<input> out;
    for (const auto& [name, path] : files) {
      input in;
      in.name = name;
      if (!read_file(path, in.text)) {
        std::fprintf(stderr, "bench: skipping workload %s: cannot read %s\n", name, path.c_str());
        continue;
      }
      in.segments = count_segments(in.text);
      out.push_back(std::move(in));
    }
    return out;
  }();
  return all;
}

inline const input* find_workload(std::string_view name) {
  for (const auto& in : file_workloads())
    if (in.name == name) return &in;
  return nullptr;
}

/// Appends "2024-03-01T12:00:00.000Z" shifted by `ms` milliseconds (no <ctime>:
/// days from civil, so the output is the same on every platform).
inline void append_pdt(std::string& out, std::uint64_t ms) {
  std::uint64_t total_s = ms / 1000, milli = ms % 1000;
  std::uint64_t days = total_s / 86400, sod = total_s % 86400;
  // 2024-03-01 + days (civil_from_days, Howard Hinnant).
  std::int64_t z = 19783 + static_cast<std::int64_t>(days);  // 2024-03-01 is day 19783 since 1970-01-01
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y0 = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = y0 + (m <= 2 ? 1 : 0);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ", static_cast<long long>(y), m, d,
                static_cast<unsigned>(sod / 3600), static_cast<unsigned>(sod / 60 % 60),
                static_cast<unsigned>(sod % 60), static_cast<unsigned>(milli));
  out += buf;
}

/// A media playlist of `n` segments, shaped like a long VOD/DVR playlist: EXTINF with
/// millisecond durations and a URI per segment, PROGRAM-DATE-TIME every 10
/// segments, a new AES-128 key every 1000, a discontinuity every 5000. About 60
/// bytes per segment; deterministic.
inline std::string make_scaling_playlist(std::size_t n) {
  std::string out;
  out.reserve(n * 64 + 256);
  out +=
      "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:6\n#EXT-X-MEDIA-SEQUENCE:0\n"
      "#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-MAP:URI=\"init.mp4\"\n";
  std::uint64_t t = 0;
  std::uint32_t rng = 12345;
  char buf[160];
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 1000 == 0) {
      std::snprintf(buf, sizeof buf, "#EXT-X-KEY:METHOD=AES-128,URI=\"https://keys.example.com/k/%zu\",IV=0x%032zX\n",
                    i / 1000, i);
      out += buf;
    }
    if (i > 0 && i % 5000 == 0) out += "#EXT-X-DISCONTINUITY\n";
    if (i % 10 == 0) {
      out += "#EXT-X-PROGRAM-DATE-TIME:";
      append_pdt(out, t);
      out += '\n';
    }
    rng = rng * 1664525u + 1013904223u;
    const unsigned dur_ms = 4800 + (rng >> 16) % 1201;
    std::snprintf(buf, sizeof buf, "#EXTINF:%u.%03u,\nseg/v1/segment_%07zu.m4s\n", dur_ms / 1000, dur_ms % 1000, i);
    out += buf;
    t += dur_ms;
  }
  out += "#EXT-X-ENDLIST\n";
  return out;
}

/// The sizes of the scaling series: 1k, 10k, 100k, 1M segments (capped by --max-scale).
inline std::vector<std::size_t> scaling_sizes() {
  std::vector<std::size_t> out;
  for (std::size_t n = 1000; n <= settings().max_scale; n *= 10) out.push_back(n);
  return out;
}

/// The scaling input of `n` segments, generated on first use (the 1M one is ~60 MB).
inline const input& scaling_input(std::size_t n) {
  static std::map<std::size_t, input> cache;
  auto it = cache.find(n);
  if (it == cache.end()) {
    input in;
    in.name = "scale_" + std::to_string(n);
    in.text = make_scaling_playlist(n);
    in.segments = n;
    it = cache.emplace(n, std::move(in)).first;
  }
  return it->second;
}

/// A live playlist of `n` segments starting at media sequence `first_msn`: what one
/// origin serves at one moment (snapshots with consecutive first_msn are the same
/// stream one segment later; durations and dates depend only on the MSN).
inline std::string make_live_snapshot(std::size_t n, std::uint64_t first_msn) {
  std::string out;
  out.reserve(n * 100 + 256);
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:%llu\n"
                "#EXT-X-DISCONTINUITY-SEQUENCE:0\n",
                static_cast<unsigned long long>(first_msn));
  out += buf;
  auto dur_ms = [](std::uint64_t msn) { return 3900u + static_cast<unsigned>((msn * 2654435761u) % 101u); };
  std::uint64_t t = 0;
  for (std::uint64_t m = 0; m < first_msn; ++m) t += dur_ms(m);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t msn = first_msn + i;
    out += "#EXT-X-PROGRAM-DATE-TIME:";
    append_pdt(out, t);
    out += '\n';
    const unsigned d = dur_ms(msn);
    std::snprintf(buf, sizeof buf, "#EXTINF:%u.%03u,\nhttps://cdn.example.com/live/ch7/1080p/%llu.ts\n", d / 1000,
                  d % 1000, static_cast<unsigned long long>(msn));
    out += buf;
    t += d;
  }
  return out;
}

/// This thread's CPU time in seconds. The x_floor ratios use it (like Google
/// Benchmark's CPU column): on a shared, loaded machine wall time mostly measures
/// the neighbours.
inline double thread_cpu_seconds() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// ---- The line-scan floor -----------------------------------------------------------

struct floor_counts {
  std::size_t tags = 0, uris = 0, blank = 0;
};

/// Splits `text` into lines (LF, with an optional CR before it) and classifies each
/// by its first byte: '#' a tag or comment, nothing a blank line, else a URI. No
/// parser can do less and still see every line.
inline floor_counts line_scan_floor(std::string_view text) noexcept {
  floor_counts c;
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    const char* e = nl ? static_cast<const char*>(nl) : end;
    const char* le = (e > p && e[-1] == '\r') ? e - 1 : e;
    if (le == p)
      ++c.blank;
    else if (*p == '#')
      ++c.tags;
    else
      ++c.uris;
    p = e + 1;
  }
  return c;
}

/// CPU seconds per call of the floor on `text`: the best of 7 batches of ~10 ms,
/// measured once per input (cached by the text's address).
inline double floor_seconds(const std::string& text) {
  static std::map<const void*, double> cache;
  auto it = cache.find(text.data());
  if (it != cache.end()) return it->second;
  std::size_t batch = 1;
  for (;;) {
    const double t0 = thread_cpu_seconds();
    for (std::size_t i = 0; i < batch; ++i) benchmark::DoNotOptimize(line_scan_floor(text));
    if (thread_cpu_seconds() - t0 >= 0.01) break;
    batch *= 2;
  }
  double best = 1e300;
  for (int r = 0; r < 7; ++r) {
    const double t0 = thread_cpu_seconds();
    for (std::size_t i = 0; i < batch; ++i) benchmark::DoNotOptimize(line_scan_floor(text));
    best = std::min(best, (thread_cpu_seconds() - t0) / static_cast<double>(batch));
  }
  cache.emplace(text.data(), best);
  return best;
}

// ---- Reporting ---------------------------------------------------------------------

/// Times (CPU) the benchmark loop itself, so the benchmark can report its own ratio to
/// the floor: `timer t; for (auto _ : state) {...}; t.report(state, ...);`.
class timer {
 public:
  timer() : start_(thread_cpu_seconds()) {}

  /// Sets bytes/s and segments/s (per call: `bytes` and `segments`), x_floor (CPU
  /// time per call / the floor's on `floor_text`; omitted when floor_text is empty)
  /// and ns/segment (CPU).
  void report(benchmark::State& state, std::size_t bytes, std::size_t segments, const std::string& floor_text) const {
    const double elapsed = thread_cpu_seconds() - start_;
    const auto iters = static_cast<double>(state.iterations());
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
    if (segments > 0)
      state.counters["segments/s"] =
          benchmark::Counter(static_cast<double>(segments), benchmark::Counter::kIsIterationInvariantRate);
    if (!floor_text.empty() && iters > 0) {
      const double per_call = elapsed / iters;
      state.counters["x_floor"] = benchmark::Counter(per_call / floor_seconds(floor_text));
      if (segments > 0) state.counters["ns/segment"] = benchmark::Counter(per_call * 1e9 / static_cast<double>(segments));
    }
  }

 private:
  double start_;
};

/// Parses or aborts the benchmark with the first error.
inline bool parse_checked(benchmark::State& state, const std::string& text, hlspp::playlist& out) {
  auto parsed = hlspp::parse(text, big_options());
  if (!parsed) {
    state.SkipWithError(("parse failed: " + parsed.error().to_string()).c_str());
    return false;
  }
  out = std::move(*parsed);
  return true;
}

// ---- main ----------------------------------------------------------------------------

inline int run_main(int argc, char** argv, const std::function<void()>& register_benchmarks) {
  std::vector<char*> rest;
  rest.push_back(argv[0]);
  std::string write_scaling_dir;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&](std::string_view flag) -> const char* {
      return a.substr(0, flag.size()) == flag ? argv[i] + flag.size() : nullptr;
    };
    if (const char* v = value("--workloads=")) {
      settings().workloads_dir = v;
    } else if (const char* c = value("--corpus=")) {
      settings().corpus_dir = c;
    } else if (const char* m = value("--max-scale=")) {
      settings().max_scale = static_cast<std::size_t>(std::strtoull(m, nullptr, 10));
    } else if (const char* d = value("--write-scaling=")) {
      write_scaling_dir = d;
    } else {
      rest.push_back(argv[i]);
    }
  }
  if (!write_scaling_dir.empty()) {
    for (std::size_t n : scaling_sizes()) {
      const input& in = scaling_input(n);
      const std::string path = write_scaling_dir + "/" + in.name + ".m3u8";
      std::ofstream out(path, std::ios::binary);
      out.write(in.text.data(), static_cast<std::streamsize>(in.text.size()));
      if (!out.flush()) {
        std::fprintf(stderr, "cannot write %s\n", path.c_str());
        return 1;
      }
      std::printf("%s\n", path.c_str());
    }
    return 0;
  }
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  if (benchmark::ReportUnrecognizedArguments(n, rest.data())) return 1;
  register_benchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace bench
