// SPDX-License-Identifier: MIT
#pragma once

namespace hlspp {

/// Library version; the single source of truth read by CMake and pyproject.toml.
inline constexpr int version_major = 0;
inline constexpr int version_minor = 1;
inline constexpr int version_patch = 0;

}  // namespace hlspp
