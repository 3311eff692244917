# Install rules and the exported CMake package: a user's project can find_package(bitsconform),
# implement bc::Sut in process and run the scenario library and the runner against it, or read
# and write results files.
#
# The public API is what is installed, and only that: the vocabulary and its text forms, the
# model, the SUT interface and its implementations (mock, protocol client, registry), the oracle
# (runner, comparison, check records), the scenario library and the results schema. Their
# static libraries, their headers under include/bitsconform/<folder>/ (test-only headers stay
# out), the scenario library under share/bitsconform/scenarios and
# lib/cmake/bitsconform/{bitsconformConfig,bitsconformConfigVersion,bitsconformTargets}.cmake.
# The install_package_example test builds examples/ against the install tree only and compiles
# every installed header on its own.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(BITSCONFORM_EXPORTED bc_vocab bc_model bc_sut bc_mock bc_mock_mutants bc_protocol bc_sut_registry bc_oracle
    bc_scenarios bc_strength_info bc_results)
foreach(t IN LISTS BITSCONFORM_EXPORTED)
  if(NOT TARGET ${t})
    message(FATAL_ERROR "bitsconform install: target ${t} is missing")
  endif()
  # Exported under the bitsconform:: namespace without the bc_ prefix: bitsconform::runner.
  string(REPLACE "bc_" "" short ${t})
  set_target_properties(${t} PROPERTIES EXPORT_NAME ${short})
endforeach()

install(TARGETS ${BITSCONFORM_EXPORTED} EXPORT bitsconformTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/bitsconform)

# Headers: the folders the exported libraries come from, without the test-only headers (test
# doubles, fixtures, Catch2 helpers) and the Windows adapter's. results/ is installed for its
# schema, which includes strength/strength_info.h (plain records).
foreach(dir vocab model sut oracle scenarios results)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/bitsconform/${dir}
    FILES_MATCHING PATTERN "*.h" PATTERN "*.inc"
    PATTERN "real" EXCLUDE PATTERN "examples" EXCLUDE PATTERN "testing" EXCLUDE PATTERN "fuzz-corpus" EXCLUDE
    PATTERN "*_testing.h" EXCLUDE PATTERN "test_util.h" EXCLUDE PATTERN "approval.h" EXCLUDE)
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/strength/strength_info.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/bitsconform/strength)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/ DESTINATION ${CMAKE_INSTALL_DATADIR}/bitsconform/scenarios
  FILES_MATCHING PATTERN "*.scenario")

install(EXPORT bitsconformTargets NAMESPACE bitsconform:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/bitsconform)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/bitsconformConfig.cmake.in
  ${PROJECT_BINARY_DIR}/bitsconformConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/bitsconform
  PATH_VARS CMAKE_INSTALL_DATADIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/bitsconformConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/bitsconformConfig.cmake ${PROJECT_BINARY_DIR}/bitsconformConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/bitsconform)

# The example, built against a temporary install of this tree and run (examples/inprocess_adapter).
if(BUILD_TESTING)
  add_test(NAME install_package_example
    COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${PROJECT_BINARY_DIR} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
            -DWORK_DIR=${PROJECT_BINARY_DIR}/install-example -DGENERATOR=${CMAKE_GENERATOR}
            -P ${PROJECT_SOURCE_DIR}/examples/inprocess_adapter/run_example.cmake)
  set_tests_properties(install_package_example PROPERTIES TIMEOUT 600 LABELS install)
endif()
