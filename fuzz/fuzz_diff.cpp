// SPDX-License-Identifier: MIT
// fuzz_diff: libFuzzer target (also built with replay_main.cpp for regression replay).
// Input "PREVIOUS\n#--DIFF\nCURRENT": diff() of two fuzzed media playlist snapshots
// (plus lag() and align()); a known status, unavailable exactly for unusable
// snapshots, a snapshot diffed with itself unchanged. The invariants live in
// invariants_live.hpp (check_diff), shared with tests/cpp/test_fuzz_regressions.cpp.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "invariants_live.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  hlspp_fuzz::report(hlspp_fuzz::check_diff(input));
  return 0;
}
