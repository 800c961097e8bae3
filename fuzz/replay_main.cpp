// SPDX-License-Identifier: MIT
// A main() for the fuzz targets without libFuzzer ("LINKMAIN" style): runs
// LLVMFuzzerTestOneInput once on every file named on the command line, and on
// every regular file (recursively, sorted) in every directory named. Arguments
// starting with '-' are ignored, so a libFuzzer command line replays as is.
// An invariant violation crashes (the targets trap), so a non-zero exit or a
// signal means a regression.
//
//   fuzz_parse_replay tests/data/fuzz_regressions/parse crash-1234
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

bool run_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.string().c_str());
    return false;
  }
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::fprintf(stderr, "replay %s (%zu bytes)\n", path.string().c_str(), bytes.size());
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t ran = 0;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (!arg.empty() && arg[0] == '-') continue;
    const std::filesystem::path path(arg);
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      std::vector<std::filesystem::path> files;
      for (const auto& e : std::filesystem::recursive_directory_iterator(path, ec))
        if (e.is_regular_file()) files.push_back(e.path());
      std::sort(files.begin(), files.end());
      for (const auto& f : files) {
        ok = run_file(f) && ok;
        ++ran;
      }
    } else {
      ok = run_file(path) && ok;
      ++ran;
    }
  }
  std::fprintf(stderr, "replayed %zu input(s)%s\n", ran, ok ? "" : " (some unreadable)");
  return ok ? 0 : 1;
}
