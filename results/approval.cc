#include "results/approval.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

namespace bc::testing {

namespace {
std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
void writeAll(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}
}  // namespace

std::string testdataPath(const std::string& name) { return std::string(BITSCONFORM_REPORTS_TESTDATA) + "/" + name; }

Results loadFixture(const std::string& name) {
  auto r = readResultsFile(testdataPath(name));
  if (!r.ok()) FAIL(r.message());
  return *r;
}

void checkApproved(const std::string& approvedName, const std::string& received) {
  namespace fs = std::filesystem;
  fs::path approved = testdataPath(approvedName);
  // "report.approved.html" -> "report.received.html"
  std::string receivedName = approvedName;
  if (auto pos = receivedName.find(".approved."); pos != std::string::npos)
    receivedName.replace(pos, 10, ".received.");
  else
    receivedName += ".received";
  fs::path receivedPath = testdataPath(receivedName);
  const char* approve = std::getenv("BITSCONFORM_APPROVE");
  if (approve && std::string(approve) == "1") {
    writeAll(approved.string(), received);
    fs::remove(receivedPath);
    WARN("approved " << approved.string());
    return;
  }
  std::string expected = readAll(approved.string());
  if (expected == received) {
    fs::remove(receivedPath);
    SUCCEED();
    return;
  }
  writeAll(receivedPath.string(), received);
  FAIL_CHECK("output differs from " << approved.string() << (expected.empty() ? " (missing or empty)" : "")
                                    << "\n  see: diff -u " << approved.string() << " " << receivedPath.string()
                                    << "\n  accept: BITSCONFORM_APPROVE=1 ctest -R \"reports_test|results_test\"");
}

}  // namespace bc::testing
