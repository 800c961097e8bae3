// SPDX-License-Identifier: MIT
// Catch2 v2 needs one translation unit that defines main(); v3 links
// Catch2::Catch2WithMain instead, and this file then compiles to nothing.
#if defined(HLSPP_CATCH2_V2)
#define CATCH_CONFIG_MAIN
#include "catch.hpp"
#endif
