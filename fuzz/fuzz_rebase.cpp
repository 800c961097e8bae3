// SPDX-License-Identifier: MIT
// fuzz_rebase: libFuzzer target (also built with replay_main.cpp for regression replay).
// Input "BASE\nPLAYLIST": rebase() rewrites exactly the relative URIs, each to an
// absolute resolve_uri(); the output re-parses to the same URIs; relativize() inverts.
// The invariants live in invariants.hpp (check_rebase), shared with
// tests/cpp/test_fuzz_regressions.cpp.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "invariants.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  hlspp_fuzz::report(hlspp_fuzz::check_rebase(input));
  return 0;
}
