// SPDX-License-Identifier: MIT
// Includes Catch2 v3 or v2, whichever the build found. Test files include "catch.hpp"
// and use only what both versions share: TEST_CASE, SECTION, REQUIRE/CHECK(_FALSE),
// REQUIRE_THROWS_AS, REQUIRE_NOTHROW, INFO, CAPTURE, GENERATE, Catch::Approx,
// Catch::Matchers::Equals. Not portable: SKIP (v3 only), unqualified Approx (v2 only)
// and Matchers::Contains for strings (v3 renamed it ContainsSubstring).
// tests/CMakeLists.txt defines HLSPP_CATCH2_V2 when it uses Catch2 v2.
#pragma once

#if !defined(HLSPP_CATCH2_V2) && __has_include(<catch2/catch_all.hpp>)
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
namespace Catch {
using Detail::Approx;  // v3 spelling, so tests can write Catch::Approx with both
}  // namespace Catch
#endif
