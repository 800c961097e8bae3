// SPDX-License-Identifier: MIT
// fuzz_parse: libFuzzer target (also built with replay_main.cpp for regression replay).
// Parse at every strictness: lenient never fails; lossless write of an unedited parse
// equals the input byte for byte; canonical output is idempotent, re-parses (at the
// same strictness) and, for an error-free parse, to the same typed model; strict
// agrees with default + validate(); parse_recycling() into other storage gives the
// default parse exactly.
// The invariants live in invariants.hpp (check_parse), shared with
// tests/cpp/test_fuzz_regressions.cpp.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "invariants.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  hlspp_fuzz::report(hlspp_fuzz::check_parse(input));
  return 0;
}
