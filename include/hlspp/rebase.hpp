// SPDX-License-Identifier: MIT
#pragma once

/// @file rebase.hpp
/// rebase(): make every relative URI of a playlist absolute against the URL it was
/// fetched from, so the playlist can be served from somewhere else (or merged with
/// another origin's). relativize(): the inverse, rewriting absolute URIs relative to
/// a (new) playlist location.
///
/// Both walk every URI-bearing place of RFC 8216bis (spec-rules §1.7):
/// - media: segment URI lines, EXT-X-KEY, EXT-X-MAP, EXT-X-PART (of segments and of
///   the open trailing segment), EXT-X-PRELOAD-HINT, and the EXT-X-DATERANGE client
///   attribute X-ASSET-LIST (interstitials; quoted, the quotes are kept);
/// - multivariant: EXT-X-STREAM-INF URI lines, EXT-X-I-FRAME-STREAM-INF, EXT-X-MEDIA,
///   EXT-X-SESSION-DATA, EXT-X-SESSION-KEY and EXT-X-CONTENT-STEERING SERVER-URI.
///
/// Deliberately left alone:
/// - EXT-X-RENDITION-REPORT URIs: they MUST stay relative to the media playlist
///   (§4.4.5.4), so neither direction touches them;
/// - X-ASSET-URI: the spec requires it to be absolute already;
/// - absolute URIs of other schemes or hosts (`data:`, `skd:`, another CDN): a
///   resolution never changes them and relativize_uri() cannot express them;
/// - URIs holding a `{$name}` variable reference: their meaning is known only after
///   substitution, so each one is reported (warning, `undefined-variable`) and kept;
///   call substitute_variables() first to rewrite them too;
/// - empty URIs (`URI=""`): a reference to the playlist itself is almost surely a
///   mistake, and rewriting it would hide it; relativize() never produces one either.
///
/// PART and PRELOAD-HINT URIs go through the same function, so a hint still matches,
/// as a string, the part or map that later replaces it (§4.4.5.3).
///
/// Only the URIs change: the lossless writer gives back every other line, and every
/// other attribute of a changed line, exactly as it was written.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "detail/parser.hpp"
#include "detail/schema.hpp"
#include "detail/text.hpp"
#include "diagnostics.hpp"
#include "master_playlist.hpp"
#include "media_playlist.hpp"
#include "playlist.hpp"
#include "uri.hpp"

namespace hlspp {

/// What rebase() / relativize() did: how many URIs they rewrote, and what they left
/// alone for a reason worth knowing (a `{$var}` URI, an unusable base URI).
struct rebase_result {
  hlspp::diagnostics diagnostics;
  std::size_t rewritten = 0;
};

namespace detail {

/// Where a URI sits, for diagnostics and for the one rule that differs between a
/// URI line and a quoted attribute (a URI line cannot start with '#').
struct uri_site {
  std::string_view what;   // "segment URI line", "EXT-X-KEY URI", ...
  std::uint32_t line = 0;  // 1-based line in the parsed text, 0 when unknown
  bool uri_line = false;
};

/// The line of the `nth` line of kind `kind` in a block parsed from the playlist's
/// own text (`primary`), or 0 when the block was built or came from another text.
inline std::uint32_t block_line(const block_origin& o, std::uint32_t primary, char kind,
                                std::size_t nth = 0) noexcept {
  if (o.source == 0 || o.source != primary) return 0;
  for (std::size_t i = 0; i < o.line_kinds.size(); ++i) {
    if (o.line_kinds[i] != kind) continue;
    if (nth == 0) return o.line + static_cast<std::uint32_t>(i);
    --nth;
  }
  return 0;
}

/// The line of a playlist-level tag (`index`-th of its kind), or 0.
inline std::uint32_t layout_line(const playlist_layout& layout, tag_id tag, std::size_t index = 0) noexcept {
  for (const auto& e : layout.entries)
    if (e.tag == static_cast<std::uint16_t>(tag) && e.index == index && e.origin.source != 0 &&
        e.origin.source == layout.primary_source)
      return e.origin.line;
  return 0;
}

inline char kind_of(tag_id t) noexcept { return static_cast<char>(t); }

/// Applies `fn(std::string& uri, const uri_site&)` to an optional URI attribute
/// (`const std::string&` when the attribute is const).
template <class OptionalUri, class Fn>
void visit_uri(OptionalUri& uri, const uri_site& site, Fn& fn) {
  if (uri) fn(*uri, site);
}

/// Applies `fn` to a quoted client attribute (X-ASSET-LIST) without its quotes, and
/// puts the quotes back. An unquoted value is not a quoted-string URI: left alone.
template <class Fn>
void visit_quoted_attribute(attribute& a, const uri_site& site, Fn& fn) {
  if (!a.quoted()) return;
  std::string inner(a.unquoted());
  fn(inner, site);
  if (inner == a.unquoted()) return;
  a.value.clear();
  a.value.reserve(inner.size() + 2);
  a.value += '"';
  a.value += inner;
  a.value += '"';
}

/// Every URI-bearing place of one segment (or of the open trailing segment).
template <class Fn>
void visit_segment_uris(media_segment& s, std::uint32_t primary, Fn& fn) {
  if (!s.uri.empty()) {
    // Visitors work on std::string; the segment's bytes are replaced only when changed.
    std::string uri = s.uri.str();
    fn(uri, uri_site{"segment URI line", block_line(s.origin, primary, kind_uri), true});
    if (uri != s.uri) s.uri = uri;
  }
  for (std::size_t i = 0; i < s.keys.size(); ++i)
    visit_uri(s.keys[i].uri, uri_site{"EXT-X-KEY URI", block_line(s.origin, primary, kind_of(tag_id::key), i)},
              fn);
  if (s.map) visit_uri(s.map->uri, uri_site{"EXT-X-MAP URI", block_line(s.origin, primary, kind_of(tag_id::map))}, fn);
  for (std::size_t i = 0; i < s.dateranges.size(); ++i) {
    const uri_site site{"EXT-X-DATERANGE X-ASSET-LIST",
                        block_line(s.origin, primary, kind_of(tag_id::daterange), i)};
    for (auto& a : s.dateranges[i].other)
      if (a.name == "X-ASSET-LIST") visit_quoted_attribute(a, site, fn);
  }
  for (std::size_t i = 0; i < s.parts.size(); ++i)
    visit_uri(s.parts[i].uri,
              uri_site{"EXT-X-PART URI", block_line(s.origin, primary, kind_of(tag_id::part), i)}, fn);
}

/// Calls `fn(std::string& uri, const uri_site&)` on every URI of a media playlist
/// that a rebase rewrites (never on RENDITION-REPORT URIs).
template <class Fn>
void visit_uris(media_playlist& pl, Fn&& fn) {
  const std::uint32_t primary = pl.layout.primary_source;
  for (auto& s : pl.segments) visit_segment_uris(s, primary, fn);
  visit_segment_uris(pl.trailing, primary, fn);
  for (std::size_t i = 0; i < pl.preload_hints.size(); ++i)
    visit_uri(pl.preload_hints[i].uri,
              uri_site{"EXT-X-PRELOAD-HINT URI", layout_line(pl.layout, tag_id::preload_hint, i)}, fn);
}

/// Calls `fn(std::string& uri, const uri_site&)` on every URI of a multivariant playlist
/// (on a const playlist, `fn(const std::string&, ...)`: merge() reads its inputs so).
template <class Master, class Fn,
          std::enable_if_t<std::is_same_v<std::remove_const_t<Master>, master_playlist>, int> = 0>
void visit_uris(Master& pl, Fn&& fn) {
  const std::uint32_t primary = pl.layout.primary_source;
  for (auto& v : pl.variants)
    if (!v.uri.empty()) fn(v.uri, uri_site{"EXT-X-STREAM-INF URI line", block_line(v.origin, primary, kind_uri), true});
  for (auto& f : pl.iframe_streams)
    visit_uri(f.uri,
              uri_site{"EXT-X-I-FRAME-STREAM-INF URI", block_line(f.origin, primary, kind_of(tag_id::i_frame_stream_inf))},
              fn);
  for (auto& r : pl.renditions)
    visit_uri(r.uri, uri_site{"EXT-X-MEDIA URI", block_line(r.origin, primary, kind_of(tag_id::media))}, fn);
  for (auto& d : pl.session_data)
    visit_uri(d.uri, uri_site{"EXT-X-SESSION-DATA URI", block_line(d.origin, primary, kind_of(tag_id::session_data))},
              fn);
  for (auto& k : pl.session_keys)
    visit_uri(k.uri, uri_site{"EXT-X-SESSION-KEY URI", block_line(k.origin, primary, kind_of(tag_id::session_key))},
              fn);
  if (pl.content_steering)
    visit_uri(pl.content_steering->server_uri,
              uri_site{"EXT-X-CONTENT-STEERING SERVER-URI", layout_line(pl.layout, tag_id::content_steering)}, fn);
}

/// A base must be an absolute URI: resolving against a relative one silently drops
/// the ".." segments that climb above it (RFC 3986 §5.1 requires an absolute base).
/// It must also fit in a quoted-string, since it ends up in URI attributes.
inline bool usable_base(std::string_view base, rebase_result& out) {
  if (is_absolute_uri(base) && quotable(base)) return true;
  out.diagnostics.push_back({diag_code::invalid_base_uri, severity::error, 0, 0,
                             "base URI '" + std::string(base) +
                                 "' must be an absolute URI (with a scheme, no '\"', CR or LF); nothing was changed"});
  return false;
}

/// Reports (and tells the caller to keep) a URI holding a `{$name}` reference.
inline bool report_variable_reference(const std::string& uri, const uri_site& site, rebase_result& out) {
  if (!has_variable_reference(uri)) return false;
  out.diagnostics.push_back({diag_code::undefined_variable, severity::warning, site.line, site.line ? 1u : 0u,
                             std::string(site.what) + " '" + uri +
                                 "' holds a variable reference and was left unchanged: substitute variables first"});
  return true;
}

template <class P>
rebase_result rebase_any(P& pl, std::string_view base) {
  rebase_result out;
  if (!usable_base(base, out)) return out;
  const uri_parts split_base = split_uri(base);  // once, not once per URI
  visit_uris(pl, [&](std::string& uri, const uri_site& site) {
    if (uri.empty() || report_variable_reference(uri, site, out) || !is_rebaseable_reference(uri)) return;
    std::string resolved = resolve_uri(split_base, uri);
    if (resolved == uri) return;
    uri = std::move(resolved);
    ++out.rewritten;
  });
  return out;
}

template <class P>
rebase_result relativize_any(P& pl, std::string_view base) {
  rebase_result out;
  if (!usable_base(base, out)) return out;
  visit_uris(pl, [&](std::string& uri, const uri_site& site) {
    if (uri.empty() || report_variable_reference(uri, site, out) || !is_absolute_uri(uri)) return;
    std::optional<std::string> relative = relativize_uri(base, uri);
    // "" would mean the playlist itself; "#..." would turn a URI line into a comment.
    if (!relative || relative->empty() || (site.uri_line && relative->front() == '#')) return;
    uri = std::move(*relative);
    ++out.rewritten;
  });
  return out;
}

}  // namespace detail

/// Makes every relative URI of `pl` absolute by resolving it against `base_uri`
/// (RFC 3986 §5.2), which should be the URL the playlist was fetched from, after
/// redirects. See the file comment for the places rewritten and those left alone.
/// A base that is not an absolute URI changes nothing and is reported as an error
/// (`invalid-base-uri`); each `{$var}` URI left alone is reported as a warning.
inline rebase_result rebase(media_playlist& pl, std::string_view base_uri) {
  return detail::rebase_any(pl, base_uri);
}

/// Multivariant playlist: variant and I-frame stream URIs, renditions, session data
/// and keys, and the content-steering server URI.
inline rebase_result rebase(master_playlist& pl, std::string_view base_uri) {
  return detail::rebase_any(pl, base_uri);
}

inline rebase_result rebase(playlist& pl, std::string_view base_uri) {
  if (auto* m = pl.as_master()) return rebase(*m, base_uri);
  return rebase(pl.media(), base_uri);
}

/// The inverse of rebase(): rewrites every absolute URI of `pl` that can be expressed
/// relative to `base_uri` (same scheme and authority) as the shortest relative
/// reference that resolves back to it exactly (relativize_uri()). URIs of another
/// scheme or host, relative URIs, RENDITION-REPORT URIs and `{$var}` URIs (reported)
/// are left alone, and so is a URI that would become "" or, on a URI line, "#...".
/// rebase() then relativize() with the same base gives back the original text when
/// the original relative URIs were already in that shortest form.
inline rebase_result relativize(media_playlist& pl, std::string_view base_uri) {
  return detail::relativize_any(pl, base_uri);
}

inline rebase_result relativize(master_playlist& pl, std::string_view base_uri) {
  return detail::relativize_any(pl, base_uri);
}

inline rebase_result relativize(playlist& pl, std::string_view base_uri) {
  if (auto* m = pl.as_master()) return relativize(*m, base_uri);
  return relativize(pl.media(), base_uri);
}

}  // namespace hlspp
