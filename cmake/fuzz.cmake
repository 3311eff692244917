# The fuzz build (CMake preset `fuzz`, option BITSCONFORM_FUZZ): only the libFuzzer targets and
# the libraries they need, compiled by clang with AddressSanitizer and UndefinedBehaviorSanitizer
# (Debian: clang-14 and libclang-rt-14-dev, `tools/setup.sh --fuzz`). The default build is not
# touched. tools/fuzz.sh runs a target; ctest runs each for 60 s (tools/CMakeLists.txt).
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "BITSCONFORM_FUZZ needs clang (libFuzzer): use `cmake --preset fuzz`")
endif()
find_package(nlohmann_json 3 REQUIRED)

# Every sanitizer failure is fatal (a finding), asserts stay on (the model checks itself).
set(BC_SANITIZE -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
add_compile_options(${BC_SANITIZE} -fsanitize=fuzzer-no-link -UNDEBUG)
add_link_options(${BC_SANITIZE})

add_subdirectory(vocab)
add_subdirectory(model)

# fuzz_target(NAME sources...): a libFuzzer binary.
function(fuzz_target name)
  add_executable(${name} ${ARGN})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
endfunction()

# The scenario parser, its round trip, and the model's limits on whatever parses.
fuzz_target(fuzz_scenario scenarios/fuzz_scenario.cc scenarios/scenario.cc)
target_link_libraries(fuzz_scenario PRIVATE bc_model bc_vocab)

# Both ends of the adapter protocol: the runner's decoder of adapter lines, and the adapter side
# (serveAdapter) answering whatever a request line holds.
fuzz_target(fuzz_protocol sut/protocol/fuzz_protocol.cc sut/protocol/protocol_message.cc sut/protocol/json_line.cc
            sut/protocol/adapter_server.cc)
target_link_libraries(fuzz_protocol PRIVATE bc_vocab nlohmann_json::nlohmann_json)
