# The dashboard page's inline assets, linked into salesight_core as read-only
# data: Apache ECharts (npm `echarts`, pinned in scripts/web/package.json and
# package-lock.json, installed by `npm ci` in scripts/setup.sh) with its
# licence and notice, and the page's own script and styles (src/dashboard/web).
# The minified ECharts is checked against the sha256 below at configure time:
# a different file (another version, a tampered download) stops the build.
set(SALESIGHT_ECHARTS_VERSION "6.1.0")
set(SALESIGHT_ECHARTS_SHA256 "b66b25aeb4df84e33199dc21694014d336d222cbd9deb0e5a7c14bd6aa0d0fd0")
set(SALESIGHT_ECHARTS_DIR "${PROJECT_SOURCE_DIR}/scripts/web/node_modules/echarts" CACHE PATH
    "the npm echarts package the dashboard inlines (dist/echarts.min.js is sha256-checked)")

set(_echarts_js "${SALESIGHT_ECHARTS_DIR}/dist/echarts.min.js")
if(NOT EXISTS "${_echarts_js}")
  message(FATAL_ERROR "salesight dashboard: ${_echarts_js} is missing. Run `bash scripts/setup.sh` "
    "(it runs `npm ci` in scripts/web, installing echarts ${SALESIGHT_ECHARTS_VERSION} from the npm "
    "registry), or point SALESIGHT_ECHARTS_DIR at an unpacked echarts ${SALESIGHT_ECHARTS_VERSION} package.")
endif()
file(SHA256 "${_echarts_js}" _echarts_sha)
if(NOT _echarts_sha STREQUAL SALESIGHT_ECHARTS_SHA256)
  message(FATAL_ERROR "salesight dashboard: ${_echarts_js} has sha256 ${_echarts_sha}, but echarts "
    "${SALESIGHT_ECHARTS_VERSION}'s pinned dist/echarts.min.js has ${SALESIGHT_ECHARTS_SHA256} "
    "(src/dashboard/assets.cmake). Reinstall the pinned version: rm -rf scripts/web/node_modules && "
    "bash scripts/setup.sh.")
endif()

set(_dashboard_web "${CMAKE_CURRENT_SOURCE_DIR}/dashboard/web")
set(SALESIGHT_DASHBOARD_ASSETS
  echarts_js "${_echarts_js}"
  echarts_license "${SALESIGHT_ECHARTS_DIR}/LICENSE"
  echarts_notice "${SALESIGHT_ECHARTS_DIR}/NOTICE"
  page_js "${_dashboard_web}/dashboard.js"
  page_css "${_dashboard_web}/dashboard.css")
# One .incbin per asset between two hidden symbols (no hex dump to compile).
set(_asm "")
set(_decl "")
set(_deps "")
list(LENGTH SALESIGHT_DASHBOARD_ASSETS _n)
math(EXPR _last "${_n} - 1")
foreach(_i RANGE 0 ${_last} 2)
  math(EXPR _j "${_i} + 1")
  list(GET SALESIGHT_DASHBOARD_ASSETS ${_i} _name)
  list(GET SALESIGHT_DASHBOARD_ASSETS ${_j} _path)
  list(APPEND _deps "${_path}")
  string(APPEND _asm
    "    \".globl salesight_asset_${_name}_begin\\n.hidden salesight_asset_${_name}_begin\\n\"\n"
    "    \".globl salesight_asset_${_name}_end\\n.hidden salesight_asset_${_name}_end\\n\"\n"
    "    \"salesight_asset_${_name}_begin:\\n.incbin \\\"${_path}\\\"\\nsalesight_asset_${_name}_end:\\n\"\n")
  string(APPEND _decl
    "extern \"C\" const char salesight_asset_${_name}_begin[], salesight_asset_${_name}_end[];\n"
    "std::string_view Asset_${_name}() {\n"
    "  return {salesight_asset_${_name}_begin, static_cast<std::size_t>(salesight_asset_${_name}_end - salesight_asset_${_name}_begin)};\n}\n")
endforeach()
set(SALESIGHT_DASHBOARD_ASSETS_ASM "${_asm}")
set(SALESIGHT_DASHBOARD_ASSETS_DECL "${_decl}")
configure_file("${CMAKE_CURRENT_SOURCE_DIR}/dashboard/assets.cpp.in"
               "${CMAKE_CURRENT_BINARY_DIR}/dashboard_assets.cpp" @ONLY)
target_sources(salesight_core PRIVATE "${CMAKE_CURRENT_BINARY_DIR}/dashboard_assets.cpp")
set_source_files_properties("${CMAKE_CURRENT_BINARY_DIR}/dashboard_assets.cpp" PROPERTIES
  OBJECT_DEPENDS "${_deps}")
# A reinstalled echarts is checked again.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_echarts_js}")
