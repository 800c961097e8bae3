# SPDX-License-Identifier: MIT
# Install and package-config rules; included from the top-level CMakeLists.txt
# only when HLSPP_INSTALL is ON. Consumers then use:
#   find_package(hlspp 0.1 CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE hlspp::hlspp)
include_guard(GLOBAL)
include(CMakePackageConfigHelpers)
include(GNUInstallDirs)

# Arch-independent location (header-only), as nlohmann/json and CLI11 do.
set(HLSPP_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/hlspp"
    CACHE STRING "Install directory for hlspp's CMake package files (relative to the prefix)")
mark_as_advanced(HLSPP_INSTALL_CMAKEDIR)

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        COMPONENT hlspp_Development
        FILES_MATCHING PATTERN "*.hpp")

install(TARGETS hlspp EXPORT hlsppTargets)

install(EXPORT hlsppTargets
        NAMESPACE hlspp::
        DESTINATION "${HLSPP_INSTALL_CMAKEDIR}"
        COMPONENT hlspp_Development)

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/hlsppConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/install-config/hlsppConfig.cmake"
  INSTALL_DESTINATION "${HLSPP_INSTALL_CMAKEDIR}")

write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/hlsppConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}"
  COMPATIBILITY SameMajorVersion
  ARCH_INDEPENDENT)

install(FILES
          "${PROJECT_BINARY_DIR}/install-config/hlsppConfig.cmake"
          "${PROJECT_BINARY_DIR}/hlsppConfigVersion.cmake"
        DESTINATION "${HLSPP_INSTALL_CMAKEDIR}"
        COMPONENT hlspp_Development)

# Build-tree package: -Dhlspp_DIR=<build dir> works without installing.
# (Never export(PACKAGE): it writes to the user's package registry.)
export(TARGETS hlspp NAMESPACE hlspp:: FILE "${PROJECT_BINARY_DIR}/hlsppTargets.cmake")
configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/hlsppConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/hlsppConfig.cmake"
  INSTALL_DESTINATION "${PROJECT_BINARY_DIR}"
  INSTALL_PREFIX "${PROJECT_BINARY_DIR}")
