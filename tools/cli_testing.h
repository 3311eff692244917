// cli_testing.h (test binaries only): what the bitsconf CLI tests share: a file read whole, and a
// fresh scratch folder per test process.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

namespace bc::testing {

inline std::string readAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// An empty folder TMP/<tag>-<pid>/<name>: each test binary and each case its own.
inline std::filesystem::path freshScratch(const std::string& tag, const std::string& name) {
  std::filesystem::path d = std::filesystem::temp_directory_path() / (tag + "-" + std::to_string(::getpid())) / name;
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

}  // namespace bc::testing
