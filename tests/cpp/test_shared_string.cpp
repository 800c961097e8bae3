// SPDX-License-Identifier: MIT
// shared_string: the immutable, reference-counted string of segment URIs, titles and
// date-times. A parse shares the playlist's copy of the text instead of allocating.
#include <map>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "catch.hpp"
#include "support.hpp"

using hlspp::shared_string;

namespace {

const std::string live =
    "#EXTM3U\n"
    "#EXT-X-VERSION:3\n"
    "#EXT-X-TARGETDURATION:6\n"
    "#EXT-X-PROGRAM-DATE-TIME:2024-03-01T12:00:00.000Z\n"
    "#EXTINF:6.000,first title\n"
    "https://cdn.example/live/segment_00001.ts?token=abcdef\n"
    "#EXTINF:6.000,\n"
    "https://cdn.example/live/segment_00002.ts?token=abcdef\n";

}  // namespace

TEST_CASE("shared_string: a value type with string_view reading and std::string conversions") {
  const shared_string empty;
  CHECK(empty.empty());
  CHECK(empty.size() == 0);
  CHECK(empty == "");
  CHECK(empty.data() != nullptr);  // reads like an empty string, never a null pointer

  shared_string a = "segment_1.ts";
  const shared_string b = std::string("segment_1.ts");
  CHECK(a == b);
  CHECK(a == "segment_1.ts");
  CHECK("segment_1.ts" == a);
  CHECK(a == std::string("segment_1.ts"));
  CHECK(a == std::string_view("segment_1.ts"));
  CHECK(a != "segment_2.ts");
  CHECK(a < shared_string("segment_2.ts"));
  CHECK(a.find('_') == 7);
  CHECK(a.rfind(".ts") == 9);
  CHECK(a.substr(8) == "1.ts");
  CHECK(a.starts_with("segment"));
  CHECK(a.ends_with(".ts"));
  CHECK(a.front() == 's');
  CHECK(a.back() == 's');
  const std::string copy = a;  // implicit: code written for std::string fields compiles
  CHECK(copy == "segment_1.ts");
  CHECK("https://cdn/" + a == "https://cdn/segment_1.ts");
  CHECK(a + "?x=1" == "segment_1.ts?x=1");
  CHECK(std::hash<shared_string>{}(a) == std::hash<std::string_view>{}("segment_1.ts"));

  std::map<shared_string, int> ordered{{"b", 2}, {"a", 1}};
  CHECK(ordered.begin()->first == "a");
  std::unordered_set<shared_string> set{"x", "y", "x"};
  CHECK(set.size() == 2);
}

TEST_CASE("shared_string: copies share bytes; assigning gives new bytes and leaves copies alone") {
  shared_string a = "one";
  CHECK_FALSE(a.shares_bytes());
  shared_string b = a;
  CHECK(a.shares_bytes());
  CHECK(b.data() == a.data());  // the same bytes, not a copy
  b = "two";
  CHECK(a == "one");
  CHECK(b == "two");
  CHECK_FALSE(a.shares_bytes());

  shared_string c = std::move(a);
  CHECK(c == "one");
  CHECK(a.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  shared_string& same = c;  // through a reference: the compilers warn on a literal `c = c`
  c = same;                  // self-assignment keeps the value
  CHECK(c == "one");
  c = std::move(same);  // self-move keeps the value too
  CHECK(c == "one");
  c.assign(c.substr(1));  // assigning from its own bytes
  CHECK(c == "ne");
  c.clear();
  CHECK(c.empty());
}

TEST_CASE("shared_string: share() views bytes inside the string and copies anything else") {
  const shared_string text = "#EXTINF:6,title\nuri.ts\n";
  const std::string_view inside = text.substr(16, 6);
  const shared_string uri = text.share(inside);
  CHECK(uri == "uri.ts");
  CHECK(uri.data() == inside.data());  // no copy
  const std::string outside = "uri.ts";
  const shared_string copied = text.share(outside);
  CHECK(copied == "uri.ts");
  CHECK(copied.data() != outside.data());
  CHECK(text.share_substr(8, 1) == "6");
  CHECK(text.share({}).empty());
}

TEST_CASE("shared_string: a parse shares the playlist's text for URIs, titles and date-times") {
  auto parsed = hlspp::parse(live);
  REQUIRE(parsed);
  const auto& segments = parsed->media().segments;
  REQUIRE(segments.size() == 2);
  CHECK(segments[0].uri == "https://cdn.example/live/segment_00001.ts?token=abcdef");
  CHECK(segments[0].title == "first title");
  REQUIRE(segments[0].program_date_time);
  CHECK(segments[0].program_date_time->text == "2024-03-01T12:00:00.000Z");
  // Views of one block (the playlist's copy of the input), not allocations per string.
  CHECK(segments[0].uri.shares_bytes());
  CHECK(segments[1].uri.shares_bytes());
  CHECK(segments[1].uri.data() > segments[0].uri.data());
  CHECK(segments[1].uri.data() - segments[0].uri.data() ==
        static_cast<std::ptrdiff_t>(live.find("https://cdn.example/live/segment_00002") -
                                    live.find("https://cdn.example/live/segment_00001")));
  // The caller's buffer is not what is shared: the playlist owns its copy.
  CHECK((segments[0].uri.data() < live.data() || segments[0].uri.data() >= live.data() + live.size()));
}

TEST_CASE("shared_string: strings taken from a playlist outlive it") {
  hlspp::media_segment kept;
  shared_string title;
  {
    std::string input = live;
    auto parsed = hlspp::parse(input);
    REQUIRE(parsed);
    kept = parsed->media().segments[1];
    title = parsed->media().segments[0].title;
    input.assign(input.size(), 'x');  // the caller's buffer may change: nothing points into it
  }  // the playlist (and its text) is gone; the strings keep the bytes alive
  CHECK(kept.uri == "https://cdn.example/live/segment_00002.ts?token=abcdef");
  CHECK(title == "first title");
  // The sanitizer build (clang-asan leg) turns a dangling view into a failure here.
  CHECK(std::string(kept.uri) + title == "https://cdn.example/live/segment_00002.ts?token=abcdeffirst title");
}

TEST_CASE("shared_string: editing a parsed segment's URI leaves the text and other segments alone") {
  auto parsed = hlspp::parse(live);
  REQUIRE(parsed);
  auto& media = parsed->media();
  const shared_string before = media.segments[1].uri;
  media.segments[0].uri = "https://other.example/a.ts";
  CHECK_FALSE(media.segments[0].uri.data() == before.data());
  CHECK(media.segments[1].uri == before);
  const std::string out = hlspp::to_string(*parsed);
  CHECK(out.find("https://other.example/a.ts\n") != std::string::npos);
  CHECK(out.find("segment_00001") == std::string::npos);
  CHECK(out.find("https://cdn.example/live/segment_00002.ts?token=abcdef\n") != std::string::npos);
}

TEST_CASE("shared_string: copies made and dropped on several threads keep the count right") {
  auto parsed = hlspp::parse(live);
  REQUIRE(parsed);
  const hlspp::media_playlist& media = parsed->media();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&media] {
      for (std::size_t i = 0; i < 20000; ++i) {
        hlspp::media_playlist copy = media;
        shared_string u = copy.segments[i % 2].uri;
        if (u.empty()) std::abort();
      }
    });
  for (auto& th : threads) th.join();
  // Only the playlist's own references remain: dropping it now must free cleanly
  // (ASan/LSan in the sanitizer leg), and the values are intact.
  CHECK(media.segments[0].uri == "https://cdn.example/live/segment_00001.ts?token=abcdef");
}
