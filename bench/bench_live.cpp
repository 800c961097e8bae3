// SPDX-License-Identifier: MIT
// Live playlist analysis (include/hlspp/live.hpp), on two snapshots of a synthetic
// 10,000-segment live playlist (bench::make_live_snapshot):
//   diff/live_10k    hlspp::diff(previous, current): current is one segment later
//   lag/live_10k     hlspp::lag(origin, cdn): the CDN copy one segment behind
//   align/live_10k   hlspp::align(a, b): two regions, b's window one segment ahead
// Built only when live.hpp exists and compiles (bench/CMakeLists.txt checks).
// bytes/s and segments/s count one snapshot (the inputs are parsed beforehand).

#include <hlspp/live.hpp>

#include "inputs.hpp"

namespace {

struct snapshots {
  bench::input previous, current;
  hlspp::media_playlist prev_pl, cur_pl;
  bool ok = false;
};

const snapshots& live_10k() {
  static const snapshots s = [] {
    snapshots out;
    out.previous.name = "live_10k_prev";
    out.previous.text = bench::make_live_snapshot(10'000, 500'000);
    out.previous.segments = 10'000;
    out.current.name = "live_10k";
    out.current.text = bench::make_live_snapshot(10'000, 500'001);
    out.current.segments = 10'000;
    auto a = hlspp::parse(out.previous.text, bench::big_options());
    auto b = hlspp::parse(out.current.text, bench::big_options());
    if (a && b && a->is_media() && b->is_media()) {
      out.prev_pl = a->media();
      out.cur_pl = b->media();
      out.ok = true;
    }
    return out;
  }();
  return s;
}

template <class Fn>
void run(benchmark::State& state, Fn fn) {
  const auto& s = live_10k();
  if (!s.ok) {
    state.SkipWithError("the synthetic live snapshots do not parse");
    return;
  }
  bench::timer t;
  for (auto _ : state) {
    auto r = fn(s);
    benchmark::DoNotOptimize(r);
  }
  t.report(state, s.current.text.size(), s.current.segments, s.current.text);
}

void bm_diff(benchmark::State& state) {
  {
    const auto& s = live_10k();
    if (s.ok) {
      auto d = hlspp::diff(s.prev_pl, s.cur_pl, 4.0);
      if (d.status != hlspp::live_status::advanced || d.segments_added != 1) {
        state.SkipWithError(("diff did not see one new segment: " + std::string(hlspp::status_name(d.status))).c_str());
        return;
      }
    }
  }
  run(state, [](const snapshots& s) { return hlspp::diff(s.prev_pl, s.cur_pl, 4.0); });
}

void bm_lag(benchmark::State& state) {
  run(state, [](const snapshots& s) { return hlspp::lag(s.cur_pl, s.prev_pl); });
}

void bm_align(benchmark::State& state) {
  run(state, [](const snapshots& s) { return hlspp::align(s.prev_pl, s.cur_pl); });
}

}  // namespace

int main(int argc, char** argv) {
  return bench::run_main(argc, argv, [] {
    benchmark::RegisterBenchmark("diff/live_10k", bm_diff);
    benchmark::RegisterBenchmark("lag/live_10k", bm_lag);
    benchmark::RegisterBenchmark("align/live_10k", bm_align);
  });
}
