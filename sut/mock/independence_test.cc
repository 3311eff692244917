// The mock must not include the model (or the comparison with it would be vacuous). Only the
// differential test may reach the model, and only through oracle/runner.h.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

TEST_CASE("No file under sut/mock includes model/", "[independence]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(BITSCONFORM_SOURCE_DIR) / "sut" / "mock";
  const std::regex include(R"(^\s*#\s*include\s*["<]model/)");
  int scanned = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    auto ext = e.path().extension();
    if (ext != ".h" && ext != ".cc") continue;
    ++scanned;
    std::ifstream in(e.path());
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      INFO(e.path().filename().string() << ":" << n << ": " << line);
      CHECK_FALSE(std::regex_search(line, include));
    }
  }
  CHECK(scanned >= 10);
}
