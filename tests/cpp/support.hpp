// SPDX-License-Identifier: MIT
// Small helpers shared by the unit tests (header only; included by test_*.cpp).
#pragma once

#include <hlspp/hlspp.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catch.hpp"

namespace hlspp_test {

/// Parses at the given strictness.
inline hlspp::parse_result parse_at(std::string_view text, hlspp::strictness level = hlspp::strictness::normal) {
  return hlspp::parse(text, level);
}

/// "LINE:COLUMN: severity: code: message" of every diagnostic, one per line (for INFO).
inline std::string dump(const hlspp::diagnostics& diags) {
  std::string out;
  for (const auto& d : diags) {
    out += d.to_string();
    out += '\n';
  }
  return out;
}

/// The first diagnostic with `code`, or nullptr.
inline const hlspp::diagnostic* find_diag(const hlspp::diagnostics& diags, hlspp::diag_code code) {
  for (const auto& d : diags)
    if (d.code == code) return &d;
  return nullptr;
}

/// Every diagnostic with `code`, in order.
inline std::vector<hlspp::diagnostic> all_diags(const hlspp::diagnostics& diags, hlspp::diag_code code) {
  std::vector<hlspp::diagnostic> out;
  for (const auto& d : diags)
    if (d.code == code) out.push_back(d);
  return out;
}

inline bool has_diag(const hlspp::diagnostics& diags, hlspp::diag_code code) {
  return find_diag(diags, code) != nullptr;
}

/// True when a diagnostic with this code sits at this line and column.
inline bool has_diag_at(const hlspp::diagnostics& diags, hlspp::diag_code code, std::uint32_t line,
                        std::uint32_t column) {
  for (const auto& d : diags)
    if (d.code == code && d.line == line && d.column == column) return true;
  return false;
}

/// Parses a media playlist that must parse (at `level`); fails the test otherwise.
inline hlspp::media_playlist media_of(std::string_view text, hlspp::strictness level = hlspp::strictness::normal) {
  auto r = hlspp::parse(text, level);
  INFO(dump(r.diagnostics()));
  REQUIRE(r.ok());
  REQUIRE(r->is_media());
  return std::move(r->media());
}

/// Parses a multivariant playlist that must parse (at `level`); fails the test otherwise.
inline hlspp::master_playlist master_of(std::string_view text,
                                        hlspp::strictness level = hlspp::strictness::normal) {
  auto r = hlspp::parse(text, level);
  INFO(dump(r.diagnostics()));
  REQUIRE(r.ok());
  REQUIRE(r->is_master());
  return std::move(r->master());
}

/// Lossless output that must succeed.
template <class P>
std::string lossless(const P& pl) {
  auto r = hlspp::serialize(pl);
  INFO((r.ok() ? std::string() : r.error().to_string()));
  REQUIRE(r.ok());
  return *r;
}

/// Canonical output that must succeed.
template <class P>
std::string canonical(const P& pl) {
  hlspp::serialize_options o;
  o.canonical = true;
  auto r = hlspp::serialize(pl, o);
  INFO((r.ok() ? std::string() : r.error().to_string()));
  REQUIRE(r.ok());
  return *r;
}

/// Splits on LF; each piece keeps a trailing CR if it had one. A final LF yields no
/// empty last piece.
inline std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      out.emplace_back(text.substr(start));
      break;
    }
    out.emplace_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

/// Indices of the lines that differ between two texts with the same number of lines
/// (REQUIREs the same count).
inline std::vector<std::size_t> changed_lines(std::string_view a, std::string_view b) {
  auto la = lines_of(a);
  auto lb = lines_of(b);
  REQUIRE(la.size() == lb.size());
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < la.size(); ++i)
    if (la[i] != lb[i]) out.push_back(i);
  return out;
}

/// True when f() throws an E (Catch's *_THROWS_AS is not in the allowed macro set).
template <class E, class F>
bool throws_as(F&& f) {
  try {
    f();
  } catch (const E&) {
    return true;
  } catch (...) {
    return false;
  }
  return false;
}

}  // namespace hlspp_test
