# ctest: the shared library exports only salesight_* (plus the version node
# SALESIGHT_<major> that the linker version script itself defines), and it
# needs no C++ runtime symbol from a consumer. Its SONAME is check_soname.cmake's.
# Usage: cmake -DLIB=<path> -P check_symbols.cmake
if(NOT LIB)
  message(FATAL_ERROR "usage: cmake -DLIB=... -P check_symbols.cmake")
endif()
execute_process(COMMAND nm -D --defined-only ${LIB} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm -D failed on ${LIB}")
endif()
string(REPLACE "\n" ";" lines "${out}")
set(bad "")
set(count 0)
foreach(line IN LISTS lines)
  if(line STREQUAL "")
    continue()
  endif()
  # "<address> <type> <name>"
  string(REGEX REPLACE "^[0-9a-fA-F]* *[A-Za-z] " "" name "${line}")
  # versioned names print as name@@SALESIGHT_0
  string(REGEX REPLACE "@.*$" "" name "${name}")
  if(name MATCHES "^salesight_[a-z0-9_]+$")
    math(EXPR count "${count} + 1")
  elseif(line MATCHES " A SALESIGHT_[0-9]+(@@SALESIGHT_[0-9]+)?$")
    # the version node of salesight.map, not code
  else()
    list(APPEND bad "${line}")
  endif()
endforeach()
if(bad)
  string(REPLACE ";" "\n  " bad "${bad}")
  message(FATAL_ERROR "${LIB} exports symbols outside salesight_*:\n  ${bad}")
endif()
if(count EQUAL 0)
  message(FATAL_ERROR "${LIB} exports no salesight_* symbol at all")
endif()
message(STATUS "${LIB}: ${count} salesight_* symbols, nothing else")
