// SPDX-License-Identifier: MIT
#pragma once

/// @file variables.hpp
/// EXT-X-DEFINE variable substitution (RFC 8216bis §4.3) as an explicit
/// operation. Parsing keeps `{$name}` as written (so it writes back exactly);
/// substitute_variables() replaces references in URI lines, quoted-string and
/// hexadecimal values. Replacement text is never re-substituted, and the total
/// growth is bounded, so a hostile playlist cannot make it explode.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detail/schema.hpp"
#include "diagnostics.hpp"
#include "playlist.hpp"
#include "uri.hpp"

namespace hlspp {

using variable_table = std::vector<std::pair<std::string, std::string>>;

struct substitution_options {
  /// The multivariant playlist's variables, for IMPORT (media playlists only).
  const variable_table* parent = nullptr;
  /// The URI the playlist was fetched from (after redirects), for QUERYPARAM.
  std::string playlist_uri;
  /// Bound on the bytes substitution may add in total.
  std::size_t max_expansion_bytes = std::size_t{16} << 20;
};

struct substitution_result {
  variable_table variables;  // what the playlist defines, in order
  hlspp::diagnostics diagnostics;
  [[nodiscard]] bool ok() const noexcept { return !has_errors(diagnostics); }
};

namespace detail {

inline int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Percent-decodes (and turns '+' into a space, as query strings do).
inline std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i] == '+' ? ' ' : s[i];
  }
  return out;
}

/// The value of query parameter `name` in `uri`, percent-decoded.
inline std::optional<std::string> query_parameter(std::string_view uri, std::string_view name) {
  const uri_parts parts = split_uri(uri);
  if (!parts.has_query) return std::nullopt;
  std::string_view q = parts.query;
  while (!q.empty()) {
    std::size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    std::size_t eq = pair.find('=');
    if (percent_decode(pair.substr(0, eq)) == name) {
      if (eq == std::string_view::npos || eq + 1 == pair.size()) return std::string{};
      return percent_decode(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

class substituter {
 public:
  substituter(const variable_table& vars, std::size_t budget, hlspp::diagnostics& diags)
      : vars_(vars), budget_(budget), diags_(diags) {}

  void apply(std::string& s) {
    if (s.find("{$") == std::string::npos || exhausted_) return;
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
      std::size_t open = s.find("{$", i);
      if (open == std::string::npos) break;
      std::size_t close = s.find('}', open + 2);
      if (close == std::string::npos) break;
      out.append(s, i, open - i);
      std::string_view name(s.data() + open + 2, close - open - 2);
      const std::string* value = lookup(name);
      if (!value) {
        diags_.push_back({diag_code::undefined_variable, severity::error, 0, 0,
                          "variable {$" + std::string(name) + "} is not defined"});
        out.append(s, open, close + 1 - open);
      } else {
        const std::size_t reference = close + 1 - open;
        if (value->size() > reference) {
          const std::size_t growth = value->size() - reference;
          if (growth > budget_) {
            exhausted_ = true;
            diags_.push_back({diag_code::expansion_too_large, severity::error, 0, 0,
                              "variable substitution would exceed the expansion limit"});
            return;
          }
          budget_ -= growth;
        }
        out += *value;
      }
      i = close + 1;
    }
    out.append(s, i, std::string::npos);
    s = std::move(out);
  }
  void apply(std::optional<std::string>& s) {
    if (s) apply(*s);
  }
  void apply(shared_string& s) {
    if (s.find("{$") == shared_string::npos || exhausted_) return;
    std::string text = s.str();
    apply(text);
    if (text != s) s = text;
  }
  template <class T>
  void apply_attributes(T& obj) {
    schema<T>::each([&](std::string_view, auto mp, attr_type type) {
      auto& field = member(obj, mp);
      using field_type = std::decay_t<decltype(field)>;
      if constexpr (std::is_same_v<field_type, std::optional<std::string>>) {
        if (type == attr_type::quoted || type == attr_type::quoted_or_empty || type == attr_type::hex ||
            (type == attr_type::closed_captions && field && *field != "NONE"))
          apply(field);
      } else if constexpr (std::is_same_v<field_type, std::optional<date_time>>) {
        if (field) apply(field->text);
      }
    });
    for (auto& a : obj.other)
      if (a.quoted() || starts_with(a.value, "0x") || starts_with(a.value, "0X")) apply(a.value);
  }
  [[nodiscard]] bool exhausted() const noexcept { return exhausted_; }

 private:
  const std::string* lookup(std::string_view name) const {
    for (const auto& [n, v] : vars_)
      if (n == name) return &v;
    return nullptr;
  }
  const variable_table& vars_;
  std::size_t budget_;
  hlspp::diagnostics& diags_;
  bool exhausted_ = false;
};

template <class P>
substitution_result collect_variables(const P& pl, const substitution_options& options, bool media) {
  substitution_result r;
  for (const auto& d : pl.defines) {
    if (d.name) {
      r.variables.emplace_back(*d.name, d.value.value_or(""));
    } else if (d.import) {
      const std::string* found = nullptr;
      if (media && options.parent)
        for (const auto& [n, v] : *options.parent)
          if (n == *d.import) found = &v;
      if (!found) {
        r.diagnostics.push_back({diag_code::import_without_parent, severity::error, 0, 0,
                                 "IMPORT=\"" + *d.import + "\" has no such variable in a parent playlist"});
        continue;
      }
      r.variables.emplace_back(*d.import, *found);
    } else if (d.queryparam) {
      auto value = query_parameter(options.playlist_uri, *d.queryparam);
      if (!value || value->empty() || !quotable(*value)) {
        r.diagnostics.push_back({diag_code::missing_query_parameter, severity::error, 0, 0,
                                 "QUERYPARAM=\"" + *d.queryparam + "\" is not a usable parameter of the playlist URI"});
        continue;
      }
      r.variables.emplace_back(*d.queryparam, std::move(*value));
    }
  }
  return r;
}

}  // namespace detail

/// Replaces every `{$name}` in `pl` with the variable's value. Returns the
/// variables and any problem (undefined name, missing import or query parameter,
/// expansion over the limit). Substituted elements are written canonically.
inline substitution_result substitute_variables(media_playlist& pl, const substitution_options& options = {}) {
  auto r = detail::collect_variables(pl, options, true);
  detail::substituter sub(r.variables, options.max_expansion_bytes, r.diagnostics);
  auto segment = [&](media_segment& s) {
    sub.apply(s.uri);
    for (auto& k : s.keys) sub.apply_attributes(k);
    if (s.map) sub.apply_attributes(*s.map);
    for (auto& d : s.dateranges) sub.apply_attributes(d);
    for (auto& p : s.parts) sub.apply_attributes(p);
  };
  for (auto& s : pl.segments) segment(s);
  segment(pl.trailing);
  for (auto& h : pl.preload_hints) sub.apply_attributes(h);
  for (auto& rr : pl.rendition_reports) sub.apply_attributes(rr);
  if (pl.skip) sub.apply_attributes(*pl.skip);
  return r;
}

inline substitution_result substitute_variables(master_playlist& pl, const substitution_options& options = {}) {
  auto r = detail::collect_variables(pl, options, false);
  detail::substituter sub(r.variables, options.max_expansion_bytes, r.diagnostics);
  for (auto& v : pl.variants) {
    sub.apply(v.uri);
    sub.apply_attributes(v);
  }
  for (auto& f : pl.iframe_streams) sub.apply_attributes(f);
  for (auto& m : pl.renditions) sub.apply_attributes(m);
  for (auto& d : pl.session_data) sub.apply_attributes(d);
  for (auto& k : pl.session_keys) sub.apply_attributes(static_cast<key&>(k));
  if (pl.content_steering) sub.apply_attributes(*pl.content_steering);
  return r;
}

inline substitution_result substitute_variables(playlist& pl, const substitution_options& options = {}) {
  if (auto* m = pl.as_master()) return substitute_variables(*m, options);
  return substitute_variables(pl.media(), options);
}

}  // namespace hlspp
