// SPDX-License-Identifier: MIT
#include <hlspp/uri.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"

namespace {

struct resolve_case {
    std::string_view reference;
    std::string_view expected;
};

constexpr std::string_view rfc_base = "http://a/b/c/d;p?q";

struct relativize_case {
    std::string_view base;
    std::string_view target;
};

}  // namespace

TEST_CASE("uri: resolve_uri passes every RFC 3986 5.4.1 normal example", "[uri]") {
    constexpr resolve_case cases[] = {
        {"g:h", "g:h"},
        {"g", "http://a/b/c/g"},
        {"./g", "http://a/b/c/g"},
        {"g/", "http://a/b/c/g/"},
        {"/g", "http://a/g"},
        {"//g", "http://g"},
        {"?y", "http://a/b/c/d;p?y"},
        {"g?y", "http://a/b/c/g?y"},
        {"#s", "http://a/b/c/d;p?q#s"},
        {"g#s", "http://a/b/c/g#s"},
        {"g?y#s", "http://a/b/c/g?y#s"},
        {";x", "http://a/b/c/;x"},
        {"g;x", "http://a/b/c/g;x"},
        {"g;x?y#s", "http://a/b/c/g;x?y#s"},
        {"", "http://a/b/c/d;p?q"},
        {".", "http://a/b/c/"},
        {"./", "http://a/b/c/"},
        {"..", "http://a/b/"},
        {"../", "http://a/b/"},
        {"../g", "http://a/b/g"},
        {"../..", "http://a/"},
        {"../../", "http://a/"},
        {"../../g", "http://a/g"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.reference);
        CHECK(hlspp::resolve_uri(rfc_base, c.reference) == c.expected);
    }
}

TEST_CASE("uri: resolve_uri passes every RFC 3986 5.4.2 abnormal example", "[uri]") {
    constexpr resolve_case cases[] = {
        {"../../../g", "http://a/g"},
        {"../../../../g", "http://a/g"},
        {"/./g", "http://a/g"},
        {"/../g", "http://a/g"},
        {"g.", "http://a/b/c/g."},
        {".g", "http://a/b/c/.g"},
        {"g..", "http://a/b/c/g.."},
        {"..g", "http://a/b/c/..g"},
        {"./../g", "http://a/b/g"},
        {"./g/.", "http://a/b/c/g/"},
        {"g/./h", "http://a/b/c/g/h"},
        {"g/../h", "http://a/b/c/h"},
        {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
        {"g;x=1/../y", "http://a/b/c/y"},
        {"g?y/./x", "http://a/b/c/g?y/./x"},
        {"g?y/../x", "http://a/b/c/g?y/../x"},
        {"g#s/./x", "http://a/b/c/g#s/./x"},
        {"g#s/../x", "http://a/b/c/g#s/../x"},
        {"http:g", "http:g"},  // strict parser
    };
    for (const auto& c : cases) {
        CAPTURE(c.reference);
        CHECK(hlspp::resolve_uri(rfc_base, c.reference) == c.expected);
    }
}

TEST_CASE("uri: resolve_uri does not percent-normalize or touch query and fragment", "[uri]") {
    CHECK(hlspp::resolve_uri(rfc_base, "%2e%2e/g") == "http://a/b/c/%2e%2e/g");
    CHECK(hlspp::resolve_uri(rfc_base, "%2E/g") == "http://a/b/c/%2E/g");
    CHECK(hlspp::resolve_uri(rfc_base, "a%20b.ts") == "http://a/b/c/a%20b.ts");
    CHECK(hlspp::resolve_uri(rfc_base, "a b.ts") == "http://a/b/c/a b.ts");
    CHECK(hlspp::resolve_uri("HTTP://A/b/c", "d") == "HTTP://A/b/d");
    CHECK(hlspp::resolve_uri(rfc_base, "g?a=./b&c=../d#x/../y") ==
          "http://a/b/c/g?a=./b&c=../d#x/../y");
}

TEST_CASE("uri: resolve_uri empty reference keeps base query and drops base fragment", "[uri]") {
    CHECK(hlspp::resolve_uri("http://a/b/c/d;p?q#f", "") == "http://a/b/c/d;p?q");
    CHECK(hlspp::resolve_uri("http://a/b?", "") == "http://a/b?");
    CHECK(hlspp::resolve_uri("http://a/b?q#f", "#g") == "http://a/b?q#g");
    CHECK(hlspp::resolve_uri("http://a/b?q#f", "?") == "http://a/b?");
    CHECK(hlspp::resolve_uri("http://a/b?q#f", "#") == "http://a/b?q#");
}

TEST_CASE("uri: resolve_uri merges against an empty base path with authority", "[uri]") {
    CHECK(hlspp::resolve_uri("http://a", "g") == "http://a/g");
    CHECK(hlspp::resolve_uri("http://a?q", "g") == "http://a/g");
    CHECK(hlspp::resolve_uri("http://a", "") == "http://a");
    CHECK(hlspp::resolve_uri("http://a", "?y") == "http://a?y");
    CHECK(hlspp::resolve_uri("http://a", "../g") == "http://a/g");
}

TEST_CASE("uri: resolve_uri handles HLS-like bases", "[uri]") {
    const std::string_view master = "https://cdn.example.com/live/master.m3u8?token=abc";
    CHECK(hlspp::resolve_uri(master, "720p/index.m3u8") ==
          "https://cdn.example.com/live/720p/index.m3u8");
    CHECK(hlspp::resolve_uri(master, "../vod/x.m3u8") == "https://cdn.example.com/vod/x.m3u8");
    CHECK(hlspp::resolve_uri(master, "//other.example.com/a.ts") ==
          "https://other.example.com/a.ts");
    CHECK(hlspp::resolve_uri(master, "data:text/plain,hi") == "data:text/plain,hi");
    CHECK(hlspp::resolve_uri(master, "skd://key-id") == "skd://key-id");
    CHECK(hlspp::resolve_uri("https://[::1]:8443/a/b.m3u8", "c.ts") == "https://[::1]:8443/a/c.ts");
    CHECK(hlspp::resolve_uri("file:///srv/hls/x.m3u8", "seg/1.ts") == "file:///srv/hls/seg/1.ts");
    CHECK(hlspp::resolve_uri("urn:a:b", "c") == "urn:c");
    // Not a valid scheme, so it is a relative reference.
    CHECK(hlspp::resolve_uri(master, "{$cdn}/a.ts") ==
          "https://cdn.example.com/live/{$cdn}/a.ts");
    CHECK(hlspp::resolve_uri(master, "./a:b.ts") == "https://cdn.example.com/live/a:b.ts");
}

TEST_CASE("uri: remove_dot_segments follows RFC 3986 5.2.4", "[uri]") {
    struct dot_case {
        std::string_view input;
        std::string_view expected;
    };
    constexpr dot_case cases[] = {
        {"", ""},
        {"/", "/"},
        {"/a/b/c/./../../g", "/a/g"},          // RFC 3986 5.2.4 example 1
        {"mid/content=5/../6", "mid/6"},       // RFC 3986 5.2.4 example 2
        {".", ""},
        {"..", ""},
        {"./", ""},
        {"../", ""},
        {"/.", "/"},
        {"/..", "/"},
        {"/./", "/"},
        {"/../", "/"},
        {"/../../../g", "/g"},
        {"/a/b/..", "/a/"},
        {"/a/b/.", "/a/b/"},
        {"/a/b/../", "/a/"},
        {"/a//b/../c", "/a//c"},
        {"/a/.b/..c/c.", "/a/.b/..c/c."},
        {"/a/%2e%2e/b", "/a/%2e%2e/b"},
        {"a/../b", "/b"},  // literal RFC behaviour for a relative input
        {"../a/./b", "a/b"},
        {"/a/b/c", "/a/b/c"},
        {"//a/../b", "//b"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.input);
        CHECK(hlspp::remove_dot_segments(c.input) == c.expected);
    }
}

TEST_CASE("uri: split_uri decomposes per RFC 3986 Appendix B", "[uri]") {
    SECTION("full URI") {
        const auto p = hlspp::split_uri("http://www.ics.uci.edu/pub/ietf/uri/#Related");
        CHECK(p.has_scheme);
        CHECK(p.scheme == "http");
        CHECK(p.has_authority);
        CHECK(p.authority == "www.ics.uci.edu");
        CHECK(p.path == "/pub/ietf/uri/");
        CHECK_FALSE(p.has_query);
        CHECK(p.query.empty());
        CHECK(p.has_fragment);
        CHECK(p.fragment == "Related");
    }
    SECTION("IPv6 authority with port") {
        const auto p = hlspp::split_uri("https://[2001:db8::7]:8443/a/b.m3u8?x=1#t");
        CHECK(p.scheme == "https");
        CHECK(p.authority == "[2001:db8::7]:8443");
        CHECK(p.path == "/a/b.m3u8");
        CHECK(p.query == "x=1");
        CHECK(p.fragment == "t");
    }
    SECTION("empty path with authority") {
        const auto p = hlspp::split_uri("http://host?q");
        CHECK(p.has_authority);
        CHECK(p.authority == "host");
        CHECK(p.path.empty());
        CHECK(p.has_query);
        CHECK(p.query == "q");
        CHECK_FALSE(p.has_fragment);
    }
    SECTION("empty authority") {
        const auto p = hlspp::split_uri("file:///etc/hosts");
        CHECK(p.has_authority);
        CHECK(p.authority.empty());
        CHECK(p.path == "/etc/hosts");
    }
    SECTION("query containing '?' and fragment containing '#'") {
        const auto p = hlspp::split_uri("http://a/b?c?d=/e#f#g?h");
        CHECK(p.path == "/b");
        CHECK(p.query == "c?d=/e");
        CHECK(p.fragment == "f#g?h");
    }
    SECTION("present but empty query and fragment") {
        const auto p = hlspp::split_uri("http://a/b?#");
        CHECK(p.has_query);
        CHECK(p.query.empty());
        CHECK(p.has_fragment);
        CHECK(p.fragment.empty());
    }
    SECTION("empty string") {
        const auto p = hlspp::split_uri("");
        CHECK_FALSE(p.has_scheme);
        CHECK_FALSE(p.has_authority);
        CHECK(p.path.empty());
        CHECK_FALSE(p.has_query);
        CHECK_FALSE(p.has_fragment);
    }
    SECTION("relative references") {
        const auto a = hlspp::split_uri("../x/y.m3u8");
        CHECK_FALSE(a.has_scheme);
        CHECK_FALSE(a.has_authority);
        CHECK(a.path == "../x/y.m3u8");

        const auto b = hlspp::split_uri("//host/a");
        CHECK_FALSE(b.has_scheme);
        CHECK(b.has_authority);
        CHECK(b.authority == "host");
        CHECK(b.path == "/a");

        const auto c = hlspp::split_uri("a/b:c");  // ':' after '/' is not a scheme
        CHECK_FALSE(c.has_scheme);
        CHECK(c.path == "a/b:c");

        const auto d = hlspp::split_uri("?q#f");
        CHECK(d.path.empty());
        CHECK(d.query == "q");
        CHECK(d.fragment == "f");
    }
    SECTION("opaque URIs without authority") {
        const auto a = hlspp::split_uri("data:text/plain;base64,SGk=");
        CHECK(a.scheme == "data");
        CHECK_FALSE(a.has_authority);
        CHECK(a.path == "text/plain;base64,SGk=");

        const auto b = hlspp::split_uri("urn:ietf:rfc:3986");
        CHECK(b.scheme == "urn");
        CHECK(b.path == "ietf:rfc:3986");
    }
    SECTION("invalid scheme characters make it a relative reference") {
        const auto a = hlspp::split_uri("{$cdn}:80/a.ts");
        CHECK_FALSE(a.has_scheme);
        CHECK(a.path == "{$cdn}:80/a.ts");

        const auto b = hlspp::split_uri(":x");
        CHECK_FALSE(b.has_scheme);
        CHECK(b.path == ":x");

        const auto c = hlspp::split_uri("1http://a");
        CHECK_FALSE(c.has_scheme);
    }
}

TEST_CASE("uri: is_absolute_uri requires a valid scheme", "[uri]") {
    CHECK(hlspp::is_absolute_uri("http://a/b"));
    CHECK(hlspp::is_absolute_uri("HTTPS://a"));
    CHECK(hlspp::is_absolute_uri("data:,x"));
    CHECK(hlspp::is_absolute_uri("skd://key"));
    CHECK(hlspp::is_absolute_uri("g:h"));
    CHECK(hlspp::is_absolute_uri("a+b-c.d1:x"));
    CHECK(hlspp::is_absolute_uri("x:"));
    CHECK_FALSE(hlspp::is_absolute_uri(""));
    CHECK_FALSE(hlspp::is_absolute_uri(":x"));
    CHECK_FALSE(hlspp::is_absolute_uri("a.ts"));
    CHECK_FALSE(hlspp::is_absolute_uri("/a:b"));
    CHECK_FALSE(hlspp::is_absolute_uri("./a:b"));
    CHECK_FALSE(hlspp::is_absolute_uri("a/b:c"));
    CHECK_FALSE(hlspp::is_absolute_uri("?a:b"));
    CHECK_FALSE(hlspp::is_absolute_uri("#a:b"));
    CHECK_FALSE(hlspp::is_absolute_uri("//host:80/a"));
    CHECK_FALSE(hlspp::is_absolute_uri("1a:b"));
    CHECK_FALSE(hlspp::is_absolute_uri("a_b:c"));
    CHECK_FALSE(hlspp::is_absolute_uri("{$cdn}:x"));
}

TEST_CASE("uri: relativize_uri round-trips through resolve_uri", "[uri]") {
    constexpr relativize_case cases[] = {
        // Same document, query, fragment.
        {"http://a/b/c/d;p?q", "http://a/b/c/d;p?q"},
        {"http://a/b/c/d;p?q#f", "http://a/b/c/d;p?q"},
        {"http://a/b/c/d;p?q", "http://a/b/c/d;p?q#s"},
        {"http://a/b/c/d;p?q", "http://a/b/c/d;p?y"},
        {"http://a/b/c/d;p?q", "http://a/b/c/d;p?y#s"},
        {"http://a/b/c/d;p?q", "http://a/b/c/d;p?"},
        {"http://a/b/c/d;p?q", "http://a/b/c/d;p"},
        {"http://a/b/c/d;p", "http://a/b/c/d;p?q"},
        {"http://a/b/c/?q", "http://a/b/c/"},
        // Siblings, children, parents, root.
        {"http://a/b/c/d;p?q", "http://a/b/c/g"},
        {"http://a/b/c/d;p?q", "http://a/b/c/g/"},
        {"http://a/b/c/d;p?q", "http://a/b/c/g/h/i.ts?x#y"},
        {"http://a/b/c/d;p?q", "http://a/b/c/"},
        {"http://a/b/c/d;p?q", "http://a/b/"},
        {"http://a/b/c/d;p?q", "http://a/b/g"},
        {"http://a/b/c/d;p?q", "http://a/g"},
        {"http://a/b/c/d;p?q", "http://a/"},
        {"http://a/b/c/d;p?q", "http://a/x/y/z"},
        {"http://a/", "http://a/x/y"},
        {"http://a", "http://a/x/y"},
        {"http://a", "http://a/"},
        {"http://a", "http://a?q"},
        {"http://a", "http://a#f"},
        {"https://cdn.example.com/live/master.m3u8", "https://cdn.example.com/live/720p/i.m3u8"},
        {"https://cdn.example.com/live/720p/i.m3u8", "https://cdn.example.com/live/seg/1.ts"},
        {"https://cdn.example.com/live/720p/i.m3u8", "https://cdn.example.com/vod/a/b.ts"},
        {"https://[::1]:8443/a/b.m3u8", "https://[::1]:8443/a/c/d.ts"},
        // ':' in the first segment, empty segments.
        {"http://a/b/c/d", "http://a/b/c/g:h"},
        {"http://a/b/c/d", "http://a/b/c/g:h/i"},
        {"http://a/b/c/d", "http://a/b/x:y"},
        {"http://a/b/c/d", "http://a/b/c//g"},
        {"http://a/b/c/d", "http://a/b//g"},
        {"http://a/b/c/d", "http://a//g"},
        // Query-like and dot-like names that are ordinary segments.
        {"http://a/b/c/d", "http://a/b/c/..g"},
        {"http://a/b/c/d", "http://a/b/c/.g"},
        {"http://a/b/c/d", "http://a/b/c/%2e%2e/g"},
        // Bases whose path still contains dot segments.
        {"http://a/b/./c/d", "http://a/b/c/g"},
        {"http://a/b/x/../c/d", "http://a/b/g"},
        {"http://a/b/c/..", "http://a/b/g"},
        // Bases without authority.
        {"file:/srv/hls/a.m3u8", "file:/srv/hls/seg/1.ts"},
        {"file:///srv/hls/a.m3u8", "file:///srv/x.ts"},
        {"urn:a:b", "urn:a:c"},
        // Relative base and target (same "no scheme").
        {"dir/master.m3u8", "dir/720p/i.m3u8"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.base);
        CAPTURE(c.target);
        const std::optional<std::string> r = hlspp::relativize_uri(c.base, c.target);
        REQUIRE(r.has_value());
        CAPTURE(*r);
        CHECK_FALSE(hlspp::is_absolute_uri(*r));
        CHECK(hlspp::resolve_uri(c.base, *r) == c.target);
    }
}

TEST_CASE("uri: relativize_uri prefers the shortest natural form", "[uri]") {
    const std::string_view base = "http://a/b/c/d;p?q";
    CHECK(hlspp::relativize_uri(base, "http://a/b/c/d;p?q") == std::string());
    CHECK(hlspp::relativize_uri("http://a/b/c/d;p?q#old", "http://a/b/c/d;p?q") == std::string());
    CHECK(hlspp::relativize_uri(base, "http://a/b/c/d;p?q#s") == std::string("#s"));
    CHECK(hlspp::relativize_uri(base, "http://a/b/c/d;p?y") == std::string("?y"));
    CHECK(hlspp::relativize_uri(base, "http://a/b/c/d;p?y#s") == std::string("?y#s"));
    CHECK(hlspp::relativize_uri(base, "http://a/b/c/d;p") == std::string("d;p"));
    CHECK(hlspp::relativize_uri(base, "http://a/b/c/g") == std::string("g"));
    CHECK(hlspp::relativize_uri(base, "http://a/b/c/g?y#s") == std::string("g?y#s"));
    CHECK(hlspp::relativize_uri(base, "http://a/b/c/") == std::string("./"));
    CHECK(hlspp::relativize_uri(base, "http://a/b/") == std::string("../"));
    CHECK(hlspp::relativize_uri(base, "http://a/b/g") == std::string("../g"));
    CHECK(hlspp::relativize_uri(base, "http://a/") == std::string("../../"));
    CHECK(hlspp::relativize_uri(base, "http://a/g") == std::string("../../g"));
    CHECK(hlspp::relativize_uri(base, "http://a/x/y") == std::string("../../x/y"));
    CHECK(hlspp::relativize_uri("http://a/b/c/?q", "http://a/b/c/") == std::string("./"));
    CHECK(hlspp::relativize_uri("http://a", "http://a/x") == std::string("x"));
    // Dot segments in the base directory are ignored, as resolution does.
    CHECK(hlspp::relativize_uri("http://a/b/./c/d", "http://a/b/c/g") == std::string("g"));
    CHECK(hlspp::relativize_uri("http://a/b/x/../c/d", "http://a/b/g") == std::string("../g"));
}

TEST_CASE("uri: relativize_uri guards a first segment containing ':'", "[uri]") {
    CHECK(hlspp::relativize_uri("http://a/b/c/d", "http://a/b/c/g:h") == std::string("./g:h"));
    CHECK(hlspp::relativize_uri("http://a/b/c/d", "http://a/b/x:y") == std::string("../x:y"));
    CHECK(hlspp::relativize_uri("http://a/b/c/d", "http://a/b/c/g/h:i") == std::string("g/h:i"));
    CHECK(hlspp::relativize_uri("urn:a:b", "urn:a:c") == std::string("./a:c"));
    CHECK(hlspp::relativize_uri("http://a/b/c/d", "http://a/b/c//g") == std::string(".//g"));
}

TEST_CASE("uri: relativize_uri returns nullopt when no relative reference fits", "[uri]") {
    SECTION("different scheme") {
        CHECK_FALSE(hlspp::relativize_uri("http://a/b", "https://a/b").has_value());
        CHECK_FALSE(hlspp::relativize_uri("http://a/b", "HTTP://a/b").has_value());
        CHECK_FALSE(hlspp::relativize_uri("http://a/b", "data:,x").has_value());
        CHECK_FALSE(hlspp::relativize_uri("http://a/b", "c/d").has_value());
        CHECK_FALSE(hlspp::relativize_uri("a/b", "http://a/b").has_value());
    }
    SECTION("different authority") {
        CHECK_FALSE(hlspp::relativize_uri("http://a/b", "http://b/b").has_value());
        CHECK_FALSE(hlspp::relativize_uri("http://a/b", "http://a:80/b").has_value());
        CHECK_FALSE(hlspp::relativize_uri("http://a/b", "http:/b").has_value());
        CHECK_FALSE(hlspp::relativize_uri("file:/b", "file:///b").has_value());
    }
    SECTION("empty target path under a non-empty base path") {
        CHECK_FALSE(hlspp::relativize_uri("http://a/b", "http://a").has_value());
        CHECK_FALSE(hlspp::relativize_uri("http://a/b", "http://a?q").has_value());
        CHECK_FALSE(hlspp::relativize_uri("http://a?x", "http://a").has_value());
    }
    SECTION("target path with dot segments cannot be produced by resolution") {
        CHECK_FALSE(hlspp::relativize_uri("http://a/b/c", "http://a/b/../c").has_value());
        CHECK_FALSE(hlspp::relativize_uri("http://a/b/c", "http://a/./c").has_value());
    }
}

TEST_CASE("uri: relativize_uri falls back to an absolute-path reference", "[uri]") {
    // A relative base cannot climb above its first segment, but "/x" works.
    const auto r = hlspp::relativize_uri("a/b", "/x");
    REQUIRE(r.has_value());
    CHECK(*r == "/x");
    CHECK(hlspp::resolve_uri("a/b", *r) == "/x");
}

TEST_CASE("uri: has_variable_reference detects {$", "[uri]") {
    CHECK(hlspp::has_variable_reference("{$cdn}/a.ts"));
    CHECK(hlspp::has_variable_reference("https://x/{$path}.m3u8"));
    CHECK(hlspp::has_variable_reference("a{$"));
    CHECK_FALSE(hlspp::has_variable_reference("a.ts"));
    CHECK_FALSE(hlspp::has_variable_reference("{cdn}/a.ts"));
    CHECK_FALSE(hlspp::has_variable_reference("$cdn/a.ts"));
    CHECK_FALSE(hlspp::has_variable_reference("{ $x}"));
    CHECK_FALSE(hlspp::has_variable_reference(""));
}

TEST_CASE("uri: is_rebaseable_reference accepts only plain relative references", "[uri]") {
    CHECK_FALSE(hlspp::is_rebaseable_reference("data:text/plain;base64,SGk="));
    CHECK_FALSE(hlspp::is_rebaseable_reference("skd://key-id-123"));
    CHECK_FALSE(hlspp::is_rebaseable_reference("https://cdn.example.com/a.ts"));
    CHECK_FALSE(hlspp::is_rebaseable_reference("{$cdn}/a.ts"));
    CHECK_FALSE(hlspp::is_rebaseable_reference("seg/{$n}.ts"));
    CHECK(hlspp::is_rebaseable_reference("a.ts"));
    CHECK(hlspp::is_rebaseable_reference("../x/y.m3u8"));
    CHECK(hlspp::is_rebaseable_reference("//host/a"));
    CHECK(hlspp::is_rebaseable_reference("/abs/path.ts"));
    CHECK(hlspp::is_rebaseable_reference("./a:b.ts"));
}

TEST_CASE("uri: detail::has_dot_segment finds exactly the \".\" and \"..\" segments", "[uri]") {
    using hlspp::detail::has_dot_segment;
    for (std::string_view p : {".", "..", "./", "../", "/.", "/..", "a/./b", "a/../b", "a/.", "a/..", "//..", "x/y/../", "./.x"}) {
        CAPTURE(p);
        CHECK(has_dot_segment(p));
    }
    for (std::string_view p : {"", "/", "a.m3u8", "v/prog_index.m3u8", ".a", "a.", "...", "a/.../b", "..x/y", "x../y",
                               "v/.hidden/x", "%2e%2e/g", "a/b."}) {
        CAPTURE(p);
        CHECK_FALSE(has_dot_segment(p));
    }
}

TEST_CASE("uri: detail::uri_resolver gives resolve_uri's result byte for byte", "[uri]") {
    // The resolver builds the base's "scheme://authority/dir/" once and appends plain
    // relative paths to it; everything else goes through resolve_uri().
    constexpr std::string_view bases[] = {
        "http://a/b/c/d;p?q",   "https://origin-a.example.com/vod/title42/master.m3u8",
        "https://b.example.net/hls/./x/../t/master.m3u8?tok=1#f", "http://h", "https://c.example.org/",
        "file:/a/b/c",          "s3:rel/path", "http://u@h:80/a/b/c/d;p?q", "http://a/b", "http://a//b//c",
        "http://a/b/c/?q#f",    "http:", "http://", "a:b/c/d", ""};
    constexpr std::string_view references[] = {
        "", "g", "g/", "./g", "../g", "../../../g", "/g", "//g", "//g/x", "?y", "#s", "g?y#s", "g;x?y#s", ";x",
        ".", "..", "./", "../", "g.", ".g", "g..", "..g", "./g/.", "g/./h", "g/../h", "g:h", "http:g", "a b:c",
        "{$host}:8080/a", "1a:b", "./a:b", "?", "#", "?#", "a?b?c#d#e", "a?x/../y", "a#./b", "%2e%2e/g",
        "video/avc1/234p_145k/prog_index.m3u8", "audio/aud-aac-lc/en/prog_index.m3u8?token=1#t"};
    for (std::string_view base : bases) {
        const hlspp::detail::uri_resolver resolver(base);
        for (std::string_view reference : references) {
            CAPTURE(base, reference);
            const std::string want = hlspp::resolve_uri(base, reference);
            CHECK(resolver.resolve(reference) == want);
            std::string in_place(reference);
            CHECK(resolver.resolve_in_place(in_place) == (want != reference));
            CHECK(in_place == want);
            // The shortcut: its size is exact, and it allocates nothing in a string of that capacity.
            if (const std::size_t size = resolver.plain_resolved_size(reference); size != 0) {
                CHECK(size == want.size());
                std::string plain;
                plain.reserve(size);
                plain.assign(reference);
                const char* storage = plain.data();
                resolver.prepend_directory(plain);
                CHECK(plain == want);
                CHECK(plain.data() == storage);
            }
        }
    }
}

TEST_CASE("uri: detail::uri_resolver::plain_relative_path in one pass says what the three searches said", "[uri]") {
    // The definition it replaces: no scheme, a path that is not empty and does not start
    // with '/', and no dot segment before the query. The one pass also turns down a ':'
    // in the first segment that is no scheme ("1a:b"), which resolve_uri() then handles.
    using hlspp::detail::uri_resolver;
    auto by_definition = [](std::string_view r) {
        if (r.empty() || r.front() == '/' || r.front() == '?' || r.front() == '#' || hlspp::is_absolute_uri(r))
            return false;
        return !hlspp::detail::has_dot_segment(r.substr(0, r.find_first_of("?#")));
    };
    const std::string alphabet = "ab1./?#:%-_~";
    std::uint32_t state = 12345;
    auto next = [&] {
        state = state * 1664525u + 1013904223u;
        return state >> 8;
    };
    std::vector<std::string> references = {"", "g", "./g", "../g", "g/.", "g/..", "g/./h", "a?../b", "a#/./", ".",
                                           "..", "...", "a.b/c", "1a:b", "a/b:c", "a:b", "http:g", "%2e/g"};
    for (int i = 0; i < 20000; ++i) {
        std::string r;
        for (std::size_t k = next() % 9; k > 0; --k) r += alphabet[next() % alphabet.size()];
        references.push_back(r);
    }
    for (const std::string& r : references) {
        CAPTURE(r);
        const bool colon_in_first_segment = r.substr(0, r.find_first_of("/?#")).find(':') != std::string::npos;
        if (colon_in_first_segment) {
            CHECK_FALSE(uri_resolver::plain_relative_path(r));
        } else {
            CHECK(uri_resolver::plain_relative_path(r) == by_definition(r));
        }
    }
}
