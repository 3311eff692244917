// The mock must not include the model (or the comparison with it would be vacuous). Only the
// differential test may reach the model, and only through oracle/runner.h. Nor may the mock's
// code know its mutants: they live above it (sut/mutants/) and override its seams (seams.h), so
// that sut/mock reads as BITS and nothing else.
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

// A branch on a mutant (`m_.is(Mutant::X)`), the catalog's types or an include of sut/mutants/
// in the mock's own code (tests may use the mutants: they are not the mock).
TEST_CASE("No file of the mock names a mutant", "[independence]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(BITSCONFORM_SOURCE_DIR) / "sut" / "mock";
  const std::regex mutant(R"(\bMutant|^\s*#\s*include\s*["<]sut/mutants/)");
  int scanned = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    auto ext = e.path().extension();
    if ((ext != ".h" && ext != ".cc") || name.ends_with("_test.cc")) continue;
    ++scanned;
    std::ifstream in(e.path());
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      INFO(name << ":" << n << ": " << line);
      CHECK_FALSE(std::regex_search(line, mutant));
    }
  }
  CHECK(scanned >= 10);
}
