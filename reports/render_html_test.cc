#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <catch2/catch.hpp>

#include "results/approval.h"
#include "reports/render.h"

using namespace bc;
using namespace bc::testing;

namespace {

namespace fs = std::filesystem;

std::vector<Results> matrixRuns() {
  return {loadFixture("baseline.json"), loadFixture("wine.json"), loadFixture("hostile.json")};
}

std::string readAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool onPath(const std::string& program) {
  return std::system(("command -v " + program + " >/dev/null 2>&1").c_str()) == 0;
}

// Runs headless Chromium on `page`; returns its exit status, with stdout/stderr in files.
int chromium(const std::string& browser, const fs::path& page, const std::string& mode, const fs::path& out,
             const fs::path& err) {
  fs::path profile = fs::temp_directory_path() / ("bc-chromium-" + std::to_string(::getpid()));
  fs::remove_all(profile);
  std::string cmd = "timeout 120 " + browser +
                    " --headless --no-sandbox --disable-gpu --disable-background-networking"
                    " --disable-component-update --disable-sync --no-first-run --disable-dev-shm-usage"
                    " --enable-logging=stderr --v=0 --virtual-time-budget=3000 --user-data-dir=" + profile.string() +
                    " " + mode + " file://" + page.string() + " >" + out.string() + " 2>" + err.string();
  int status = std::system(cmd.c_str());
  fs::remove_all(profile);
  return status;
}

}  // namespace

TEST_CASE("html matrix report matches the approved file", "[reports]") {
  checkApproved("report-matrix.approved.html", renderHtml(matrixRuns()));
}

TEST_CASE("html escapes every SUT-supplied string", "[reports]") {
  std::string html = renderHtml(matrixRuns());
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("<iframe") == std::string::npos);
  CHECK(html.find("javascript:") == std::string::npos);  // a manifest link is not made an href
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("&lt;/pre&gt;&lt;script&gt;alert(4)") != std::string::npos);
  // Exactly one script element: the page's own.
  size_t scripts = 0;
  for (size_t p = html.find("<script"); p != std::string::npos; p = html.find("<script", p + 1)) ++scripts;
  CHECK(scripts == 1);
  // No network: nothing is loaded from elsewhere.
  CHECK(html.find(" src=\"") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
}

TEST_CASE("html has the matrix, filters, doc links and failures", "[reports][REG-8]") {
  std::string html = renderHtml(matrixRuns());
  CHECK(html.find("<select id=\"group\">") != std::string::npos);
  CHECK(html.find("value=\"expected-fail\"") != std::string::npos);
  CHECK(html.find("<a href=\"https://learn.microsoft.com/windows/win32/api/bits/nf-bits-ibackgroundcopyjob-setnotifyinterface\">REG-8</a>") !=
        std::string::npos);
  // The verdict of every run first, then the failures, each case once (unexpected ones open).
  CHECK(html.find("<h1>bitsconform conformance report</h1>\n<section id=\"banner\">\n<div class=\"verdict PASS\"><h2>mock: "
                  "PASS</h2><p>Exit code <b>0</b>: every check passed</p>") != std::string::npos);
  CHECK(html.find("<div class=\"verdict FAIL\"><h2>&lt;script&gt;alert(1)&lt;/script&gt;: FAIL</h2><p>Exit code <b>1</b>: 1 "
                  "unexpected failure(s)") != std::string::npos);
  CHECK(html.find("<p class=\"selfcheck\">This run checks the suite against itself") != std::string::npos);
  CHECK(html.find("<details class=\"group\" id=\"g-2-1\" open><summary><h3>1. Unexpected failure: REG-8, CB-14 on "
                  "&lt;script&gt;alert(1)&lt;/script&gt;</h3></summary><p>Found by: <code>scenario:scenarios/reg/"
                  "late.scenario@step-5</code> (diverged)</p>") != std::string::npos);
  CHECK(html.find("<details class=\"group\" id=\"g-1-1\"><summary><h3>1. Expected failure: REG-3 on wine-qmgr</h3>") !=
        std::string::npos);
  CHECK(html.find("<li><b>CB-14</b>: For a given registration,") != std::string::npos);
  CHECK(html.find("id=\"banner\"") < html.find("<h2>Failures</h2>"));
  CHECK(html.find("<h2>Failures</h2>") < html.find("<table id=\"matrix\">"));
  CHECK(html.find("<th>Rule</th><th>Doc basis (E explicit, E* loose, I inferred)</th><th>Summary</th><th>Verdict: mock</th>") !=
        std::string::npos);
  CHECK(html.find("Replay: <span class=\"replay\">bitsconf replay --property model-equals-sut --reproduce BchVSZ2Fuc --sut wine") !=
        std::string::npos);
}

TEST_CASE("html verdicts link to their witness's trace, and every in-page link has a target", "[reports][REG-8]") {
  std::string html = renderHtml(matrixRuns());
  // A pass links to the passing scenario's trace; a failure to its counterexamples, then its trace.
  CHECK(html.find("witness: scenario scenarios/flag/invalid.scenario\"><a href=\"#t-0-scenarios/flag/invalid.scenario\">"
                  "pass</a>") != std::string::npos);
  CHECK(html.find("<a href=\"#g-2-1\">fail</a><a class=\"w\" href=\"#t-2-scenarios/reg/late.scenario\">trace</a>") !=
        std::string::npos);
  CHECK(html.find("witness: properties only\">pass<span class=\"w\">properties only</span>") != std::string::npos);
  // Not applicable: the evidence, linked to the scenario that was refused.
  CHECK(html.find("witness: capability notify-clsid: QueryInterface(IBackgroundCopyJob5) = E_NOINTERFACE\"><a "
                  "href=\"#t-1-scenarios/clsid/activate.scenario\">not-applicable</a>") != std::string::npos);
  CHECK(html.find("<details id=\"t-0-scenarios/reg/late.scenario\"><summary>scenarios/reg/late.scenario on mock: <span "
                  "class=\"st-pass\">pass</span></summary><p>Late registration still delivers JobTransferred</p><pre>A1 "
                  "CreateJob J1\n  -&gt; S_OK\n") != std::string::npos);
  // A SUT's trace is text, never markup.
  CHECK(html.find("-&gt; S_OK &lt;/pre&gt;&lt;script&gt;alert(5)&lt;/script&gt;") != std::string::npos);
  std::smatch m;
  std::string rest = html;
  int links = 0;
  while (std::regex_search(rest, m, std::regex("href=\"#([^\"]+)\""))) {
    ++links;
    CHECK(html.find("id=\"" + m[1].str() + "\"") != std::string::npos);
    rest = m.suffix();
  }
  CHECK(links > 10);
}

// Opens the report in headless Chromium: the page must load, its script must run without error
// (it marks <body data-ready="ok">), no hostile string may have become markup, and a screenshot
// is kept next to the test output for a person to look at.
TEST_CASE("html report loads and runs in headless Chromium", "[reports][browser]") {
  const char* skip = std::getenv("BITSCONFORM_NO_BROWSER");
  if (skip && std::string(skip) == "1") {
    WARN("BITSCONFORM_NO_BROWSER=1: browser check skipped");
    return;
  }
  std::string browser = onPath("chromium") ? "chromium" : onPath("chromium-browser") ? "chromium-browser" : "";
  if (browser.empty())
    FAIL("chromium is not installed: run tools/setup.sh --browser (or set BITSCONFORM_NO_BROWSER=1 to skip)");

  fs::path dir = BITSCONFORM_REPORTS_OUTDIR;
  fs::create_directories(dir);
  fs::path page = fs::absolute(dir / "report-matrix.html");
  std::ofstream(page, std::ios::binary) << renderHtml(matrixRuns());

  fs::path dom = dir / "report-matrix.dom.html", err = dir / "chromium-dom.log";
  int status = chromium(browser, page, "--window-size=1400,1000 --dump-dom", dom, err);
  INFO("chromium log: " << err.string());
  REQUIRE(status == 0);
  std::string dumped = readAll(dom);
  std::string log = readAll(err);
  CHECK(dumped.find("data-ready=\"ok\"") != std::string::npos);
  CHECK(dumped.find("<title>bitsconform report [ready]</title>") != std::string::npos);
  // The first screen shows the overall verdict and the first failure, without scrolling.
  CHECK(dumped.find("data-first-screen=\"banner failure\"") != std::string::npos);
  // The filter script ran: it counted the rows.
  CHECK(std::regex_search(dumped, std::regex("[0-9]+ of [0-9]+ rules shown")));
  CHECK(dumped.find("<img") == std::string::npos);
  CHECK(dumped.find("<iframe") == std::string::npos);
  CHECK(log.find("Uncaught") == std::string::npos);
  CHECK(log.find("alert") == std::string::npos);

  fs::path shot = fs::absolute(dir / "report-matrix.png");
  fs::remove(shot);
  status = chromium(browser, page, "--window-size=1400,1000 --screenshot=" + shot.string(), dir / "chromium-shot.out",
                    dir / "chromium-shot.log");
  REQUIRE(status == 0);
  REQUIRE(fs::exists(shot));
  CHECK(fs::file_size(shot) > 10000);
  WARN("screenshot: " << shot.string());
}
