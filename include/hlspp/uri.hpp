// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// RFC 3986 URI-reference handling: decomposition, reference resolution and
/// its inverse (relativization), plus HLS-specific predicates used when
/// rebasing playlist URIs. No regex and no percent-encoding normalization:
/// URIs are treated as opaque text except for the structure RFC 3986 defines.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "detail/text.hpp"

namespace hlspp {

/// The five components of a URI reference (RFC 3986 §3, Appendix B).
///
/// The views point into the string passed to split_uri(); they are only valid
/// while that string is. The `has_*` flags distinguish an absent component
/// from a present but empty one (`http://a/?` has an empty query, `http://a/`
/// has none), which matters for resolution and recomposition (§5.3).
/// The path is always present (possibly empty), so it has no flag.
struct uri_parts {
    std::string_view scheme;     ///< without the trailing ':'
    std::string_view authority;  ///< without the leading "//"
    std::string_view path;       ///< always defined, possibly empty
    std::string_view query;      ///< without the leading '?'
    std::string_view fragment;   ///< without the leading '#'
    bool has_scheme = false;
    bool has_authority = false;
    bool has_query = false;
    bool has_fragment = false;
};

namespace detail {

/// ALPHA per RFC 5234 (ASCII only, locale independent).
[[nodiscard]] constexpr bool uri_is_alpha(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/// DIGIT per RFC 5234.
[[nodiscard]] constexpr bool uri_is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

/// True if `s` matches `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )` (§3.1).
[[nodiscard]] constexpr bool is_valid_scheme(std::string_view s) noexcept {
    if (s.empty() || !uri_is_alpha(s[0])) {
        return false;
    }
    for (std::size_t i = 1; i < s.size(); ++i) {
        const char c = s[i];
        if (!uri_is_alpha(c) && !uri_is_digit(c) && c != '+' && c != '-' && c != '.') {
            return false;
        }
    }
    return true;
}

/// Length of the scheme of `s` (without ':'), or 0 if `s` has no valid scheme.
/// One pass over the scheme's characters (string_view::find_first_of with a set
/// calls memchr once per character; this runs once per URI in rebase() and merge()):
/// any character that may not be in a scheme before the first ':' (including '/', '?'
/// and '#', which end the scheme part of Appendix B) means there is none.
[[nodiscard]] constexpr std::size_t scheme_length(std::string_view s) noexcept {
    if (s.empty() || !uri_is_alpha(s[0])) {
        return 0;
    }
    for (std::size_t i = 1; i < s.size(); ++i) {
        const char c = s[i];
        if (c == ':') {
            return i;
        }
        if (!uri_is_alpha(c) && !uri_is_digit(c) && c != '+' && c != '-' && c != '.') {
            return 0;
        }
    }
    return 0;
}

/// Index of the first of '/', '?', '#' (when `slash`) or of '?', '#' in `s` from
/// `from`, else s.size(). A plain loop, for the reason given at scheme_length().
[[nodiscard]] constexpr std::size_t find_uri_delimiter(std::string_view s, std::size_t from, bool slash) noexcept {
    for (std::size_t i = from; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '?' || c == '#' || (slash && c == '/')) {
            return i;
        }
    }
    return s.size();
}

/// Removes the last segment of `out` and its preceding '/', if any
/// (the "remove the last segment" step of §5.2.4 rule C).
inline void pop_last_segment(std::string& out) {
    const std::size_t slash = out.rfind('/');
    if (slash == std::string::npos) {
        out.clear();
    } else {
        out.erase(slash);
    }
}

/// Recomposes components into a URI reference (§5.3).
[[nodiscard]] inline std::string recompose(const uri_parts& p) {
    std::string out;
    out.reserve(p.scheme.size() + p.authority.size() + p.path.size() + p.query.size() +
                p.fragment.size() + 5);
    if (p.has_scheme) {
        out.append(p.scheme);
        out.push_back(':');
    }
    if (p.has_authority) {
        out.append("//");
        out.append(p.authority);
    }
    out.append(p.path);
    if (p.has_query) {
        out.push_back('?');
        out.append(p.query);
    }
    if (p.has_fragment) {
        out.push_back('#');
        out.append(p.fragment);
    }
    return out;
}

/// Appends "?query" and/or "#fragment" of `p` to `out` when present.
inline void append_query_fragment(std::string& out, const uri_parts& p) {
    if (p.has_query) {
        out.push_back('?');
        out.append(p.query);
    }
    if (p.has_fragment) {
        out.push_back('#');
        out.append(p.fragment);
    }
}

/// True if `a` and `b` have the same query (both absent, or both present and equal).
[[nodiscard]] constexpr bool same_query(const uri_parts& a, const uri_parts& b) noexcept {
    return a.has_query == b.has_query && a.query == b.query;
}

}  // namespace detail

/// Splits a URI reference into its five components, following the
/// decomposition of RFC 3986 Appendix B, implemented by hand (no regex).
///
/// One deliberate tightening of Appendix B: a scheme is recognised only if it
/// is syntactically valid per §3.1, so e.g. `{$host}:8080/a` or `a b:c` are
/// treated as relative references rather than as having a scheme. This keeps
/// split_uri() consistent with is_absolute_uri(). Never fails: every string
/// decomposes into some (possibly empty) components.
[[nodiscard]] inline uri_parts split_uri(std::string_view s) noexcept {
    constexpr auto npos = std::string_view::npos;
    uri_parts p;
    std::size_t pos = 0;

    if (const std::size_t n = detail::scheme_length(s); n != 0) {
        p.scheme = s.substr(0, n);
        p.has_scheme = true;
        pos = n + 1;
    }

    if (detail::starts_with(s.substr(pos), "//")) {
        const std::size_t begin = pos + 2;
        const std::size_t end = detail::find_uri_delimiter(s, begin, true);
        p.authority = s.substr(begin, end - begin);
        p.has_authority = true;
        pos = end;
    }

    {
        const std::size_t end = detail::find_uri_delimiter(s, pos, false);
        p.path = s.substr(pos, end - pos);
        pos = end;
    }

    if (pos < s.size() && s[pos] == '?') {
        const std::size_t begin = pos + 1;
        const std::size_t end = s.find('#', begin);
        p.query = s.substr(begin, end == npos ? npos : end - begin);
        p.has_query = true;
        pos = end == npos ? s.size() : end;
    }

    if (pos < s.size() && s[pos] == '#') {
        p.fragment = s.substr(pos + 1);
        p.has_fragment = true;
    }
    return p;
}

/// True if `s` begins with a scheme (§3.1) followed by ':', e.g. `http:`,
/// `data:`, `skd:`. Such a reference is never resolved against a base.
[[nodiscard]] inline bool is_absolute_uri(std::string_view s) noexcept {
    return detail::scheme_length(s) != 0;
}

/// Removes "." and ".." segments from a path (RFC 3986 §5.2.4), exactly as
/// the spec's input/output-buffer algorithm does. Excess ".." segments are
/// dropped (`/../g` -> `/g`), unlike RFC 2396. No percent-decoding is done,
/// so `%2e%2e` is an ordinary segment.
[[nodiscard]] inline std::string remove_dot_segments(std::string_view path) {
    using detail::starts_with;
    std::string out;
    out.reserve(path.size());
    std::string_view in = path;
    while (!in.empty()) {
        if (starts_with(in, "../")) {  // A
            in.remove_prefix(3);
        } else if (starts_with(in, "./")) {  // A
            in.remove_prefix(2);
        } else if (starts_with(in, "/./")) {  // B: "/./" -> "/"
            in.remove_prefix(2);
        } else if (in == "/.") {  // B: "/." -> "/"
            in = std::string_view("/");
        } else if (starts_with(in, "/../")) {  // C: "/../" -> "/", pop
            in.remove_prefix(3);
            detail::pop_last_segment(out);
        } else if (in == "/..") {  // C: "/.." -> "/", pop
            in = std::string_view("/");
            detail::pop_last_segment(out);
        } else if (in == "." || in == "..") {  // D
            in = std::string_view();
        } else {  // E: move the first segment (with its leading '/', if any)
            const std::size_t next = in.find('/', 1);
            const std::size_t len = next == std::string_view::npos ? in.size() : next;
            out.append(in.substr(0, len));
            in.remove_prefix(len);
        }
    }
    return out;
}

namespace detail {

/// True if some segment of `path` is "." or ".." (the only segments
/// remove_dot_segments() changes: without one it returns the path as is).
/// Visits only the '.' characters (a path usually has one or two, in ".m3u8"): a
/// dot segment is a '.' that starts a segment and is followed by the segment's end,
/// or by a second '.' and then the segment's end.
[[nodiscard]] inline bool has_dot_segment(std::string_view path) noexcept {
    const std::size_t n = path.size();
    for (std::size_t k = path.find('.'); k != std::string_view::npos; k = path.find('.', k + 1)) {
        if (k != 0 && path[k - 1] != '/') continue;
        std::size_t end = k + 1;
        if (end < n && path[end] == '.') ++end;
        if (end == n || path[end] == '/') return true;
    }
    return false;
}

/// remove_dot_segments() that skips the copy when there is nothing to remove.
inline void dot_free_path(std::string_view path, std::string& out) {
    if (has_dot_segment(path)) {
        out = remove_dot_segments(path);
    } else {
        out.assign(path.data(), path.size());
    }
}

}  // namespace detail

/// resolve_uri() against a base already split by split_uri(): rebase() and merge()
/// resolve every URI of a playlist against one base, which is split once.
[[nodiscard]] inline std::string resolve_uri(const uri_parts& b, std::string_view reference) {
    const uri_parts r = split_uri(reference);
    // The usual HLS reference: a relative path ("v1/index.m3u8") without dot segments
    // against a base with an authority and a directory without any either. §5.2.2
    // then gives scheme://authority + base directory + reference, written straight
    // into the result (the general path below builds three intermediate strings).
    if (!r.has_scheme && !r.has_authority && !r.path.empty() && r.path.front() != '/' && b.has_scheme &&
        b.has_authority && !b.path.empty()) {
        const std::size_t slash = b.path.rfind('/');
        const std::string_view dir = slash == std::string_view::npos ? std::string_view{} : b.path.substr(0, slash + 1);
        if (!detail::has_dot_segment(dir) && !detail::has_dot_segment(r.path)) {
            std::string out;
            out.reserve(b.scheme.size() + b.authority.size() + dir.size() + reference.size() + 3);
            out.append(b.scheme);
            out.append("://");
            out.append(b.authority);
            out.append(dir);
            out.append(r.path);
            detail::append_query_fragment(out, r);
            return out;
        }
    }
    uri_parts t;
    std::string path;  // owns t.path whenever it is computed

    if (r.has_scheme) {
        t.scheme = r.scheme;
        t.has_scheme = true;
        t.authority = r.authority;
        t.has_authority = r.has_authority;
        detail::dot_free_path(r.path, path);
        t.path = path;
        t.query = r.query;
        t.has_query = r.has_query;
    } else {
        if (r.has_authority) {
            t.authority = r.authority;
            t.has_authority = true;
            detail::dot_free_path(r.path, path);
            t.path = path;
            t.query = r.query;
            t.has_query = r.has_query;
        } else {
            if (r.path.empty()) {
                t.path = b.path;
                if (r.has_query) {
                    t.query = r.query;
                    t.has_query = true;
                } else {
                    t.query = b.query;
                    t.has_query = b.has_query;
                }
            } else {
                if (r.path.front() == '/') {
                    detail::dot_free_path(r.path, path);
                } else {
                    // §5.2.3 merge
                    std::string merged;
                    if (b.has_authority && b.path.empty()) {
                        merged.reserve(r.path.size() + 1);
                        merged.push_back('/');
                    } else {
                        const std::size_t slash = b.path.rfind('/');
                        if (slash != std::string_view::npos) {
                            merged.reserve(slash + 1 + r.path.size());
                            merged.append(b.path.substr(0, slash + 1));
                        }
                    }
                    merged.append(r.path);
                    if (detail::has_dot_segment(merged)) {
                        path = remove_dot_segments(merged);
                    } else {
                        path = std::move(merged);
                    }
                }
                t.path = path;
                t.query = r.query;
                t.has_query = r.has_query;
            }
            t.authority = b.authority;
            t.has_authority = b.has_authority;
        }
        t.scheme = b.scheme;
        t.has_scheme = b.has_scheme;
    }
    t.fragment = r.fragment;
    t.has_fragment = r.has_fragment;
    return detail::recompose(t);
}

namespace detail {

/// The bytes plain_relative_path() stops at.
inline constexpr std::array<bool, 256> path_stop = [] {
    std::array<bool, 256> t{};
    t['/'] = t['?'] = t['#'] = t[':'] = true;
    return t;
}();

/// resolve_uri() of many references against one base, as merge() resolves every URI
/// of an origin: the base is split once, and for the usual HLS reference (a relative
/// path without dot segments, see resolve_uri()) the result is the base's
/// "scheme://authority/directory/" prefix, built once, followed by the reference.
/// Every other reference goes through resolve_uri(). Holds views into `base`, which
/// must outlive the resolver.
class uri_resolver {
public:
    explicit uri_resolver(std::string_view base) : base_(split_uri(base)) {
        if (!base_.has_scheme || !base_.has_authority || base_.path.empty()) {
            return;
        }
        const std::size_t slash = base_.path.rfind('/');
        const std::string_view dir =
            slash == std::string_view::npos ? std::string_view{} : base_.path.substr(0, slash + 1);
        if (has_dot_segment(dir)) {
            return;
        }
        prefix_.reserve(base_.scheme.size() + base_.authority.size() + dir.size() + 3);
        prefix_.append(base_.scheme);
        prefix_.append("://");
        prefix_.append(base_.authority);
        prefix_.append(dir);
        fast_ = true;
    }

    /// resolve_uri(base, reference), byte for byte.
    [[nodiscard]] std::string resolve(std::string_view reference) const {
        if (fast_ && plain_relative_path(reference)) {
            std::string out;
            out.reserve(prefix_.size() + reference.size());
            out.append(prefix_);
            out.append(reference);
            return out;
        }
        return resolve_uri(base_, reference);
    }

    /// Replaces `reference` by resolve(reference); false when that is the same text.
    bool resolve_in_place(std::string& reference) const {
        if (fast_ && plain_relative_path(reference)) {
            prepend_directory(reference);
            return true;
        }
        std::string resolved = resolve_uri(base_, reference);
        if (resolved == reference) {
            return false;
        }
        reference = std::move(resolved);
        return true;
    }

    /// The size of resolve(reference) when it is the base directory followed by
    /// `reference` (a plain relative path), else 0. Then prepend_directory() makes
    /// `reference` absolute, with no allocation when it has that capacity.
    [[nodiscard]] std::size_t plain_resolved_size(std::string_view reference) const noexcept {
        return fast_ && plain_relative_path(reference) ? prefix_.size() + reference.size() : 0;
    }
    void prepend_directory(std::string& plain_reference) const { plain_reference.insert(0, prefix_); }

    /// True when `reference` has no scheme and no authority, and its path is not
    /// empty, does not start with '/' and has no "." or ".." segment: resolve_uri()
    /// then gives the base directory followed by the reference as written.
    /// One pass that stops only at '/', '?', '#' and ':'; a ':' in the first segment
    /// counts as a possible scheme (resolve_uri() decides), and the query and fragment
    /// are not looked at.
    [[nodiscard]] static bool plain_relative_path(std::string_view reference) noexcept {
        const std::size_t n = reference.size();
        if (n == 0 || reference[0] == '/' || reference[0] == '?' || reference[0] == '#') {
            return false;
        }
        auto dot_segment = [&](std::size_t begin, std::size_t end) {
            return (end - begin == 1 && reference[begin] == '.') ||
                   (end - begin == 2 && reference[begin] == '.' && reference[begin + 1] == '.');
        };
        std::size_t segment = 0;  // where the current path segment starts
        for (std::size_t i = 0; i < n; ++i) {
            const char c = reference[i];
            if (!path_stop[static_cast<unsigned char>(c)]) {
                continue;
            }
            if (c == '?' || c == '#') {
                return !dot_segment(segment, i);
            }
            if (c == ':') {
                if (segment == 0) {
                    return false;
                }
                continue;
            }
            if (dot_segment(segment, i)) {  // c == '/'
                return false;
            }
            segment = i + 1;
        }
        return !dot_segment(segment, n);
    }

private:
    uri_parts base_;
    std::string prefix_;  // "scheme://authority/dir/" when fast_
    bool fast_ = false;
};

}  // namespace detail

/// Resolves `reference` against `base` with the strict algorithm of
/// RFC 3986 §5.2.2 (merging per §5.2.3, recomposing per §5.3).
///
/// `base` should be an absolute URI (for HLS: the playlist URL after
/// redirects). Nothing is normalized: no case folding, no percent
/// re-encoding; dot segments are removed from the path only, never from the
/// query or fragment. An empty reference yields the base without its
/// fragment. A reference with a scheme is taken as is (strict parser:
/// `http:g` stays `http:g`). If `base` is itself relative the algorithm is
/// still applied literally, so leading ".." segments of the result are lost.
[[nodiscard]] inline std::string resolve_uri(std::string_view base, std::string_view reference) {
    return resolve_uri(split_uri(base), reference);
}

/// Computes a relative reference `r` such that `resolve_uri(base, r) == target`
/// exactly; the inverse of resolve_uri(), used to rewrite absolute URIs
/// relative to a (new) playlist location.
///
/// Preference order: empty (same document), `#fragment`, `?query`, then a
/// path-relative reference (`g`, `../x/g`, `./` ...), with a `./` prefix when
/// the first segment would otherwise be mistaken for a scheme (contains ':')
/// or the path would start with '/' (empty first segment). Every candidate is checked by
/// resolving it; if the check fails an absolute-path reference (`/a/b`) is
/// tried. Returns std::nullopt if the schemes or authorities differ (compared
/// exactly, without case folding), or if no relative reference round-trips
/// (e.g. the target path is empty while the base path is not, or the target
/// path contains dot segments, which resolution always removes).
[[nodiscard]] inline std::optional<std::string> relativize_uri(std::string_view base,
                                                               std::string_view target) {
    const uri_parts b = split_uri(base);
    const uri_parts t = split_uri(target);
    if (b.has_scheme != t.has_scheme || b.scheme != t.scheme) {
        return std::nullopt;
    }
    if (b.has_authority != t.has_authority || b.authority != t.authority) {
        return std::nullopt;
    }

    std::string candidate;
    if (b.path == t.path && detail::same_query(b, t)) {
        // Same document: "" or "#fragment".
        if (t.has_fragment) {
            candidate.push_back('#');
            candidate.append(t.fragment);
        }
    } else if (b.path == t.path && t.has_query) {
        // Same path, different query: "?query" keeps the base path.
        detail::append_query_fragment(candidate, t);
    } else {
        // Path-relative: climb from the base directory to the longest common
        // directory prefix, then descend into the target. The base directory
        // is compared with its dot segments removed, because resolution
        // removes them from the merged path anyway (`/a/./b/` acts as `/a/b/`).
        std::string base_dir;
        if (b.has_authority && b.path.empty()) {
            base_dir = "/";
        } else {
            const std::size_t slash = b.path.rfind('/');
            if (slash != std::string_view::npos) {
                base_dir = remove_dot_segments(b.path.substr(0, slash + 1));
            }
        }
        std::size_t common = 0;  // length of the common prefix ending in '/'
        for (std::size_t i = 0; i < base_dir.size() && i < t.path.size(); ++i) {
            if (base_dir[i] != t.path[i]) {
                break;
            }
            if (base_dir[i] == '/') {
                common = i + 1;
            }
        }
        std::size_t ups = 0;
        for (std::size_t i = common; i < base_dir.size(); ++i) {
            if (base_dir[i] == '/') {
                ++ups;
            }
        }
        const std::string_view rest = t.path.substr(common);
        for (std::size_t i = 0; i < ups; ++i) {
            candidate.append("../");
        }
        if (ups == 0) {
            const std::string_view first_segment = rest.substr(0, rest.find('/'));
            if (rest.empty() || rest.front() == '/' ||
                first_segment.find(':') != std::string_view::npos) {
                candidate.append("./");
            }
        }
        candidate.append(rest);
        detail::append_query_fragment(candidate, t);
    }

    if (resolve_uri(base, candidate) == target) {
        return candidate;
    }

    // Fallback: absolute-path reference.
    if (!t.path.empty() && t.path.front() == '/') {
        candidate.assign(t.path);
        detail::append_query_fragment(candidate, t);
        if (resolve_uri(base, candidate) == target) {
            return candidate;
        }
    }
    return std::nullopt;
}

/// True if `s` contains an HLS variable reference (`{$name}`, RFC 8216bis
/// §4.3), which must be substituted before the URI can be resolved.
[[nodiscard]] inline bool has_variable_reference(std::string_view s) noexcept {
    return s.find("{$") != std::string_view::npos;
}

/// True if `s` is a relative reference that can safely be rewritten when a
/// playlist moves: false for absolute URIs of any scheme (`http:`, `data:`,
/// `skd:` ...), and false when it contains a `{$var}` reference, whose
/// expansion could change its meaning. Network-path references (`//host/a`)
/// count as relative and therefore rebaseable.
[[nodiscard]] inline bool is_rebaseable_reference(std::string_view s) noexcept {
    return !is_absolute_uri(s) && !has_variable_reference(s);
}

}  // namespace hlspp
