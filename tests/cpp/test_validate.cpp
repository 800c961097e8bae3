// SPDX-License-Identifier: MIT
// validate(): one focused test per check (a minimal playlist that breaks exactly that
// rule, then the fixed playlist), plus positions, dispatch and the whole corpus.
#include <hlspp/hlspp.hpp>
#include <hlspp/validate.hpp>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"

using hlspp::diag_code;
using hlspp::severity;

namespace {

std::string listing(const hlspp::diagnostics& diags) {
  std::string out;
  for (const auto& d : diags) out += d.to_string() + '\n';
  return out;
}

const hlspp::diagnostic* first_with(const hlspp::diagnostics& diags, diag_code code) {
  for (const auto& d : diags)
    if (d.code == code) return &d;
  return nullptr;
}

bool has_code(const hlspp::diagnostics& diags, diag_code code) { return first_with(diags, code) != nullptr; }

hlspp::playlist parsed(std::string_view text) {
  auto r = hlspp::parse(text, hlspp::strictness::lenient);
  INFO(listing(r.diagnostics()));
  REQUIRE(r.ok());
  return std::move(*r);
}

hlspp::diagnostics check(std::string_view text) { return hlspp::validate(parsed(text)); }

/// The first diagnostic with `code` has this severity and sits at column 1 of `line`.
void expect(const hlspp::diagnostics& diags, diag_code code, severity sev, std::uint32_t line) {
  INFO(listing(diags));
  CAPTURE(hlspp::code_name(code));
  const hlspp::diagnostic* d = first_with(diags, code);
  REQUIRE(d != nullptr);
  CHECK(d->severity == sev);
  CHECK(d->line == line);
  CHECK(d->column == 1u);
}

void expect_none(const hlspp::diagnostics& diags, diag_code code) {
  INFO(listing(diags));
  CAPTURE(hlspp::code_name(code));
  CHECK_FALSE(has_code(diags, code));
}

/// "#EXTM3U" then "#EXT-X-TARGETDURATION:10" (lines 1 and 2), then `body` from line 3.
std::string media(std::string_view body) { return "#EXTM3U\n#EXT-X-TARGETDURATION:10\n" + std::string(body); }

const std::string steering_master =
    "#EXTM3U\n"                                                                                        // 1
    "#EXT-X-CONTENT-STEERING:SERVER-URI=\"/steer.json\",PATHWAY-ID=\"A\"\n"                           // 2
    "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud-a\",NAME=\"English\",URI=\"a/en.m3u8\",STABLE-RENDITION-ID=\"en\"\n"  // 3
    "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud-b\",NAME=\"English\",URI=\"b/en.m3u8\",STABLE-RENDITION-ID=\"en\"\n"  // 4
    "#EXT-X-STREAM-INF:BANDWIDTH=1000,AUDIO=\"aud-a\",PATHWAY-ID=\"A\",STABLE-VARIANT-ID=\"lo\"\n"    // 5
    "a/lo.m3u8\n"                                                                                      // 6
    "#EXT-X-STREAM-INF:BANDWIDTH=2000,AUDIO=\"aud-a\",PATHWAY-ID=\"A\",STABLE-VARIANT-ID=\"hi\"\n"    // 7
    "a/hi.m3u8\n"                                                                                      // 8
    "#EXT-X-STREAM-INF:BANDWIDTH=1000,AUDIO=\"aud-b\",PATHWAY-ID=\"B\",STABLE-VARIANT-ID=\"lo\"\n"    // 9
    "b/lo.m3u8\n"                                                                                      // 10
    "#EXT-X-STREAM-INF:BANDWIDTH=2000,AUDIO=\"aud-b\",PATHWAY-ID=\"B\",STABLE-VARIANT-ID=\"hi\"\n"    // 11
    "b/hi.m3u8\n";                                                                                     // 12

/// steering_master with `from` replaced by `to` (which must occur).
std::string steering_with(std::string_view from, std::string_view to) {
  std::string text = steering_master;
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  return text;
}

}  // namespace

// ---- general behaviour ----------------------------------------------------------

TEST_CASE("validate: a conforming media playlist has no diagnostics", "[validate]") {
  auto diags = check(
      "#EXTM3U\n"
      "#EXT-X-VERSION:6\n"
      "#EXT-X-TARGETDURATION:10\n"
      "#EXT-X-PLAYLIST-TYPE:VOD\n"
      "#EXT-X-MAP:URI=\"init.mp4\",BYTERANGE=\"720@0\"\n"
      "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x00000000000000000000000000000001\n"
      "#EXT-X-PROGRAM-DATE-TIME:2024-01-01T00:00:00.000Z\n"
      "#EXT-X-DATERANGE:ID=\"ad\",START-DATE=\"2024-01-01T00:00:00.000Z\",DURATION=10,"
      "END-DATE=\"2024-01-01T00:00:10.000Z\"\n"
      "#EXTINF:9.5,\n"
      "#EXT-X-BYTERANGE:1000@720\n"
      "media.mp4\n"
      "#EXTINF:10,\n"
      "#EXT-X-BYTERANGE:1000\n"
      "media.mp4\n"
      "#EXT-X-ENDLIST\n");
  INFO(listing(diags));
  CHECK(diags.empty());
}

TEST_CASE("validate: a conforming content-steering master has no diagnostics", "[validate]") {
  auto diags = check(steering_master);
  INFO(listing(diags));
  CHECK(diags.empty());
}

TEST_CASE("validate: the playlist overload dispatches on the kind", "[validate]") {
  hlspp::playlist media_pl = parsed("#EXTM3U\n#EXTINF:5,\na.ts\n");
  expect(hlspp::validate(media_pl), diag_code::missing_target_duration, severity::error, 1);
  expect(hlspp::validate(media_pl.media()), diag_code::missing_target_duration, severity::error, 1);
  hlspp::playlist master_pl = parsed("#EXTM3U\n#EXT-X-STREAM-INF:CODECS=\"avc1\"\nv.m3u8\n");
  expect(hlspp::validate(master_pl), diag_code::stream_inf_missing_bandwidth, severity::error, 2);
}

TEST_CASE("validate: elements built in code are reported at line 0, column 0", "[validate]") {
  hlspp::media_playlist pl;
  hlspp::media_segment seg;
  seg.uri = "a.ts";
  seg.duration = 4;
  pl.segments.push_back(seg);
  auto diags = hlspp::validate(pl);
  INFO(listing(diags));
  const auto* d = first_with(diags, diag_code::missing_target_duration);
  REQUIRE(d != nullptr);
  CHECK(d->line == 0u);
  CHECK(d->column == 0u);

  // An element added to a parsed playlist has no line either; parsed ones keep theirs.
  auto parsed_pl = parsed(media("#EXTINF:4,\na.ts\n")).media();
  hlspp::media_segment added;
  added.uri = "b.ts";
  added.duration = -1;
  parsed_pl.segments.push_back(added);
  diags = hlspp::validate(parsed_pl);
  d = first_with(diags, diag_code::negative_duration);
  REQUIRE(d != nullptr);
  CHECK(d->line == 0u);
}

TEST_CASE("validate: diagnostics come in line order", "[validate]") {
  auto diags = check(media(
      "#EXT-X-KEY:URI=\"k\"\n"      // 3: no METHOD
      "#EXTINF:30,\n"                // 4: exceeds
      "a.ts\n"
      "#EXT-X-MAP:BYTERANGE=\"10\"\n"  // 6: no URI, no offset
      "#EXTINF:1,\n"
      "b.ts\n"));
  INFO(listing(diags));
  REQUIRE(diags.size() >= 3);
  for (std::size_t i = 1; i < diags.size(); ++i) CHECK(diags[i - 1].line <= diags[i].line);
}

TEST_CASE("validate: the new diagnostic codes have distinct kebab-case names", "[validate]") {
  std::set<std::string> names;
  const auto first = static_cast<int>(diag_code::key_missing_method);
  const auto last = static_cast<int>(diag_code::pathway_stable_rendition_ids_differ);
  for (int c = first; c <= last; ++c) {
    std::string name(hlspp::code_name(static_cast<diag_code>(c)));
    CAPTURE(c, name);
    CHECK(name != "unknown");
    for (char ch : name) CHECK(((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'));
    CHECK(names.insert(name).second);
  }
  CHECK(names.size() == static_cast<std::size_t>(last - first + 1));
}

// ---- media playlists ---------------------------------------------------------------

TEST_CASE("validate: EXT-X-TARGETDURATION is required", "[validate]") {
  expect(check("#EXTM3U\n#EXTINF:5,\na.ts\n"), diag_code::missing_target_duration, severity::error, 1);
  expect_none(check("#EXTM3U\n#EXT-X-TARGETDURATION:5\n#EXTINF:5,\na.ts\n"), diag_code::missing_target_duration);
}

TEST_CASE("validate: a rounded EXTINF must not exceed the target duration", "[validate]") {
  const std::string head = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:5\n";
  auto diags = check(head + "#EXTINF:5.4,\na.ts\n#EXTINF:5.5,\nb.ts\n#EXTINF:7,\nc.ts\n");
  expect(diags, diag_code::extinf_exceeds_target_duration, severity::error, 6);
  CHECK(std::count_if(diags.begin(), diags.end(), [](const hlspp::diagnostic& d) {
          return d.code == diag_code::extinf_exceeds_target_duration;
        }) == 1);
  expect_none(check(head + "#EXTINF:5.4,\na.ts\n#EXTINF:4.9,\nb.ts\n"), diag_code::extinf_exceeds_target_duration);
}

TEST_CASE("validate: durations must not be negative", "[validate]") {
  expect(check(media("#EXTINF:-1,\na.ts\n")), diag_code::negative_duration, severity::error, 3);
  expect_none(check(media("#EXTINF:1,\na.ts\n")), diag_code::negative_duration);

  SECTION("date range and partial segment durations edited in code") {
    auto pl = parsed(media(
                         "#EXT-X-PROGRAM-DATE-TIME:2024-01-01T00:00:00Z\n"                      // 3
                         "#EXT-X-DATERANGE:ID=\"x\",START-DATE=\"2024-01-01T00:00:00Z\"\n"     // 4
                         "#EXTINF:1,\n"                                                          // 5
                         "a.ts\n"))
                  .media();
    pl.segments[0].dateranges[0].planned_duration = -3;
    expect(hlspp::validate(pl), diag_code::negative_duration, severity::error, 4);
    pl.segments[0].dateranges[0].planned_duration = 3;
    expect_none(hlspp::validate(pl), diag_code::negative_duration);
  }
}

TEST_CASE("validate: every media segment needs an EXTINF", "[validate]") {
  expect(check(media("#EXTINF:1,\na.ts\nb.ts\n")), diag_code::missing_extinf, severity::error, 5);
  expect_none(check(media("#EXTINF:1,\na.ts\n#EXTINF:1,\nb.ts\n")), diag_code::missing_extinf);
}

TEST_CASE("validate: EXT-X-VERSION covers every feature of a media playlist", "[validate]") {
  struct feature_case {
    const char* what;
    const char* body;  // from line 4: "#EXTM3U", "#EXT-X-VERSION:<n>", "#EXT-X-TARGETDURATION:10" first
    std::uint64_t needed;
    std::uint32_t line;  // of the feature
  };
  const feature_case cases[] = {
      {"IV", "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x00000000000000000000000000000001\n#EXTINF:1,\na.ts\n", 2, 4},
      {"decimal EXTINF", "#EXTINF:1,\na.ts\n#EXTINF:1.5,\nb.ts\n", 3, 6},
      {"BYTERANGE", "#EXTINF:1,\n#EXT-X-BYTERANGE:10@0\na.ts\n", 4, 5},
      {"I-FRAMES-ONLY", "#EXT-X-I-FRAMES-ONLY\n#EXTINF:1,\na.ts\n", 4, 4},
      {"SAMPLE-AES", "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"k\"\n#EXTINF:1,\na.ts\n", 5, 4},
      {"KEYFORMAT", "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",KEYFORMAT=\"identity\"\n#EXTINF:1,\na.ts\n", 5, 4},
      {"MAP", "#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:1,\na.mp4\n", 6, 4},
      {"MAP in I-frames-only", "#EXT-X-I-FRAMES-ONLY\n#EXT-X-MAP:URI=\"i.mp4\"\n#EXTINF:1,\na.mp4\n", 5, 5},
      {"DEFINE", "#EXT-X-DEFINE:NAME=\"x\",VALUE=\"1\"\n#EXTINF:1,\na.ts\n", 8, 4},
      {"QUERYPARAM", "#EXT-X-DEFINE:QUERYPARAM=\"token\"\n#EXTINF:1,\na.ts\n", 11, 4},
      {"SKIP", "#EXT-X-SKIP:SKIPPED-SEGMENTS=3\n#EXTINF:1,\na.ts\n", 9, 4},
      {"SKIP of date ranges", "#EXT-X-SKIP:SKIPPED-SEGMENTS=3,RECENTLY-REMOVED-DATERANGES=\"\"\n#EXTINF:1,\na.ts\n", 10,
       4},
      {"REQ- attribute", "#EXT-X-KEY:METHOD=NONE\n#EXT-X-PART-INF:PART-TARGET=1,REQ-FOO=1\n#EXTINF:1,\na.ts\n", 12, 5},
  };
  for (const auto& c : cases) {
    SECTION(c.what) {
      auto text_at = [&](std::uint64_t version) {
        return "#EXTM3U\n#EXT-X-VERSION:" + std::to_string(version) + "\n#EXT-X-TARGETDURATION:10\n" + c.body;
      };
      expect(check(text_at(c.needed - 1)), diag_code::version_too_low, severity::error, c.line);
      expect_none(check(text_at(c.needed)), diag_code::version_too_low);
    }
  }
  SECTION("no EXT-X-VERSION at all is a warning") {
    expect(check(media("#EXTINF:1.5,\na.ts\n")), diag_code::version_missing, severity::warning, 3);
    expect_none(check(media("#EXTINF:1,\na.ts\n")), diag_code::version_missing);
  }
}

TEST_CASE("validate: EXT-X-KEY requires METHOD", "[validate]") {
  expect(check(media("#EXT-X-KEY:URI=\"k\"\n#EXTINF:1,\na.ts\n")), diag_code::key_missing_method, severity::error, 3);
  expect_none(check(media("#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\n#EXTINF:1,\na.ts\n")), diag_code::key_missing_method);
}

TEST_CASE("validate: EXT-X-KEY METHOD=NONE takes no other attribute", "[validate]") {
  expect(check(media("#EXT-X-KEY:METHOD=NONE,URI=\"k\"\n#EXTINF:1,\na.ts\n")), diag_code::key_none_with_attributes,
         severity::error, 3);
  expect_none(check(media("#EXT-X-KEY:METHOD=NONE\n#EXTINF:1,\na.ts\n")), diag_code::key_none_with_attributes);
}

TEST_CASE("validate: EXT-X-KEY and EXT-X-SESSION-KEY require URI unless METHOD is NONE", "[validate]") {
  expect(check(media("#EXT-X-KEY:METHOD=AES-128\n#EXTINF:1,\na.ts\n")), diag_code::key_missing_uri, severity::error,
         3);
  expect_none(check(media("#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\n#EXTINF:1,\na.ts\n")), diag_code::key_missing_uri);
  expect(check("#EXTM3U\n#EXT-X-SESSION-KEY:METHOD=SAMPLE-AES\n"), diag_code::key_missing_uri, severity::error, 2);
}

TEST_CASE("validate: IV is forbidden with SAMPLE-AES-CTR and AES-256-GCM", "[validate]") {
  const std::string iv = ",IV=0x00000000000000000000000000000001";
  for (const char* method : {"SAMPLE-AES-CTR", "AES-256-GCM"}) {
    SECTION(method) {
      const std::string key = std::string("#EXT-X-KEY:METHOD=") + method + ",URI=\"k\"";
      expect(check(media(key + iv + "\n#EXTINF:1,\na.ts\n")), diag_code::key_iv_not_allowed, severity::error, 3);
      expect_none(check(media(key + "\n#EXTINF:1,\na.ts\n")), diag_code::key_iv_not_allowed);
    }
  }
  expect_none(check(media("#EXT-X-KEY:METHOD=AES-128,URI=\"k\"" + iv + "\n#EXTINF:1,\na.ts\n")),
              diag_code::key_iv_not_allowed);
}

TEST_CASE("validate: an unknown EXT-X-KEY METHOD is a warning", "[validate]") {
  expect(check(media("#EXT-X-KEY:METHOD=AES-256,URI=\"k\"\n#EXTINF:1,\na.ts\n")), diag_code::key_unknown_method,
         severity::warning, 3);
  expect_none(check(media("#EXT-X-KEY:METHOD=AES-256-GCM,URI=\"k\"\n#EXTINF:1,\na.ts\n")),
              diag_code::key_unknown_method);
}

TEST_CASE("validate: a byte range without offset continues a sub-range of the same URI", "[validate]") {
  const std::string first = "#EXTINF:1,\n#EXT-X-BYTERANGE:100@0\na.ts\n";  // 3-5
  expect(check(media(first + "#EXTINF:1,\n#EXT-X-BYTERANGE:100\nb.ts\n")), diag_code::byterange_without_offset,
         severity::error, 7);
  expect(check(media("#EXTINF:1,\n#EXT-X-BYTERANGE:100\na.ts\n")), diag_code::byterange_without_offset,
         severity::error, 4);
  expect_none(check(media(first + "#EXTINF:1,\n#EXT-X-BYTERANGE:100\na.ts\n")), diag_code::byterange_without_offset);
}

TEST_CASE("validate: EXT-X-MAP requires URI", "[validate]") {
  expect(check(media("#EXT-X-MAP:BYTERANGE=\"10@0\"\n#EXTINF:1,\na.mp4\n")), diag_code::map_missing_uri,
         severity::error, 3);
  expect_none(check(media("#EXT-X-MAP:URI=\"i.mp4\"\n#EXTINF:1,\na.mp4\n")), diag_code::map_missing_uri);
}

TEST_CASE("validate: EXT-X-MAP BYTERANGE requires an offset", "[validate]") {
  expect(check(media("#EXT-X-MAP:URI=\"i.mp4\",BYTERANGE=\"10\"\n#EXTINF:1,\na.mp4\n")),
         diag_code::map_byterange_without_offset, severity::error, 3);
  expect_none(check(media("#EXT-X-MAP:URI=\"i.mp4\",BYTERANGE=\"10@0\"\n#EXTINF:1,\na.mp4\n")),
              diag_code::map_byterange_without_offset);
}

TEST_CASE("validate: an AES-128 encrypted EXT-X-MAP needs a key with an IV", "[validate]") {
  expect(check(media("#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\n#EXT-X-MAP:URI=\"i.mp4\"\n#EXTINF:1,\na.mp4\n")),
         diag_code::map_key_without_iv, severity::error, 4);
  // A key set on an earlier segment still applies.
  expect(check(media("#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\n#EXTINF:1,\na.mp4\n#EXT-X-MAP:URI=\"i.mp4\"\n#EXTINF:1,\n"
                     "b.mp4\n")),
         diag_code::map_key_without_iv, severity::error, 6);
  expect_none(check(media("#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x00000000000000000000000000000001\n"
                          "#EXT-X-MAP:URI=\"i.mp4\"\n#EXTINF:1,\na.mp4\n")),
              diag_code::map_key_without_iv);
  // A key after the map does not encrypt it.
  expect_none(check(media("#EXT-X-MAP:URI=\"i.mp4\"\n#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\n#EXTINF:1,\na.mp4\n")),
              diag_code::map_key_without_iv);
}

TEST_CASE("validate: EXT-X-PLAYLIST-TYPE is VOD or EVENT", "[validate]") {
  auto pl = parsed(media("#EXT-X-PLAYLIST-TYPE:EVENT\n#EXTINF:1,\na.ts\n")).media();
  expect_none(hlspp::validate(pl), diag_code::invalid_playlist_type);
  pl.playlist_type = "LIVE";
  expect(hlspp::validate(pl), diag_code::invalid_playlist_type, severity::error, 3);
}

TEST_CASE("validate: EXT-X-PART requires EXT-X-PART-INF", "[validate]") {
  const std::string parts = "#EXT-X-PART:DURATION=1,URI=\"p0.mp4\"\n#EXTINF:1,\na.mp4\n";
  expect(check(media(parts)), diag_code::part_without_part_inf, severity::error, 3);
  expect_none(check(media("#EXT-X-PART-INF:PART-TARGET=1\n#EXT-X-SERVER-CONTROL:PART-HOLD-BACK=3\n" + parts)),
              diag_code::part_without_part_inf);
}

TEST_CASE("validate: EXT-X-PART requires URI and DURATION", "[validate]") {
  const std::string head = "#EXT-X-PART-INF:PART-TARGET=1\n#EXT-X-SERVER-CONTROL:PART-HOLD-BACK=3\n";  // 3-4
  expect(check(media(head + "#EXT-X-PART:URI=\"p0.mp4\"\n#EXTINF:1,\na.mp4\n")), diag_code::part_missing_attribute,
         severity::error, 5);
  expect(check(media(head + "#EXT-X-PART:DURATION=1\n#EXTINF:1,\na.mp4\n")), diag_code::part_missing_attribute,
         severity::error, 5);
  expect_none(check(media(head + "#EXT-X-PART:DURATION=1,URI=\"p0.mp4\"\n#EXTINF:1,\na.mp4\n")),
              diag_code::part_missing_attribute);
}

TEST_CASE("validate: a partial segment is at most PART-TARGET long", "[validate]") {
  const std::string head = "#EXT-X-PART-INF:PART-TARGET=1\n#EXT-X-SERVER-CONTROL:PART-HOLD-BACK=3\n";  // 3-4
  expect(check(media(head + "#EXT-X-PART:DURATION=1,URI=\"p0\"\n#EXT-X-PART:DURATION=1.2,URI=\"p1\"\n")),
         diag_code::part_exceeds_part_target, severity::error, 6);
  expect_none(check(media(head + "#EXT-X-PART:DURATION=1,URI=\"p0\"\n#EXT-X-PART:DURATION=0.5,URI=\"p1\"\n")),
              diag_code::part_exceeds_part_target);
}

TEST_CASE("validate: EXT-X-PART-INF requires PART-TARGET", "[validate]") {
  expect(check(media("#EXT-X-PART-INF:X-FOO=1\n#EXT-X-SERVER-CONTROL:PART-HOLD-BACK=3\n")),
         diag_code::part_inf_missing_part_target, severity::error, 3);
  expect_none(check(media("#EXT-X-PART-INF:PART-TARGET=1\n#EXT-X-SERVER-CONTROL:PART-HOLD-BACK=3\n")),
              diag_code::part_inf_missing_part_target);
}

TEST_CASE("validate: EXT-X-PART-INF requires PART-HOLD-BACK", "[validate]") {
  expect(check(media("#EXT-X-PART-INF:PART-TARGET=1\n#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES\n")),
         diag_code::part_hold_back_missing, severity::error, 3);
  expect(check(media("#EXT-X-PART-INF:PART-TARGET=1\n")), diag_code::part_hold_back_missing, severity::error, 3);
  expect_none(check(media("#EXT-X-PART-INF:PART-TARGET=1\n#EXT-X-SERVER-CONTROL:PART-HOLD-BACK=3\n")),
              diag_code::part_hold_back_missing);
}

TEST_CASE("validate: PART-HOLD-BACK is at least twice (should be three times) PART-TARGET", "[validate]") {
  const std::string inf = "#EXT-X-PART-INF:PART-TARGET=1\n";  // 3
  expect(check(media(inf + "#EXT-X-SERVER-CONTROL:PART-HOLD-BACK=1.5\n")), diag_code::part_hold_back_too_small,
         severity::error, 4);
  expect(check(media(inf + "#EXT-X-SERVER-CONTROL:PART-HOLD-BACK=2.5\n")), diag_code::part_hold_back_too_small,
         severity::warning, 4);
  expect_none(check(media(inf + "#EXT-X-SERVER-CONTROL:PART-HOLD-BACK=3\n")), diag_code::part_hold_back_too_small);
}

TEST_CASE("validate: HOLD-BACK is at least three target durations", "[validate]") {
  expect(check(media("#EXT-X-SERVER-CONTROL:HOLD-BACK=29.9\n")), diag_code::hold_back_too_small, severity::error, 3);
  expect_none(check(media("#EXT-X-SERVER-CONTROL:HOLD-BACK=30\n")), diag_code::hold_back_too_small);
}

TEST_CASE("validate: CAN-SKIP-UNTIL is at least six target durations", "[validate]") {
  expect(check(media("#EXT-X-SERVER-CONTROL:CAN-SKIP-UNTIL=59\n")), diag_code::can_skip_until_too_small,
         severity::error, 3);
  expect_none(check(media("#EXT-X-SERVER-CONTROL:CAN-SKIP-UNTIL=60\n")), diag_code::can_skip_until_too_small);
}

TEST_CASE("validate: CAN-SKIP-DATERANGES requires CAN-SKIP-UNTIL", "[validate]") {
  expect(check(media("#EXT-X-SERVER-CONTROL:CAN-SKIP-DATERANGES=YES\n")),
         diag_code::can_skip_dateranges_without_can_skip_until, severity::error, 3);
  expect_none(check(media("#EXT-X-SERVER-CONTROL:CAN-SKIP-UNTIL=60,CAN-SKIP-DATERANGES=YES\n")),
              diag_code::can_skip_dateranges_without_can_skip_until);
}

TEST_CASE("validate: EXT-X-PRELOAD-HINT is forbidden with EXT-X-ENDLIST", "[validate]") {
  const std::string body = "#EXTINF:1,\na.ts\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p\"\n";  // hint on 5
  expect(check(media(body + "#EXT-X-ENDLIST\n")), diag_code::preload_hint_with_endlist, severity::error, 5);
  expect_none(check(media(body)), diag_code::preload_hint_with_endlist);
}

TEST_CASE("validate: EXT-X-PRELOAD-HINT requires TYPE and URI", "[validate]") {
  expect(check(media("#EXT-X-PRELOAD-HINT:URI=\"p\"\n")), diag_code::preload_hint_missing_attribute, severity::error,
         3);
  expect_none(check(media("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p\"\n")), diag_code::preload_hint_missing_attribute);
}

TEST_CASE("validate: EXT-X-RENDITION-REPORT requires URI", "[validate]") {
  expect(check(media("#EXT-X-RENDITION-REPORT:LAST-MSN=3\n")), diag_code::rendition_report_missing_uri,
         severity::error, 3);
  expect_none(check(media("#EXT-X-RENDITION-REPORT:URI=\"../b.m3u8\",LAST-MSN=3\n")),
              diag_code::rendition_report_missing_uri);
}

TEST_CASE("validate: EXT-X-SKIP requires SKIPPED-SEGMENTS", "[validate]") {
  expect(check(media("#EXT-X-SKIP:RECENTLY-REMOVED-DATERANGES=\"\"\n")), diag_code::skip_missing_skipped_segments,
         severity::error, 3);
  expect_none(check(media("#EXT-X-SKIP:SKIPPED-SEGMENTS=2\n")), diag_code::skip_missing_skipped_segments);
}

TEST_CASE("validate: EXT-X-START requires TIME-OFFSET", "[validate]") {
  expect(check(media("#EXT-X-START:PRECISE=YES\n")), diag_code::start_missing_time_offset, severity::error, 3);
  expect_none(check(media("#EXT-X-START:TIME-OFFSET=-10\n")), diag_code::start_missing_time_offset);
  expect(check("#EXTM3U\n#EXT-X-START:PRECISE=YES\n"), diag_code::start_missing_time_offset, severity::error, 2);
}

TEST_CASE("validate: EXT-X-DEFINE declares exactly one variable, once", "[validate]") {
  SECTION("NAME without VALUE") {
    expect(check(media("#EXT-X-DEFINE:NAME=\"a\"\n")), diag_code::invalid_define, severity::error, 3);
    expect_none(check(media("#EXT-X-DEFINE:NAME=\"a\",VALUE=\"\"\n")), diag_code::invalid_define);
  }
  SECTION("IMPORT in a multivariant playlist") {
    expect(check("#EXTM3U\n#EXT-X-VERSION:8\n#EXT-X-DEFINE:IMPORT=\"a\"\n"), diag_code::invalid_define,
           severity::error, 3);
    expect_none(check(media("#EXT-X-DEFINE:IMPORT=\"a\"\n")), diag_code::invalid_define);
  }
  SECTION("two kinds in one tag, edited in code") {
    auto pl = parsed(media("#EXT-X-DEFINE:NAME=\"a\",VALUE=\"1\"\n")).media();
    expect_none(hlspp::validate(pl), diag_code::invalid_define);
    pl.defines[0].queryparam = "b";
    expect(hlspp::validate(pl), diag_code::invalid_define, severity::error, 3);
  }
  SECTION("the same name twice") {
    expect(check(media("#EXT-X-DEFINE:NAME=\"a\",VALUE=\"1\"\n#EXT-X-DEFINE:QUERYPARAM=\"a\"\n")),
           diag_code::duplicate_variable, severity::error, 4);
    expect_none(check(media("#EXT-X-DEFINE:NAME=\"a\",VALUE=\"1\"\n#EXT-X-DEFINE:QUERYPARAM=\"b\"\n")),
                diag_code::duplicate_variable);
  }
}

// ---- date ranges ---------------------------------------------------------------------

namespace {
const std::string pdt = "#EXT-X-PROGRAM-DATE-TIME:2024-01-01T00:00:00Z\n#EXTINF:1,\na.ts\n";  // lines 3-5
}  // namespace

TEST_CASE("validate: EXT-X-DATERANGE needs an EXT-X-PROGRAM-DATE-TIME", "[validate]") {
  const std::string range = "#EXT-X-DATERANGE:ID=\"x\",START-DATE=\"2024-01-01T00:00:00Z\"\n";
  expect(check(media("#EXTINF:1,\na.ts\n" + range)), diag_code::daterange_without_program_date_time,
         severity::error, 5);
  expect_none(check(media(pdt + range)), diag_code::daterange_without_program_date_time);
}

TEST_CASE("validate: EXT-X-DATERANGE requires ID", "[validate]") {
  expect(check(media(pdt + "#EXT-X-DATERANGE:START-DATE=\"2024-01-01T00:00:00Z\"\n")), diag_code::daterange_missing_id,
         severity::error, 6);
  expect_none(check(media(pdt + "#EXT-X-DATERANGE:ID=\"x\",START-DATE=\"2024-01-01T00:00:00Z\"\n")),
              diag_code::daterange_missing_id);
}

TEST_CASE("validate: EXT-X-DATERANGE requires START-DATE unless an earlier tag with its ID has one", "[validate]") {
  expect(check(media(pdt + "#EXT-X-DATERANGE:ID=\"x\",DURATION=1\n")), diag_code::daterange_missing_start_date,
         severity::error, 6);
  expect_none(check(media(pdt +
                          "#EXT-X-DATERANGE:ID=\"x\",START-DATE=\"2024-01-01T00:00:00Z\"\n"
                          "#EXT-X-DATERANGE:ID=\"x\",DURATION=1\n")),
              diag_code::daterange_missing_start_date);
  // In a delta update the first tag may have been skipped.
  expect_none(check(media("#EXT-X-SKIP:SKIPPED-SEGMENTS=1\n" + pdt + "#EXT-X-DATERANGE:ID=\"x\",DURATION=1\n")),
              diag_code::daterange_missing_start_date);
}

TEST_CASE("validate: EXT-X-DATERANGE CUE never holds both PRE and POST", "[validate]") {
  const std::string range = "#EXT-X-DATERANGE:ID=\"x\",START-DATE=\"2024-01-01T00:00:00Z\",CUE=";
  expect(check(media(pdt + range + "\"PRE,ONCE,POST\"\n")), diag_code::daterange_cue_pre_and_post, severity::error, 6);
  expect_none(check(media(pdt + range + "\"PRE,ONCE\"\n")), diag_code::daterange_cue_pre_and_post);
}

TEST_CASE("validate: END-ON-NEXT requires CLASS", "[validate]") {
  const std::string range = "#EXT-X-DATERANGE:ID=\"x\",START-DATE=\"2024-01-01T00:00:00Z\",END-ON-NEXT=YES";
  expect(check(media(pdt + range + "\n")), diag_code::daterange_end_on_next_without_class, severity::error, 6);
  expect_none(check(media(pdt + range + ",CLASS=\"c\"\n")), diag_code::daterange_end_on_next_without_class);
}

TEST_CASE("validate: END-ON-NEXT forbids DURATION and END-DATE", "[validate]") {
  const std::string range =
      "#EXT-X-DATERANGE:ID=\"x\",CLASS=\"c\",START-DATE=\"2024-01-01T00:00:00Z\",END-ON-NEXT=YES";
  expect(check(media(pdt + range + ",DURATION=5\n")), diag_code::daterange_end_on_next_with_end, severity::error, 6);
  expect(check(media(pdt + range + ",END-DATE=\"2024-01-01T00:00:05Z\"\n")), diag_code::daterange_end_on_next_with_end,
         severity::error, 6);
  expect_none(check(media(pdt + range + "\n")), diag_code::daterange_end_on_next_with_end);
}

TEST_CASE("validate: END-DATE is not before START-DATE", "[validate]") {
  const std::string range = "#EXT-X-DATERANGE:ID=\"x\",START-DATE=\"2024-01-01T00:00:10Z\",END-DATE=";
  expect(check(media(pdt + range + "\"2024-01-01T00:00:09Z\"\n")), diag_code::daterange_end_before_start,
         severity::error, 6);
  // Time zones count: 01:00:11+01:00 is 00:00:11Z.
  expect_none(check(media(pdt + range + "\"2024-01-01T01:00:11+01:00\"\n")), diag_code::daterange_end_before_start);
}

TEST_CASE("validate: END-DATE equals START-DATE plus DURATION", "[validate]") {
  const std::string range = "#EXT-X-DATERANGE:ID=\"x\",START-DATE=\"2024-01-01T00:00:00Z\",DURATION=10,END-DATE=";
  expect(check(media(pdt + range + "\"2024-01-01T00:00:11Z\"\n")), diag_code::daterange_duration_mismatch,
         severity::error, 6);
  expect_none(check(media(pdt + range + "\"2024-01-01T00:00:10.000Z\"\n")), diag_code::daterange_duration_mismatch);
  // Consolidated over tags with the same ID.
  expect(check(media(pdt +
                     "#EXT-X-DATERANGE:ID=\"x\",START-DATE=\"2024-01-01T00:00:00Z\",DURATION=10\n"
                     "#EXT-X-DATERANGE:ID=\"x\",END-DATE=\"2024-01-01T00:00:12Z\"\n")),
         diag_code::daterange_duration_mismatch, severity::error, 7);
}

TEST_CASE("validate: tags of one date range repeat attributes with the same value", "[validate]") {
  const std::string first = "#EXT-X-DATERANGE:ID=\"x\",START-DATE=\"2024-01-01T00:00:00Z\",X-AD=\"1\"\n";  // 6
  expect(check(media(pdt + first + "#EXT-X-DATERANGE:ID=\"x\",START-DATE=\"2024-01-01T00:00:01Z\"\n")),
         diag_code::daterange_conflict, severity::error, 7);
  expect(check(media(pdt + first + "#EXT-X-DATERANGE:ID=\"x\",X-AD=\"2\"\n")), diag_code::daterange_conflict,
         severity::error, 7);
  expect_none(check(media(pdt + first + "#EXT-X-DATERANGE:ID=\"x\",X-AD=\"1\",DURATION=5\n")),
              diag_code::daterange_conflict);
}

// ---- multivariant playlists -------------------------------------------------------------

TEST_CASE("validate: EXT-X-STREAM-INF requires BANDWIDTH", "[validate]") {
  expect(check("#EXTM3U\n#EXT-X-STREAM-INF:CODECS=\"avc1\"\nv.m3u8\n"), diag_code::stream_inf_missing_bandwidth,
         severity::error, 2);
  expect_none(check("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n"), diag_code::stream_inf_missing_bandwidth);
}

TEST_CASE("validate: EXT-X-STREAM-INF is followed by a URI line", "[validate]") {
  expect(check("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n#EXT-X-STREAM-INF:BANDWIDTH=2\nv.m3u8\n"),
         diag_code::stream_inf_without_uri, severity::error, 2);
  expect_none(check("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nu.m3u8\n"), diag_code::stream_inf_without_uri);
  // A comment between the tag and its URI line does not move the position.
  auto master = parsed("#EXTM3U\n# c\n#EXT-X-STREAM-INF:BANDWIDTH=1\n# d\nu.m3u8\n").master();
  master.variants[0].uri.clear();
  expect(hlspp::validate(master), diag_code::stream_inf_without_uri, severity::error, 3);
}

TEST_CASE("validate: EXT-X-I-FRAME-STREAM-INF requires BANDWIDTH and URI", "[validate]") {
  expect(check("#EXTM3U\n#EXT-X-I-FRAME-STREAM-INF:URI=\"i.m3u8\"\n"), diag_code::iframe_stream_missing_attribute,
         severity::error, 2);
  expect(check("#EXTM3U\n#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1\n"), diag_code::iframe_stream_missing_attribute,
         severity::error, 2);
  expect_none(check("#EXTM3U\n#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,URI=\"i.m3u8\"\n"),
              diag_code::iframe_stream_missing_attribute);
}

TEST_CASE("validate: EXT-X-MEDIA requires TYPE, GROUP-ID and NAME", "[validate]") {
  expect(check("#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,NAME=\"en\"\n"), diag_code::media_missing_attribute, severity::error,
         2);
  expect(check("#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\"\n"), diag_code::media_missing_attribute,
         severity::error, 2);
  expect_none(check("#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\"\n"),
              diag_code::media_missing_attribute);
}

TEST_CASE("validate: EXT-X-MEDIA TYPE is one of the four media types", "[validate]") {
  expect(check("#EXTM3U\n#EXT-X-MEDIA:TYPE=TEXT,GROUP-ID=\"a\",NAME=\"en\"\n"), diag_code::media_invalid_type,
         severity::error, 2);
  expect_none(check("#EXTM3U\n#EXT-X-MEDIA:TYPE=VIDEO,GROUP-ID=\"a\",NAME=\"en\"\n"), diag_code::media_invalid_type);
}

TEST_CASE("validate: CLOSED-CAPTIONS renditions have no URI", "[validate]") {
  const std::string cc = "#EXTM3U\n#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"cc\",NAME=\"en\",INSTREAM-ID=\"CC1\"";
  expect(check(cc + ",URI=\"cc.m3u8\"\n"), diag_code::media_uri_not_allowed, severity::error, 2);
  expect_none(check(cc + "\n"), diag_code::media_uri_not_allowed);
}

TEST_CASE("validate: SUBTITLES renditions require URI", "[validate]") {
  const std::string subs = "#EXTM3U\n#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"s\",NAME=\"en\"";
  expect(check(subs + "\n"), diag_code::media_missing_uri, severity::error, 2);
  expect_none(check(subs + ",URI=\"s.m3u8\"\n"), diag_code::media_missing_uri);
}

TEST_CASE("validate: FORCED only on SUBTITLES renditions", "[validate]") {
  expect(check("#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",FORCED=NO\n"),
         diag_code::media_forced_not_subtitles, severity::error, 2);
  expect_none(check("#EXTM3U\n#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"s\",NAME=\"en\",FORCED=YES,URI=\"s.m3u8\"\n"),
              diag_code::media_forced_not_subtitles);
}

TEST_CASE("validate: BIT-DEPTH, SAMPLE-RATE and CHANNELS only on AUDIO renditions", "[validate]") {
  expect(check("#EXTM3U\n#EXT-X-MEDIA:TYPE=VIDEO,GROUP-ID=\"v\",NAME=\"main\",CHANNELS=\"2\"\n"),
         diag_code::media_audio_only_attribute, severity::error, 2);
  expect_none(check("#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",CHANNELS=\"2\",SAMPLE-RATE=48000\n"),
              diag_code::media_audio_only_attribute);
}

TEST_CASE("validate: DEFAULT=YES with AUTOSELECT present needs AUTOSELECT=YES", "[validate]") {
  const std::string m = "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",DEFAULT=YES";
  expect(check(m + ",AUTOSELECT=NO\n"), diag_code::media_default_not_autoselect, severity::error, 2);
  expect_none(check(m + ",AUTOSELECT=YES\n"), diag_code::media_default_not_autoselect);
  expect_none(check(m + "\n"), diag_code::media_default_not_autoselect);
}

TEST_CASE("validate: CLOSED-CAPTIONS renditions require INSTREAM-ID", "[validate]") {
  const std::string cc = "#EXTM3U\n#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"cc\",NAME=\"en\"";
  expect(check(cc + "\n"), diag_code::media_missing_instream_id, severity::error, 2);
  expect_none(check(cc + ",INSTREAM-ID=\"CC2\"\n"), diag_code::media_missing_instream_id);
}

TEST_CASE("validate: INSTREAM-ID values", "[validate]") {
  const std::string cc = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"cc\",NAME=\"en\"";
  for (const char* bad : {"CC5", "CC0", "SERVICE0", "SERVICE64", "SERVICE07", "cc1"}) {
    SECTION(std::string("closed captions ") + bad) {
      expect(check(cc + ",INSTREAM-ID=\"" + bad + "\"\n"), diag_code::media_invalid_instream_id, severity::error, 3);
    }
  }
  for (const char* good : {"CC1", "CC4", "SERVICE1", "SERVICE63"})
    expect_none(check(cc + ",INSTREAM-ID=\"" + good + "\"\n"), diag_code::media_invalid_instream_id);
  const std::string audio = "#EXTM3U\n#EXT-X-VERSION:13\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\"";
  expect(check(audio + ",INSTREAM-ID=\"track-1\"\n"), diag_code::media_invalid_instream_id, severity::error, 3);
  expect_none(check(audio + ",INSTREAM-ID=\"track.1\"\n"), diag_code::media_invalid_instream_id);
}

TEST_CASE("validate: group references resolve to an EXT-X-MEDIA of that TYPE", "[validate]") {
  const std::string groups =
      "#EXTM3U\n"
      "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\"\n"                                 // 2
      "#EXT-X-MEDIA:TYPE=VIDEO,GROUP-ID=\"v\",NAME=\"main\"\n"                               // 3
      "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"s\",NAME=\"en\",URI=\"s.m3u8\"\n"              // 4
      "#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"c\",NAME=\"en\",INSTREAM-ID=\"CC1\"\n";  // 5
  expect_none(check(groups + "#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO=\"a\",VIDEO=\"v\",SUBTITLES=\"s\","
                             "CLOSED-CAPTIONS=\"c\"\nu.m3u8\n#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,VIDEO=\"v\","
                             "URI=\"i.m3u8\"\n"),
              diag_code::unresolved_group);
  for (const char* ref : {"AUDIO=\"v\"", "VIDEO=\"a\"", "SUBTITLES=\"c\"", "CLOSED-CAPTIONS=\"s\""}) {
    SECTION(ref) {
      expect(check(groups + "#EXT-X-STREAM-INF:BANDWIDTH=1," + ref + "\nu.m3u8\n"), diag_code::unresolved_group,
             severity::error, 6);
    }
  }
  SECTION("I-frame VIDEO") {
    expect(check(groups + "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,VIDEO=\"x\",URI=\"i.m3u8\"\n"),
           diag_code::unresolved_group, severity::error, 6);
  }
}

TEST_CASE("validate: CLOSED-CAPTIONS=NONE is all or nothing", "[validate]") {
  const std::string cc =
      "#EXTM3U\n#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"c\",NAME=\"en\",INSTREAM-ID=\"CC1\"\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=1,CLOSED-CAPTIONS=NONE\nu.m3u8\n";  // 3-4
  expect(check(cc + "#EXT-X-STREAM-INF:BANDWIDTH=2,CLOSED-CAPTIONS=\"c\"\nv.m3u8\n"),
         diag_code::closed_captions_none_mixed, severity::error, 5);
  expect(check(cc + "#EXT-X-STREAM-INF:BANDWIDTH=2\nv.m3u8\n"), diag_code::closed_captions_none_mixed, severity::error,
         5);
  expect_none(check(cc + "#EXT-X-STREAM-INF:BANDWIDTH=2,CLOSED-CAPTIONS=NONE\nv.m3u8\n"),
              diag_code::closed_captions_none_mixed);
}

TEST_CASE("validate: NAME is unique within a rendition group", "[validate]") {
  const std::string first = "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\"\n";
  expect(check(first + "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\"\n"), diag_code::duplicate_rendition_name,
         severity::error, 3);
  // Another group, or another TYPE with the same GROUP-ID, is another group.
  expect_none(check(first + "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"b\",NAME=\"en\"\n"
                            "#EXT-X-MEDIA:TYPE=VIDEO,GROUP-ID=\"a\",NAME=\"en\"\n"),
              diag_code::duplicate_rendition_name);
}

TEST_CASE("validate: at most one DEFAULT=YES per rendition group", "[validate]") {
  const std::string first = "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",DEFAULT=YES\n";
  expect(check(first + "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"fr\",DEFAULT=YES\n"),
         diag_code::multiple_default_renditions, severity::error, 3);
  expect_none(check(first + "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"fr\",DEFAULT=NO\n"),
              diag_code::multiple_default_renditions);
}

TEST_CASE("validate: redundant copies reference equivalent rendition groups", "[validate]") {
  auto text = [](const char* b_language) {
    return std::string(
               "#EXTM3U\n"
               "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"English\",LANGUAGE=\"en\",URI=\"a/en.m3u8\"\n"  // 2
               "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"b\",NAME=\"English\",LANGUAGE=\"") +
           b_language +
           "\",URI=\"b/en.m3u8\"\n"                       // 3
           "#EXT-X-STREAM-INF:BANDWIDTH=1000,AUDIO=\"a\"\n"  // 4
           "a/v.m3u8\n"
           "#EXT-X-STREAM-INF:BANDWIDTH=1000,AUDIO=\"b\"\n"  // 6
           "b/v.m3u8\n";
  };
  expect(check(text("fr")), diag_code::rendition_groups_differ, severity::error, 6);
  expect_none(check(text("en")), diag_code::rendition_groups_differ);
  // Variants that are not copies of each other may use different groups.
  std::string other = text("fr");
  other.replace(other.rfind("BANDWIDTH=1000"), 14, "BANDWIDTH=2000");
  expect_none(check(other), diag_code::rendition_groups_differ);
}

TEST_CASE("validate: EXT-X-SESSION-DATA requires DATA-ID", "[validate]") {
  expect(check("#EXTM3U\n#EXT-X-SESSION-DATA:VALUE=\"x\"\n"), diag_code::session_data_missing_data_id, severity::error,
         2);
  expect_none(check("#EXTM3U\n#EXT-X-SESSION-DATA:DATA-ID=\"com.example.t\",VALUE=\"x\"\n"),
              diag_code::session_data_missing_data_id);
}

TEST_CASE("validate: EXT-X-SESSION-DATA has exactly one of VALUE and URI", "[validate]") {
  const std::string d = "#EXTM3U\n#EXT-X-SESSION-DATA:DATA-ID=\"com.example.t\"";
  expect(check(d + "\n"), diag_code::session_data_value_or_uri, severity::error, 2);
  expect(check(d + ",VALUE=\"x\",URI=\"t.json\"\n"), diag_code::session_data_value_or_uri, severity::error, 2);
  expect_none(check(d + ",URI=\"t.json\"\n"), diag_code::session_data_value_or_uri);
}

TEST_CASE("validate: (DATA-ID, LANGUAGE) is unique among EXT-X-SESSION-DATA", "[validate]") {
  const std::string d = "#EXTM3U\n#EXT-X-SESSION-DATA:DATA-ID=\"t\",VALUE=\"x\",LANGUAGE=\"en\"\n";
  expect(check(d + "#EXT-X-SESSION-DATA:DATA-ID=\"t\",VALUE=\"y\",LANGUAGE=\"en\"\n"),
         diag_code::duplicate_session_data, severity::error, 3);
  expect_none(check(d + "#EXT-X-SESSION-DATA:DATA-ID=\"t\",VALUE=\"y\",LANGUAGE=\"fr\"\n"
                        "#EXT-X-SESSION-DATA:DATA-ID=\"t\",VALUE=\"z\"\n"),
              diag_code::duplicate_session_data);
}

TEST_CASE("validate: EXT-X-SESSION-KEY METHOD is not NONE", "[validate]") {
  expect(check("#EXTM3U\n#EXT-X-SESSION-KEY:METHOD=NONE\n"), diag_code::session_key_method_none, severity::error, 2);
  expect_none(check("#EXTM3U\n#EXT-X-SESSION-KEY:METHOD=AES-128,URI=\"k\"\n"), diag_code::session_key_method_none);
}

TEST_CASE("validate: EXT-X-SESSION-KEY tags are not repeated", "[validate]") {
  const std::string k = "#EXTM3U\n#EXT-X-SESSION-KEY:METHOD=SAMPLE-AES,URI=\"skd://k\",KEYFORMAT=\"com.apple\"\n";
  expect(check(k + "#EXT-X-SESSION-KEY:METHOD=SAMPLE-AES,URI=\"skd://k\",KEYFORMAT=\"com.apple\"\n"),
         diag_code::duplicate_session_key, severity::error, 3);
  expect_none(check(k + "#EXT-X-SESSION-KEY:METHOD=SAMPLE-AES,URI=\"skd://k\",KEYFORMAT=\"com.other\"\n"),
              diag_code::duplicate_session_key);
}

TEST_CASE("validate: STABLE-VARIANT-ID and STABLE-RENDITION-ID characters", "[validate]") {
  expect(check("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,STABLE-VARIANT-ID=\"hd 1080\"\nu.m3u8\n"),
         diag_code::invalid_stable_id, severity::error, 2);
  expect(check("#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",STABLE-RENDITION-ID=\"en:1\"\n"),
         diag_code::invalid_stable_id, severity::error, 2);
  expect(check("#EXTM3U\n#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,URI=\"i\",STABLE-VARIANT-ID=\"i?\"\n"),
         diag_code::invalid_stable_id, severity::error, 2);
  expect_none(check("#EXTM3U\n"
                    "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",STABLE-RENDITION-ID=\"a+b/c=d.e_f-g\"\n"
                    "#EXT-X-STREAM-INF:BANDWIDTH=1,STABLE-VARIANT-ID=\"Video-128\"\nu.m3u8\n"),
              diag_code::invalid_stable_id);
}

TEST_CASE("validate: PATHWAY-ID characters", "[validate]") {
  expect(check("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,PATHWAY-ID=\"cdn/a\"\nu.m3u8\n"), diag_code::invalid_pathway_id,
         severity::error, 2);
  expect(check("#EXTM3U\n#EXT-X-CONTENT-STEERING:SERVER-URI=\"s\",PATHWAY-ID=\"a b\"\n"), diag_code::invalid_pathway_id,
         severity::error, 2);
  expect_none(check("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,PATHWAY-ID=\"CDN-A.1_x\"\nu.m3u8\n"),
              diag_code::invalid_pathway_id);
}

TEST_CASE("validate: EXT-X-CONTENT-STEERING requires SERVER-URI", "[validate]") {
  expect(check("#EXTM3U\n#EXT-X-CONTENT-STEERING:PATHWAY-ID=\".\"\n#EXT-X-STREAM-INF:BANDWIDTH=1\nu.m3u8\n"),
         diag_code::content_steering_missing_server_uri, severity::error, 2);
  expect_none(check(steering_master), diag_code::content_steering_missing_server_uri);
}

TEST_CASE("validate: the EXT-X-CONTENT-STEERING PATHWAY-ID is used by a variant", "[validate]") {
  expect(check(steering_with("PATHWAY-ID=\"A\"\n", "PATHWAY-ID=\"C\"\n")), diag_code::steering_pathway_not_found,
         severity::error, 2);
  expect_none(check(steering_master), diag_code::steering_pathway_not_found);
  // Variants without PATHWAY-ID are on the default pathway ".".
  expect_none(check("#EXTM3U\n#EXT-X-CONTENT-STEERING:SERVER-URI=\"s\",PATHWAY-ID=\".\"\n"
                    "#EXT-X-STREAM-INF:BANDWIDTH=1\nu.m3u8\n"),
              diag_code::steering_pathway_not_found);
}

TEST_CASE("validate: redundant copies of a variant are equivalent", "[validate]") {
  const std::string a = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000,CODECS=\"avc1.4d401e\",ALLOWED-CPC=\"com.x:HW\"\n"
                        "a.m3u8\n";  // 2-3
  expect(check(a + "#EXT-X-STREAM-INF:BANDWIDTH=1000,CODECS=\"avc1.4d401e\"\nb.m3u8\n"),
         diag_code::redundant_variants_differ, severity::warning, 4);
  expect_none(check(a + "#EXT-X-STREAM-INF:BANDWIDTH=1000,CODECS=\"avc1.4d401e\",ALLOWED-CPC=\"com.x:HW\"\nb.m3u8\n"),
              diag_code::redundant_variants_differ);
  // A different key (here RESOLUTION) is a different variant, not a copy.
  expect_none(check(a + "#EXT-X-STREAM-INF:BANDWIDTH=1000,CODECS=\"avc1.4d401e\",RESOLUTION=640x360\nb.m3u8\n"),
              diag_code::redundant_variants_differ);
}

TEST_CASE("validate: every pathway offers every variant", "[validate]") {
  // Pathway B loses its 2000 b/s copy (lines 11-12).
  const auto cut = steering_master.find("#EXT-X-STREAM-INF:BANDWIDTH=2000,AUDIO=\"aud-b\"");
  const std::string text = steering_master.substr(0, cut);
  expect(check(text), diag_code::pathway_missing_variant, severity::warning, 7);
  expect_none(check(steering_master), diag_code::pathway_missing_variant);
}

TEST_CASE("validate: each rendition group belongs to one pathway", "[validate]") {
  expect(check(steering_with("BANDWIDTH=2000,AUDIO=\"aud-b\"", "BANDWIDTH=2000,AUDIO=\"aud-a\"")),
         diag_code::group_on_multiple_pathways, severity::error, 11);
  expect_none(check(steering_master), diag_code::group_on_multiple_pathways);
}

TEST_CASE("validate: every pathway has the same STABLE-VARIANT-IDs", "[validate]") {
  expect(check(steering_with("\"B\",STABLE-VARIANT-ID=\"hi\"", "\"B\",STABLE-VARIANT-ID=\"top\"")),
         diag_code::pathway_stable_variant_ids_differ, severity::warning, 9);
  expect_none(check(steering_master), diag_code::pathway_stable_variant_ids_differ);
}

TEST_CASE("validate: every pathway has the same STABLE-RENDITION-IDs", "[validate]") {
  expect(check(steering_with("\"b/en.m3u8\",STABLE-RENDITION-ID=\"en\"", "\"b/en.m3u8\",STABLE-RENDITION-ID=\"e\"")),
         diag_code::pathway_stable_rendition_ids_differ, severity::warning, 9);
  expect_none(check(steering_master), diag_code::pathway_stable_rendition_ids_differ);
}

TEST_CASE("validate: EXT-X-VERSION covers every feature of a multivariant playlist", "[validate]") {
  struct feature_case {
    const char* what;
    const char* body;  // from line 3, after "#EXT-X-VERSION:<n>" on line 2
    std::uint64_t needed;
  };
  const feature_case cases[] = {
      {"INSTREAM-ID SERVICEn",
       "#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"c\",NAME=\"x\",INSTREAM-ID=\"SERVICE3\"\n", 7},
      {"DEFINE", "#EXT-X-DEFINE:NAME=\"x\",VALUE=\"1\"\n", 8},
      {"QUERYPARAM", "#EXT-X-DEFINE:QUERYPARAM=\"x\"\n", 11},
      {"REQ-VIDEO-LAYOUT", "#EXT-X-STREAM-INF:BANDWIDTH=1,REQ-VIDEO-LAYOUT=\"CH-STEREO\"\n", 12},
      {"INSTREAM-ID on AUDIO", "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"x\",INSTREAM-ID=\"1\"\n", 13},
  };
  for (const auto& c : cases) {
    SECTION(c.what) {
      auto text_at = [&](std::uint64_t version) {
        return "#EXTM3U\n#EXT-X-VERSION:" + std::to_string(version) + "\n" + c.body + "u.m3u8\n";
      };
      expect(check(text_at(c.needed - 1)), diag_code::version_too_low, severity::error, 3);
      expect_none(check(text_at(c.needed)), diag_code::version_too_low);
    }
  }
  expect_none(check("#EXTM3U\n#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"c\",NAME=\"x\",INSTREAM-ID=\"CC1\"\n"),
              diag_code::version_missing);
}

// ---- the corpus ------------------------------------------------------------------

namespace {

std::string corpus_root() {
#ifdef HLSPP_CORPUS_DIR
  return HLSPP_CORPUS_DIR;
#else
  return "../shared/corpus";
#endif
}

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("validate: every corpus file validates with positioned diagnostics", "[validate][corpus]") {
  std::istringstream index(file_text(corpus_root() + "/index.tsv"));
  std::string row;
  std::getline(index, row);  // header
  std::size_t files = 0;
  std::string problems;
  while (std::getline(index, row)) {
    const std::string path = row.substr(0, row.find('\t'));
    if (path.empty()) continue;
    const std::string text = file_text(corpus_root() + "/" + path);
    for (auto level : {hlspp::strictness::lenient, hlspp::strictness::normal}) {
      auto r = hlspp::parse(text, level);
      if (!r) continue;
      const auto diags = hlspp::validate(*r);
      for (const auto& d : diags)
        if (d.line == 0 || d.column != 1) problems += path + ": " + d.to_string() + '\n';
    }
    ++files;
  }
  INFO(problems);
  CHECK(files > 800);
  CHECK(problems.empty());
}
