// Conformance over the public corpus (../shared/corpus, read in place):
//  - every file writes back byte-exact through the lossless writer (lenient parse);
//  - canonical output is idempotent and re-parses to the same model;
//  - every valid=yes file parses in default mode with no error diagnostic
//    (except the files listed below, each with the rule it breaks);
//  - every valid=no file yields at least one positioned diagnostic in strict mode.
#include <hlspp/hlspp.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"

namespace {

std::string corpus_dir() {
#ifdef HLSPP_CORPUS_DIR
  return HLSPP_CORPUS_DIR;
#else
  return "../shared/corpus";
#endif
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct corpus_entry {
  std::string path;
  std::string kind;
  std::string valid;
};

std::vector<corpus_entry> load_index() {
  std::vector<corpus_entry> entries;
  std::istringstream in(read_file(corpus_dir() + "/index.tsv"));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::size_t start = 0;
    while (true) {
      auto tab = line.find('\t', start);
      cols.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    if (cols.size() >= 4) entries.push_back({cols[0], cols[1], cols[3]});
  }
  return entries;
}

// valid=yes files that truly break a MUST of the spec, with the rule. Default
// mode reports these as errors, as it should.
const std::map<std::string, std::string>& known_invalid() {
  static const std::map<std::string, std::string> files = {
#include "corpus_exceptions.inc"
  };
  return files;
}

// The typed content of a playlist: kept lines (comments, blank lines, unknown tags)
// removed, since canonical output may attach them to a neighbour.
hlspp::playlist typed_only(hlspp::playlist p) {
  if (auto* m = p.as_master()) {
    m->extras.clear();
    for (auto& v : m->variants) v.extras.clear();
    for (auto& r : m->renditions) r.extras.clear();
    for (auto& f : m->iframe_streams) f.extras.clear();
    for (auto& d : m->session_data) d.extras.clear();
    for (auto& k : m->session_keys) k.extras.clear();
  } else {
    auto& media = p.media();
    media.extras.clear();
    for (auto& s : media.segments) s.extras.clear();
    media.trailing.extras.clear();
  }
  return p;
}

}  // namespace

TEST_CASE("corpus: index is readable and complete", "[corpus]") {
  auto entries = load_index();
  REQUIRE(entries.size() == 885);
}

TEST_CASE("corpus: lossless write is byte-exact for every file", "[corpus]") {
  std::size_t exact = 0;
  for (const auto& e : load_index()) {
    const std::string text = read_file(corpus_dir() + "/" + e.path);
    auto parsed = hlspp::parse(text, hlspp::strictness::lenient);
    INFO(e.path);
    REQUIRE(parsed.ok());
    auto written = hlspp::serialize(*parsed);
    REQUIRE(written.ok());
    CHECK(*written == text);
    if (*written == text) ++exact;
  }
  CHECK(exact == 885);
}

TEST_CASE("corpus: canonical output is idempotent and means the same", "[corpus]") {
  hlspp::serialize_options canonical;
  canonical.canonical = true;
  for (const auto& e : load_index()) {
    const std::string text = read_file(corpus_dir() + "/" + e.path);
    INFO(e.path);
    auto parsed = hlspp::parse(text, hlspp::strictness::lenient);
    REQUIRE(parsed.ok());
    auto once = hlspp::serialize(*parsed, canonical);
    REQUIRE(once.ok());
    auto reparsed = hlspp::parse(*once, hlspp::strictness::lenient);
    REQUIRE(reparsed.ok());
    auto twice = hlspp::serialize(*reparsed, canonical);
    REQUIRE(twice.ok());
    CHECK(*once == *twice);
    // No CR in canonical output: LF endings only.
    CHECK(once->find('\r') == std::string::npos);
    // The canonical text describes the same playlist, unless the input was so broken
    // that the lenient parse had to keep lines verbatim (then the model differs in where
    // those lines are attached, not in any typed value).
    if (!hlspp::has_errors(parsed.diagnostics())) CHECK(typed_only(*reparsed) == typed_only(*parsed));
  }
}

TEST_CASE("corpus: valid files parse in default mode without errors", "[corpus]") {
  std::size_t checked = 0, listed = 0;
  for (const auto& e : load_index()) {
    if (e.valid != "yes") continue;
    const std::string text = read_file(corpus_dir() + "/" + e.path);
    auto parsed = hlspp::parse(text);
    INFO(e.path);
    auto it = known_invalid().find(e.path);
    std::string first_error;
    for (const auto& d : parsed.diagnostics())
      if (d.severity == hlspp::severity::error) {
        first_error = d.to_string();
        break;
      }
    INFO(first_error);
    if (it != known_invalid().end()) {
      // Listed: it must really be reported.
      CHECK_FALSE(first_error.empty());
      ++listed;
      continue;
    }
    CHECK(parsed.ok());
    CHECK(first_error.empty());
    ++checked;
  }
  CHECK(checked + listed == 821);
}

TEST_CASE("corpus: invalid files get a positioned diagnostic in strict mode", "[corpus]") {
  std::size_t count = 0;
  for (const auto& e : load_index()) {
    if (e.valid != "no") continue;
    ++count;
    const std::string text = read_file(corpus_dir() + "/" + e.path);
    INFO(e.path);
    auto parsed = hlspp::parse(text, hlspp::strictness::strict);
    bool positioned = false;
    for (const auto& d : parsed.diagnostics())
      if (d.line > 0 && d.severity != hlspp::severity::info) positioned = true;
    CHECK(positioned);
  }
  CHECK(count == 50);
}
