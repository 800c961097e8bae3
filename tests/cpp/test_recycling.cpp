// SPDX-License-Identifier: MIT
// parse_recycling(): the same result as parse(), built in the storage of a previous
// playlist (its segment vector, and its text block when nothing else holds it).
#include <hlspp/hlspp.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support.hpp"

namespace {

std::string media_text(std::size_t segments, std::string_view prefix = "seg") {
  std::string text = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:7\n";
  for (std::size_t i = 0; i < segments; ++i) {
    text += "#EXTINF:4.000,\n";
    text += std::string(prefix) + std::to_string(i) + ".ts\n";
  }
  return text;
}

const char* primary_text(const hlspp::playlist& pl) {
  const auto& layout = pl.is_media() ? pl.media().layout : pl.master().layout;
  for (const auto& s : layout.sources)
    if (s->id == layout.primary_source) return s->text.data();
  return nullptr;
}

// Everything parse() gives: success, every diagnostic, the model, the lossless text.
void require_same_as_parse(const hlspp::parse_result& got, std::string_view text,
                           const hlspp::parse_options& options = {}) {
  const hlspp::parse_result want = hlspp::parse(text, options);
  REQUIRE(got.ok() == want.ok());
  REQUIRE(hlspp_test::dump(got.diagnostics()) == hlspp_test::dump(want.diagnostics()));
  if (!want.ok()) {
    CHECK(got.error().to_string() == want.error().to_string());
    return;
  }
  CHECK(*got == *want);
  auto written = hlspp::serialize(*got);
  REQUIRE(written.ok());
  CHECK(*written == text);
}

}  // namespace

TEST_CASE("recycling: the segment vector and the text block are reused", "[recycling]") {
  const std::string first = media_text(100, "a");
  const std::string second = media_text(100, "b");
  hlspp::playlist pl = hlspp::parse_or_throw(first);
  const hlspp::media_segment* storage = pl.media().segments.data();
  const char* block = primary_text(pl);

  auto again = hlspp::parse_recycling(second, std::move(pl));
  require_same_as_parse(again, second);
  CHECK(again->media().segments.data() == storage);
  CHECK(primary_text(*again) == block);
  CHECK(again->media().segments[99].uri == "b99.ts");
}

TEST_CASE("recycling: a string still held elsewhere keeps its text", "[recycling]") {
  const std::string first = media_text(10, "a");
  hlspp::playlist pl = hlspp::parse_or_throw(first);
  const hlspp::shared_string kept = pl.media().segments[3].uri;  // shares the text block
  const char* block = primary_text(pl);

  const std::string second = media_text(10, "b");
  auto again = hlspp::parse_recycling(second, std::move(pl));
  require_same_as_parse(again, second);
  CHECK(primary_text(*again) != block);  // the block was not overwritten...
  CHECK(kept == "a3.ts");                // ...so what was taken from it still reads
}

TEST_CASE("recycling: storage far larger than the new text is let go", "[recycling]") {
  hlspp::playlist pl = hlspp::parse_or_throw(media_text(4000));
  const std::string small = media_text(10);
  auto again = hlspp::parse_recycling(small, std::move(pl));
  require_same_as_parse(again, small);
  CHECK(again->media().segments.capacity() < 100);
}

TEST_CASE("recycling: a playlist that grows a segment per reload keeps its storage", "[recycling]") {
  // An EVENT playlist: each reload adds one segment. After the first reload grows the
  // storage (with room to spare), the next ones fit in it.
  hlspp::playlist pl = hlspp::parse_or_throw(media_text(200));
  pl = *hlspp::parse_recycling(media_text(201), std::move(pl));
  const hlspp::media_segment* storage = pl.media().segments.data();
  const char* block = primary_text(pl);
  for (std::size_t n = 202; n < 210; ++n) {
    const std::string text = media_text(n);
    auto again = hlspp::parse_recycling(text, std::move(pl));
    require_same_as_parse(again, text);
    pl = std::move(*again);
  }
  CHECK(pl.media().segments.data() == storage);
  CHECK(primary_text(pl) == block);
  CHECK(pl.media().segments.size() == 209);
}

TEST_CASE("recycling: *result on an rvalue moves the playlist out", "[recycling]") {
  auto parsed = hlspp::parse(media_text(50));
  const hlspp::media_segment* storage = parsed->media().segments.data();
  hlspp::playlist moved = *std::move(parsed);
  CHECK(moved.media().segments.data() == storage);
}

TEST_CASE("recycling: the new text may lie in the text being recycled", "[recycling]") {
  // The old text is "#EXTM3U\n" + `inner`; the new text is `inner`, read from the old
  // block at offset 8, which is then overwritten from offset 0: the copy overlaps.
  const std::string inner = media_text(30);
  hlspp::playlist pl = *hlspp::parse("#EXTM3U\n" + inner, hlspp::strictness::lenient);
  const std::string_view old_text(primary_text(pl), inner.size() + 8);
  REQUIRE(old_text.substr(8) == inner);
  auto again = hlspp::parse_recycling(old_text.substr(8), std::move(pl));
  require_same_as_parse(again, inner);
  CHECK(primary_text(*again) == old_text.data());  // the block was reused
}

TEST_CASE("recycling: from either kind into either kind", "[recycling]") {
  const std::string master =
      "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1280000,RESOLUTION=640x360\nlow.m3u8\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=2560000,RESOLUTION=1280x720\nhigh.m3u8\n";
  const std::string media = media_text(5);
  hlspp::playlist pl = hlspp::parse_or_throw(media);
  auto as_master = hlspp::parse_recycling(master, std::move(pl));
  require_same_as_parse(as_master, master);
  auto as_media = hlspp::parse_recycling(media, std::move(*as_master));
  require_same_as_parse(as_media, media);
  auto from_empty = hlspp::parse_recycling(media, hlspp::playlist());
  require_same_as_parse(from_empty, media);
}

TEST_CASE("recycling: errors and strictness are parse()'s", "[recycling]") {
  hlspp::playlist pl = hlspp::parse_or_throw(media_text(20));
  // Missing EXT-X-TARGETDURATION: an error diagnostic at line 1, fatal when strict.
  const std::string broken = "#EXTM3U\n#EXTINF:4,\na.ts\n#EXTINF:x,\nb.ts\n";
  hlspp::parse_options strict;
  strict.strictness = hlspp::strictness::strict;
  auto failed = hlspp::parse_recycling(broken, std::move(pl), strict);
  require_same_as_parse(failed, broken, strict);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().line != 0);

  // A limit the new text breaks is reported as it would be without recycling.
  hlspp::parse_options tight;
  tight.limits.max_segments = 3;
  auto limited = hlspp::parse_recycling(media_text(5), hlspp::parse_or_throw(media_text(50)), tight);
  require_same_as_parse(limited, media_text(5), tight);
  REQUIRE_FALSE(limited.ok());
}

TEST_CASE("recycling: every corpus file, each in the storage of the one before", "[recycling][corpus]") {
#ifdef HLSPP_CORPUS_DIR
  const std::string dir = HLSPP_CORPUS_DIR;
#else
  const std::string dir = "../shared/corpus";
#endif
  auto read = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  std::istringstream index(read(dir + "/index.tsv"));
  std::string line;
  std::getline(index, line);  // header
  hlspp::playlist previous;
  std::size_t files = 0;
  while (std::getline(index, line)) {
    const std::string path = line.substr(0, line.find('\t'));
    const std::string text = read(dir + "/" + path);
    INFO(path);
    auto got = hlspp::parse_recycling(text, std::move(previous));
    require_same_as_parse(got, text);
    ++files;
    previous = got.ok() ? std::move(*got) : hlspp::playlist();
  }
  CHECK(files == 885);
}

TEST_CASE("serialize_into: serialize()'s text, in the caller's string and its storage", "[recycling][write]") {
  const std::string text = media_text(300);
  const hlspp::playlist pl = hlspp::parse_or_throw(text);
  hlspp::serialize_options canonical;
  canonical.canonical = true;

  std::string out = "left over from before";
  REQUIRE_FALSE(hlspp::serialize_into(out, pl));
  CHECK(out == text);
  const char* storage = out.data();
  REQUIRE_FALSE(hlspp::serialize_into(out, pl.media(), canonical));
  CHECK(out == *hlspp::serialize(pl, canonical));
  CHECK(out.data() == storage);  // shorter or equal: written where the last text was

  const hlspp::playlist master = hlspp::parse_or_throw("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n");
  REQUIRE_FALSE(hlspp::serialize_into(out, master.master()));
  CHECK(out == "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n");
}

TEST_CASE("serialize_into: a model that cannot be written leaves the string empty", "[recycling][write]") {
  hlspp::playlist pl = hlspp::parse_or_throw(media_text(3));
  pl.media().segments[1].uri = "#not-a-uri.ts";  // would read back as a comment
  std::string out = "previous text";
  const hlspp::serialize_status error = hlspp::serialize_into(out, pl);
  REQUIRE(error);
  CHECK(error->code == hlspp::diag_code::unsafe_value);
  CHECK(error->to_string() == hlspp::serialize(pl).error().to_string());
  CHECK(out.empty());
}
