# Install rules and package files (fmt/spdlog style): the C ABI library and
# its one header, salesightConfig.cmake + version file (compatible = the same
# ABI version as the SONAME's: same major from 1.0, same minor during 0.x), and
# salesight.pc. Included by the top-level CMakeLists.txt when SALESIGHT_INSTALL is on.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(SALESIGHT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/salesight CACHE STRING
    "Where salesightConfig.cmake is installed")

install(TARGETS salesight EXPORT salesightTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT devel
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT devel
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime
  PUBLIC_HEADER DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT devel)
install(EXPORT salesightTargets NAMESPACE salesight:: DESTINATION ${SALESIGHT_CMAKE_DIR}
        COMPONENT devel)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/salesightConfig.cmake.in
  ${PROJECT_BINARY_DIR}/salesightConfig.cmake INSTALL_DESTINATION ${SALESIGHT_CMAKE_DIR})
# The package accepts what the dynamic loader accepts, the SONAME's ABI
# version (SalesightVersion.cmake): find_package(salesight 0.1) refuses 0.2.
if(SALESIGHT_ABI_VERSION STREQUAL PROJECT_VERSION_MAJOR)
  set(compatibility SameMajorVersion)
else()
  set(compatibility SameMinorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/salesightConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY ${compatibility})
install(FILES ${PROJECT_BINARY_DIR}/salesightConfig.cmake
              ${PROJECT_BINARY_DIR}/salesightConfigVersion.cmake
        DESTINATION ${SALESIGHT_CMAKE_DIR} COMPONENT devel)

# pkg-config: absolute paths computed from the install prefix at install time
# would break relocation, so the .pc uses ${pcfiledir}-relative prefix.
file(RELATIVE_PATH SALESIGHT_PC_TO_PREFIX
     ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
configure_file(${PROJECT_SOURCE_DIR}/cmake/salesight.pc.in ${PROJECT_BINARY_DIR}/salesight.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/salesight.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT devel)
