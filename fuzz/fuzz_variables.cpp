// SPDX-License-Identifier: MIT
// fuzz_variables: libFuzzer target (also built with replay_main.cpp for regression replay).
// substitute_variables() with several expansion budgets: output never grows past
// the budget; substituted output re-parses.
// The invariants live in invariants.hpp (check_variables), shared with
// tests/cpp/test_fuzz_regressions.cpp.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "invariants.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  hlspp_fuzz::report(hlspp_fuzz::check_variables(input));
  return 0;
}
