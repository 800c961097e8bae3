// SPDX-License-Identifier: MIT
// ODR/link check: odr_a.cpp and odr_b.cpp both include the umbrella header and are
// linked into one executable, so any non-inline definition in a header fails to link.
#include <hlspp/hlspp.hpp>

int hlspp_odr_check_a() { return hlspp::version_major; }
