# The version of salesight, read from capi/salesight.h (zstd's build reads
# zstd.h the same way), and the ABI compatibility rule derived from it. Used
# before project(), so it needs nothing but CMake itself.

# salesight_read_header_version(<header> <out>): <out> = "major.minor.patch"
# from the SALESIGHT_VERSION_* macros. Fails when a macro is missing or when
# SALESIGHT_VERSION_STRING says something else.
function(salesight_read_header_version header out)
  file(STRINGS ${header} lines REGEX "^#define SALESIGHT_VERSION_(MAJOR|MINOR|PATCH|STRING) ")
  foreach(line IN LISTS lines)
    if(line MATCHES "^#define SALESIGHT_VERSION_(MAJOR|MINOR|PATCH) +([0-9]+)$")
      set(${CMAKE_MATCH_1} ${CMAKE_MATCH_2})
    elseif(line MATCHES "^#define SALESIGHT_VERSION_STRING +\"([^\"]*)\"$")
      set(STRING ${CMAKE_MATCH_1})
    endif()
  endforeach()
  foreach(part MAJOR MINOR PATCH STRING)
    if(NOT DEFINED ${part})
      message(FATAL_ERROR "${header}: no '#define SALESIGHT_VERSION_${part} ...' in its format")
    endif()
  endforeach()
  set(version ${MAJOR}.${MINOR}.${PATCH})
  if(NOT STRING STREQUAL version)
    message(FATAL_ERROR "${header}: SALESIGHT_VERSION_STRING \"${STRING}\" is not the "
                        "MAJOR.MINOR.PATCH macros' ${version}")
  endif()
  # A new version in the header reconfigures the build.
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${header})
  set(${out} ${version} PARENT_SCOPE)
endfunction()

# salesight_abi_version(<version> <out>): the version that names a compatible
# ABI, which is the SONAME's (libsalesight.so.<out>): "major" from 1.0 on,
# "0.minor" during 0.x, where each minor may change the ABI.
function(salesight_abi_version version out)
  if(NOT version MATCHES "^([0-9]+)\\.([0-9]+)")
    message(FATAL_ERROR "salesight_abi_version: '${version}' is not major.minor[.patch]")
  endif()
  if(CMAKE_MATCH_1 EQUAL 0)
    set(${out} ${CMAKE_MATCH_1}.${CMAKE_MATCH_2} PARENT_SCOPE)
  else()
    set(${out} ${CMAKE_MATCH_1} PARENT_SCOPE)
  endif()
endfunction()
