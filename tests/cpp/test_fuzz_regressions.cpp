// SPDX-License-Identifier: MIT
// Replays every saved fuzz finding (tests/data/fuzz_regressions/<target>/*)
// through the same invariants the fuzz targets check (fuzz/invariants.hpp), so a
// crash found once stays fixed. Findings not fixed yet live under
// tests/data/fuzz_regressions/open/<target>/ and are skipped here (they are listed
// in docs/reliability.md); move a file up one level once the library is fixed.
#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "../../fuzz/invariants.hpp"
#include "../../fuzz/invariants_live.hpp"
#include "catch.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path regressions_dir = fs::path(HLSPP_TEST_DATA_DIR) / "fuzz_regressions";

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// The regression files of one target (sorted), or none when it has no directory.
std::vector<fs::path> files_of(std::string_view target) {
  std::vector<fs::path> out;
  const fs::path dir = regressions_dir / std::string(target);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

using check_fn = std::string (*)(std::string_view);

struct target_check {
  std::string_view name;
  check_fn check;
};

const target_check targets[] = {
    {"parse", &hlspp_fuzz::check_parse},         {"attributes", &hlspp_fuzz::check_attributes},
    {"rebase", &hlspp_fuzz::check_rebase},       {"merge", &hlspp_fuzz::check_merge},
    {"variables", &hlspp_fuzz::check_variables}, {"diff", &hlspp_fuzz::check_diff},
};

bool known_target(std::string_view name) {
  for (const auto& t : targets)
    if (t.name == name) return true;
  return name == "open";
}

}  // namespace

TEST_CASE("fuzz regressions: every saved finding passes its target's invariants", "[fuzz]") {
  std::size_t replayed = 0;
  for (const auto& t : targets) {
    for (const auto& file : files_of(t.name)) {
      INFO(file.string());
      const std::string bytes = read_bytes(file);
      CHECK(t.check(bytes).empty());
      ++replayed;
    }
  }
  // A regression directory for a target this test does not know would be skipped silently.
  std::error_code ec;
  if (fs::is_directory(regressions_dir, ec)) {
    for (const auto& e : fs::directory_iterator(regressions_dir, ec)) {
      if (!e.is_directory()) continue;
      INFO(e.path().string());
      CHECK(known_target(e.path().filename().string()));
    }
  }
  INFO("replayed " << replayed << " regression file(s)");
  SUCCEED();
}

TEST_CASE("fuzz regressions: the invariants accept ordinary playlists", "[fuzz]") {
  // Guards against an invariant that rejects everything (and so would make every
  // replay fail for the wrong reason) or a harness that accepts nothing.
  const std::string media =
      "#EXTM3U\n#EXT-X-VERSION:8\n#EXT-X-TARGETDURATION:10\n#EXT-X-DEFINE:NAME=\"h\",VALUE=\"cdn\"\n"
      "#EXTINF:9.5,\nseg/{$h}/0.ts\n#EXT-X-KEY:METHOD=AES-128,URI=\"../k.bin\"\n#EXTINF:10,\n1.ts\n";
  const std::string master =
      "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aac\",NAME=\"en\",URI=\"a/en.m3u8\"\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=1280000,CODECS=\"avc1.64001f,mp4a.40.2\",AUDIO=\"aac\"\nlow/index.m3u8\n";
  CHECK(hlspp_fuzz::check_parse(media).empty());
  CHECK(hlspp_fuzz::check_parse(master).empty());
  CHECK(hlspp_fuzz::check_variables(media).empty());
  CHECK(hlspp_fuzz::check_rebase("https://cdn.example/live/a/b.m3u8\n" + media).empty());
  CHECK(hlspp_fuzz::check_rebase("not a base\n" + master).empty());
  CHECK(hlspp_fuzz::check_merge(master + "#--MERGE\n" + master).empty());
  CHECK(hlspp_fuzz::check_merge(master + "#--MERGEs\n" + master).empty());
  CHECK(hlspp_fuzz::check_attributes("#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=1x2,X-Y=\"z\"").empty());
  CHECK(hlspp_fuzz::check_attributes("#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x0F").empty());
  CHECK(hlspp_fuzz::check_attributes("BANDWIDTH=\"unterminated").empty());
  CHECK(hlspp_fuzz::check_diff(media + "#--DIFF\n" + media).empty());
}
