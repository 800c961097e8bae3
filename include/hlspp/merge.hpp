// SPDX-License-Identifier: MIT
#pragma once

/// @file merge.hpp
/// merge(): N origins' multivariant playlists into one master playlist that lists
/// every variant once per origin, so a player can fail over between origins.
///
/// - redundant mode (the classic, AWS-style clustered stream): each variant of the
///   first origin, in order, followed by its equivalent in every other origin; then
///   the I-frame streams grouped the same way.
/// - steering mode (Content Steering, RFC 8216bis §7): the same grouping, plus a
///   PATHWAY-ID per origin, stable IDs shared by the copies, and one
///   EXT-X-CONTENT-STEERING tag.
/// Every URI of the output is absolute; rendition groups are renamed per origin
/// ("aac" -> "aac-a") so each copy keeps its own audio; the result is deterministic.
/// The first origin's playlist-level comments and unknown tags are kept; a URI line
/// that follows no EXT-X-STREAM-INF is dropped with a warning, and so is
/// CLOSED-CAPTIONS=NONE when the origins do not all say it (the spec wants it on every
/// variant or on none).

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "compare.hpp"
#include "detail/renditions.hpp"
#include "diagnostics.hpp"
#include "master_playlist.hpp"
#include "playlist.hpp"
#include "rebase.hpp"
#include "variables.hpp"

namespace hlspp {

enum class merge_mode : std::uint8_t { redundant, steering };

/// One origin: its multivariant playlist, the URL it was fetched from (after
/// redirects; relative URIs resolve against it) and its id (default "a", "b", ...).
struct merge_origin {
  master_playlist playlist;
  std::string base_uri;
  std::string id;
};

struct merge_options {
  merge_mode mode = merge_mode::redundant;
  /// Steering mode: the steering server's URI (required) and the default pathway
  /// (default: the first origin's id).
  std::string steering_uri;
  std::string default_pathway;
  /// Keep variants that have no equivalent in every origin (with a warning)
  /// instead of failing.
  bool allow_partial = false;
};

using merge_result = result<master_playlist>;

namespace detail {

/// What makes two variant streams copies of each other (hls.js and ExoPlayer group
/// redundant streams by these; spec-rules R11).
inline auto variant_key(const variant_stream& v) {
  return std::tie(v.bandwidth, v.average_bandwidth, v.codecs, v.resolution, v.frame_rate, v.video_range,
                  v.hdcp_level, v.supplemental_codecs, v.score);
}
inline auto iframe_key(const iframe_stream& v) {
  return std::tie(v.bandwidth, v.average_bandwidth, v.codecs, v.resolution, v.video_range, v.hdcp_level,
                  v.supplemental_codecs, v.score);
}

inline std::string describe(const variant_stream& v) {
  std::string s = "BANDWIDTH=" + (v.bandwidth ? std::to_string(*v.bandwidth) : std::string("?"));
  if (v.resolution) s += ",RESOLUTION=" + std::to_string(v.resolution->width) + "x" + std::to_string(v.resolution->height);
  if (v.codecs) s += ",CODECS=\"" + *v.codecs + "\"";
  s += " (" + v.uri + ")";
  return s;
}
inline std::string describe(const iframe_stream& v) {
  std::string s = "BANDWIDTH=" + (v.bandwidth ? std::to_string(*v.bandwidth) : std::string("?"));
  if (v.resolution) s += ",RESOLUTION=" + std::to_string(v.resolution->width) + "x" + std::to_string(v.resolution->height);
  if (v.codecs) s += ",CODECS=\"" + *v.codecs + "\"";
  s += " (" + v.uri.value_or("") + ")";
  return s;
}

inline std::string describe(const rendition& r) {
  return "TYPE=" + r.type.value_or("?") + ",GROUP-ID=\"" + r.group_id.value_or("") + "\",NAME=\"" +
         r.name.value_or("") + "\"";
}

/// The URI of a variant, I-frame stream or rendition (nullptr: none).
template <class Item>
auto* uri_string(Item& item) noexcept {
  if constexpr (std::is_same_v<std::decay_t<decltype(item.uri)>, std::string>) {
    return &item.uri;
  } else {
    return item.uri ? &*item.uri : nullptr;
  }
}
/// An empty URI string in `item`, to reserve capacity in before `item` is assigned.
inline std::string& empty_uri_string(variant_stream& v) noexcept { return v.uri; }
template <class Item>
std::string& empty_uri_string(Item& item) {
  return item.uri.emplace();
}

inline diagnostic merge_diag(diag_code code, severity sev, std::string message) {
  return diagnostic{code, sev, 0, 0, std::move(message)};
}

/// Consecutive items of one origin, read in place (merge() groups the copies it has
/// made without moving them again).
template <class T>
struct item_span {
  const T* first = nullptr;
  std::size_t count = 0;
  [[nodiscard]] std::size_t size() const noexcept { return count; }
  [[nodiscard]] const T& operator[](std::size_t i) const noexcept { return first[i]; }
  [[nodiscard]] const T* begin() const noexcept { return first; }
  [[nodiscard]] const T* end() const noexcept { return first + count; }
};

/// Groups the items of every origin: for each item of origin 0 (in order), the index
/// of its equivalent in each other origin (or npos). Leftovers of other origins are
/// appended as groups of their own. Returns the groups, n indexes each, one after
/// the other, and reports unmatched items (`describe(origin, index)` names one).
template <class Item, class Key, class Describe>
std::vector<std::size_t> group_equivalents(const std::vector<item_span<Item>>& lists,
                                           const std::vector<std::string>& ids, Key key, Describe describe,
                                           bool allow_partial, const char* what, diagnostics& diags) {
  constexpr std::size_t npos = static_cast<std::size_t>(-1);
  const std::size_t n = lists.size();
  std::vector<std::size_t> offset(n + 1, 0);  // origin o's flags: used[offset[o] + i]
  for (std::size_t o = 0; o < n; ++o) offset[o + 1] = offset[o] + lists[o].size();
  std::vector<char> used(offset[n], 0);
  std::vector<std::size_t> unused_from(n, 0);  // every item before it is used
  std::vector<std::size_t> groups;
  groups.reserve(lists[0].size() * n);
  const severity sev = allow_partial ? severity::warning : severity::error;
  for (std::size_t first = 0; first < n; ++first) {
    for (std::size_t i = 0; i < lists[first].size(); ++i) {
      if (used[offset[first] + i]) continue;
      used[offset[first] + i] = 1;
      const std::size_t at = groups.size();
      groups.resize(at + n, npos);
      groups[at + first] = i;
      const auto item_key = key(lists[first][i]);  // once, not once per comparison
      for (std::size_t o = 0; o < n; ++o) {
        if (o == first) continue;
        char* used_o = used.data() + offset[o];
        std::size_t& from = unused_from[o];
        while (from < lists[o].size() && used_o[from]) ++from;
        for (std::size_t j = from; j < lists[o].size(); ++j) {
          if (!used_o[j] && key(lists[o][j]) == item_key) {
            used_o[j] = 1;
            groups[at + o] = j;
            break;
          }
        }
        if (groups[at + o] == npos)
          diags.push_back(merge_diag(diag_code::ladder_mismatch, sev,
                                     std::string(what) + " " + describe(first, i) + " of origin '" + ids[first] +
                                         "' has no equivalent in origin '" + ids[o] + "'"));
      }
    }
  }
  return groups;
}

/// "aac" -> "aac-a", made unique against every group id already taken.
inline std::string unique_group_id(const std::string& group, const std::string& origin_id,
                                   std::vector<std::string>& taken) {
  std::string candidate = group + "-" + origin_id;
  for (int n = 2; std::find(taken.begin(), taken.end(), candidate) != taken.end(); ++n)
    candidate = group + "-" + origin_id + "-" + std::to_string(n);
  taken.push_back(candidate);
  return candidate;
}

inline std::uint64_t version_needed(const master_playlist& pl) {
  std::uint64_t v = 1;
  for (const auto& r : pl.renditions) {
    if (r.instream_id && starts_with(*r.instream_id, "SERVICE")) v = std::max<std::uint64_t>(v, 7);
    if (r.instream_id && r.type && *r.type != "CLOSED-CAPTIONS") v = std::max<std::uint64_t>(v, 13);
  }
  if (!pl.defines.empty()) v = std::max<std::uint64_t>(v, 8);
  for (const auto& d : pl.defines)
    if (d.queryparam) v = std::max<std::uint64_t>(v, 11);
  auto req = [&](const attribute_list& other) {
    for (const auto& a : other)
      if (starts_with(a.name, "REQ-")) v = std::max<std::uint64_t>(v, 12);
  };
  for (const auto& x : pl.variants) {
    req(x.other);
    if (x.req_video_layout) v = std::max<std::uint64_t>(v, 12);
  }
  for (const auto& x : pl.iframe_streams) {
    req(x.other);
    if (x.req_video_layout) v = std::max<std::uint64_t>(v, 12);
  }
  return v;
}

}  // namespace detail

/// Merges two or more origins into one master playlist (see the file comment).
/// Fails (result::error()) when fewer than two origins are given, ids collide, the
/// ladders differ without allow_partial, or steering mode has no steering URI; the
/// diagnostics say which origin and which variant.
///
/// The origins are only read: each variant, rendition, ... is copied once, into the
/// result, and its URIs are made absolute and its group references renamed there.
[[nodiscard]] inline merge_result merge(const std::vector<merge_origin>& origins, const merge_options& options = {}) {
  diagnostics diags;
  auto fail = [&](diag_code code, std::string message) {
    diagnostic d = detail::merge_diag(code, severity::error, std::move(message));
    diags.push_back(d);
    return merge_result(std::move(d), std::move(diags));
  };
  if (origins.size() < 2) return fail(diag_code::merge_input, "merge needs at least two origins");
  const bool steering = options.mode == merge_mode::steering;
  if (steering && options.steering_uri.empty())
    return fail(diag_code::merge_input, "steering mode needs the steering server's URI");
  const std::size_t n = origins.size();

  // Ids: given or a, b, c, ...; unique and usable as PATHWAY-ID / group suffix.
  std::vector<std::string> ids;
  ids.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::string id = origins[i].id;
    if (id.empty()) {
      id = i < 26 ? std::string(1, static_cast<char>('a' + i)) : "o" + std::to_string(i + 1);
    }
    for (char c : id)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
            c == '-'))
        return fail(diag_code::merge_input, "origin id '" + id + "' may use only [a-zA-Z0-9._-]");
    if (std::find(ids.begin(), ids.end(), id) != ids.end())
      return fail(diag_code::merge_input, "origin id '" + id + "' is used twice");
    ids.push_back(std::move(id));
  }

  // The playlists merged: the origins' own, or substituted copies when their
  // variables differ (identical definitions are kept; otherwise each origin is expanded).
  std::vector<const master_playlist*> pls(n);
  for (std::size_t i = 0; i < n; ++i) pls[i] = &origins[i].playlist;
  bool same_defines = true;
  for (const auto& o : origins)
    if (!(o.playlist.defines == origins[0].playlist.defines)) same_defines = false;
  std::vector<master_playlist> substituted;
  if (!same_defines) {
    diags.push_back(detail::merge_diag(diag_code::merge_conflict, severity::warning,
                                       "origins define different EXT-X-DEFINE variables: each origin is "
                                       "substituted and the merged playlist defines none"));
    substituted.reserve(n);  // pls points into it
    for (std::size_t i = 0; i < n; ++i) {
      substituted.push_back(origins[i].playlist);
      master_playlist& pl = substituted.back();
      substitution_options so;
      so.playlist_uri = origins[i].base_uri;
      auto r = substitute_variables(pl, so);
      for (auto& d : r.diagnostics) diags.push_back(std::move(d));
      pl.defines.clear();
      pls[i] = &pl;
    }
  }

  // Absolute URIs everywhere. What rebase() would report for each origin is reported
  // here, in its order; the URIs themselves are resolved on the copies that go into
  // the result (each once, by a resolver that splits the base once).
  std::vector<std::optional<detail::uri_resolver>> resolvers(n);  // set when the base is usable
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& base = origins[i].base_uri;
    if (base.empty() || !is_absolute_uri(base))
      return fail(diag_code::merge_input, "origin base URI '" + base + "' must be an absolute URL");
    rebase_result r;
    if (detail::usable_base(base, r)) {
      resolvers[i].emplace(base);
      detail::visit_uris(*pls[i], [&](const std::string& uri, const detail::uri_site& site) {
        if (!uri.empty()) (void)detail::report_variable_reference(uri, site, r);
      });
    }
    for (auto& d : r.diagnostics) diags.push_back(std::move(d));
  }
  auto absolute = [&](std::size_t i, std::string& uri) {
    if (!resolvers[i] || uri.empty() || !is_rebaseable_reference(uri)) return;
    (void)resolvers[i]->resolve_in_place(uri);
  };
  auto absolute_opt = [&](std::size_t i, std::optional<std::string>& uri) {
    if (uri) absolute(i, *uri);
  };
  // A copy of `src` at the back of `into`. A plain relative URI is made absolute here,
  // in a string given the capacity of its absolute form before the copy is assigned
  // into it: one allocation instead of two (the copies are most of merge's work). Any
  // other URI is left to `absolute`.
  auto copy_into = [&](std::size_t i, auto& into, const auto& src) -> auto& {
    const std::string* uri = detail::uri_string(src);
    const std::size_t size =
        resolvers[i] && uri && !has_variable_reference(*uri) ? resolvers[i]->plain_resolved_size(*uri) : 0;
    if (size == 0) return into.emplace_back(src);
    auto& copy = into.emplace_back();
    detail::empty_uri_string(copy).reserve(size);
    copy = src;  // a string assigned into enough capacity keeps it
    resolvers[i]->prepend_directory(*detail::uri_string(copy));
    return copy;
  };

  master_playlist out;
  // Keep every input's text so unchanged lines are written with their own bytes.
  for (const auto* pl : pls)
    for (const auto& s : pl->layout.sources) out.layout.sources.push_back(s);

  // Header: one of each, only when every origin agrees.
  std::optional<std::uint64_t> version;
  bool all_independent = true;
  bool same_start = true;
  for (const auto* pl : pls) {
    if (pl->version) version = std::max(version.value_or(0), *pl->version);
    all_independent = all_independent && pl->independent_segments;
    if (!(pl->start == pls[0]->start)) same_start = false;
  }
  out.independent_segments = all_independent;
  if (same_start) {
    out.start = pls[0]->start;
  } else {
    diags.push_back(detail::merge_diag(diag_code::merge_conflict, severity::warning,
                                       "origins disagree on EXT-X-START; the merged playlist has none"));
  }
  if (same_defines) out.defines = pls[0]->defines;
  // The first origin's comments and unknown tags are kept. A URI line that follows no
  // EXT-X-STREAM-INF (kept verbatim by a lenient parse) is not: it is relative to that
  // origin, names no variant, and alone it would make the written text read back as a
  // media playlist.
  out.extras.reserve(pls[0]->extras.size());
  for (const auto& e : pls[0]->extras) {
    if (e.type == extra_line::kind::verbatim && !e.text.empty() && e.text.front() != '#') {
      diags.push_back(detail::merge_diag(diag_code::uri_without_stream_inf, severity::warning,
                                         "the URI line '" + e.text +
                                             "' follows no EXT-X-STREAM-INF; the merged playlist drops it"));
      continue;
    }
    out.extras.push_back(e);
  }

  // Rendition groups renamed per origin; references rewritten with the same map.
  std::vector<std::string> taken;
  for (const auto* pl : pls)
    for (const auto& r : pl->renditions)
      if (r.group_id) taken.push_back(*r.group_id);
  std::vector<std::vector<std::tuple<std::string, std::string, std::string>>> renames(n);  // type, old, new
  auto renamed = [&](std::size_t i, std::string_view type, const std::string& old) -> const std::string* {
    for (const auto& [t, o, nw] : renames[i])
      if (t == type && o == old) return &nw;
    return nullptr;
  };
  auto rewrite = [&](std::size_t i, std::optional<std::string>& ref, std::string_view type) {
    if (!ref || (type == "CLOSED-CAPTIONS" && *ref == "NONE")) return;
    if (const std::string* nw = renamed(i, type, *ref)) ref = *nw;
  };

  // Renditions: each origin's, in order, copied into the result once.
  std::vector<std::size_t> rendition_start(n + 1, 0);
  {
    std::size_t total = 0;
    for (const auto* pl : pls) total += pl->renditions.size();
    out.renditions.reserve(total);
  }
  for (std::size_t i = 0; i < n; ++i) {
    rendition_start[i] = out.renditions.size();
    std::size_t local = 0;
    for (const auto& src : pls[i]->renditions) {
      rendition& r = copy_into(i, out.renditions, src);
      if (r.group_id && r.type) {
        const std::string* existing = renamed(i, *r.type, *r.group_id);
        if (!existing) {
          renames[i].emplace_back(*r.type, *r.group_id, detail::unique_group_id(*r.group_id, ids[i], taken));
          existing = &std::get<2>(renames[i].back());
        }
        r.group_id = *existing;
      }
      absolute_opt(i, r.uri);
      if (steering && !r.stable_rendition_id) {
        // Copies share the id of the first origin's rendition at the same place.
        r.stable_rendition_id = "r" + std::to_string(local + 1);
      }
      if (i > 0) r.extras.clear();
      ++local;
    }
  }
  rendition_start[n] = out.renditions.size();
  auto renditions_of = [&](std::size_t i) {
    return detail::item_span<rendition>{out.renditions.data() + rendition_start[i],
                                        rendition_start[i + 1] - rendition_start[i]};
  };

  // Renditions: every origin must offer the same members (TYPE, NAME, LANGUAGE per group).
  {
    std::vector<detail::item_span<rendition>> lists;
    for (std::size_t i = 0; i < n; ++i) lists.push_back(renditions_of(i));
    auto key = [](const rendition& r) { return std::tie(r.type, r.name, r.language, r.assoc_language); };
    auto describe = [&](std::size_t o, std::size_t i) { return detail::describe(lists[o][i]); };
    // Only the diagnostics matter here: renditions are written per origin, in order.
    (void)detail::group_equivalents(lists, ids, key, describe, true, "rendition", diags);
  }
  // A rendition group mismatch is an error unless partial merges are allowed.
  for (auto& d : diags)
    if (d.code == diag_code::ladder_mismatch && !options.allow_partial) d.severity = severity::error;

  // Variants and I-frame streams: grouped on the origins' own items (the grouping
  // keys hold no URI or group reference), then each copy is made once, straight into
  // its place in the result, with absolute URIs and renamed references.
  constexpr std::size_t npos = static_cast<std::size_t>(-1);
  // A diagnostic names an item by its absolute URI, as it appears in the result.
  auto describe_variant = [&](std::size_t o, std::size_t i) {
    variant_stream v = pls[o]->variants[i];
    absolute(o, v.uri);
    return detail::describe(v);
  };
  auto describe_iframe = [&](std::size_t o, std::size_t i) {
    iframe_stream f = pls[o]->iframe_streams[i];
    absolute_opt(o, f.uri);
    return detail::describe(f);
  };

  // Variants, interleaved: each of the first origin's, then its copies.
  std::vector<detail::item_span<variant_stream>> vlists;
  vlists.reserve(n);
  for (const auto* pl : pls) vlists.push_back({pl->variants.data(), pl->variants.size()});
  const auto vgroups =
      detail::group_equivalents(vlists, ids, [](const variant_stream& v) { return detail::variant_key(v); },
                                describe_variant, options.allow_partial, "variant", diags);
  // Copies each group of equivalent items (one slot per origin, npos: none) into `into`,
  // origin by origin, with `fix` making a copy right for its origin. In steering mode the
  // copies share a STABLE-VARIANT-ID (the first one an origin gives, else prefix + the
  // group's number) and take their origin's PATHWAY-ID. Gives each group's first copy.
  auto copy_groups = [&](const auto& lists, const std::vector<std::size_t>& groups, auto& into,
                         const char* id_prefix, auto fix) {
    std::size_t total = 0;
    for (const auto& l : lists) total += l.size();
    into.reserve(total);  // the comparison below holds views into the copies
    std::vector<std::size_t> group_start;
    group_start.reserve(groups.size() / n);
    for (std::size_t at = 0, group_index = 1; at < groups.size(); at += n, ++group_index) {
      const std::size_t* g = groups.data() + at;
      group_start.push_back(into.size());
      const std::optional<std::string>* stable = nullptr;
      for (std::size_t o = 0; o < n && !stable; ++o)
        if (g[o] != npos && lists[o][g[o]].stable_variant_id) stable = &lists[o][g[o]].stable_variant_id;
      for (std::size_t o = 0; o < n; ++o) {
        if (g[o] == npos) continue;
        auto& copy = copy_into(o, into, lists[o][g[o]]);
        fix(o, copy);
        if (o > 0) copy.extras.clear();
        if (steering) {
          copy.pathway_id = ids[o];
          copy.stable_variant_id = stable ? **stable : id_prefix + std::to_string(group_index);
        }
      }
    }
    return group_start;
  };
  const std::vector<std::size_t> vgroup_start =
      copy_groups(vlists, vgroups, out.variants, "v", [&](std::size_t o, variant_stream& v) {
        absolute(o, v.uri);
        rewrite(o, v.audio, "AUDIO");
        rewrite(o, v.video, "VIDEO");
        rewrite(o, v.subtitles, "SUBTITLES");
        rewrite(o, v.closed_captions, "CLOSED-CAPTIONS");
      });
  // CLOSED-CAPTIONS=NONE must be on every EXT-X-STREAM-INF or on none (§4.4.6.2). Each
  // origin is consistent alone, but one may say NONE where another says nothing (or
  // names a group): NONE is then dropped, which asserts nothing the origins did not.
  {
    std::size_t with_none = 0;
    for (const auto& v : out.variants) with_none += v.closed_captions && *v.closed_captions == "NONE" ? 1 : 0;
    if (with_none != 0 && with_none != out.variants.size()) {
      for (auto& v : out.variants)
        if (v.closed_captions && *v.closed_captions == "NONE") v.closed_captions.reset();
      diags.push_back(detail::merge_diag(diag_code::merge_conflict, severity::warning,
                                         "origins disagree on CLOSED-CAPTIONS=NONE (" + std::to_string(with_none) +
                                             " of " + std::to_string(out.variants.size()) +
                                             " variant copies have it); the merged playlist omits it"));
    }
  }
  // Paired copies must reference equivalent rendition groups (§4.4.6.1.1). Pairing
  // renditions one by one above cannot see a member that sits in another group, or
  // one that differs in DEFAULT: compare the groups each pair of copies references.
  {
    std::vector<std::tuple<std::string_view, std::string_view, std::string_view>> compared;  // (TYPE, group, group)
    for (std::size_t k = 0; k < vgroup_start.size(); ++k) {
      const std::size_t* g = vgroups.data() + k * n;
      std::size_t first = 0;
      while (first < n && g[first] == npos) ++first;
      if (first == n) continue;
      const variant_stream& a = out.variants[vgroup_start[k]];
      std::size_t copy = vgroup_start[k];
      for (std::size_t o = first + 1; o < n; ++o) {
        if (g[o] == npos) continue;
        const variant_stream& b = out.variants[++copy];
        const std::pair<const char*, std::pair<const std::optional<std::string>*, const std::optional<std::string>*>>
            refs[] = {{"AUDIO", {&a.audio, &b.audio}},
                      {"VIDEO", {&a.video, &b.video}},
                      {"SUBTITLES", {&a.subtitles, &b.subtitles}},
                      {"CLOSED-CAPTIONS", {&a.closed_captions, &b.closed_captions}}};
        for (const auto& [type, ref] : refs) {
          const auto& ra = *ref.first;
          const auto& rb = *ref.second;
          if (!ra || !rb || *ra == "NONE" || *rb == "NONE") continue;
          // Views of the copies' own strings (out.variants was reserved: they stay put).
          auto key = std::make_tuple(std::string_view(type), std::string_view(*ra), std::string_view(*rb));
          if (std::find(compared.begin(), compared.end(), key) != compared.end()) continue;
          compared.push_back(key);
          const std::string why = detail::groups_difference(detail::collect_group(renditions_of(first), type, *ra),
                                                            detail::collect_group(renditions_of(o), type, *rb));
          if (!why.empty())
            diags.push_back(detail::merge_diag(
                diag_code::ladder_mismatch, options.allow_partial ? severity::warning : severity::error,
                std::string(type) + " group \"" + *rb + "\" of origin '" + ids[o] + "' does not match group \"" + *ra +
                    "\" of origin '" + ids[first] + "' that the same variant uses: " + why));
        }
      }
    }
  }

  std::vector<detail::item_span<iframe_stream>> flists;
  flists.reserve(n);
  for (const auto* pl : pls) flists.push_back({pl->iframe_streams.data(), pl->iframe_streams.size()});
  const auto fgroups =
      detail::group_equivalents(flists, ids, [](const iframe_stream& v) { return detail::iframe_key(v); },
                                describe_iframe, options.allow_partial, "I-frame stream", diags);
  copy_groups(flists, fgroups, out.iframe_streams, "i", [&](std::size_t o, iframe_stream& f) {
    absolute_opt(o, f.uri);
    rewrite(o, f.video, "VIDEO");
  });

  // Session data: identical copies collapse; a different value for the same
  // (DATA-ID, LANGUAGE) is reported and the first origin's is kept.
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto& src : pls[i]->session_data) {
      hlspp::session_data d = src;
      absolute_opt(i, d.uri);
      bool keep = true;
      for (const auto& have : out.session_data) {
        if (have.data_id != d.data_id || have.language != d.language) continue;
        keep = false;
        if (!detail::attributes_equal(have, d))
          diags.push_back(detail::merge_diag(diag_code::merge_conflict, severity::warning,
                                             "EXT-X-SESSION-DATA DATA-ID=\"" + d.data_id.value_or("") +
                                                 "\" differs in origin '" + ids[i] + "'; the first origin's is kept"));
        break;
      }
      if (keep) {
        if (i > 0) d.extras.clear();
        out.session_data.push_back(std::move(d));
      }
    }
    for (const auto& src : pls[i]->session_keys) {
      session_key k = src;
      absolute_opt(i, k.uri);
      bool duplicate = false;
      for (const auto& have : out.session_keys)
        if (detail::attributes_equal<session_key>(have, k)) duplicate = true;
      if (!duplicate) {
        if (i > 0) k.extras.clear();
        out.session_keys.push_back(std::move(k));
      }
    }
  }

  if (steering && out.variants.empty())
    return fail(diag_code::merge_input, "steering mode needs variant streams to put on pathways");
  if (steering) {
    content_steering cs;
    cs.server_uri = options.steering_uri;
    cs.pathway_id = options.default_pathway.empty() ? ids[0] : options.default_pathway;
    if (std::find(ids.begin(), ids.end(), *cs.pathway_id) == ids.end())
      return fail(diag_code::merge_input, "default pathway '" + *cs.pathway_id + "' is not an origin id");
    out.content_steering = std::move(cs);
  } else if (pls[0]->content_steering) {
    diags.push_back(detail::merge_diag(diag_code::merge_conflict, severity::warning,
                                       "the origins' EXT-X-CONTENT-STEERING tags are dropped in redundant mode"));
  }

  const std::uint64_t needed = detail::version_needed(out);
  if (version || needed > 1) out.version = std::max(version.value_or(1), needed);

  if (has_errors(diags)) {
    for (const auto& d : diags)
      if (d.severity == severity::error) return merge_result(d, std::move(diags));
  }
  return merge_result(std::move(out), std::move(diags));
}

}  // namespace hlspp
