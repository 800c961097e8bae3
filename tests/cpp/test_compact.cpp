// SPDX-License-Identifier: MIT
// compact_vector, boxed_optional and line_kind_list: the one-pointer members that keep
// a parsed segment small (issue 7's memory target), and that must still behave like
// std::vector, std::optional and std::string for the code written against them.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support.hpp"

using hlspp::boxed_optional;
using hlspp::compact_vector;
using hlspp::line_kind_list;

TEST_CASE("compact_vector: one pointer wide, null until the first element") {
  STATIC_REQUIRE(sizeof(compact_vector<hlspp::key>) == sizeof(void*));
  compact_vector<std::string> v;
  CHECK(v.empty());
  CHECK(v.size() == 0);
  CHECK(v.capacity() == 0);
  CHECK(v.begin() == v.end());
  CHECK(v.as_vector().empty());
  int visited = 0;
  for (const auto& s : v) visited += static_cast<int>(s.size());
  CHECK(visited == 0);

  v.push_back("a");
  v.emplace_back(std::size_t{3}, 'b');
  std::string c = "c";
  v.push_back(std::move(c));
  REQUIRE(v.size() == 3);
  CHECK(v[0] == "a");
  CHECK(v.at(1) == "bbb");
  CHECK(v.front() == "a");
  CHECK(v.back() == "c");
  CHECK_THROWS_AS(v.at(3), std::out_of_range);
  CHECK(std::vector<std::string>(v.rbegin(), v.rend()) == std::vector<std::string>{"c", "bbb", "a"});

  const std::vector<std::string>& as_std = v;  // implicit, for code taking const std::vector&
  CHECK(as_std == std::vector<std::string>{"a", "bbb", "c"});
  CHECK(v == std::vector<std::string>{"a", "bbb", "c"});

  v.clear();
  CHECK(v.empty());
  CHECK(v.capacity() == 0);  // clear() gives the storage back
}

TEST_CASE("compact_vector: insert, erase, resize and assign keep std::vector's meaning") {
  compact_vector<int> v{1, 2, 3};
  auto at = v.insert(v.begin() + 1, 9);
  CHECK(*at == 9);
  CHECK(v == std::vector<int>{1, 9, 2, 3});
  const int more[] = {7, 8};
  v.insert(v.end(), std::begin(more), std::end(more));
  CHECK(v == std::vector<int>{1, 9, 2, 3, 7, 8});
  v.emplace(v.begin(), 0);
  CHECK(v == std::vector<int>{0, 1, 9, 2, 3, 7, 8});
  auto after = v.erase(v.begin() + 2);
  CHECK(*after == 2);
  after = v.erase(v.begin(), v.begin() + 2);
  CHECK(*after == 2);
  CHECK(v == std::vector<int>{2, 3, 7, 8});
  CHECK(v.erase(v.begin(), v.begin()) == v.begin());
  v.pop_back();
  CHECK(v == std::vector<int>{2, 3, 7});
  v.resize(5);
  CHECK(v == std::vector<int>{2, 3, 7, 0, 0});
  v.resize(2, 4);
  CHECK(v == std::vector<int>{2, 3});
  v.resize(0);
  CHECK(v.capacity() == 0);

  compact_vector<int> empty;
  empty.insert(empty.begin(), 5);  // inserting into the null state makes the storage
  CHECK(empty == std::vector<int>{5});

  v.assign({4, 5, 6});
  CHECK(v == std::vector<int>{4, 5, 6});
  v = std::vector<int>{1};
  CHECK(v == std::vector<int>{1});
  v = {};
  CHECK(v.empty());
  std::vector<int> source{3, 1, 2};
  v.assign(source.begin(), source.end());
  std::sort(v.begin(), v.end());
  CHECK(v == std::vector<int>{1, 2, 3});
  CHECK(std::find(v.begin(), v.end(), 2) - v.begin() == 1);
}

TEST_CASE("compact_vector: copies are deep, moves keep the elements where they are") {
  compact_vector<std::string> a{"x", "y"};
  compact_vector<std::string> b = a;
  b[0] = "changed";
  CHECK(a[0] == "x");
  CHECK(a != b);
  b = a;
  CHECK(a == b);

  const std::string* element = &a[1];
  compact_vector<std::string> moved = std::move(a);
  CHECK(&moved[1] == element);  // the bindings' live views hold such addresses
  CHECK(a.empty());             // NOLINT(bugprone-use-after-move): moved-from is empty
  compact_vector<std::string> assigned;
  assigned = std::move(moved);
  CHECK(&assigned[1] == element);

  compact_vector<std::string> self{"s"};
  auto& same = self;
  self = same;
  CHECK(self == std::vector<std::string>{"s"});
  swap(self, assigned);
  CHECK(self.size() == 2);
  CHECK(assigned.size() == 1);

  compact_vector<int> x{1, 2}, y{1, 3};
  CHECK(x < y);
  CHECK_FALSE(y < x);
}

TEST_CASE("boxed_optional: one pointer wide, reads and assigns like std::optional") {
  STATIC_REQUIRE(sizeof(boxed_optional<hlspp::init_section>) == sizeof(void*));
  boxed_optional<std::string> o;
  CHECK_FALSE(o);
  CHECK_FALSE(o.has_value());
  CHECK(o == std::nullopt);
  CHECK(o.value_or("fallback") == "fallback");
  CHECK_THROWS_AS(o.value(), std::bad_optional_access);

  o = std::string("init.mp4");
  REQUIRE(o);
  CHECK(*o == "init.mp4");
  CHECK(o->size() == 8);
  CHECK(o == std::string("init.mp4"));
  CHECK(o != std::nullopt);
  const std::string* where = &*o;
  o = std::string("other.mp4");  // assigning over a value reuses its box, as std::optional does
  CHECK(&*o == where);
  CHECK(o.value() == "other.mp4");

  boxed_optional<std::string> copy = o;
  *copy = "copy";
  CHECK(*o == "other.mp4");
  boxed_optional<std::string> moved = std::move(o);
  CHECK(&*moved == where);
  CHECK_FALSE(o);  // NOLINT(bugprone-use-after-move)

  std::optional<std::string> std_value = moved.to_optional();
  CHECK(std_value == std::optional<std::string>("other.mp4"));
  boxed_optional<std::string> from_std = std::optional<std::string>("std");
  CHECK(*from_std == "std");
  from_std = std::optional<std::string>();
  CHECK_FALSE(from_std);
  from_std.emplace(std::size_t{2}, 'z');
  CHECK(*from_std == "zz");
  from_std = std::nullopt;
  CHECK_FALSE(from_std);
  moved.reset();
  CHECK(moved == from_std);  // both empty
  CHECK(copy != moved);
}

TEST_CASE("line_kind_list: 16 bytes, up to 15 kinds in place, more on the heap") {
  STATIC_REQUIRE(sizeof(line_kind_list) == 16);
  line_kind_list kinds;
  CHECK(kinds.empty());
  std::string expected;
  for (int i = 0; i < 200; ++i) {  // crosses the in-place limit and several heap growths
    const char kind = static_cast<char>('A' + i % 26);
    kinds += kind;
    expected += kind;
    REQUIRE(kinds.size() == expected.size());
    REQUIRE(kinds.view() == expected);
  }
  CHECK(kinds.find('C') == 2);
  CHECK(kinds.find('#') == line_kind_list::npos);
  line_kind_list copy = kinds;
  CHECK(copy == kinds);
  line_kind_list moved = std::move(copy);
  CHECK(moved.view() == expected);
  CHECK(copy.empty());  // NOLINT(bugprone-use-after-move)

  line_kind_list small = std::string_view("abc");
  CHECK(small.view() == "abc");
  small = moved;  // small <- heap
  CHECK(small.view() == expected);
  small = std::string_view("0123456789abcde");  // exactly 15: in place
  CHECK(small.size() == 15);
  CHECK(small[14] == 'e');
  small = std::string_view("0123456789abcdef");  // 16: on the heap
  CHECK(small.view() == "0123456789abcdef");
  small += 'g';
  CHECK(small.view() == "0123456789abcdefg");
  small.clear();
  CHECK(small.empty());
  std::string joined;
  for (char k : moved) joined += k;
  CHECK(joined == expected);
}

TEST_CASE("media_segment: the rarely used members take no room until used, and round-trip") {
  // 192 bytes on LP64 (was 400): uri/title 16 each, PDT 24, byterange 32, origin 32...
  CHECK(sizeof(hlspp::media_segment) <= 200);
  const std::string text =
      "#EXTM3U\n"
      "#EXT-X-VERSION:7\n"
      "#EXT-X-TARGETDURATION:6\n"
      "#EXT-X-KEY:METHOD=AES-128,URI=\"k1\"\n"
      "#EXT-X-MAP:URI=\"init.mp4\"\n"
      "#EXT-X-DATERANGE:ID=\"ad\",START-DATE=\"2024-03-01T12:00:00Z\"\n"
      "# a comment kept with the segment\n"
      "#EXTINF:6.0,\n"
      "a.mp4\n"
      "#EXTINF:6.0,\n"
      "b.mp4\n";
  auto pl = hlspp_test::media_of(text);
  REQUIRE(pl.segments.size() == 2);
  const auto& first = pl.segments[0];
  CHECK(first.keys.size() == 1);
  CHECK(first.map);
  CHECK(first.map->uri == std::optional<std::string>("init.mp4"));
  CHECK(first.dateranges.size() == 1);
  CHECK(first.extras.size() == 1);
  const auto& second = pl.segments[1];
  CHECK(second.keys.capacity() == 0);
  CHECK_FALSE(second.map);
  CHECK(second.dateranges.capacity() == 0);
  CHECK(second.extras.capacity() == 0);
  CHECK(hlspp::to_string(pl) == text);

  auto copy = pl;
  copy.segments[1].keys = copy.segments[0].keys;
  copy.segments[1].map = *copy.segments[0].map;
  CHECK(copy.segments[1].keys == pl.segments[0].keys);
  CHECK(copy.segments[1].map == pl.segments[0].map);
  CHECK(copy != pl);
  copy.segments[1].keys.clear();
  copy.segments[1].map.reset();
  CHECK(copy == pl);
}
