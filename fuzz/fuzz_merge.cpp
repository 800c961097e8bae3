// SPDX-License-Identifier: MIT
// fuzz_merge: libFuzzer target (also built with replay_main.cpp for regression replay).
// Two masters split at a "#--MERGE[sp]" line: merge() fails with an error
// diagnostic or writes, re-parses, and validates when both inputs are valid.
// The invariants live in invariants.hpp (check_merge), shared with
// tests/cpp/test_fuzz_regressions.cpp.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "invariants.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  hlspp_fuzz::report(hlspp_fuzz::check_merge(input));
  return 0;
}
