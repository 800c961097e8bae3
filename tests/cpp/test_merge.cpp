// merge(): N origins' master playlists into one redundant or content-steered master.
#include <hlspp/hlspp.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string data(const std::string& name) { return read_file(std::string(HLSPP_TEST_DATA_DIR) + "/" + name); }

hlspp::master_playlist master(const std::string& text) {
  auto parsed = hlspp::parse(text);
  REQUIRE(parsed.ok());
  REQUIRE(parsed->is_master());
  return parsed->master();
}

const char* region_one = "https://d1q747mcnm9q46.cloudfront.net/out/v1/f53b2dd7810e43f4a05bffec4aa5c7a1/index.m3u8";
const char* region_two = "https://d3623mp9gw7c0l.cloudfront.net/out/v1/3889cc3066c34b11ad01a1be071fb09a/index.m3u8";

const char* ladder_with_audio = R"(#EXTM3U
#EXT-X-VERSION:6
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-SESSION-DATA:DATA-ID="com.example.title",VALUE="Live"
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="English",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,URI="audio/en.m3u8"
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="Deutsch",LANGUAGE="de",DEFAULT=NO,AUTOSELECT=YES,URI="audio/de.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=2000000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,AUDIO="aac",CLOSED-CAPTIONS=NONE
hd/index.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=800000,CODECS="avc1.64001e,mp4a.40.2",RESOLUTION=640x360,AUDIO="aac",CLOSED-CAPTIONS=NONE
sd/index.m3u8
#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=200000,CODECS="avc1.64001f",RESOLUTION=1280x720,URI="hd/iframes.m3u8"
)";

std::vector<hlspp::merge_origin> two_origins(const std::string& text) {
  return {{master(text), "https://one.example.com/live/master.m3u8", ""},
          {master(text), "https://two.example.com/live/master.m3u8", ""}};
}

}  // namespace

TEST_CASE("merge: the seed's two regions give the seed's merged playlist byte for byte", "[merge]") {
  std::vector<hlspp::merge_origin> origins = {{master(data("seed/region-one.m3u8")), region_one, ""},
                                              {master(data("seed/region-two.m3u8")), region_two, ""}};
  auto merged = hlspp::merge(origins);
  REQUIRE(merged.ok());
  CHECK_FALSE(hlspp::has_errors(merged.diagnostics()));
  CHECK(hlspp::to_string(*merged) == data("seed/merged.m3u8"));
  CHECK_FALSE(hlspp::has_errors(hlspp::validate(*merged)));
}

TEST_CASE("merge: redundant mode interleaves copies and renames rendition groups", "[merge]") {
  auto merged = hlspp::merge(two_origins(ladder_with_audio));
  REQUIRE(merged.ok());
  const auto& m = *merged;
  REQUIRE(m.variants.size() == 4);
  CHECK(m.variants[0].uri == "https://one.example.com/live/hd/index.m3u8");
  CHECK(m.variants[1].uri == "https://two.example.com/live/hd/index.m3u8");
  CHECK(m.variants[2].uri == "https://one.example.com/live/sd/index.m3u8");
  CHECK(m.variants[3].uri == "https://two.example.com/live/sd/index.m3u8");
  CHECK(*m.variants[0].audio == "aac-a");
  CHECK(*m.variants[1].audio == "aac-b");
  CHECK(*m.variants[0].closed_captions == "NONE");
  CHECK(*m.variants[1].closed_captions == "NONE");
  CHECK_FALSE(m.variants[0].pathway_id.has_value());

  REQUIRE(m.renditions.size() == 4);
  std::set<std::string> groups;
  for (const auto& r : m.renditions) groups.insert(*r.group_id);
  CHECK(groups == std::set<std::string>{"aac-a", "aac-b"});
  // Copies keep NAME, LANGUAGE, DEFAULT, AUTOSELECT; only group and URI differ.
  CHECK(*m.renditions[0].name == *m.renditions[2].name);
  CHECK(*m.renditions[0].is_default == *m.renditions[2].is_default);
  CHECK(*m.renditions[2].uri == "https://two.example.com/live/audio/en.m3u8");

  REQUIRE(m.iframe_streams.size() == 2);
  CHECK(*m.iframe_streams[1].uri == "https://two.example.com/live/hd/iframes.m3u8");
  // Identical session data collapses to one.
  CHECK(m.session_data.size() == 1);
  CHECK(m.version == std::optional<std::uint64_t>(6));
  CHECK(m.independent_segments);
}

TEST_CASE("merge: steering mode adds pathways, stable ids and the steering tag", "[merge]") {
  hlspp::merge_options options;
  options.mode = hlspp::merge_mode::steering;
  options.steering_uri = "https://steer.example.com/manifest.json";
  auto origins = two_origins(ladder_with_audio);
  origins[0].id = "east";
  origins[1].id = "west";
  auto merged = hlspp::merge(origins, options);
  REQUIRE(merged.ok());
  const auto& m = *merged;
  REQUIRE(m.content_steering.has_value());
  CHECK(*m.content_steering->server_uri == "https://steer.example.com/manifest.json");
  CHECK(*m.content_steering->pathway_id == "east");
  std::set<std::string> east_ids, west_ids;
  for (const auto& v : m.variants) {
    REQUIRE(v.pathway_id.has_value());
    REQUIRE(v.stable_variant_id.has_value());
    (*v.pathway_id == "east" ? east_ids : west_ids).insert(*v.stable_variant_id);
  }
  CHECK(east_ids == west_ids);
  CHECK(east_ids.size() == 2);
  for (const auto& f : m.iframe_streams) CHECK(f.pathway_id.has_value());
  // Each GROUP-ID is used by one pathway only.
  std::map<std::string, std::set<std::string>> pathways_of_group;
  for (const auto& v : m.variants) pathways_of_group[*v.audio].insert(*v.pathway_id);
  for (const auto& [group, pathways] : pathways_of_group) CHECK(pathways.size() == 1);
  for (const auto& r : m.renditions) CHECK(r.stable_rendition_id.has_value());
  for (const auto& d : hlspp::validate(m)) {
    INFO(d.to_string());
    CHECK(d.severity != hlspp::severity::error);
  }

  auto text = hlspp::to_string(m);
  CHECK(text.find("#EXT-X-CONTENT-STEERING:SERVER-URI=\"https://steer.example.com/manifest.json\",PATHWAY-ID=\"east\"") !=
        std::string::npos);
  CHECK(text.find("PATHWAY-ID=\"west\"") != std::string::npos);
}

TEST_CASE("merge: steering mode needs a steering URI and a known default pathway", "[merge]") {
  hlspp::merge_options options;
  options.mode = hlspp::merge_mode::steering;
  auto missing = hlspp::merge(two_origins(ladder_with_audio), options);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == hlspp::diag_code::merge_input);
  options.steering_uri = "https://steer.example.com/m.json";
  options.default_pathway = "nowhere";
  auto unknown = hlspp::merge(two_origins(ladder_with_audio), options);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == hlspp::diag_code::merge_input);
}

TEST_CASE("merge: ladders that differ fail unless partial redundancy is allowed", "[merge]") {
  std::string other = ladder_with_audio;
  other.replace(other.find("BANDWIDTH=800000"), 16, "BANDWIDTH=900000");
  std::vector<hlspp::merge_origin> origins = {{master(ladder_with_audio), "https://one.example.com/m.m3u8", ""},
                                              {master(other), "https://two.example.com/m.m3u8", ""}};
  auto strict = hlspp::merge(origins);
  REQUIRE_FALSE(strict.ok());
  CHECK(strict.error().code == hlspp::diag_code::ladder_mismatch);
  // The message names the variant and both origins.
  CHECK(strict.error().message.find("BANDWIDTH=800000") != std::string::npos);
  CHECK(strict.error().message.find("'a'") != std::string::npos);
  CHECK(strict.error().message.find("'b'") != std::string::npos);

  hlspp::merge_options partial;
  partial.allow_partial = true;
  auto lenient = hlspp::merge(origins, partial);
  REQUIRE(lenient.ok());
  CHECK(lenient->variants.size() == 4);  // hd twice, sd once per origin (unmatched kept)
  bool warned = false;
  for (const auto& d : lenient.diagnostics())
    if (d.code == hlspp::diag_code::ladder_mismatch && d.severity == hlspp::severity::warning) warned = true;
  CHECK(warned);
}

TEST_CASE("merge: paired variants must reference equivalent rendition groups", "[merge]") {
  // Each origin has the same renditions one by one, but not in the same groups, or
  // not with the same DEFAULT: the merged copies would break §4.4.6.1.1.
  const std::string subs_a = R"(#EXTM3U
#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="s",NAME="en",LANGUAGE="en",URI="en.m3u8"
#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="s",NAME="no",LANGUAGE="no",URI="no.m3u8"
#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="t",NAME="en",LANGUAGE="en",URI="en.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=1000,SUBTITLES="s"
a.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=2000,SUBTITLES="t"
b.m3u8
)";
  std::string subs_b = subs_a;
  // Same members overall, but "no" moved from group s to group t.
  const std::string in_s = "GROUP-ID=\"s\",NAME=\"no\"";
  subs_b.replace(subs_b.find(in_s), in_s.size(), "GROUP-ID=\"t\",NAME=\"no\"");
  std::vector<hlspp::merge_origin> origins = {{master(subs_a), "https://one.example.com/m.m3u8", ""},
                                              {master(subs_b), "https://two.example.com/m.m3u8", ""}};
  auto failed = hlspp::merge(origins);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code == hlspp::diag_code::ladder_mismatch);
  CHECK(failed.error().message.find("SUBTITLES group") != std::string::npos);
  CHECK(failed.error().message.find("\"no\"") != std::string::npos);
  // Asked for a partial merge, the caller gets it with the reason as a warning.
  hlspp::merge_options partial;
  partial.allow_partial = true;
  auto warned = hlspp::merge(origins, partial);
  REQUIRE(warned.ok());
  bool told = false;
  for (const auto& d : warned.diagnostics())
    if (d.code == hlspp::diag_code::ladder_mismatch && d.severity == hlspp::severity::warning) told = true;
  CHECK(told);

  // A member that differs only in DEFAULT.
  std::string default_b = ladder_with_audio;
  default_b.replace(default_b.find("DEFAULT=NO"), 10, "DEFAULT=YES");
  default_b.replace(default_b.find("DEFAULT=YES"), 11, "DEFAULT=NO");
  std::vector<hlspp::merge_origin> audio = {{master(ladder_with_audio), "https://one.example.com/m.m3u8", ""},
                                            {master(default_b), "https://two.example.com/m.m3u8", ""}};
  auto d = hlspp::merge(audio);
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == hlspp::diag_code::ladder_mismatch);
  CHECK(d.error().message.find("DEFAULT") != std::string::npos);
  // Equivalent groups still merge, and the result validates.
  auto same = hlspp::merge(two_origins(ladder_with_audio));
  REQUIRE(same.ok());
  CHECK_FALSE(hlspp::has_errors(hlspp::validate(*same)));
}

TEST_CASE("merge: the same inputs always give the same bytes", "[merge]") {
  auto a = hlspp::merge(two_origins(ladder_with_audio));
  auto b = hlspp::merge(two_origins(ladder_with_audio));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(hlspp::to_string(*a) == hlspp::to_string(*b));
}

TEST_CASE("merge: header tags only when every origin agrees", "[merge]") {
  std::string without = ladder_with_audio;
  without.erase(without.find("#EXT-X-INDEPENDENT-SEGMENTS\n"), 28);
  without.replace(without.find("#EXT-X-VERSION:6"), 16, "#EXT-X-VERSION:7");
  std::vector<hlspp::merge_origin> origins = {{master(ladder_with_audio), "https://one.example.com/m.m3u8", ""},
                                              {master(without), "https://two.example.com/m.m3u8", ""}};
  auto merged = hlspp::merge(origins);
  REQUIRE(merged.ok());
  CHECK_FALSE(merged->independent_segments);
  CHECK(merged->version == std::optional<std::uint64_t>(7));  // never lower than an input's
}

TEST_CASE("merge: conflicting session data is reported, the first origin's kept", "[merge]") {
  std::string other = ladder_with_audio;
  other.replace(other.find("VALUE=\"Live\""), 12, "VALUE=\"Other\"");
  std::vector<hlspp::merge_origin> origins = {{master(ladder_with_audio), "https://one.example.com/m.m3u8", ""},
                                              {master(other), "https://two.example.com/m.m3u8", ""}};
  auto merged = hlspp::merge(origins);
  REQUIRE(merged.ok());
  REQUIRE(merged->session_data.size() == 1);
  CHECK(*merged->session_data[0].value == "Live");
  bool reported = false;
  for (const auto& d : merged.diagnostics())
    if (d.code == hlspp::diag_code::merge_conflict) reported = true;
  CHECK(reported);
}

TEST_CASE("merge: a URI line that follows no STREAM-INF is dropped with a warning, comments kept", "[merge]") {
  // Fuzz finding 14: the stray line was copied into the merged master, where (relative
  // to its origin, naming no variant) it made the written text read back as a media
  // playlist when nothing else was left.
  std::string stray = ladder_with_audio;
  stray.insert(stray.find("#EXT-X-STREAM-INF"), "# a comment\nstray/index.m3u8\n");
  auto origins = two_origins(stray);
  auto merged = hlspp::merge(origins);
  REQUIRE(merged.ok());
  int warned = 0;
  for (const auto& d : merged.diagnostics())
    if (d.code == hlspp::diag_code::uri_without_stream_inf) {
      CHECK(d.severity == hlspp::severity::warning);
      CHECK(d.message.find("stray/index.m3u8") != std::string::npos);
      ++warned;
    }
  CHECK(warned == 1);  // the first origin's extras are the ones kept
  bool comment = false;
  for (const auto& e : merged->extras) {
    CHECK(e.text.find("stray") == std::string::npos);
    if (e.text == "# a comment") comment = true;
  }
  CHECK(comment);
  CHECK(merged->variants.size() == 4);
  auto text = hlspp::to_string(*merged);
  CHECK(text.find("stray") == std::string::npos);

  // The fuzzer's input: nothing but the stray line survives a redundant merge.
  auto only = hlspp::parse("#EXTM3U\nX\n#EXT-X-CONTENT-STEERING");
  REQUIRE(only.ok());
  REQUIRE(only->is_master());
  std::vector<hlspp::merge_origin> bare = {{only->master(), "https://one.example.com/m.m3u8", ""},
                                           {master("#EXTM3U"), "https://two.example.com/m.m3u8", ""}};
  auto empty = hlspp::merge(bare);
  REQUIRE(empty.ok());
  auto back = hlspp::parse(hlspp::to_string(*empty), hlspp::strictness::lenient);
  REQUIRE(back.ok());
  CHECK(back->is_master());
}

TEST_CASE("merge: CLOSED-CAPTIONS=NONE said by some origins only is dropped with a warning", "[merge]") {
  // Fuzz finding 15: one origin said CLOSED-CAPTIONS=NONE, the other nothing (a typo made
  // its attribute unknown); each was valid alone, the merged master was not (NONE must be
  // on every EXT-X-STREAM-INF or on none).
  std::string without = ladder_with_audio;
  for (std::size_t at; (at = without.find(",CLOSED-CAPTIONS=NONE")) != std::string::npos;)
    without.erase(at, std::string(",CLOSED-CAPTIONS=NONE").size());
  REQUIRE(without.find("CLOSED-CAPTIONS") == std::string::npos);
  std::vector<hlspp::merge_origin> origins = {{master(ladder_with_audio), "https://one.example.com/live/master.m3u8", ""},
                                              {master(without), "https://two.example.com/live/master.m3u8", ""}};
  for (const auto& m : {origins[0].playlist, origins[1].playlist}) CHECK_FALSE(hlspp::has_errors(hlspp::validate(m)));
  auto merged = hlspp::merge(origins);
  REQUIRE(merged.ok());
  REQUIRE(merged->variants.size() == 4);
  for (const auto& v : merged->variants) CHECK_FALSE(v.closed_captions.has_value());
  int warned = 0;
  for (const auto& d : merged.diagnostics())
    if (d.code == hlspp::diag_code::merge_conflict && d.message.find("CLOSED-CAPTIONS=NONE") != std::string::npos) {
      CHECK(d.severity == hlspp::severity::warning);
      CHECK(d.message.find("2 of 4") != std::string::npos);
      ++warned;
    }
  CHECK(warned == 1);
  for (const auto& d : hlspp::validate(*merged)) {
    INFO(d.to_string());
    CHECK(d.severity != hlspp::severity::error);
  }
  // Origins that agree keep it, and are not warned about.
  auto agreeing = hlspp::merge(two_origins(ladder_with_audio));
  REQUIRE(agreeing.ok());
  for (const auto& v : agreeing->variants) CHECK(v.closed_captions == std::optional<std::string>("NONE"));
  for (const auto& d : agreeing.diagnostics()) CHECK(d.message.find("CLOSED-CAPTIONS") == std::string::npos);
}

TEST_CASE("merge: three origins with given ids", "[merge]") {
  std::vector<hlspp::merge_origin> origins = {
      {master(ladder_with_audio), "https://one.example.com/m.m3u8", "us"},
      {master(ladder_with_audio), "https://two.example.com/m.m3u8", "eu"},
      {master(ladder_with_audio), "https://three.example.com/m.m3u8", "ap"}};
  auto merged = hlspp::merge(origins);
  REQUIRE(merged.ok());
  REQUIRE(merged->variants.size() == 6);
  CHECK(*merged->variants[0].audio == "aac-us");
  CHECK(*merged->variants[1].audio == "aac-eu");
  CHECK(*merged->variants[2].audio == "aac-ap");
  origins[2].id = "us";
  auto clash = hlspp::merge(origins);
  REQUIRE_FALSE(clash.ok());
  CHECK(clash.error().code == hlspp::diag_code::merge_input);
}

TEST_CASE("merge: every corpus master merged with itself under two base URLs", "[merge][corpus]") {
  std::istringstream index(read_file(std::string(HLSPP_CORPUS_DIR) + "/index.tsv"));
  std::string line;
  std::getline(index, line);
  std::size_t merged_count = 0;
  while (std::getline(index, line)) {
    const auto tab = line.find('\t');
    const std::string path = line.substr(0, tab);
    if (line.find("\tmaster\t") == std::string::npos) continue;
    auto parsed = hlspp::parse(read_file(std::string(HLSPP_CORPUS_DIR) + "/" + path));
    if (!parsed.ok() || !parsed->is_master() || hlspp::has_errors(parsed.diagnostics())) continue;
    INFO(path);
    const auto& m = parsed->master();
    std::vector<hlspp::merge_origin> origins = {{m, "https://one.example.com/a/master.m3u8", ""},
                                                {m, "https://two.example.com/b/master.m3u8", ""}};
    auto merged = hlspp::merge(origins);
    REQUIRE(merged.ok());
    ++merged_count;
    const auto& out = *merged;
    CHECK(out.variants.size() == 2 * m.variants.size());
    CHECK(out.iframe_streams.size() == 2 * m.iframe_streams.size());
    CHECK(out.renditions.size() == 2 * m.renditions.size());
    auto absolute_or_kept = [](const std::string& uri) {
      return hlspp::is_absolute_uri(uri) || hlspp::has_variable_reference(uri);
    };
    for (const auto& v : out.variants) CHECK(absolute_or_kept(v.uri));
    for (const auto& f : out.iframe_streams) CHECK(absolute_or_kept(f.uri.value_or("x:")));
    for (const auto& r : out.renditions) CHECK(absolute_or_kept(r.uri.value_or("x:")));
    // Each copy's URI is resolve_uri() of its origin's (the two ladders are identical,
    // so copies interleave: variant j of origin o is at 2j + o; renditions go origin by origin).
    if (m.defines.empty()) {
      auto expected = [&](std::size_t o, const std::string& uri) {
        return uri.empty() || !hlspp::is_rebaseable_reference(uri) ? uri
                                                                   : hlspp::resolve_uri(origins[o].base_uri, uri);
      };
      for (std::size_t j = 0; j < m.variants.size(); ++j)
        for (std::size_t o = 0; o < 2; ++o) CHECK(out.variants[2 * j + o].uri == expected(o, m.variants[j].uri));
      for (std::size_t j = 0; j < m.iframe_streams.size(); ++j)
        for (std::size_t o = 0; o < 2; ++o)
          CHECK(out.iframe_streams[2 * j + o].uri.value_or("") == expected(o, m.iframe_streams[j].uri.value_or("")));
      for (std::size_t j = 0; j < m.renditions.size(); ++j)
        for (std::size_t o = 0; o < 2; ++o)
          CHECK(out.renditions[o * m.renditions.size() + j].uri.value_or("") ==
                expected(o, m.renditions[j].uri.value_or("")));
    }
    // Every group reference resolves to a group of the right type (when it did in the input).
    auto references_resolve = [](const hlspp::master_playlist& p) {
      auto has_group = [&](const std::optional<std::string>& ref, const char* type) {
        if (!ref || *ref == "NONE") return true;
        for (const auto& r : p.renditions)
          if (r.group_id == ref && r.type == std::optional<std::string>(type)) return true;
        return false;
      };
      for (const auto& v : p.variants)
        if (!has_group(v.audio, "AUDIO") || !has_group(v.video, "VIDEO") || !has_group(v.subtitles, "SUBTITLES") ||
            !has_group(v.closed_captions, "CLOSED-CAPTIONS"))
          return false;
      return true;
    };
    if (references_resolve(m)) CHECK(references_resolve(out));
    // The merge output validates clean whenever its input did, in both modes.
    if (!hlspp::has_errors(hlspp::validate(m)) && !m.variants.empty()) {
      hlspp::merge_options steer;
      steer.mode = hlspp::merge_mode::steering;
      steer.steering_uri = "https://steer.example.com/manifest.json";
      auto steered = hlspp::merge(origins, steer);
      REQUIRE(steered.ok());
      for (const auto& d : hlspp::validate(*steered)) {
        INFO(d.to_string());
        CHECK(d.severity != hlspp::severity::error);
      }
      auto problems = hlspp::validate(out);
      std::string first;
      for (const auto& d : problems)
        if (d.severity == hlspp::severity::error && first.empty()) first = d.to_string();
      INFO(first);
      CHECK(first.empty());
    }
    // Written, it reads back as the same playlist.
    auto text = hlspp::serialize(out);
    REQUIRE(text.ok());
    auto reread = hlspp::parse(*text);
    REQUIRE(reread.ok());
    CHECK(reread->master().variants.size() == out.variants.size());
  }
  CHECK(merged_count > 100);
}

TEST_CASE("merge: every URI is resolve_uri() of its origin's, whatever its shape", "[merge]") {
  // Plain relative paths take merge's shortcut (the base directory put in front, in a
  // string sized for it); every other shape goes through resolve_uri(). Each shape
  // is used by a variant, an I-frame stream and a rendition.
  const std::vector<std::string> references = {"v/prog_index.m3u8", "./v.m3u8",        "../up/v.m3u8", "a/../b/v.m3u8",
                                               "v.m3u8?token=a/../b#f", "a:b/v.m3u8", "//cdn.example.net/v.m3u8",
                                               "/root/v.m3u8", "https://abs.example.com/v.m3u8", "skd://key",
                                               "x/./y.m3u8", "%2e%2e/v.m3u8", "v..m3u8", "1234/5678/90.m3u8",
                                               "{$token}/v.m3u8", "a long relative path that does not fit in a small string.m3u8"};
  std::string text = "#EXTM3U\n#EXT-X-VERSION:8\n#EXT-X-DEFINE:NAME=\"token\",VALUE=\"t\"\n";
  for (std::size_t i = 0; i < references.size(); ++i) {
    const std::string n = std::to_string(i);
    text += "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"g" + n + "\",NAME=\"n\",URI=\"" + references[i] + "\"\n";
    text += "#EXT-X-STREAM-INF:BANDWIDTH=" + std::to_string(1000 + i) + ",AUDIO=\"g" + n + "\"\n" + references[i] + "\n";
    text += "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=" + std::to_string(1000 + i) + ",URI=\"" + references[i] + "\"\n";
  }
  const std::vector<std::string> bases = {"https://one.example.com/live/x/master.m3u8?session=1",
                                          "http://two.example.com:8080/a/./b/../master.m3u8", "https://three.example.com"};
  std::vector<hlspp::merge_origin> origins;
  for (const auto& base : bases) origins.push_back({master(text), base, ""});
  auto merged = hlspp::merge(origins);
  REQUIRE(merged.ok());
  const std::size_t n = bases.size();
  REQUIRE(merged->variants.size() == n * references.size());
  REQUIRE(merged->iframe_streams.size() == n * references.size());
  REQUIRE(merged->renditions.size() == n * references.size());
  for (std::size_t i = 0; i < references.size(); ++i) {
    for (std::size_t o = 0; o < n; ++o) {
      CAPTURE(references[i], bases[o]);
      // A reference to a variable is left for the player to expand.
      const std::string want = hlspp::has_variable_reference(references[i])
                                   ? references[i]
                                   : hlspp::resolve_uri(bases[o], references[i]);
      CHECK(merged->variants[i * n + o].uri == want);
      CHECK(merged->iframe_streams[i * n + o].uri == want);
      CHECK(merged->renditions[o * references.size() + i].uri == want);
    }
  }
}

TEST_CASE("merge: partial ladders in another order keep the first origin's order, leftovers last", "[merge]") {
  // Origin b lists sd before hd and has a variant of its own: copies are grouped
  // under origin a's order, b's leftover comes last, and the warning names it by
  // its absolute URI.
  std::string other = ladder_with_audio;
  const std::string hd =
      "#EXT-X-STREAM-INF:BANDWIDTH=2000000,CODECS=\"avc1.64001f,mp4a.40.2\",RESOLUTION=1280x720,AUDIO=\"aac\","
      "CLOSED-CAPTIONS=NONE\nhd/index.m3u8\n";
  other.erase(other.find(hd), hd.size());
  other += hd;
  other += "#EXT-X-STREAM-INF:BANDWIDTH=400000,CODECS=\"avc1.64001e,mp4a.40.2\",AUDIO=\"aac\","
           "STABLE-VARIANT-ID=\"low\"\nld/index.m3u8\n";
  std::vector<hlspp::merge_origin> origins = {{master(ladder_with_audio), "https://one.example.com/live/m.m3u8", ""},
                                              {master(other), "https://two.example.com/live/m.m3u8", ""}};
  REQUIRE(origins[1].playlist.variants.size() == 3);
  REQUIRE(origins[1].playlist.variants[0].uri == "sd/index.m3u8");

  hlspp::merge_options partial;
  partial.allow_partial = true;
  auto merged = hlspp::merge(origins, partial);
  REQUIRE(merged.ok());
  std::vector<std::string> uris;
  for (const auto& v : merged->variants) uris.push_back(v.uri);
  CHECK(uris == std::vector<std::string>{"https://one.example.com/live/hd/index.m3u8",
                                         "https://two.example.com/live/hd/index.m3u8",
                                         "https://one.example.com/live/sd/index.m3u8",
                                         "https://two.example.com/live/sd/index.m3u8",
                                         "https://two.example.com/live/ld/index.m3u8"});
  CHECK(*merged->variants[4].audio == "aac-b");
  std::size_t warnings = 0;
  for (const auto& d : merged.diagnostics()) {
    if (d.code != hlspp::diag_code::ladder_mismatch) continue;
    ++warnings;
    CHECK(d.severity == hlspp::severity::warning);
    CHECK(d.message == "variant BANDWIDTH=400000,CODECS=\"avc1.64001e,mp4a.40.2\" "
                       "(https://two.example.com/live/ld/index.m3u8) of origin 'b' has no equivalent in origin 'a'");
  }
  CHECK(warnings == 1);

  partial.mode = hlspp::merge_mode::steering;
  partial.steering_uri = "https://steer.example.com/s.json";
  auto steered = hlspp::merge(origins, partial);
  REQUIRE(steered.ok());
  std::vector<std::string> stable, pathways;
  for (const auto& v : steered->variants) {
    stable.push_back(v.stable_variant_id.value_or("?"));
    pathways.push_back(v.pathway_id.value_or("?"));
  }
  CHECK(stable == std::vector<std::string>{"v1", "v1", "v2", "v2", "low"});
  CHECK(pathways == std::vector<std::string>{"a", "b", "a", "b", "b"});
}
