// SPDX-License-Identifier: MIT
// A plain driver for profilers (no Google Benchmark around it, so a profile shows
// only hlspp): parses FILE N times, optionally writing it back each time.
//
//   hlspp_profile_parse FILE [N=20] [parse|parse_write|write_lossless|write_canonical]
//   valgrind --tool=callgrind --callgrind-out-file=cg.out
//       build/bench/bench/hlspp_profile_parse build/bench/bench/workloads/vod_10k.m3u8 5
//   callgrind_annotate cg.out | head -60
// Callgrind's instruction counts are reproducible on a noisy machine where timings are not.

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include <hlspp/hlspp.hpp>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE [N] [parse|parse_write|write_lossless|write_canonical]\n", argv[0]);
    return 2;
  }
  std::ifstream f(argv[1], std::ios::binary);
  if (!f) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  const std::string text = ss.str();
  const int n = argc > 2 ? std::atoi(argv[2]) : 20;
  const std::string op = argc > 3 ? argv[3] : "parse";
  hlspp::parse_options options;
  options.limits.max_input_bytes = std::size_t{1} << 31;
  options.limits.max_lines = 50'000'000;
  options.limits.max_segments = 10'000'000;

  std::size_t sink = 0;
  if (op == "parse" || op == "parse_write") {
    for (int i = 0; i < n; ++i) {
      auto parsed = hlspp::parse(text, options);
      if (!parsed) {
        std::fprintf(stderr, "%s\n", parsed.error().to_string().c_str());
        return 1;
      }
      if (op == "parse_write") sink += hlspp::serialize(*parsed).value().size();
      sink += parsed.diagnostics().size();
    }
  } else if (op == "write_lossless" || op == "write_canonical") {
    auto parsed = hlspp::parse(text, options);
    if (!parsed) return 1;
    hlspp::serialize_options so;
    so.canonical = op == "write_canonical";
    for (int i = 0; i < n; ++i) sink += hlspp::serialize(*parsed, so).value().size();
  } else {
    std::fprintf(stderr, "unknown operation %s\n", op.c_str());
    return 2;
  }
  std::printf("%s x%d: %zu\n", op.c_str(), n, sink);
  return 0;
}
