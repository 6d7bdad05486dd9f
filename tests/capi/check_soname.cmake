# ctest: the SONAME of the built library names its ABI version as the README's
# ABI policy states it, derived here from capi/salesight.h's macros and not from
# the build's own SOVERSION: libsalesight.so.0.<minor> while the major is 0
# (each 0.x minor may change the ABI, so a program built against 0.1 must not
# load 0.2), libsalesight.so.<major> from 1.0. Read with readelf -d, the way
# the dynamic loader sees it; the file of that name must sit beside the library.
#   cmake -DLIB=<libsalesight.so.X.Y.Z> -DHEADER=<salesight.h> -P check_soname.cmake
if(NOT LIB OR NOT HEADER)
  message(FATAL_ERROR "usage: cmake -DLIB=... -DHEADER=... -P check_soname.cmake")
endif()
include(${CMAKE_CURRENT_LIST_DIR}/../../cmake/SalesightVersion.cmake)
salesight_read_header_version(${HEADER} version)
string(REPLACE "." ";" parts ${version})
list(GET parts 0 major)
list(GET parts 1 minor)
if(major EQUAL 0)
  set(want libsalesight.so.0.${minor})
else()
  set(want libsalesight.so.${major})
endif()

execute_process(COMMAND readelf -d ${LIB} OUTPUT_VARIABLE dyn RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "readelf -d failed on ${LIB}")
endif()
if(NOT dyn MATCHES "\\(SONAME\\) +Library soname: \\[([^]]*)\\]")
  message(FATAL_ERROR "${LIB} has no SONAME")
endif()
set(got ${CMAKE_MATCH_1})
if(NOT got STREQUAL want)
  message(FATAL_ERROR "${LIB}: SONAME ${got}, but version ${version} (${HEADER}) needs ${want}")
endif()
get_filename_component(dir ${LIB} DIRECTORY)
if(NOT EXISTS ${dir}/${want})
  message(FATAL_ERROR "${dir}/${want} (the SONAME link the loader opens) does not exist")
endif()
message(STATUS "${LIB}: SONAME ${got} for version ${version}")
