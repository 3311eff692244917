// The mock must not include the model (or the comparison with it would be vacuous). Only the
// differential test may reach the model, and only through oracle/runner.h. Nor may the mock's
// code know its mutants: they live above it (sut/mutants/) and override its seams (seams.h), so
// that sut/mock reads as BITS and nothing else.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace {

struct Scan {
  int files = 0;
  std::vector<std::string> matches;  // "file:line: text"
};

// The lines of the mock's sources (.h, .cc) that match `pattern`; tests only when `withTests`.
Scan scanMock(const std::regex& pattern, bool withTests) {
  namespace fs = std::filesystem;
  Scan scan;
  for (const auto& e : fs::directory_iterator(fs::path(BITSCONFORM_SOURCE_DIR) / "sut" / "mock")) {
    const std::string name = e.path().filename().string();
    const auto ext = e.path().extension();
    if ((ext != ".h" && ext != ".cc") || (!withTests && name.ends_with("_test.cc"))) continue;
    ++scan.files;
    std::ifstream in(e.path());
    std::string line;
    for (int n = 1; std::getline(in, line); ++n)
      if (std::regex_search(line, pattern)) scan.matches.push_back(name + ":" + std::to_string(n) + ": " + line);
  }
  return scan;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

}  // namespace

TEST_CASE("No file under sut/mock includes model/", "[independence]") {
  const Scan scan = scanMock(std::regex(R"(^\s*#\s*include\s*["<]model/)"), true);
  INFO(joined(scan.matches));
  CHECK(scan.matches.empty());
  CHECK(scan.files >= 10);
}

// A branch on a mutant (`m_.is(Mutant::X)`), the catalog's types or an include of sut/mutants/
// in the mock's own code (tests may use the mutants: they are not the mock).
TEST_CASE("No file of the mock names a mutant", "[independence]") {
  const Scan scan = scanMock(std::regex(R"(\bMutant|^\s*#\s*include\s*["<]sut/mutants/)"), false);
  INFO(joined(scan.matches));
  CHECK(scan.matches.empty());
  CHECK(scan.files >= 10);
}
