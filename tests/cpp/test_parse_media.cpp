// SPDX-License-Identifier: MIT
// Media playlist parsing: every tag family into the typed model.
#include <cstdint>
#include <optional>
#include <string>

#include "catch.hpp"
#include "support.hpp"

using hlspp::diag_code;
using hlspp::severity;
using hlspp_test::dump;
using hlspp_test::find_diag;
using hlspp_test::has_diag;
using hlspp_test::has_diag_at;
using hlspp_test::media_of;

TEST_CASE("parse media: header tags", "[parse][media]") {
  const auto pl = media_of(
      "#EXTM3U\n"
      "#EXT-X-VERSION:7\n"
      "#EXT-X-TARGETDURATION:10\n"
      "#EXT-X-MEDIA-SEQUENCE:2680\n"
      "#EXT-X-DISCONTINUITY-SEQUENCE:3\n"
      "#EXT-X-PLAYLIST-TYPE:VOD\n"
      "#EXT-X-INDEPENDENT-SEGMENTS\n"
      "#EXT-X-START:TIME-OFFSET=-4.5,PRECISE=YES\n"
      "#EXTINF:9.009,\n"
      "first.ts\n"
      "#EXT-X-ENDLIST\n");
  CHECK(pl.version == std::optional<std::uint64_t>(7));
  CHECK(pl.target_duration == std::optional<std::uint64_t>(10));
  CHECK(pl.media_sequence == std::optional<std::uint64_t>(2680));
  CHECK(pl.discontinuity_sequence == std::optional<std::uint64_t>(3));
  CHECK(pl.playlist_type == std::optional<std::string>("VOD"));
  CHECK(pl.independent_segments);
  REQUIRE(pl.start.has_value());
  CHECK(pl.start->time_offset == std::optional<double>(-4.5));
  CHECK(pl.start->precise == std::optional<bool>(true));
  CHECK(pl.endlist);
  CHECK_FALSE(pl.i_frames_only);
  REQUIRE(pl.segments.size() == 1);
  CHECK(pl.sequence_number(0) == 2680);
}

TEST_CASE("parse media: defaults when optional header tags are absent", "[parse][media]") {
  const auto pl = media_of("#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6,\na.ts\n#EXTINF:6,\nb.ts\n");
  CHECK_FALSE(pl.version.has_value());
  CHECK_FALSE(pl.media_sequence.has_value());
  CHECK_FALSE(pl.discontinuity_sequence.has_value());
  CHECK_FALSE(pl.playlist_type.has_value());
  CHECK_FALSE(pl.endlist);
  CHECK(pl.sequence_number(1) == 1);
  CHECK(pl.total_duration() == Catch::Approx(12.0));
}

TEST_CASE("parse media: EXTINF duration and a title containing commas", "[parse][media]") {
  const auto pl = media_of(
      "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n"
      "#EXTINF:9.5,Artist, Song, Live\n"
      "a.ts\n"
      "#EXTINF:10,\n"
      "b.ts\n"
      "#EXTINF:4.000,  spaced title \n"
      "c.ts\n");
  REQUIRE(pl.segments.size() == 3);
  CHECK(pl.segments[0].duration == 9.5);
  CHECK(pl.segments[0].title == "Artist, Song, Live");
  CHECK(pl.segments[0].uri == "a.ts");
  CHECK(pl.segments[0].has_extinf);
  CHECK(pl.segments[1].duration == 10.0);
  CHECK(pl.segments[1].title.empty());
  CHECK(pl.segments[2].duration == 4.0);
  CHECK(pl.segments[2].title == "  spaced title ");
}

TEST_CASE("parse media: EXTINF errors", "[parse][media][diag]") {
  SECTION("invalid duration") {
    auto r = hlspp_test::parse_at("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:ten,\na.ts\n");
    REQUIRE(r.ok());
    // "#EXTINF:" is 8 bytes: the value starts at column 9.
    CHECK(has_diag_at(r.diagnostics(), diag_code::invalid_attribute_value, 3, 9));
    CHECK(has_diag_at(r.diagnostics(), diag_code::missing_extinf, 4, 1));
    REQUIRE(r->media().segments.size() == 1);
    CHECK_FALSE(r->media().segments[0].has_extinf);
  }
  SECTION("segment without EXTINF") {
    auto r = hlspp_test::parse_at("#EXTM3U\n#EXT-X-TARGETDURATION:10\na.ts\n");
    REQUIRE(r.ok());
    CHECK(has_diag_at(r.diagnostics(), diag_code::missing_extinf, 3, 1));
    CHECK_FALSE(r->media().segments.at(0).has_extinf);
  }
  SECTION("negative duration") {
    auto r = hlspp_test::parse_at("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:-1,\na.ts\n");
    REQUIRE(r.ok());
    CHECK(has_diag_at(r.diagnostics(), diag_code::negative_duration, 3, 9));
  }
  SECTION("missing comma is a warning") {
    auto r = hlspp_test::parse_at("#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10\na.ts\n");
    REQUIRE(r.ok());
    const auto* d = find_diag(r.diagnostics(), diag_code::malformed_tag);
    REQUIRE(d != nullptr);
    CHECK(d->severity == severity::warning);
    CHECK(d->line == 3);
    CHECK(r->media().segments.at(0).duration == 10.0);
  }
  SECTION("duration over the target duration") {
    auto r = hlspp_test::parse_at("#EXTM3U\n#EXT-X-TARGETDURATION:5\n#EXTINF:5,\na.ts\n#EXTINF:6,\nb.ts\n");
    REQUIRE(r.ok());
    CHECK(has_diag_at(r.diagnostics(), diag_code::extinf_exceeds_target_duration, 5, 1));
  }
  SECTION("a rounded duration within the target is fine from version 6") {
    auto r = hlspp_test::parse_at("#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:5\n#EXTINF:5.4,\na.ts\n");
    REQUIRE(r.ok());
    INFO(dump(r.diagnostics()));
    CHECK_FALSE(has_diag(r.diagnostics(), diag_code::extinf_exceeds_target_duration));
  }
}

TEST_CASE("parse media: EXT-X-BYTERANGE with and without offset", "[parse][media]") {
  auto r = hlspp_test::parse_at(
      "#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-TARGETDURATION:10\n"
      "#EXTINF:10,\n#EXT-X-BYTERANGE:75232@0\nmedia.ts\n"
      "#EXTINF:10,\n#EXT-X-BYTERANGE:82112\nmedia.ts\n"
      "#EXTINF:10,\nplain.ts\n");
  REQUIRE(r.ok());
  INFO(dump(r.diagnostics()));
  CHECK_FALSE(has_diag(r.diagnostics(), diag_code::byterange_without_offset));
  const auto& pl = r->media();
  REQUIRE(pl.segments.size() == 3);
  REQUIRE(pl.segments[0].byterange.has_value());
  CHECK(pl.segments[0].byterange->length == 75232);
  CHECK(pl.segments[0].byterange->offset == std::optional<std::uint64_t>(0));
  REQUIRE(pl.segments[1].byterange.has_value());
  CHECK(pl.segments[1].byterange->length == 82112);
  CHECK_FALSE(pl.segments[1].byterange->offset.has_value());
  CHECK_FALSE(pl.segments[2].byterange.has_value());

  SECTION("without an offset and without a previous sub-range of the same resource") {
    auto bad = hlspp_test::parse_at(
        "#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-TARGETDURATION:10\n"
        "#EXTINF:10,\n#EXT-X-BYTERANGE:100@0\na.ts\n"
        "#EXTINF:10,\n#EXT-X-BYTERANGE:100\nb.ts\n");
    REQUIRE(bad.ok());
    CHECK(has_diag_at(bad.diagnostics(), diag_code::byterange_without_offset, 9, 1));
  }
  SECTION("invalid byte range") {
    auto bad = hlspp_test::parse_at(
        "#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n#EXT-X-BYTERANGE:12@x\na.ts\n");
    REQUIRE(bad.ok());
    // "#EXT-X-BYTERANGE:" is 17 bytes: the value starts at column 18.
    CHECK(has_diag_at(bad.diagnostics(), diag_code::invalid_attribute_value, 5, 18));
    CHECK_FALSE(bad->media().segments.at(0).byterange.has_value());
  }
  SECTION("version below 4") {
    auto low = hlspp_test::parse_at(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n#EXT-X-BYTERANGE:1@0\na.ts\n");
    REQUIRE(low.ok());
    CHECK(has_diag_at(low.diagnostics(), diag_code::version_too_low, 5, 1));
  }
}

TEST_CASE("parse media: DISCONTINUITY, GAP and BITRATE belong to the next segment", "[parse][media]") {
  const auto pl = media_of(
      "#EXTM3U\n#EXT-X-TARGETDURATION:10\n"
      "#EXTINF:10,\na.ts\n"
      "#EXT-X-DISCONTINUITY\n#EXT-X-BITRATE:1500\n#EXTINF:10,\nb.ts\n"
      "#EXT-X-GAP\n#EXTINF:10,\nc.ts\n");
  REQUIRE(pl.segments.size() == 3);
  CHECK_FALSE(pl.segments[0].discontinuity);
  CHECK_FALSE(pl.segments[0].bitrate.has_value());
  CHECK(pl.segments[1].discontinuity);
  CHECK(pl.segments[1].bitrate == std::optional<std::uint64_t>(1500));
  CHECK_FALSE(pl.segments[1].gap);
  CHECK(pl.segments[2].gap);
  CHECK_FALSE(pl.segments[2].discontinuity);
  CHECK_FALSE(pl.segments[2].bitrate.has_value());
}

TEST_CASE("parse media: EXT-X-KEY with every attribute, and the keys in effect", "[parse][media]") {
  const auto pl = media_of(
      "#EXTM3U\n#EXT-X-VERSION:5\n#EXT-X-TARGETDURATION:10\n"
      "#EXT-X-KEY:METHOD=AES-128,URI=\"https://keys.example/k1\",IV=0x0123456789ABCDEF0123456789abcdef,"
      "KEYFORMAT=\"identity\",KEYFORMATVERSIONS=\"1\"\n"
      "#EXTINF:10,\na.ts\n"
      "#EXTINF:10,\nb.ts\n"
      "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"skd://a\",KEYFORMAT=\"com.apple.streamingkeydelivery\","
      "KEYFORMATVERSIONS=\"1\"\n"
      "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"data:text/plain;base64,AAAA\",KEYFORMAT=\"urn:uuid:edef8ba9\"\n"
      "#EXTINF:10,\nc.ts\n"
      "#EXT-X-KEY:METHOD=NONE\n"
      "#EXTINF:10,\nd.ts\n");
  REQUIRE(pl.segments.size() == 4);
  REQUIRE(pl.segments[0].keys.size() == 1);
  const auto& k = pl.segments[0].keys[0];
  CHECK(k.method == std::optional<std::string>("AES-128"));
  CHECK(k.uri == std::optional<std::string>("https://keys.example/k1"));
  CHECK(k.iv == std::optional<std::string>("0x0123456789ABCDEF0123456789abcdef"));
  CHECK(k.keyformat == std::optional<std::string>("identity"));
  CHECK(k.keyformatversions == std::optional<std::string>("1"));
  CHECK(pl.segments[1].keys.empty());
  REQUIRE(pl.segments[2].keys.size() == 2);
  CHECK(pl.segments[2].keys[1].uri == std::optional<std::string>("data:text/plain;base64,AAAA"));
  REQUIRE(pl.segments[3].keys.size() == 1);
  CHECK(pl.segments[3].keys[0].method == std::optional<std::string>("NONE"));

  REQUIRE(pl.effective_keys(1) != nullptr);
  CHECK(pl.effective_keys(1) == &pl.segments[0].keys.as_vector());
  CHECK(pl.effective_keys(2)->size() == 2);
  CHECK(pl.effective_keys(3) == &pl.segments[3].keys.as_vector());
}

TEST_CASE("parse media: EXT-X-KEY rules", "[parse][media][diag]") {
  const std::string head = "#EXTM3U\n#EXT-X-VERSION:5\n#EXT-X-TARGETDURATION:10\n";
  // "#EXT-X-KEY:" is 11 bytes: the list starts at column 12.
  SECTION("METHOD is required") {
    auto r = hlspp_test::parse_at(head + "#EXT-X-KEY:URI=\"k\"\n#EXTINF:10,\na.ts\n");
    REQUIRE(r.ok());
    CHECK(has_diag_at(r.diagnostics(), diag_code::missing_attribute, 4, 12));
  }
  SECTION("URI is required unless NONE") {
    auto r = hlspp_test::parse_at(head + "#EXT-X-KEY:METHOD=AES-128\n#EXTINF:10,\na.ts\n");
    REQUIRE(r.ok());
    CHECK(has_diag_at(r.diagnostics(), diag_code::missing_attribute, 4, 12));
  }
  SECTION("NONE takes no other attribute") {
    auto r = hlspp_test::parse_at(head + "#EXT-X-KEY:METHOD=NONE,URI=\"k\"\n#EXTINF:10,\na.ts\n");
    REQUIRE(r.ok());
    CHECK(has_diag_at(r.diagnostics(), diag_code::attribute_not_allowed, 4, 12));
  }
  SECTION("an IV needs version 2") {
    auto r = hlspp_test::parse_at(
        "#EXTM3U\n#EXT-X-VERSION:1\n#EXT-X-TARGETDURATION:10\n"
        "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x1\n#EXTINF:10,\na.ts\n");
    REQUIRE(r.ok());
    CHECK(has_diag_at(r.diagnostics(), diag_code::version_too_low, 4, 1));
  }
}

TEST_CASE("parse media: EXT-X-MAP with BYTERANGE and the map in effect", "[parse][media]") {
  const auto pl = media_of(
      "#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:4\n"
      "#EXT-X-MAP:URI=\"main.mp4\",BYTERANGE=\"720@0\"\n"
      "#EXTINF:4,\n#EXT-X-BYTERANGE:1000@720\nmain.mp4\n"
      "#EXTINF:4,\n#EXT-X-BYTERANGE:1000\nmain.mp4\n"
      "#EXT-X-MAP:URI=\"init2.mp4\"\n"
      "#EXTINF:4,\nother.mp4\n");
  REQUIRE(pl.segments.size() == 3);
  REQUIRE(pl.segments[0].map.has_value());
  CHECK(pl.segments[0].map->uri == std::optional<std::string>("main.mp4"));
  REQUIRE(pl.segments[0].map->byterange.has_value());
  CHECK(pl.segments[0].map->byterange->length == 720);
  CHECK(pl.segments[0].map->byterange->offset == std::optional<std::uint64_t>(0));
  CHECK_FALSE(pl.segments[1].map.has_value());
  REQUIRE(pl.segments[2].map.has_value());
  CHECK_FALSE(pl.segments[2].map->byterange.has_value());
  CHECK(pl.effective_map(1) == &*pl.segments[0].map);
  CHECK(pl.effective_map(2)->uri == std::optional<std::string>("init2.mp4"));

  SECTION("MAP without URI") {
    auto r = hlspp_test::parse_at(
        "#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:BYTERANGE=\"1@0\"\n#EXTINF:4,\na\n");
    REQUIRE(r.ok());
    // "#EXT-X-MAP:" is 11 bytes.
    CHECK(has_diag_at(r.diagnostics(), diag_code::missing_attribute, 4, 12));
  }
  SECTION("MAP needs version 6") {
    auto r = hlspp_test::parse_at(
        "#EXTM3U\n#EXT-X-VERSION:5\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI=\"i\"\n#EXTINF:4,\na\n");
    REQUIRE(r.ok());
    CHECK(has_diag_at(r.diagnostics(), diag_code::version_too_low, 4, 1));
  }
}

TEST_CASE("parse media: EXT-X-PROGRAM-DATE-TIME and date_time::epoch_seconds", "[parse][media]") {
  const auto pl = media_of(
      "#EXTM3U\n#EXT-X-TARGETDURATION:10\n"
      "#EXT-X-PROGRAM-DATE-TIME:2020-01-01T00:00:00Z\n#EXTINF:10,\na.ts\n"
      "#EXT-X-PROGRAM-DATE-TIME:2010-02-19T14:54:23.031+08:00\n#EXTINF:10,\nb.ts\n"
      "#EXT-X-PROGRAM-DATE-TIME:2021-06-15T12:00:00.500+02:00\n#EXTINF:10,\nc.ts\n"
      "#EXTINF:10,\nd.ts\n");
  REQUIRE(pl.segments.size() == 4);
  REQUIRE(pl.segments[0].program_date_time.has_value());
  CHECK(pl.segments[0].program_date_time->text == "2020-01-01T00:00:00Z");
  CHECK(pl.segments[0].program_date_time->epoch_seconds() == std::optional<double>(1577836800.0));
  REQUIRE(pl.segments[1].program_date_time.has_value());
  CHECK(pl.segments[1].program_date_time->text == "2010-02-19T14:54:23.031+08:00");
  CHECK(*pl.segments[1].program_date_time->epoch_seconds() == Catch::Approx(1266562463.031).margin(1e-6));
  CHECK(*pl.segments[2].program_date_time->epoch_seconds() == Catch::Approx(1623751200.5).margin(1e-6));
  CHECK_FALSE(pl.segments[3].program_date_time.has_value());

  SECTION("epoch_seconds forms") {
    auto at = [](const char* text) { return hlspp::date_time{text}.epoch_seconds(); };
    CHECK(at("1970-01-01T00:00:00Z") == std::optional<double>(0.0));
    CHECK(at("1970-01-01T00:00:00") == std::optional<double>(0.0));  // no zone: UTC
    CHECK(at("1970-01-01T02:00:00+02:00") == std::optional<double>(0.0));
    CHECK(at("1970-01-01T02:00:00+0200") == std::optional<double>(0.0));
    CHECK(at("1970-01-01T02:00:00+02") == std::optional<double>(0.0));
    CHECK(at("1969-12-31T23:00:00-01:00") == std::optional<double>(0.0));
    CHECK(*at("1970-01-01T00:00:01.25Z") == Catch::Approx(1.25));
    CHECK(at("2000-02-29T00:00:00Z") == std::optional<double>(951782400.0));
    CHECK_FALSE(at("").has_value());
    CHECK_FALSE(at("2020-01-01").has_value());
    CHECK_FALSE(at("2020-13-01T00:00:00Z").has_value());
    CHECK_FALSE(at("2020-01-01T24:00:00Z").has_value());
    CHECK_FALSE(at("2020-01-01T00:00:00.Z").has_value());
    CHECK_FALSE(at("2020-01-01T00:00:00Q").has_value());
    CHECK_FALSE(at("2020-01-01T00:00:00Z ").has_value());
  }
  SECTION("an invalid date is reported and kept") {
    auto r = hlspp_test::parse_at(
        "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-PROGRAM-DATE-TIME:yesterday\n#EXTINF:10,\na.ts\n");
    REQUIRE(r.ok());
    // "#EXT-X-PROGRAM-DATE-TIME:" is 25 bytes.
    CHECK(has_diag_at(r.diagnostics(), diag_code::invalid_attribute_value, 3, 26));
    REQUIRE(r->media().segments.at(0).program_date_time.has_value());
    CHECK(r->media().segments.at(0).program_date_time->text == "yesterday");
  }
}

TEST_CASE("parse media: EXT-X-I-FRAMES-ONLY and ALLOW-CACHE (removed tag)", "[parse][media]") {
  auto r = hlspp_test::parse_at(
      "#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-TARGETDURATION:10\n#EXT-X-I-FRAMES-ONLY\n#EXT-X-ALLOW-CACHE:NO\n"
      "#EXTINF:10,\n#EXT-X-BYTERANGE:100@0\na.ts\n");
  REQUIRE(r.ok());
  const auto& pl = r->media();
  CHECK(pl.i_frames_only);
  CHECK(pl.allow_cache == std::optional<std::string>("NO"));
  const auto* removed = find_diag(r.diagnostics(), diag_code::removed_tag);
  REQUIRE(removed != nullptr);
  CHECK(removed->severity == severity::warning);
  CHECK(removed->line == 5);
  CHECK(removed->column == 1);
}

TEST_CASE("parse media: EXT-X-PLAYLIST-TYPE values", "[parse][media]") {
  CHECK(media_of("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-PLAYLIST-TYPE:EVENT\n").playlist_type ==
        std::optional<std::string>("EVENT"));
  auto r = hlspp_test::parse_at("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-PLAYLIST-TYPE:LIVE\n");
  REQUIRE(r.ok());
  // "#EXT-X-PLAYLIST-TYPE:" is 21 bytes.
  CHECK(has_diag_at(r.diagnostics(), diag_code::invalid_attribute_value, 3, 22));
  CHECK_FALSE(r->media().playlist_type.has_value());
  REQUIRE(r->media().extras.size() == 1);
  CHECK(r->media().extras[0].type == hlspp::extra_line::kind::verbatim);
  CHECK(r->media().extras[0].text == "#EXT-X-PLAYLIST-TYPE:LIVE");
}

TEST_CASE("parse media: MEDIA-SEQUENCE and DISCONTINUITY-SEQUENCE after a segment", "[parse][media][diag]") {
  auto r = hlspp_test::parse_at(
      "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\na.ts\n#EXT-X-MEDIA-SEQUENCE:4\n"
      "#EXT-X-DISCONTINUITY\n#EXTINF:10,\nb.ts\n#EXT-X-DISCONTINUITY-SEQUENCE:1\n");
  REQUIRE(r.ok());
  CHECK(has_diag_at(r.diagnostics(), diag_code::tag_after_segment, 5, 1));
  CHECK(has_diag_at(r.diagnostics(), diag_code::tag_after_segment, 9, 1));
  CHECK(r->media().media_sequence == std::optional<std::uint64_t>(4));
}

TEST_CASE("parse media: LL-HLS PART-INF, SERVER-CONTROL, PART, PRELOAD-HINT, RENDITION-REPORT",
          "[parse][media][llhls]") {
  const auto pl = media_of(
      "#EXTM3U\n"
      "#EXT-X-VERSION:9\n"
      "#EXT-X-TARGETDURATION:4\n"
      "#EXT-X-PART-INF:PART-TARGET=1.002\n"
      "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=24.0,CAN-SKIP-DATERANGES=YES,"
      "HOLD-BACK=12.0,PART-HOLD-BACK=3.1\n"
      "#EXT-X-MEDIA-SEQUENCE:266\n"
      "#EXTINF:4.00008,\n"
      "fileSequence266.mp4\n"
      "#EXT-X-PART:DURATION=1.00001,URI=\"filePart267.0.mp4\",INDEPENDENT=YES\n"
      "#EXT-X-PART:DURATION=1.00001,URI=\"filePart267.1.mp4\",BYTERANGE=\"1000@0\"\n"
      "#EXT-X-PART:DURATION=1.00001,URI=\"filePart267.2.mp4\",GAP=YES\n"
      "#EXTINF:4.00008,\n"
      "fileSequence267.mp4\n"
      "#EXT-X-PART:DURATION=1.00001,URI=\"filePart268.0.mp4\",INDEPENDENT=YES\n"
      "#EXT-X-PART:DURATION=1.00001,URI=\"filePart268.1.mp4\"\n"
      "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"filePart268.2.mp4\",BYTERANGE-START=0,BYTERANGE-LENGTH=5000\n"
      "#EXT-X-RENDITION-REPORT:URI=\"../1M/waitForMSN.php\",LAST-MSN=268,LAST-PART=1\n"
      "#EXT-X-RENDITION-REPORT:URI=\"../4M/waitForMSN.php\",LAST-MSN=268,LAST-PART=1\n");
  REQUIRE(pl.part_inf.has_value());
  CHECK(pl.part_inf->part_target == std::optional<double>(1.002));
  REQUIRE(pl.server_control.has_value());
  CHECK(pl.server_control->can_block_reload == std::optional<bool>(true));
  CHECK(pl.server_control->can_skip_until == std::optional<double>(24.0));
  CHECK(pl.server_control->can_skip_dateranges == std::optional<bool>(true));
  CHECK(pl.server_control->hold_back == std::optional<double>(12.0));
  CHECK(pl.server_control->part_hold_back == std::optional<double>(3.1));

  REQUIRE(pl.segments.size() == 2);
  CHECK(pl.segments[0].parts.empty());
  REQUIRE(pl.segments[1].parts.size() == 3);
  const auto& p0 = pl.segments[1].parts[0];
  CHECK(p0.duration == std::optional<double>(1.00001));
  CHECK(p0.uri == std::optional<std::string>("filePart267.0.mp4"));
  CHECK(p0.independent == std::optional<bool>(true));
  CHECK_FALSE(p0.gap.has_value());
  REQUIRE(pl.segments[1].parts[1].byterange.has_value());
  CHECK(pl.segments[1].parts[1].byterange->length == 1000);
  CHECK(pl.segments[1].parts[1].byterange->offset == std::optional<std::uint64_t>(0));
  CHECK(pl.segments[1].parts[2].gap == std::optional<bool>(true));

  // Parts of the segment still being produced sit in `trailing`.
  CHECK(pl.trailing.uri.empty());
  CHECK_FALSE(pl.trailing.has_extinf);
  REQUIRE(pl.trailing.parts.size() == 2);
  CHECK(pl.trailing.parts[0].uri == std::optional<std::string>("filePart268.0.mp4"));
  CHECK(pl.trailing.parts[1].uri == std::optional<std::string>("filePart268.1.mp4"));

  REQUIRE(pl.preload_hints.size() == 1);
  CHECK(pl.preload_hints[0].type == std::optional<std::string>("PART"));
  CHECK(pl.preload_hints[0].uri == std::optional<std::string>("filePart268.2.mp4"));
  CHECK(pl.preload_hints[0].byterange_start == std::optional<std::uint64_t>(0));
  CHECK(pl.preload_hints[0].byterange_length == std::optional<std::uint64_t>(5000));

  REQUIRE(pl.rendition_reports.size() == 2);
  CHECK(pl.rendition_reports[0].uri == std::optional<std::string>("../1M/waitForMSN.php"));
  CHECK(pl.rendition_reports[0].last_msn == std::optional<std::uint64_t>(268));
  CHECK(pl.rendition_reports[0].last_part == std::optional<std::uint64_t>(1));
  CHECK(pl.rendition_reports[1].uri == std::optional<std::string>("../4M/waitForMSN.php"));
}

TEST_CASE("parse media: LL-HLS rules", "[parse][media][llhls][diag]") {
  SECTION("PART without PART-INF") {
    auto r = hlspp_test::parse_at(
        "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-PART:DURATION=1,URI=\"p\"\n#EXTINF:4,\na\n");
    REQUIRE(r.ok());
    CHECK(has_diag_at(r.diagnostics(), diag_code::part_without_part_inf, 3, 1));
  }
  SECTION("PART requires URI and DURATION") {
    auto r = hlspp_test::parse_at(
        "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-PART-INF:PART-TARGET=1\n#EXT-X-PART:DURATION=1\n");
    REQUIRE(r.ok());
    // "#EXT-X-PART:" is 12 bytes.
    CHECK(has_diag_at(r.diagnostics(), diag_code::missing_attribute, 4, 13));
  }
  SECTION("PRELOAD-HINT with ENDLIST") {
    auto r = hlspp_test::parse_at(
        "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\na\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p\"\n"
        "#EXT-X-ENDLIST\n");
    REQUIRE(r.ok());
    CHECK(has_diag_at(r.diagnostics(), diag_code::preload_hint_with_endlist, 5, 1));
  }
  SECTION("PART-INF requires PART-TARGET") {
    auto r = hlspp_test::parse_at("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-PART-INF:X-FOO=1\n");
    REQUIRE(r.ok());
    // "#EXT-X-PART-INF:" is 16 bytes.
    CHECK(has_diag_at(r.diagnostics(), diag_code::missing_attribute, 3, 17));
  }
}

TEST_CASE("parse media: EXT-X-SKIP", "[parse][media][llhls]") {
  auto r = hlspp_test::parse_at(
      "#EXTM3U\n#EXT-X-VERSION:10\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:10\n"
      "#EXT-X-SKIP:SKIPPED-SEGMENTS=3,RECENTLY-REMOVED-DATERANGES=\"a\tb\"\n"
      "#EXTINF:4,\nd.ts\n");
  INFO(dump(r.diagnostics()));
  REQUIRE(r.ok());
  const auto& pl = r->media();
  REQUIRE(pl.skip.has_value());
  CHECK(pl.skip->skipped_segments == std::optional<std::uint64_t>(3));
  CHECK(pl.skip->recently_removed_dateranges == std::optional<std::string>("a\tb"));
  CHECK_FALSE(has_diag(r.diagnostics(), diag_code::tag_after_segment));

  SECTION("without SKIPPED-SEGMENTS, below version 9") {
    auto bad = hlspp_test::parse_at(
        "#EXTM3U\n#EXT-X-VERSION:8\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\nd.ts\n#EXT-X-SKIP:X-A=1\n");
    REQUIRE(bad.ok());
    CHECK(has_diag_at(bad.diagnostics(), diag_code::missing_attribute, 6, 13));
    CHECK(has_diag_at(bad.diagnostics(), diag_code::version_too_low, 6, 1));
  }
}

TEST_CASE("parse media: several DATERANGEs, one after the last segment, X- attributes in `other`",
          "[parse][media][daterange]") {
  auto r = hlspp_test::parse_at(
      "#EXTM3U\n#EXT-X-TARGETDURATION:10\n"
      "#EXT-X-PROGRAM-DATE-TIME:2020-01-01T00:00:00.000Z\n"
      "#EXT-X-DATERANGE:ID=\"splice-1\",CLASS=\"com.example.ad\",START-DATE=\"2020-01-01T00:00:00.000Z\","
      "DURATION=30.5,PLANNED-DURATION=30,X-COM-EXAMPLE-AD-ID=\"XYZ\",X-NUM=-1.5,SCTE35-OUT=0xFC30\n"
      "#EXT-X-DATERANGE:ID=\"splice-1\",END-DATE=\"2020-01-01T00:00:30.500Z\",SCTE35-IN=0xFC31\n"
      "#EXTINF:10,\na.ts\n"
      "#EXTINF:10,\nb.ts\n"
      "#EXT-X-DATERANGE:ID=\"next\",CLASS=\"com.example.chapter\",START-DATE=\"2020-01-01T00:00:20Z\","
      "CUE=\"PRE,ONCE\",END-ON-NEXT=YES,SCTE35-CMD=0xAB\n");
  INFO(dump(r.diagnostics()));
  REQUIRE(r.ok());
  CHECK_FALSE(has_diag(r.diagnostics(), diag_code::daterange_without_program_date_time));
  CHECK_FALSE(has_diag(r.diagnostics(), diag_code::unknown_attribute));
  const auto& pl = r->media();
  REQUIRE(pl.segments.size() == 2);
  REQUIRE(pl.segments[0].dateranges.size() == 2);
  const auto& d0 = pl.segments[0].dateranges[0];
  CHECK(d0.id == std::optional<std::string>("splice-1"));
  CHECK(d0.class_name == std::optional<std::string>("com.example.ad"));
  REQUIRE(d0.start_date.has_value());
  CHECK(d0.start_date->text == "2020-01-01T00:00:00.000Z");
  CHECK(d0.start_date->epoch_seconds() == std::optional<double>(1577836800.0));
  CHECK(d0.duration == std::optional<double>(30.5));
  CHECK(d0.planned_duration == std::optional<double>(30.0));
  CHECK(d0.scte35_out == std::optional<std::string>("0xFC30"));
  REQUIRE(d0.other.size() == 2);
  CHECK(d0.other[0] == hlspp::attribute{"X-COM-EXAMPLE-AD-ID", "\"XYZ\""});
  CHECK(d0.other[1] == hlspp::attribute{"X-NUM", "-1.5"});
  REQUIRE(d0.client_attribute("X-COM-EXAMPLE-AD-ID") != nullptr);
  CHECK(d0.client_attribute("X-COM-EXAMPLE-AD-ID")->unquoted() == "XYZ");
  CHECK(d0.client_attribute("X-MISSING") == nullptr);
  const auto& d1 = pl.segments[0].dateranges[1];
  REQUIRE(d1.end_date.has_value());
  CHECK(d1.end_date->text == "2020-01-01T00:00:30.500Z");
  CHECK(d1.scte35_in == std::optional<std::string>("0xFC31"));
  CHECK(pl.segments[1].dateranges.empty());

  REQUIRE(pl.trailing.dateranges.size() == 1);
  const auto& t = pl.trailing.dateranges[0];
  CHECK(t.id == std::optional<std::string>("next"));
  CHECK(t.cue == std::optional<std::string>("PRE,ONCE"));
  CHECK(t.end_on_next == std::optional<bool>(true));
  CHECK(t.scte35_cmd == std::optional<std::string>("0xAB"));
  CHECK(pl.trailing.uri.empty());

  SECTION("DATERANGE without ID, and without any PROGRAM-DATE-TIME") {
    auto bad = hlspp_test::parse_at(
        "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-DATERANGE:START-DATE=\"2020-01-01T00:00:00Z\"\n"
        "#EXTINF:10,\na.ts\n");
    REQUIRE(bad.ok());
    // "#EXT-X-DATERANGE:" is 17 bytes.
    CHECK(has_diag_at(bad.diagnostics(), diag_code::missing_attribute, 3, 18));
    CHECK(has_diag_at(bad.diagnostics(), diag_code::daterange_without_program_date_time, 3, 1));
  }
}

TEST_CASE("parse media: unknown tags, comments and blank lines attach to the next segment",
          "[parse][media][extras]") {
  auto r = hlspp_test::parse_at(
      "#EXTM3U\n"
      "# playlist comment\n"
      "#EXT-X-TARGETDURATION:10\n"
      "#EXT-X-CUSTOM:a=1\n"
      "\n"
      "# segment comment\n"
      "#EXTINF:10,\n"
      "a.ts\n"
      "#EXTINF:10,\n"
      "#EXT-X-INSIDE\n"
      "b.ts\n"
      "\n"
      "#EXT-X-ENDLIST\n"
      "# tail\n");
  REQUIRE(r.ok());
  const auto* unknown = find_diag(r.diagnostics(), diag_code::unknown_tag);
  REQUIRE(unknown != nullptr);
  CHECK(unknown->severity == severity::info);
  CHECK(unknown->line == 4);
  CHECK(unknown->column == 1);
  const auto& pl = r->media();
  using kind = hlspp::extra_line::kind;
  REQUIRE(pl.segments.size() == 2);
  // Lines before a playlist-level tag stay at the playlist level.
  REQUIRE(pl.extras.size() == 3);
  CHECK(pl.extras[0] == hlspp::extra_line{kind::comment, "# playlist comment"});
  CHECK(pl.extras[1] == hlspp::extra_line{kind::blank, ""});
  CHECK(pl.extras[2] == hlspp::extra_line{kind::comment, "# tail"});
  // Lines before a segment's first tag belong to that segment.
  REQUIRE(pl.segments[0].extras.size() == 3);
  CHECK(pl.segments[0].extras[0] == hlspp::extra_line{kind::unknown_tag, "#EXT-X-CUSTOM:a=1"});
  CHECK(pl.segments[0].extras[0].tag_name() == "#EXT-X-CUSTOM");
  CHECK(pl.segments[0].extras[0].tag_value() == "a=1");
  CHECK(pl.segments[0].extras[1] == hlspp::extra_line{kind::blank, ""});
  CHECK(pl.segments[0].extras[2] == hlspp::extra_line{kind::comment, "# segment comment"});
  REQUIRE(pl.segments[1].extras.size() == 1);
  CHECK(pl.segments[1].extras[0].type == kind::unknown_tag);
  CHECK(pl.segments[1].extras[0].tag_name() == "#EXT-X-INSIDE");
  CHECK(pl.segments[1].extras[0].tag_value().empty());
  CHECK(pl.trailing.extras.empty());
}

TEST_CASE("parse media: duplicated playlist tags are kept verbatim where they stood", "[parse][media][diag]") {
  auto r = hlspp_test::parse_at(
      "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXT-X-VERSION:3\n#EXT-X-VERSION:4\n#EXTINF:10,\na.ts\n"
      "#EXT-X-ENDLIST\n#EXT-X-ENDLIST\n");
  REQUIRE(r.ok());
  CHECK(has_diag_at(r.diagnostics(), diag_code::duplicate_tag, 4, 1));
  CHECK(has_diag_at(r.diagnostics(), diag_code::duplicate_tag, 8, 1));
  const auto& pl = r->media();
  CHECK(pl.version == std::optional<std::uint64_t>(3));
  REQUIRE(pl.extras.size() == 2);
  CHECK(pl.extras[0] == hlspp::extra_line{hlspp::extra_line::kind::verbatim, "#EXT-X-VERSION:4"});
  CHECK(pl.extras[1] == hlspp::extra_line{hlspp::extra_line::kind::verbatim, "#EXT-X-ENDLIST"});
}

TEST_CASE("parse media: a bare list of URIs is a media playlist", "[parse][media]") {
  auto r = hlspp_test::parse_at("#EXTM3U\na.ts\nb.ts\n");
  REQUIRE(r.ok());
  REQUIRE(r->is_media());
  CHECK(r->media().segments.size() == 2);
  CHECK(has_diag(r.diagnostics(), diag_code::missing_target_duration));
  CHECK(has_diag_at(r.diagnostics(), diag_code::missing_extinf, 2, 1));
}

TEST_CASE("parse media: a TARGETDURATION with a fraction is read rounded up, with a warning",
          "[parse][media]") {
  auto r = hlspp_test::parse_at("#EXTM3U\n#EXT-X-TARGETDURATION:5.2\n#EXTINF:5,\na.ts\n");
  REQUIRE(r.ok());
  CHECK(r->media().target_duration == std::optional<std::uint64_t>(6));
  const auto* d = find_diag(r.diagnostics(), diag_code::invalid_attribute_value);
  REQUIRE(d != nullptr);
  CHECK(d->severity == severity::warning);
  CHECK(d->line == 2);
  CHECK(d->column == 23);
}

TEST_CASE("parse media: expected_kind", "[parse][media]") {
  hlspp::parse_options o;
  o.expected_kind = hlspp::playlist_kind::master;
  auto r = hlspp::parse("#EXTM3U\n#EXT-X-TARGETDURATION:1\n", o);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == diag_code::wrong_playlist_kind);
  o.expected_kind = hlspp::playlist_kind::media;
  CHECK(hlspp::parse("#EXTM3U\n#EXT-X-TARGETDURATION:1\n", o).ok());
}
