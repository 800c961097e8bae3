// SPDX-License-Identifier: MIT
// fuzz_attributes: libFuzzer target (also built with replay_main.cpp for regression replay).
// The attribute-list lexer and parse_attribute_list() on raw bytes ("TAG:LIST"
// picks the schema); a parsed object written back canonically re-reads equal.
// The invariants live in invariants.hpp (check_attributes), shared with
// tests/cpp/test_fuzz_regressions.cpp.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "invariants.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  hlspp_fuzz::report(hlspp_fuzz::check_attributes(input));
  return 0;
}
