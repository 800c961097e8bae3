# SPDX-License-Identifier: MIT
# hlspp_target_warnings(<target>)
#   Enables the project's warning set on one of *our* targets (tests, examples,
#   benchmarks, bindings). Never call it on the INTERFACE library: consumers
#   choose their own warnings.
include_guard(GLOBAL)

function(hlspp_target_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 /permissive-)
    if(HLSPP_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE /WX)
    endif()
  else()
    target_compile_options(${target} PRIVATE
      -Wall -Wextra -Wpedantic -Wconversion -Wshadow)
    if(HLSPP_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()
