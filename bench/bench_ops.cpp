// SPDX-License-Identifier: MIT
// Operations on parsed playlists:
//   validate/W            hlspp::validate on a parsed playlist
//   copy/W                copying the parsed playlist (the baseline of rebase)
//   rebase/W              copy + hlspp::rebase against an absolute base URL (rebase
//                         rewrites in place, so every call needs a fresh copy);
//                         counter `rewritten`: URIs made absolute per call
//   merge/master_big_x2   hlspp::merge of two master_big origins (redundant mode); merge
//                         only reads its inputs (const reference), so they are built once
//   merge_copy/master_big_x2  copying the two inputs (what merge cost on top when it took
//                         them by value, before 2026-12)
// bytes/s and segments/s count the input text / segments of one playlist (two for merge).

#include "inputs.hpp"

namespace {

using bench::input;

constexpr const char* base_a = "https://origin-a.example.com/vod/title42/master.m3u8";
constexpr const char* base_b = "https://origin-b.example.net/hls/title42/master.m3u8";

void bm_validate(benchmark::State& state, const input* in) {
  hlspp::playlist pl;
  if (!bench::parse_checked(state, in->text, pl)) return;
  bench::timer t;
  for (auto _ : state) {
    auto d = hlspp::validate(pl);
    benchmark::DoNotOptimize(d);
  }
  t.report(state, in->text.size(), in->segments, in->text);
}

void bm_copy(benchmark::State& state, const input* in) {
  hlspp::playlist pl;
  if (!bench::parse_checked(state, in->text, pl)) return;
  bench::timer t;
  for (auto _ : state) {
    hlspp::playlist copy = pl;
    benchmark::DoNotOptimize(copy);
  }
  t.report(state, in->text.size(), in->segments, in->text);
}

void bm_rebase(benchmark::State& state, const input* in) {
  hlspp::playlist pl;
  if (!bench::parse_checked(state, in->text, pl)) return;
  std::size_t rewritten = 0;
  {
    hlspp::playlist copy = pl;
    rewritten = hlspp::rebase(copy, base_a).rewritten;  // 0 when every URI is absolute already
  }
  bench::timer t;
  for (auto _ : state) {
    hlspp::playlist copy = pl;
    auto r = hlspp::rebase(copy, base_a);
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(copy);
  }
  t.report(state, in->text.size(), in->segments, in->text);
  state.counters["rewritten"] = static_cast<double>(rewritten);
}

std::vector<hlspp::merge_origin> merge_inputs(const hlspp::master_playlist& m) {
  std::vector<hlspp::merge_origin> origins(2);
  origins[0].playlist = m;
  origins[0].base_uri = base_a;
  origins[1].playlist = m;
  origins[1].base_uri = base_b;
  return origins;
}

void bm_merge(benchmark::State& state, const input* in, bool copy_only) {
  hlspp::playlist pl;
  if (!bench::parse_checked(state, in->text, pl)) return;
  if (!pl.is_master()) {
    state.SkipWithError("not a master playlist");
    return;
  }
  const hlspp::master_playlist& m = pl.master();
  {
    auto r = hlspp::merge(merge_inputs(m));
    if (!r) {
      state.SkipWithError(("merge failed: " + r.error().to_string()).c_str());
      return;
    }
  }
  const auto prepared = merge_inputs(m);
  bench::timer t;
  for (auto _ : state) {
    if (copy_only) {
      auto origins = merge_inputs(m);
      benchmark::DoNotOptimize(origins);
    } else {
      auto r = hlspp::merge(prepared);
      benchmark::DoNotOptimize(r);
    }
  }
  t.report(state, 2 * in->text.size(), 2 * in->segments, "");
}

}  // namespace

int main(int argc, char** argv) {
  return bench::run_main(argc, argv, [] {
    for (const auto& in : bench::file_workloads()) {
      benchmark::RegisterBenchmark(("validate/" + in.name).c_str(), bm_validate, &in);
      benchmark::RegisterBenchmark(("copy/" + in.name).c_str(), bm_copy, &in);
      benchmark::RegisterBenchmark(("rebase/" + in.name).c_str(), bm_rebase, &in);
    }
    if (const auto* master = bench::find_workload("master_big")) {
      benchmark::RegisterBenchmark("merge/master_big_x2", bm_merge, master, false);
      benchmark::RegisterBenchmark("merge_copy/master_big_x2", bm_merge, master, true);
    }
  });
}
