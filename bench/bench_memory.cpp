// SPDX-License-Identifier: MIT
// Memory of a parsed playlist: global operator new/delete are replaced here (this
// executable only) to count the bytes requested. For each workload:
//   memory/W   parse W; counters model_bytes (heap bytes held by the parse result,
//              including hlspp's copy of the text), x_input (model_bytes / input
//              size; the target for vod_10k is < 3), allocs (allocations held),
//              peak_bytes (the most held at once during the parse).
// Requested sizes are counted, not malloc's rounding and headers (glibc adds 8-16
// bytes per allocation on top: allocs says how many).

#include <atomic>
#include <cstdlib>
#include <new>

#include "inputs.hpp"

namespace {
std::atomic<std::size_t> live_bytes{0}, live_allocs{0}, peak_bytes{0};

void* counted_alloc(std::size_t n) {
  void* p = std::malloc(n + 16);
  if (!p) throw std::bad_alloc();
  *static_cast<std::size_t*>(p) = n;
  const std::size_t now = live_bytes.fetch_add(n, std::memory_order_relaxed) + n;
  live_allocs.fetch_add(1, std::memory_order_relaxed);
  std::size_t peak = peak_bytes.load(std::memory_order_relaxed);
  while (now > peak && !peak_bytes.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
  return static_cast<char*>(p) + 16;
}

void counted_free(void* p) noexcept {
  if (!p) return;
  void* base = static_cast<char*>(p) - 16;
  live_bytes.fetch_sub(*static_cast<std::size_t*>(base), std::memory_order_relaxed);
  live_allocs.fetch_sub(1, std::memory_order_relaxed);
  std::free(base);
}
}  // namespace

void* operator new(std::size_t n) { return counted_alloc(n); }
void* operator new[](std::size_t n) { return counted_alloc(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return counted_alloc(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return counted_alloc(n);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept { counted_free(p); }
void operator delete[](void* p) noexcept { counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_free(p); }

namespace {

void bm_memory(benchmark::State& state, const bench::input* in) {
  const auto options = bench::big_options();
  double model = 0, allocs = 0, peak = 0;
  for (auto _ : state) {
    const std::size_t before = live_bytes.load(), allocs_before = live_allocs.load();
    peak_bytes.store(before);
    auto parsed = hlspp::parse(in->text, options);
    benchmark::DoNotOptimize(parsed);
    model = static_cast<double>(live_bytes.load() - before);
    allocs = static_cast<double>(live_allocs.load() - allocs_before);
    peak = static_cast<double>(peak_bytes.load() - before);
  }
  state.counters["model_bytes"] = model;
  state.counters["x_input"] = model / static_cast<double>(in->text.size());
  state.counters["allocs"] = allocs;
  state.counters["peak_bytes"] = peak;
  state.counters["input_bytes"] = static_cast<double>(in->text.size());
}

}  // namespace

int main(int argc, char** argv) {
  return bench::run_main(argc, argv, [] {
    for (const auto& in : bench::file_workloads())
      benchmark::RegisterBenchmark(("memory/" + in.name).c_str(), bm_memory, &in)->Iterations(3);
    for (std::size_t n : bench::scaling_sizes()) {
      if (n > 100'000) break;
      benchmark::RegisterBenchmark(("memory/scale_" + std::to_string(n)).c_str(),
                                   [n](benchmark::State& s) { bm_memory(s, &bench::scaling_input(n)); })
          ->Iterations(3);
    }
  });
}
