// SPDX-License-Identifier: MIT
// Parse and write benchmarks over every workload and the scaling series:
//   floor/W            the line-scan floor (split + classify, nothing else)
//   model_floor/W      the memory floor of the model: copy the text into a fresh
//                      buffer and make, write and free one media_segment per segment
//                      (what a parse must at least do to memory, without parsing)
//   write_floor/W      the memory floor of a writer: read every segment of a parsed
//                      playlist once and put the text's bytes into a fresh string
//   parse/W            hlspp::parse (typed, every tag), default strictness
//   parse_recycling/W  hlspp::parse_recycling: each call re-reads the text in the
//                      previous call's playlist (its segment storage is reused)
//   parse_write/W      parse, then the lossless writer
//   write_lossless/W   the lossless writer alone, on an unchanged parsed playlist
//   write_canonical/W  the canonical writer alone
//   write_lossless_into/W, write_canonical_into/W
//                      the same through serialize_into(), into one output string
//                      kept from call to call (scaling series only)
// Every benchmark reports bytes/s, segments/s, ns/segment and x_floor (time per
// call / the floor's time on the same input).

#include <cstring>
#include <memory>
#include <vector>

#include "inputs.hpp"

namespace {

using bench::input;

void bm_floor(benchmark::State& state, const input* in) {
  bench::timer t;
  for (auto _ : state) benchmark::DoNotOptimize(bench::line_scan_floor(in->text));
  t.report(state, in->text.size(), in->segments, in->text);
}

void bm_model_floor(benchmark::State& state, const input* in) {
  bench::timer t;
  for (auto _ : state) {
    std::unique_ptr<char[]> copy(new char[in->text.size()]);
    std::memcpy(copy.get(), in->text.data(), in->text.size());
    std::vector<hlspp::media_segment> segments(in->segments);
    benchmark::DoNotOptimize(copy.get());
    benchmark::DoNotOptimize(segments.data());
  }
  t.report(state, in->text.size(), in->segments, in->text);
}

void bm_write_floor(benchmark::State& state, const input* in) {
  hlspp::playlist pl;
  if (!bench::parse_checked(state, in->text, pl)) return;
  const auto& segments = pl.media().segments;
  bench::timer t;
  for (auto _ : state) {
    // One word from each of a segment's three cache lines (URI, keys, origin), as a
    // writer reads them; then the output, in memory as fresh as the writer's.
    std::size_t sum = 0;
    for (const auto& s : segments) sum += s.uri.size() + s.keys.size() + s.origin.length;
    std::string out;
    out.reserve(in->text.size());
    out.append(in->text);
    benchmark::DoNotOptimize(sum);
    benchmark::DoNotOptimize(out.data());
  }
  t.report(state, in->text.size(), in->segments, in->text);
}

void bm_parse(benchmark::State& state, const input* in) {
  const auto options = bench::big_options();
  {
    auto check = hlspp::parse(in->text, options);
    if (!check) {
      state.SkipWithError(("parse failed: " + check.error().to_string()).c_str());
      return;
    }
  }
  bench::timer t;
  for (auto _ : state) {
    auto parsed = hlspp::parse(in->text, options);
    benchmark::DoNotOptimize(parsed);
  }
  t.report(state, in->text.size(), in->segments, in->text);
}

// Each call re-reads the text in the storage of the previous call's playlist, as a
// process re-reading one live playlist would.
void bm_parse_recycling(benchmark::State& state, const input* in) {
  const auto options = bench::big_options();
  hlspp::playlist pl;
  {
    auto first = hlspp::parse(in->text, options);
    if (!first) {
      state.SkipWithError(("parse failed: " + first.error().to_string()).c_str());
      return;
    }
    pl = std::move(*first);
  }
  bench::timer t;
  for (auto _ : state) {
    auto parsed = hlspp::parse_recycling(in->text, std::move(pl), options);
    pl = std::move(*parsed);
    benchmark::DoNotOptimize(pl);
  }
  t.report(state, in->text.size(), in->segments, in->text);
}

void bm_parse_write(benchmark::State& state, const input* in) {
  const auto options = bench::big_options();
  bench::timer t;
  for (auto _ : state) {
    auto parsed = hlspp::parse(in->text, options);
    if (!parsed) {
      state.SkipWithError("parse failed");
      return;
    }
    auto out = hlspp::serialize(*parsed);
    benchmark::DoNotOptimize(out);
  }
  t.report(state, in->text.size(), in->segments, in->text);
}

void bm_write(benchmark::State& state, const input* in, bool canonical) {
  hlspp::playlist pl;
  if (!bench::parse_checked(state, in->text, pl)) return;
  hlspp::serialize_options so;
  so.canonical = canonical;
  {
    auto first = hlspp::serialize(pl, so);
    if (!first) {
      state.SkipWithError(("serialize failed: " + first.error().to_string()).c_str());
      return;
    }
    if (!canonical && *first != in->text) {
      state.SkipWithError("lossless write is not byte-identical to the input");
      return;
    }
  }
  bench::timer t;
  for (auto _ : state) {
    auto out = hlspp::serialize(pl, so);
    benchmark::DoNotOptimize(out);
  }
  t.report(state, in->text.size(), in->segments, in->text);
}

// The writers into one output string kept from call to call (serialize_into).
void bm_write_into(benchmark::State& state, const input* in, bool canonical) {
  hlspp::playlist pl;
  if (!bench::parse_checked(state, in->text, pl)) return;
  hlspp::serialize_options so;
  so.canonical = canonical;
  std::string out;
  if (auto error = hlspp::serialize_into(out, pl, so)) {
    state.SkipWithError(("serialize failed: " + error->to_string()).c_str());
    return;
  }
  if (!canonical && out != in->text) {
    state.SkipWithError("lossless write is not byte-identical to the input");
    return;
  }
  bench::timer t;
  for (auto _ : state) {
    auto error = hlspp::serialize_into(out, pl, so);
    benchmark::DoNotOptimize(error);
    benchmark::DoNotOptimize(out.data());
  }
  t.report(state, in->text.size(), in->segments, in->text);
}

void register_for(const input* in) {
  const std::string& n = in->name;
  benchmark::RegisterBenchmark(("floor/" + n).c_str(), bm_floor, in);
  benchmark::RegisterBenchmark(("model_floor/" + n).c_str(), bm_model_floor, in);
  benchmark::RegisterBenchmark(("parse/" + n).c_str(), bm_parse, in);
  benchmark::RegisterBenchmark(("parse_recycling/" + n).c_str(), bm_parse_recycling, in);
  benchmark::RegisterBenchmark(("parse_write/" + n).c_str(), bm_parse_write, in);
  benchmark::RegisterBenchmark(("write_lossless/" + n).c_str(), bm_write, in, false);
  benchmark::RegisterBenchmark(("write_canonical/" + n).c_str(), bm_write, in, true);
}

}  // namespace

int main(int argc, char** argv) {
  return bench::run_main(argc, argv, [] {
    for (const auto& in : bench::file_workloads()) register_for(&in);
    // The scaling inputs are generated when their benchmark first runs (a filter
    // that excludes them costs nothing).
    for (std::size_t n : bench::scaling_sizes()) {
      const std::string name = "scale_" + std::to_string(n);
      auto lazy = [n](auto fn) {
        return [n, fn](benchmark::State& state) { fn(state, &bench::scaling_input(n)); };
      };
      benchmark::RegisterBenchmark(("floor/" + name).c_str(), lazy(bm_floor));
      benchmark::RegisterBenchmark(("model_floor/" + name).c_str(), lazy(bm_model_floor));
      benchmark::RegisterBenchmark(("write_floor/" + name).c_str(), lazy(bm_write_floor));
      benchmark::RegisterBenchmark(("parse/" + name).c_str(), lazy(bm_parse));
      benchmark::RegisterBenchmark(("parse_recycling/" + name).c_str(), lazy(bm_parse_recycling));
      benchmark::RegisterBenchmark(("write_lossless/" + name).c_str(),
                                   lazy([](benchmark::State& s, const input* in) { bm_write(s, in, false); }));
      benchmark::RegisterBenchmark(("write_canonical/" + name).c_str(),
                                   lazy([](benchmark::State& s, const input* in) { bm_write(s, in, true); }));
      benchmark::RegisterBenchmark(("write_lossless_into/" + name).c_str(),
                                   lazy([](benchmark::State& s, const input* in) { bm_write_into(s, in, false); }));
      benchmark::RegisterBenchmark(("write_canonical_into/" + name).c_str(),
                                   lazy([](benchmark::State& s, const input* in) { bm_write_into(s, in, true); }));
    }
  });
}
