// SPDX-License-Identifier: MIT
// The invariants the fuzz targets check, in one place, so the libFuzzer targets
// (fuzz/fuzz_*.cpp) and the regression replay of the normal test suite
// (tests/cpp/test_fuzz_regressions.cpp) check exactly the same things.
//
// Every check_*() takes the raw fuzz input and returns "" when every invariant
// holds, or a one-line description of the first one that does not. The fuzz
// targets turn a non-empty answer into a crash (fail(), __builtin_trap), so
// libFuzzer saves the input; the replay test turns it into a test failure.
#pragma once

#include <hlspp/hlspp.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hlspp_fuzz {

// ---- helpers ------------------------------------------------------------------

/// Reports a violated invariant and crashes, so libFuzzer keeps the input.
[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "hlspp fuzz invariant violated: %s\n", what.c_str());
  std::fflush(stderr);
#if defined(__GNUC__) || defined(__clang__)
  __builtin_trap();
#else
  std::abort();
#endif
}

/// True when `text` contains one of the '|'-separated pieces of `patterns`.
inline bool contains_any(std::string_view text, std::string_view patterns) {
  while (!patterns.empty()) {
    const std::size_t bar = patterns.find('|');
    const std::string_view piece = patterns.substr(0, bar);
    if (!piece.empty() && text.find(piece) != std::string_view::npos) return true;
    if (bar == std::string_view::npos) break;
    patterns.remove_prefix(bar + 1);
  }
  return false;
}

/// What the fuzz targets do with a check's answer: nothing when it is empty, else
/// fail(). Two environment variables help triage while findings are open (each a
/// list of message pieces separated by '|'): HLSPP_FUZZ_ONLY crashes only on
/// problems containing one of them (to minimize one finding without drifting to
/// another), HLSPP_FUZZ_IGNORE never on those (to look past known findings).
/// Sanitizer reports do not go through here and always crash.
inline void report(const std::string& problem) {
  if (problem.empty()) return;
  static const char* const only = std::getenv("HLSPP_FUZZ_ONLY");
  static const char* const ignore = std::getenv("HLSPP_FUZZ_IGNORE");
  if (only && *only && !contains_any(problem, only)) return;
  if (ignore && *ignore && contains_any(problem, ignore)) return;
  fail(problem);
}

inline std::string_view level_name(hlspp::strictness s) {
  switch (s) {
    case hlspp::strictness::lenient: return "lenient";
    case hlspp::strictness::normal: return "normal";
    case hlspp::strictness::strict: return "strict";
  }
  return "?";
}

/// The limit codes: the only reasons a lenient parse may fail.
inline bool is_limit_code(hlspp::diag_code c) {
  return c == hlspp::diag_code::input_too_large || c == hlspp::diag_code::line_too_long ||
         c == hlspp::diag_code::too_many_lines;
}

/// Where two strings first differ (for messages).
inline std::string first_difference(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  return "sizes " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) + ", first difference at byte " +
         std::to_string(i);
}

inline bool has_cr_or_lf(std::string_view s) {
  return s.find('\r') != std::string_view::npos || s.find('\n') != std::string_view::npos;
}

/// The typed content of a playlist: kept lines (comments, blank lines, unknown tags)
/// removed, since canonical output may attach them to a neighbour (the same
/// projection the corpus test uses).
inline hlspp::playlist typed_only(hlspp::playlist p) {
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

/// Every URI a rebase visits, in visiting order.
inline std::vector<std::string> collect_uris(hlspp::playlist& p) {
  std::vector<std::string> out;
  auto take = [&](std::string& uri, const hlspp::detail::uri_site&) { out.push_back(uri); };
  if (auto* m = p.as_master())
    hlspp::detail::visit_uris(*m, take);
  else
    hlspp::detail::visit_uris(p.media(), take);
  return out;
}

inline hlspp::serialize_options canonical_options() {
  hlspp::serialize_options o;
  o.canonical = true;
  return o;
}

// ---- parse ----------------------------------------------------------------------

/// Canonical-output invariants for one successfully parsed playlist: canonical
/// write succeeds, has LF endings only and re-parses at `level`; when the parse
/// had no error diagnostics it is also idempotent and re-parses to the same typed
/// model. (For a parse with error diagnostics the write may instead be refused
/// with unsafe-value, and idempotence is not checked: the weaker invariant.)
inline std::string check_canonical(const hlspp::parse_result& r, hlspp::strictness level,
                                   std::string_view what) {
  const auto canonical = canonical_options();
  auto once = hlspp::serialize(*r, canonical);
  if (!once.ok()) {
    // Output safety: a model kept from broken text (a lone CR inside a line, an
    // attribute value the lexer could not split) may be refused rather than written
    // as something else. Only a parse without error diagnostics must always write.
    if (hlspp::has_errors(r.diagnostics()) && once.error().code == hlspp::diag_code::unsafe_value) return {};
    return std::string(what) + ": canonical write refused: " + once.error().to_string();
  }
  if (once->find('\r') != std::string::npos) return std::string(what) + ": canonical output holds a CR";
  auto reparsed = hlspp::parse(*once, level);
  if (!reparsed.ok())
    return std::string(what) + ": canonical output does not re-parse (" + std::string(level_name(level)) +
           "): " + reparsed.error().to_string();
  // Text the parser reported errors in is kept in the model as best it can be (lines
  // attached verbatim, a second #EXTM3U, a dropped attribute token): its canonical
  // text must re-parse, but is not promised to be a fixed point (see
  // docs/reliability.md). Everything else must be.
  if (hlspp::has_errors(r.diagnostics())) return {};
  auto twice = hlspp::serialize(*reparsed, canonical);
  if (!twice.ok()) return std::string(what) + ": second canonical write refused: " + twice.error().to_string();
  if (*twice != *once)
    return std::string(what) + ": canonical output is not idempotent: " + first_difference(*once, *twice);
  if (!(typed_only(*reparsed) == typed_only(*r)))
    return std::string(what) + ": canonical output re-parses to a different model";
  return {};
}

/// parse_recycling() gives what parse() gives, whatever storage it is handed: here a
/// lenient parse of the same text (whose text block nothing else holds, so the new
/// copy goes into it) and a small media playlist (a segment vector to refill).
inline std::string check_recycling(std::string_view text, const hlspp::parse_result& expected) {
  hlspp::parse_options normal;
  const std::string_view small = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\na.ts\n#EXTINF:4,\nb.ts\n";
  hlspp::parse_result previous[] = {hlspp::parse(text, hlspp::strictness::lenient), hlspp::parse(small)};
  for (auto& prev : previous) {
    if (!prev.ok()) continue;
    const hlspp::parse_result again = hlspp::parse_recycling(text, std::move(*prev), normal);
    if (again.ok() != expected.ok()) return "parse_recycling and parse disagree on success";
    if (again.diagnostics().size() != expected.diagnostics().size())
      return "parse_recycling reported " + std::to_string(again.diagnostics().size()) + " diagnostics, parse " +
             std::to_string(expected.diagnostics().size());
    for (std::size_t i = 0; i < again.diagnostics().size(); ++i)
      if (again.diagnostics()[i].to_string() != expected.diagnostics()[i].to_string())
        return "parse_recycling diagnostic differs: " + again.diagnostics()[i].to_string();
    if (!again.ok()) continue;
    if (!(*again == *expected)) return "parse_recycling built a different model than parse";
    auto lossless = hlspp::serialize(*again);
    if (!lossless.ok() || *lossless != text) return "lossless write of a recycled parse differs from the input";
  }
  return {};
}

/// fuzz_parse: parse at every strictness.
/// - a lenient parse never fails (except on the configured limits);
/// - a failed parse carries an error-severity diagnostic;
/// - every successful parse writes back losslessly, byte for byte;
/// - canonical output: see check_canonical();
/// - strict succeeds exactly when default succeeds without any error diagnostic
///   from the parser or from validate();
/// - parse_recycling() gives exactly the default parse: see check_recycling().
inline std::string check_parse(std::string_view text) {
  using hlspp::strictness;
  const strictness levels[] = {strictness::lenient, strictness::normal, strictness::strict};
  hlspp::parse_result results[] = {hlspp::parse(text, strictness::lenient), hlspp::parse(text, strictness::normal),
                                   hlspp::parse(text, strictness::strict)};
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& r = results[i];
    const std::string name(level_name(levels[i]));
    if (!r.ok()) {
      if (r.error().severity != hlspp::severity::error)
        return name + " parse failed with a non-error diagnostic: " + r.error().to_string();
      if (levels[i] == strictness::lenient && !is_limit_code(r.error().code))
        return "lenient parse failed: " + r.error().to_string();
      continue;
    }
    auto lossless = hlspp::serialize(*r);
    if (!lossless.ok()) return name + ": lossless write of an unedited parse refused: " + lossless.error().to_string();
    if (*lossless != text) return name + ": lossless write differs from the input: " + first_difference(text, *lossless);
    if (std::string e = check_canonical(r, levels[i], name); !e.empty()) return e;
  }
  if (std::string e = check_recycling(text, results[1]); !e.empty()) return e;
  const auto& normal = results[1];
  const auto& strict = results[2];
  if (strict.ok() && (!normal.ok() || hlspp::has_errors(normal.diagnostics())))
    return "strict parse succeeded where the default parse failed or reported an error";
  if (!strict.ok() && normal.ok() && !hlspp::has_errors(normal.diagnostics()) &&
      !hlspp::has_errors(hlspp::validate(*normal)))
    return "strict parse failed on a playlist the default parse and validate() accept: " +
           strict.error().to_string();
  return {};
}

// ---- attributes -----------------------------------------------------------------

namespace detail {

/// Puts one attribute-list object into a minimal playlist, writes it canonically,
/// re-reads it leniently and compares the object that comes back.
/// Returns "" when equal, "refused: ..." when the writer refused, else the problem.
template <class T>
std::string write_back(const T& obj, hlspp::detail::tag_id tag) {
  using hlspp::detail::tag_id;
  hlspp::playlist pl;
  auto media_with_segment = [] {
    hlspp::media_playlist m;
    m.target_duration = 10;
    hlspp::media_segment s;
    s.uri = "s.ts";
    s.duration = 1;
    m.segments.push_back(std::move(s));
    return m;
  };
  if constexpr (std::is_same_v<T, hlspp::variant_stream>) {
    hlspp::master_playlist m;
    m.variants.push_back(obj);
    m.variants.back().uri = "v.m3u8";
    pl = std::move(m);
  } else if constexpr (std::is_same_v<T, hlspp::iframe_stream>) {
    hlspp::master_playlist m;
    m.iframe_streams.push_back(obj);
    pl = std::move(m);
  } else if constexpr (std::is_same_v<T, hlspp::rendition>) {
    hlspp::master_playlist m;
    m.renditions.push_back(obj);
    pl = std::move(m);
  } else if constexpr (std::is_same_v<T, hlspp::session_data>) {
    hlspp::master_playlist m;
    m.session_data.push_back(obj);
    pl = std::move(m);
  } else if constexpr (std::is_same_v<T, hlspp::session_key>) {
    hlspp::master_playlist m;
    m.session_keys.push_back(obj);
    pl = std::move(m);
  } else if constexpr (std::is_same_v<T, hlspp::content_steering>) {
    hlspp::master_playlist m;
    m.content_steering = obj;
    pl = std::move(m);
  } else if constexpr (std::is_same_v<T, hlspp::key>) {
    auto m = media_with_segment();
    m.segments[0].keys.push_back(obj);
    pl = std::move(m);
  } else if constexpr (std::is_same_v<T, hlspp::init_section>) {
    auto m = media_with_segment();
    m.segments[0].map = obj;
    pl = std::move(m);
  } else if constexpr (std::is_same_v<T, hlspp::date_range>) {
    auto m = media_with_segment();
    m.segments[0].dateranges.push_back(obj);
    pl = std::move(m);
  } else if constexpr (std::is_same_v<T, hlspp::partial_segment>) {
    auto m = media_with_segment();
    m.segments[0].parts.push_back(obj);
    pl = std::move(m);
  } else if constexpr (std::is_same_v<T, hlspp::preload_hint>) {
    auto m = media_with_segment();
    m.preload_hints.push_back(obj);
    pl = std::move(m);
  } else if constexpr (std::is_same_v<T, hlspp::rendition_report>) {
    auto m = media_with_segment();
    m.rendition_reports.push_back(obj);
    pl = std::move(m);
  } else if constexpr (std::is_same_v<T, hlspp::skip_info>) {
    auto m = media_with_segment();
    m.skip = obj;
    pl = std::move(m);
  } else if constexpr (std::is_same_v<T, hlspp::server_control>) {
    auto m = media_with_segment();
    m.server_control = obj;
    pl = std::move(m);
  } else if constexpr (std::is_same_v<T, hlspp::part_information>) {
    auto m = media_with_segment();
    m.part_inf = obj;
    pl = std::move(m);
  } else if constexpr (std::is_same_v<T, hlspp::start_point>) {
    auto m = media_with_segment();
    m.start = obj;
    pl = std::move(m);
  } else {
    static_assert(std::is_same_v<T, hlspp::variable_definition>);
    auto m = media_with_segment();
    m.defines.push_back(obj);
    pl = std::move(m);
  }
  (void)tag;
  auto written = hlspp::serialize(pl, canonical_options());
  if (!written.ok()) return "refused: " + written.error().to_string();
  auto back = hlspp::parse(*written, hlspp::strictness::lenient);
  if (!back.ok()) return "written list does not re-parse: " + back.error().to_string();
  const T* again = nullptr;
  if constexpr (std::is_same_v<T, hlspp::variant_stream>) {
    if (back->is_master() && back->master().variants.size() == 1) again = &back->master().variants[0];
  } else if constexpr (std::is_same_v<T, hlspp::iframe_stream>) {
    if (back->is_master() && back->master().iframe_streams.size() == 1) again = &back->master().iframe_streams[0];
  } else if constexpr (std::is_same_v<T, hlspp::rendition>) {
    if (back->is_master() && back->master().renditions.size() == 1) again = &back->master().renditions[0];
  } else if constexpr (std::is_same_v<T, hlspp::session_data>) {
    if (back->is_master() && back->master().session_data.size() == 1) again = &back->master().session_data[0];
  } else if constexpr (std::is_same_v<T, hlspp::session_key>) {
    if (back->is_master() && back->master().session_keys.size() == 1) again = &back->master().session_keys[0];
  } else if constexpr (std::is_same_v<T, hlspp::content_steering>) {
    if (back->is_master() && back->master().content_steering) again = &*back->master().content_steering;
  } else {
    if (!back->is_media() || back->media().segments.size() != 1) return "written media playlist re-parses wrongly";
    const auto& m = back->media();
    const auto& s = m.segments[0];
    if constexpr (std::is_same_v<T, hlspp::key>) {
      if (s.keys.size() == 1) again = &s.keys[0];
    } else if constexpr (std::is_same_v<T, hlspp::init_section>) {
      if (s.map) again = &*s.map;
    } else if constexpr (std::is_same_v<T, hlspp::date_range>) {
      if (s.dateranges.size() == 1) again = &s.dateranges[0];
    } else if constexpr (std::is_same_v<T, hlspp::partial_segment>) {
      if (s.parts.size() == 1) again = &s.parts[0];
    } else if constexpr (std::is_same_v<T, hlspp::preload_hint>) {
      if (m.preload_hints.size() == 1) again = &m.preload_hints[0];
    } else if constexpr (std::is_same_v<T, hlspp::rendition_report>) {
      if (m.rendition_reports.size() == 1) again = &m.rendition_reports[0];
    } else if constexpr (std::is_same_v<T, hlspp::skip_info>) {
      if (m.skip) again = &*m.skip;
    } else if constexpr (std::is_same_v<T, hlspp::server_control>) {
      if (m.server_control) again = &*m.server_control;
    } else if constexpr (std::is_same_v<T, hlspp::part_information>) {
      if (m.part_inf) again = &*m.part_inf;
    } else if constexpr (std::is_same_v<T, hlspp::start_point>) {
      if (m.start) again = &*m.start;
    } else {
      if (m.defines.size() == 1) again = &m.defines[0];
    }
  }
  if (!again) return "the written element does not come back as one element";
  if (!hlspp::detail::attributes_equal(obj, *again)) return "the written element re-reads to different attributes";
  return {};
}

/// parse_attribute_list() into T (the list trimmed as the parser trims it), then
/// write_back(). A list read without an error must be written and re-read equal;
/// one with errors (a value kept in `other` because it is invalid, a token the
/// lexer could not split) may be refused by the writer, but what is written must
/// re-read equal.
template <class T>
std::string check_attribute_object(std::string_view list, hlspp::detail::tag_id tag, std::string_view what) {
  if (hlspp::detail::trim(list).size() != list.size()) list = hlspp::detail::trim(list);
  T obj{};
  bool malformed = false;
  std::string bad_code;
  hlspp::detail::parse_attribute_list(list, obj,
                                      [&](hlspp::diag_code c, hlspp::severity sev, std::size_t column,
                                          const std::string&) {
                                        if (sev == hlspp::severity::error) malformed = true;
                                        if (column > list.size() && bad_code.empty())
                                          bad_code = "column " + std::to_string(column) + " past the list";
                                        switch (c) {
                                          case hlspp::diag_code::whitespace:
                                          case hlspp::diag_code::malformed_attribute_list:
                                          case hlspp::diag_code::duplicate_attribute:
                                          case hlspp::diag_code::invalid_attribute_value:
                                          case hlspp::diag_code::unknown_attribute:
                                            break;
                                          default:
                                            if (bad_code.empty())
                                              bad_code = "unexpected code " + std::string(hlspp::code_name(c));
                                        }
                                      });
  if (!bad_code.empty()) return std::string(what) + ": " + bad_code;
  std::string e = write_back(obj, tag);
  if (e.empty()) return {};
  if (e.rfind("refused: ", 0) == 0 && malformed) return {};
  return std::string(what) + (malformed ? " (list with errors): " : " (list without errors): ") + e;
}

}  // namespace detail

/// fuzz_attributes: input "TAG:LIST", one line (the tag picks the schema; any other
/// text is read as a bare EXT-X-STREAM-INF list; bytes after an LF are ignored).
/// - lex_attributes(): every name and value is a slice of the list at its column,
///   in order, without overlap; problems are reported inside the list;
/// - parse_attribute_list(): only attribute-level codes; a list read without
///   errors writes back canonically and re-reads to equal attributes
///   (check_attribute_object);
///   the list is always also read as a variant (EXT-X-STREAM-INF).
inline std::string check_attributes(std::string_view input) {
  using hlspp::detail::tag_id;
  // One line, as the parser would see it: up to the first LF, without the CR of a CRLF.
  input = input.substr(0, input.find('\n'));
  if (!input.empty() && input.back() == '\r') input.remove_suffix(1);
  std::string_view list = input;
  tag_id tag = tag_id::stream_inf;
  if (const std::size_t colon = input.find(':'); colon != std::string_view::npos) {
    const tag_id t = hlspp::detail::lookup_tag(input.substr(0, colon));
    if (t != tag_id::none) {
      tag = t;
      list = input.substr(colon + 1);
    }
  }

  // The lexer alone, on the raw list.
  std::string lex_error;
  std::size_t last_end = 0;
  hlspp::detail::lex_attributes(
      list,
      [&](const hlspp::detail::raw_attribute& a) {
        if (!lex_error.empty()) return;
        const char* lo = list.data();
        const char* hi = list.data() + list.size();
        if (a.name.data() < lo || a.name.data() + a.name.size() > hi || a.value.data() < lo ||
            a.value.data() + a.value.size() > hi) {
          lex_error = "lex_attributes: a slice outside the list";
          return;
        }
        const auto name_at = static_cast<std::size_t>(a.name.data() - lo);
        const auto value_at = static_cast<std::size_t>(a.value.data() - lo);
        if (name_at != a.column) lex_error = "lex_attributes: column does not match the name";
        else if (name_at < last_end) lex_error = "lex_attributes: attributes overlap or go backwards";
        else if (value_at != name_at + a.name.size() + 1 || list[value_at - 1] != '=')
          lex_error = "lex_attributes: value does not follow NAME=";
        last_end = value_at + a.value.size();
      },
      [&](const hlspp::detail::lex_problem& p) {
        if (lex_error.empty() && (p.column > list.size() || p.what == nullptr))
          lex_error = "lex_attributes: problem reported outside the list";
      });
  if (!lex_error.empty()) return lex_error;

  std::string e;
  switch (tag) {
    case tag_id::key: e = detail::check_attribute_object<hlspp::key>(list, tag, "EXT-X-KEY"); break;
    case tag_id::session_key:
      e = detail::check_attribute_object<hlspp::session_key>(list, tag, "EXT-X-SESSION-KEY");
      break;
    case tag_id::map: e = detail::check_attribute_object<hlspp::init_section>(list, tag, "EXT-X-MAP"); break;
    case tag_id::daterange:
      e = detail::check_attribute_object<hlspp::date_range>(list, tag, "EXT-X-DATERANGE");
      break;
    case tag_id::part: e = detail::check_attribute_object<hlspp::partial_segment>(list, tag, "EXT-X-PART"); break;
    case tag_id::preload_hint:
      e = detail::check_attribute_object<hlspp::preload_hint>(list, tag, "EXT-X-PRELOAD-HINT");
      break;
    case tag_id::rendition_report:
      e = detail::check_attribute_object<hlspp::rendition_report>(list, tag, "EXT-X-RENDITION-REPORT");
      break;
    case tag_id::skip: e = detail::check_attribute_object<hlspp::skip_info>(list, tag, "EXT-X-SKIP"); break;
    case tag_id::server_control:
      e = detail::check_attribute_object<hlspp::server_control>(list, tag, "EXT-X-SERVER-CONTROL");
      break;
    case tag_id::part_inf:
      e = detail::check_attribute_object<hlspp::part_information>(list, tag, "EXT-X-PART-INF");
      break;
    case tag_id::start: e = detail::check_attribute_object<hlspp::start_point>(list, tag, "EXT-X-START"); break;
    case tag_id::define:
      e = detail::check_attribute_object<hlspp::variable_definition>(list, tag, "EXT-X-DEFINE");
      break;
    case tag_id::media: e = detail::check_attribute_object<hlspp::rendition>(list, tag, "EXT-X-MEDIA"); break;
    case tag_id::i_frame_stream_inf:
      e = detail::check_attribute_object<hlspp::iframe_stream>(list, tag, "EXT-X-I-FRAME-STREAM-INF");
      break;
    case tag_id::session_data:
      e = detail::check_attribute_object<hlspp::session_data>(list, tag, "EXT-X-SESSION-DATA");
      break;
    case tag_id::content_steering:
      e = detail::check_attribute_object<hlspp::content_steering>(list, tag, "EXT-X-CONTENT-STEERING");
      break;
    default: break;
  }
  if (!e.empty()) return e;
  // Always also as a variant stream.
  return detail::check_attribute_object<hlspp::variant_stream>(list, tag_id::stream_inf, "EXT-X-STREAM-INF");
}

// ---- rebase ---------------------------------------------------------------------

/// fuzz_rebase: input "BASE\nPLAYLIST". After rebase(pl, BASE):
/// - an unusable base (not absolute, or not quotable) changes nothing and is
///   reported as invalid-base-uri;
/// - otherwise every rebaseable URI (relative, no {$var}) became
///   resolve_uri(BASE, uri), which is absolute, and nothing else changed;
///   `rewritten` counts the changes;
/// - resolve_uri() never produces CR or LF from inputs without them;
/// - the lossless output is written (or, for text with parse errors only, refused
///   with unsafe-value), re-parses leniently, and gives back exactly the rebased URIs;
/// - relativize() with the same base: each rewritten URI resolves back to the
///   absolute one, and the output again re-parses to the same URIs.
inline std::string check_rebase(std::string_view input) {
  const std::size_t nl = input.find('\n');
  if (nl == std::string_view::npos) return {};
  std::string_view base = input.substr(0, nl);
  if (!base.empty() && base.back() == '\r') base.remove_suffix(1);
  const std::string_view body = input.substr(nl + 1);

  auto parsed = hlspp::parse(body, hlspp::strictness::lenient);
  if (!parsed.ok()) return {};  // a limit: fuzz_parse covers lenient failures
  hlspp::playlist pl = *parsed;
  const std::vector<std::string> before = collect_uris(pl);
  const auto result = hlspp::rebase(pl, base);
  const std::vector<std::string> after = collect_uris(pl);
  if (after.size() != before.size()) return "rebase changed the number of URIs";

  const bool usable = hlspp::is_absolute_uri(base) && hlspp::detail::quotable(base);
  std::size_t changed = 0;
  for (std::size_t i = 0; i < before.size(); ++i) {
    const std::string& was = before[i];
    const std::string& now = after[i];
    if (was != now) ++changed;
    if (!usable || was.empty() || !hlspp::is_rebaseable_reference(was)) {
      if (now != was) return "rebase changed a URI it must leave alone: '" + was + "' -> '" + now + "'";
      continue;
    }
    const std::string expected = hlspp::resolve_uri(base, was);
    if (now != expected) return "rebased URI is not resolve_uri(base, uri): '" + now + "'";
    if (!hlspp::is_absolute_uri(now)) return "rebased URI is not absolute: '" + now + "'";
    if (!has_cr_or_lf(base) && !has_cr_or_lf(was) && has_cr_or_lf(now))
      return "resolve_uri produced CR/LF from inputs without any";
  }
  if (changed != result.rewritten)
    return "rebase_result::rewritten is " + std::to_string(result.rewritten) + ", " + std::to_string(changed) +
           " URIs changed";
  bool reported_base = false;
  for (const auto& d : result.diagnostics)
    if (d.code == hlspp::diag_code::invalid_base_uri && d.severity == hlspp::severity::error) reported_base = true;
  if (!usable && !reported_base) return "an unusable base was not reported as invalid-base-uri";
  if (usable && reported_base) return "a usable base was reported as invalid-base-uri";

  // The second line as a reference: resolution itself never adds CR/LF.
  {
    std::string_view ref = body.substr(0, body.find('\n'));
    if (!has_cr_or_lf(base) && !has_cr_or_lf(ref) && has_cr_or_lf(hlspp::resolve_uri(base, ref)))
      return "resolve_uri produced CR/LF from inputs without any";
  }

  // Output safety: on text the parser reported errors in, a rewritten line may carry
  // kept values (a lone CR, an attribute the lexer could not split) that cannot be
  // written again; then the write is refused, never wrong. Otherwise it must succeed.
  const bool broken = hlspp::has_errors(parsed.diagnostics());
  auto refused_ok = [&](const hlspp::serialize_result& w) {
    return broken && w.error().code == hlspp::diag_code::unsafe_value;
  };
  auto written = hlspp::serialize(pl);
  if (!written.ok()) {
    if (refused_ok(written)) return {};
    return "lossless write after rebase refused: " + written.error().to_string();
  }
  if (result.rewritten == 0 && *written != body) return "rebase that changed nothing changed the output";
  auto back = hlspp::parse(*written, hlspp::strictness::lenient);
  if (!back.ok()) return "rebased output does not re-parse leniently: " + back.error().to_string();
  if (collect_uris(*back) != after) return "rebased output re-parses to different URIs";

  if (usable) {
    hlspp::playlist rel = pl;
    const auto relativized = hlspp::relativize(rel, base);
    const std::vector<std::string> rel_uris = collect_uris(rel);
    if (rel_uris.size() != after.size()) return "relativize changed the number of URIs";
    for (std::size_t i = 0; i < after.size(); ++i) {
      if (rel_uris[i] == after[i]) continue;
      if (hlspp::resolve_uri(base, rel_uris[i]) != after[i])
        return "relativized URI '" + rel_uris[i] + "' does not resolve back to '" + after[i] + "'";
    }
    (void)relativized;
    auto rel_written = hlspp::serialize(rel);
    if (!rel_written.ok()) {
      if (refused_ok(rel_written)) return {};
      return "lossless write after relativize refused: " + rel_written.error().to_string();
    }
    auto rel_back = hlspp::parse(*rel_written, hlspp::strictness::lenient);
    if (!rel_back.ok()) return "relativized output does not re-parse leniently: " + rel_back.error().to_string();
    if (collect_uris(*rel_back) != rel_uris) return "relativized output re-parses to different URIs";
  }
  return {};
}

// ---- merge ----------------------------------------------------------------------

/// The separator line of fuzz_merge inputs. Letters after it on the same line set
/// options: 's' steering mode, 'p' allow_partial.
inline constexpr std::string_view merge_separator = "#--MERGE";

/// fuzz_merge: input "MASTER_A\n#--MERGE[sp]\nMASTER_B". Both parts must parse
/// (default strictness) as multivariant playlists, else the input is skipped.
/// - merge() either fails with an error-severity diagnostic, or its result
///   writes (lossless and canonical; a refusal with unsafe-value is accepted only
///   when an input had parse errors) and both texts re-parse to a multivariant
///   playlist, with the same number of variants when the inputs had no errors;
/// - when both inputs are valid (no error from the parser or validate()), a
///   successful merge validates without errors and its canonical text parses
///   strictly, unless allow_partial was set and merge() reported a
///   ladder-mismatch warning (the weaker invariant for partial merges).
inline std::string check_merge(std::string_view input) {
  const std::size_t sep = input.find(merge_separator);
  if (sep == std::string_view::npos) return {};
  const std::string_view first = input.substr(0, sep);
  std::string_view rest = input.substr(sep + merge_separator.size());
  const std::size_t eol = rest.find('\n');
  const std::string_view flags = rest.substr(0, eol);
  const std::string_view second = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);

  auto a = hlspp::parse(first, hlspp::strictness::normal);
  auto b = hlspp::parse(second, hlspp::strictness::normal);
  if (!a.ok() || !b.ok() || !a->is_master() || !b->is_master()) return {};
  const bool a_valid = !hlspp::has_errors(a.diagnostics()) && !hlspp::has_errors(hlspp::validate(*a));
  const bool b_valid = !hlspp::has_errors(b.diagnostics()) && !hlspp::has_errors(hlspp::validate(*b));

  hlspp::merge_options options;
  if (flags.find('s') != std::string_view::npos) {
    options.mode = hlspp::merge_mode::steering;
    options.steering_uri = "https://steer.example/v1/steer";
  }
  options.allow_partial = flags.find('p') != std::string_view::npos;
  std::vector<hlspp::merge_origin> origins;
  origins.push_back({a->master(), "https://origin-a.example/live/a/master.m3u8", ""});
  origins.push_back({b->master(), "https://origin-b.example/x/y/master.m3u8?token=1", ""});
  auto merged = hlspp::merge(std::move(origins), options);
  if (!merged.ok()) {
    if (merged.error().severity != hlspp::severity::error) return "merge failed without an error diagnostic";
    if (!hlspp::has_errors(merged.diagnostics())) return "merge failed but its diagnostics hold no error";
    return {};
  }
  // As for rebase: values kept from text with parse errors may make a rewritten line
  // unwritable; then (only then) the write may be refused with unsafe-value.
  const bool broken = hlspp::has_errors(a.diagnostics()) || hlspp::has_errors(b.diagnostics());
  auto lossless = hlspp::serialize(*merged);
  auto canonical = hlspp::serialize(*merged, canonical_options());
  for (const auto* w : {&lossless, &canonical})
    if (!w->ok()) {
      if (broken && w->error().code == hlspp::diag_code::unsafe_value) return {};
      return "merged playlist: write refused: " + w->error().to_string();
    }
  auto back = hlspp::parse(*canonical, hlspp::strictness::lenient);
  if (!back.ok() || !back->is_master()) return "merged playlist: canonical output does not re-parse as a master";
  auto back_lossless = hlspp::parse(*lossless, hlspp::strictness::lenient);
  if (!back_lossless.ok() || !back_lossless->is_master())
    return "merged playlist: lossless output does not re-parse as a master";
  // Variant streams without a URI line or a BANDWIDTH (inputs with errors) need not
  // keep their count through a write; everything else must.
  if (!broken && back->master().variants.size() != merged->variants.size())
    return "merged playlist: canonical output re-parses to a different number of variants";
  if (!broken && back_lossless->master().variants.size() != merged->variants.size())
    return "merged playlist: lossless output re-parses to a different number of variants";
  // With allow_partial the caller accepts ladders that differ: merge() then keeps
  // what it cannot pair and says so with ladder-mismatch warnings, and the output
  // may break the redundant-copy rules. Only then may a merge of valid inputs fail
  // to validate (the "output validates or a diagnostic explains why").
  bool explained = false;
  for (const auto& d : merged.diagnostics())
    if (options.allow_partial && d.code == hlspp::diag_code::ladder_mismatch) explained = true;
  if (a_valid && b_valid && !explained) {
    for (const auto& d : hlspp::validate(*merged))
      if (d.severity == hlspp::severity::error)
        return "merge of two valid masters does not validate: " + d.to_string();
    auto strict = hlspp::parse(*canonical, hlspp::strictness::strict);
    if (!strict.ok()) return "merge of two valid masters does not re-parse strictly: " + strict.error().to_string();
  }
  return {};
}

// ---- variables ------------------------------------------------------------------

/// fuzz_variables: substitute_variables() on a lenient parse with several
/// max_expansion_bytes budgets.
/// - the canonical text grows by at most the budget (when both writes succeed);
/// - with a zero budget any growth is refused with expansion-too-large;
/// - substitution reports only variable codes;
/// - a substituted model that can be written (losslessly) re-parses leniently,
///   and (for text without parse errors) its canonical text is idempotent.
inline std::string check_variables(std::string_view text) {
  auto parsed = hlspp::parse(text, hlspp::strictness::lenient);
  if (!parsed.ok()) return {};
  const auto canonical = canonical_options();
  auto before = hlspp::serialize(*parsed, canonical);
  const hlspp::variable_table parent = {{"a", "1"}, {"host", "cdn.example"}, {"big", std::string(300, 'x')}};
  const std::size_t budgets[] = {0, 7, 1024, std::size_t{16} << 20};
  for (std::size_t budget : budgets) {
    hlspp::playlist pl = *parsed;
    hlspp::substitution_options so;
    so.parent = &parent;
    so.playlist_uri = "https://example.com/live/p.m3u8?a=1&b=%41%42&token=xyz&e=";
    so.max_expansion_bytes = budget;
    const auto r = hlspp::substitute_variables(pl, so);
    bool too_large = false;
    for (const auto& d : r.diagnostics) {
      switch (d.code) {
        case hlspp::diag_code::expansion_too_large: too_large = true; break;
        case hlspp::diag_code::undefined_variable:
        case hlspp::diag_code::import_without_parent:
        case hlspp::diag_code::missing_query_parameter:
          break;
        default: return "substitution reported unexpected code " + std::string(hlspp::code_name(d.code));
      }
    }
    auto after = hlspp::serialize(pl, canonical);
    if (before.ok() && after.ok() && after->size() > before->size() + budget)
      return "substitution grew the canonical text by " + std::to_string(after->size() - before->size()) +
             " bytes, over the budget of " + std::to_string(budget);
    if (budget == 0 && before.ok() && after.ok() && after->size() > before->size() && !too_large)
      return "growth with a zero budget without expansion-too-large";
    auto lossless = hlspp::serialize(pl);
    if (lossless.ok()) {
      auto back = hlspp::parse(*lossless, hlspp::strictness::lenient);
      if (!back.ok()) return "substituted output does not re-parse leniently: " + back.error().to_string();
    }
    if (after.ok()) {
      auto back = hlspp::parse(*after, hlspp::strictness::lenient);
      if (!back.ok()) return "substituted canonical output does not re-parse: " + back.error().to_string();
      // Idempotence as in check_canonical(): promised for text without parse errors.
      if (!hlspp::has_errors(parsed.diagnostics())) {
        auto again = hlspp::serialize(*back, canonical);
        if (!again.ok() || *again != *after) return "substituted canonical output is not idempotent";
      }
    }
  }
  return {};
}

}  // namespace hlspp_fuzz
