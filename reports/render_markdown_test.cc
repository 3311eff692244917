#include <catch2/catch.hpp>

#include "reports/approval.h"
#include "reports/render.h"

using namespace bc;
using namespace bc::testing;

TEST_CASE("markdown report of one run matches the approved file", "[reports][REG-8]") {
  std::string md = renderMarkdown({loadFixture("current-regression.json")});
  CHECK(md.find("| [REG-8](https://") != std::string::npos);
  CHECK(md.find("### REG-8 on mock") != std::string::npos);
  CHECK(md.find("Replay: `bitsconf replay scenarios/reg/late.scenario --sut mock`") != std::string::npos);
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
  CHECK(md.find("| Rule | Status | Summary | mock | wine-qmgr | &lt;script&gt;alert(1)&lt;/script&gt; |") != std::string::npos);
  // Outside code fences (where text is literal) nothing SUT-supplied is raw markup.
  CHECK(md.find("## <script>") == std::string::npos);
  CHECK(md.find("## &lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
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
  for (RuleResult& rr : r.rules)
    for (Counterexample& c : rr.counterexamples) c.replay = "bitsconf replay 'scenarios/a`b``c.scenario' --sut mock";
  std::string md = renderMarkdown({r});
  // The longest backtick run inside is 2: the span is delimited by 3, so nothing closes it early.
  CHECK(md.find("Replay: ```bitsconf replay 'scenarios/a`b``c.scenario' --sut mock```\n") != std::string::npos);
  for (RuleResult& rr : r.rules)
    for (Counterexample& c : rr.counterexamples) c.replay = "`starts and ends`";
  CHECK(renderMarkdown({r}).find("Replay: `` `starts and ends` ``\n") != std::string::npos);
}
