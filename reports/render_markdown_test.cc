#include <catch2/catch.hpp>

#include "results/approval.h"
#include "reports/render.h"

using namespace bc;
using namespace bc::testing;

TEST_CASE("markdown report of one run matches the approved file", "[reports][REG-8]") {
  std::string md = renderMarkdown({loadFixture("current-regression.json")});
  CHECK(md.find("| [REG-8](https://") != std::string::npos);
  // The verdict first, then the failures (each case once, with every rule it blames), then the rules.
  CHECK(md.find("# bitsconform conformance report\n\n## Verdict\n\n| Run | Verdict | Exit code | Meaning | Unexpected "
                "failures | Expected failures | SUT failures | Failing rules | Blocked rules |\n|---|---|---|---|---|---|---|"
                "---|---|\n| mock | **FAIL** | 1 | 1 unexpected failure(s): failing checks the manifest does not list | 1 | 0 "
                "| 0 | 2 | 0 |\n") == 0);
  CHECK(md.find("> **mock**: This run checks the suite against itself") != std::string::npos);
  CHECK(md.find("### 1. Unexpected failure: REG-8, CB-14 on mock\n\nFound by: "
                "`scenario:scenarios/reg/late.scenario@step-5` (diverged)\n\n| Rule | Summary |\n|---|---|\n| REG-8 | Late "
                "registration still delivers.") != std::string::npos);
  CHECK(md.find("| CB-14 | For a given registration,") != std::string::npos);
  CHECK(md.find("### 2.") == std::string::npos);  // one case, shown once for both its rules
  CHECK(md.find("Replay: `bitsconf replay scenarios/reg/late.scenario --sut mock`") != std::string::npos);
  CHECK(md.find("## Verdict") < md.find("## Failures"));
  CHECK(md.find("## Failures") < md.find("## Runs"));
  CHECK(md.find("## Runs") < md.find("## Rules"));
  CHECK(md.find("| Rule | Doc basis (E explicit, E* loose, I inferred) | Summary | Verdict: mock |") != std::string::npos);
  // Each verdict names its witness; the traces section shows what the SUT did, up to the divergence.
  CHECK(md.find("| **FAIL** (scenario scenarios/reg/late.scenario) |") != std::string::npos);
  CHECK(md.find("| pass (scenario scenarios/flag/invalid.scenario) |") != std::string::npos);
  CHECK(md.find("| pass (properties only) |") != std::string::npos);
  CHECK(md.find("## Scenario traces") != std::string::npos);
  CHECK(md.find("#### scenarios/reg/late.scenario: diverged\n\nLate registration still delivers JobTransferred\n\n```\n"
                "A1 CreateJob J1\n  -> S_OK\n") != std::string::npos);
  checkApproved("report-single.approved.md", md);
}

TEST_CASE("markdown report puts runs side by side", "[reports]") {
  std::string md = renderMarkdown({loadFixture("baseline.json"), loadFixture("wine.json"), loadFixture("hostile.json")});
  CHECK(md.find("| Rule | Doc basis (E explicit, E* loose, I inferred) | Summary | Verdict: mock | Verdict: wine-qmgr | "
                "Verdict: &lt;script&gt;alert(1)&lt;/script&gt; |") != std::string::npos);
  // A failure the manifest lists is shown as expected, with its reason; the run passes.
  CHECK(md.find("| wine-qmgr | **PASS** | 0 | every check passed, or failed as the manifest expects |") !=
        std::string::npos);
  CHECK(md.find("### 1. Expected failure: REG-3 on wine-qmgr\n\nFound by: `property:model-equals-sut#0@case-3` (diverged)\n\n"
                "Expected by the manifest: finds REG-3 (fixture) https://bugs.winehq.org/show_bug.cgi?id=1\n") !=
        std::string::npos);
  CHECK(md.find("### 1. Unexpected failure: REG-8, CB-14 on &lt;script&gt;") < md.find("### 1. Expected failure: REG-3"));
  // Outside code fences (where text is literal) nothing SUT-supplied is raw markup.
  CHECK(md.find("## <script>") == std::string::npos);
  CHECK(md.find("### &lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(md.find("<img") == std::string::npos);
  // A SUT's backticks cannot close the fence around its output.
  CHECK(md.find("````\n</pre>") != std::string::npos);
  // Not applicable: the capability evidence; the scenario was never run on the SUT.
  CHECK(md.find("| not-applicable (capability notify-clsid: QueryInterface(IBackgroundCopyJob5) = E_NOINTERFACE) |") !=
        std::string::npos);
  CHECK(md.find("#### scenarios/clsid/activate.scenario: not-applicable\n\nThe CLSID server is activated\n\nNot run on "
                "the SUT: ") != std::string::npos);
  checkApproved("report-matrix.approved.md", md);
}

TEST_CASE("a replay line is one code span whatever backticks the file name holds", "[reports]") {
  Results r = loadFixture("current-regression.json");
  // The failure groups print the failing unit's counterexample.
  auto setReplay = [&r](const std::string& line) {
    int set = 0;
    for (auto& s : r.scenarios)
      if (s.counterexample) s.counterexample->replay = line, ++set;
    for (auto& p : r.properties)
      if (p.counterexample) p.counterexample->replay = line, ++set;
    REQUIRE(set > 0);
  };
  setReplay("bitsconf replay 'scenarios/a`b``c.scenario' --sut mock");
  std::string md = renderMarkdown({r});
  // The longest backtick run inside is 2: the span is delimited by 3, so nothing closes it early.
  CHECK(md.find("Replay: ```bitsconf replay 'scenarios/a`b``c.scenario' --sut mock```\n") != std::string::npos);
  setReplay("`starts and ends`");
  CHECK(renderMarkdown({r}).find("Replay: `` `starts and ends` ``\n") != std::string::npos);
}
