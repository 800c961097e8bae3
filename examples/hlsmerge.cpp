// SPDX-License-Identifier: MIT
// hlsmerge: merge two or more origins' master playlists into one redundant (or
// content-steered) master playlist — the seed's manual procedure as one command.
//
//   hlsmerge [--steering URI [--default-pathway ID]] [--allow-partial] [-o OUT] FILE=BASE_URL...
//
// Each FILE is an origin's master playlist and BASE_URL the URL it is served from
// (relative URIs resolve against it); origins get the ids a, b, c... or ID:FILE=BASE_URL.
// Exit status: 0 merged, 1 the inputs cannot be merged (diagnostics say why), 2 usage or I/O.

#include <hlspp/hlspp.hpp>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view usage_text =
    "usage: hlsmerge [--steering URI [--default-pathway ID]] [--allow-partial] [-o OUT] [ID:]FILE=BASE_URL...\n";

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return static_cast<bool>(in) || in.eof();
}

void print(const std::string& source, const hlspp::diagnostic& d) {
  std::cerr << source << ':' << d.to_string() << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  hlspp::merge_options options;
  std::string output;
  std::vector<std::string> specs;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&](std::string& into) {
      if (i + 1 >= argc) return false;
      into = argv[++i];
      return true;
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << usage_text;
      return 0;
    } else if (arg == "--steering") {
      if (!value(options.steering_uri)) return std::cerr << usage_text, 2;
      options.mode = hlspp::merge_mode::steering;
    } else if (arg == "--default-pathway") {
      if (!value(options.default_pathway)) return std::cerr << usage_text, 2;
    } else if (arg == "--allow-partial") {
      options.allow_partial = true;
    } else if (arg == "-o") {
      if (!value(output)) return std::cerr << usage_text, 2;
    } else if (!arg.empty() && arg.front() == '-') {
      std::cerr << "hlsmerge: unknown option " << arg << '\n' << usage_text;
      return 2;
    } else {
      specs.emplace_back(arg);
    }
  }
  if (specs.size() < 2) {
    std::cerr << "hlsmerge: give at least two FILE=BASE_URL origins\n" << usage_text;
    return 2;
  }

  std::vector<hlspp::merge_origin> origins;
  bool failed = false;
  for (const auto& spec : specs) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos) {
      std::cerr << "hlsmerge: '" << spec << "' is not FILE=BASE_URL\n";
      return 2;
    }
    std::string file = spec.substr(0, eq);
    hlspp::merge_origin origin;
    origin.base_uri = spec.substr(eq + 1);
    // An id prefix "ID:" only when what follows is not a URL scheme's "//".
    const auto colon = file.find(':');
    if (colon != std::string::npos) {
      origin.id = file.substr(0, colon);
      file = file.substr(colon + 1);
    }
    std::string text;
    if (!read_file(file, text)) {
      std::cerr << "hlsmerge: cannot read " << file << '\n';
      return 2;
    }
    hlspp::parse_options parse_options;
    parse_options.expected_kind = hlspp::playlist_kind::master;
    auto parsed = hlspp::parse(text, parse_options);
    for (const auto& d : parsed.diagnostics())
      if (d.severity != hlspp::severity::info) print(file, d);
    if (!parsed) {
      failed = true;
      continue;
    }
    origin.playlist = std::move(parsed->master());
    origins.push_back(std::move(origin));
  }
  if (failed) return 1;

  auto merged = hlspp::merge(std::move(origins), options);
  for (const auto& d : merged.diagnostics()) print("merge", d);
  if (!merged) return 1;
  auto text = hlspp::serialize(*merged);
  if (!text) {
    print("merge", text.error());
    return 1;
  }
  if (output.empty()) {
    std::cout << *text;
  } else {
    std::ofstream out(output, std::ios::binary);
    out << *text;
    if (!out) {
      std::cerr << "hlsmerge: cannot write " << output << '\n';
      return 2;
    }
  }
  return 0;
}
