# SPDX-License-Identifier: MIT
# hlspp_target_sanitizers(<target>)
#   When HLSPP_SANITIZE is ON, builds and links one of *our* executables or
#   libraries with AddressSanitizer + UndefinedBehaviorSanitizer. Any UB report
#   aborts the process (-fno-sanitize-recover=all), so CTest sees a failure.
#   Never applied to the INTERFACE library.
include_guard(GLOBAL)

function(hlspp_target_sanitizers target)
  if(NOT HLSPP_SANITIZE)
    return()
  endif()
  if(MSVC)
    target_compile_options(${target} PRIVATE /fsanitize=address)
    return()
  endif()
  set(_flags -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_compile_options(${target} PRIVATE ${_flags})
  get_target_property(_type ${target} TYPE)
  if(NOT _type STREQUAL "STATIC_LIBRARY" AND NOT _type STREQUAL "OBJECT_LIBRARY")
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
