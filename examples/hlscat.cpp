// SPDX-License-Identifier: MIT
// hlscat: parse an HLS playlist and write it back (losslessly or canonically),
// or only check it. A small, scriptable front end to hlspp::parse/serialize.
//
//   hlscat [--canonical] [--strict|--lenient] [--check] [FILE|-]
//
// Exit status: 0 no error-severity diagnostic, 1 an error (including a failed
// parse or serialize), 2 usage or I/O error.

#include <hlspp/hlspp.hpp>

#include <cstddef>
#include <exception>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#endif

namespace {

constexpr int exit_ok = 0;
constexpr int exit_error = 1;
constexpr int exit_usage = 2;

constexpr std::string_view usage_text =
    "usage: hlscat [--canonical] [--strict|--lenient] [--check] [FILE|-]\n"
    "\n"
    "Parses an HLS playlist (FILE, or standard input when FILE is '-' or absent)\n"
    "and writes it back to standard output, byte for byte unless --canonical.\n"
    "Diagnostics go to standard error as SOURCE:LINE:COLUMN: SEVERITY: CODE: message.\n"
    "\n"
    "  --canonical  write normalized output (LF endings, spec order, canonical values)\n"
    "  --strict     fail on any error-severity diagnostic\n"
    "  --lenient    never fail; keep what cannot be modelled verbatim\n"
    "  --check      print only the diagnostics, not the playlist\n"
    "  --help       print this help and exit\n"
    "\n"
    "Exit status: 0 no errors, 1 an error-severity diagnostic or a failed parse,\n"
    "2 a usage or I/O error.\n";

struct options {
  bool canonical = false;
  bool check = false;
  bool help = false;
  std::optional<hlspp::strictness> level;
  std::optional<std::string> file;  // nullopt or "-" means stdin
};

// Usage errors are reported as one line so scripts can show them verbatim.
int usage_error(const std::string& message) {
  std::cerr << "hlscat: " << message << " (try 'hlscat --help')\n";
  return exit_usage;
}

// Returns an exit code when the arguments end the program (help or error).
std::optional<int> parse_args(int argc, char** argv, options& opts) {
  bool only_files = false;  // after "--" everything is a file name
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool is_option = !only_files && arg.size() > 1 && arg.front() == '-';
    if (is_option) {
      std::optional<hlspp::strictness> wanted;
      if (arg == "--") {
        only_files = true;
      } else if (arg == "--help" || arg == "-h") {
        opts.help = true;
      } else if (arg == "--canonical") {
        opts.canonical = true;
      } else if (arg == "--check") {
        opts.check = true;
      } else if (arg == "--strict") {
        wanted = hlspp::strictness::strict;
      } else if (arg == "--lenient") {
        wanted = hlspp::strictness::lenient;
      } else {
        return usage_error("unknown option '" + std::string(arg) + "'");
      }
      if (wanted) {
        // Repeating the same level is harmless; asking for both is a contradiction.
        if (opts.level && *opts.level != *wanted)
          return usage_error("--strict and --lenient are mutually exclusive");
        opts.level = wanted;
      }
      continue;
    }
    if (opts.file) return usage_error("more than one input file given");
    opts.file = std::string(arg);
  }
  if (opts.help) {
    std::cout << usage_text;
    std::cout.flush();
    return std::cout ? exit_ok : exit_usage;
  }
  return std::nullopt;
}

// Reads the whole stream; nullopt on a read error (e.g. FILE is a directory).
std::optional<std::string> read_all(std::istream& in) {
  std::string data;
  char buffer[1 << 16];
  for (;;) {
    in.read(buffer, sizeof buffer);
    const std::streamsize got = in.gcount();
    if (got > 0) data.append(buffer, static_cast<std::size_t>(got));
    if (!in) break;
  }
  if (in.bad()) return std::nullopt;
  return data;
}

void print_diagnostic(std::string_view source, const hlspp::diagnostic& d) {
  std::cerr << source << ':' << d.to_string() << '\n';
}

// Prints every diagnostic; when parsing failed, also the error unless it is
// already among them (it normally is: the last one, or the first error in
// strict mode), so it is never printed twice.
bool print_diagnostics(std::string_view source, const hlspp::diagnostics& diags,
                       const hlspp::diagnostic* error) {
  bool error_listed = false;
  for (const auto& d : diags) {
    print_diagnostic(source, d);
    if (error && d == *error) error_listed = true;
  }
  if (error && !error_listed) print_diagnostic(source, *error);
  return error != nullptr || hlspp::has_errors(diags);
}

int run(const options& opts) {
  const bool from_stdin = !opts.file || *opts.file == "-";
  const std::string source = from_stdin ? std::string("<stdin>") : *opts.file;

  std::optional<std::string> text;
  if (from_stdin) {
#ifdef _WIN32
    // Binary mode, so CRLF input reaches the parser (and the output) unchanged.
    (void)_setmode(_fileno(stdin), _O_BINARY);
#endif
    text = read_all(std::cin);
  } else {
    std::ifstream in(*opts.file, std::ios::in | std::ios::binary);
    if (!in) {
      std::cerr << "hlscat: cannot open '" << *opts.file << "'\n";
      return exit_usage;
    }
    text = read_all(in);
  }
  if (!text) {
    std::cerr << "hlscat: cannot read '" << source << "'\n";
    return exit_usage;
  }

  const auto parsed = hlspp::parse(*text, opts.level.value_or(hlspp::strictness::normal));
  const bool failed = !parsed.ok();
  const bool had_error = print_diagnostics(source, parsed.diagnostics(), failed ? &parsed.error() : nullptr);
  if (failed || opts.check) return had_error ? exit_error : exit_ok;

  hlspp::serialize_options write_opts;
  write_opts.canonical = opts.canonical;
  const auto written = hlspp::serialize(*parsed, write_opts);
  if (!written.ok()) {
    print_diagnostic(source, written.error());
    return exit_error;
  }

#ifdef _WIN32
  // Binary mode, so the exact line endings are written, not translated.
  (void)_setmode(_fileno(stdout), _O_BINARY);
#endif
  const std::string& out = *written;
  std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "hlscat: cannot write to standard output\n";
    return exit_usage;
  }
  return had_error ? exit_error : exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
  // The library never throws from parse/serialize, but allocation can fail on
  // huge input; report it instead of terminating with an unhelpful abort.
  try {
    options opts;
    if (const auto code = parse_args(argc, argv, opts)) return *code;
    return run(opts);
  } catch (const std::exception& e) {
    std::cerr << "hlscat: " << e.what() << '\n';
    return exit_error;
  }
}
