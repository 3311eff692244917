#include "strength/mutation.h"

#include <catch2/catch.hpp>

#include "oracle/runner.h"
#include "sut/mock/mock_sut.h"
#include "sut/mutants/mutant.h"

namespace bc {
namespace {

TEST_CASE("an unknown mutant is an error", "[mutation]") {
  MutationOptions o;
  o.mutants = {"no-such-mutant"};
  CHECK_THROWS_AS(runMutants(o), std::invalid_argument);
}

// The self-check proper: every mutant of the mock is killed, by a counterexample that fails on
// the mutant and passes on the mock as built.
TEST_CASE("every mutant of the mock is killed by the suite", "[mutation]") {
  MutationOptions o;
  o.scenariosDir = BITSCONFORM_SCENARIOS_DIR;
  o.budgetSeconds = 30;
  MutationReport r = runMutants(o);
  INFO(formatMutationReport(r));
  CHECK(r.mutants.size() == mutantNameList().size());
  CHECK(r.survivors().empty());
  CHECK(r.score == 100.0);
  // Diagnosed, too: the rule each mutant declares it breaks is among what the failing checks
  // blame (so a report of the same checks shows that rule failing).
  CHECK(r.undiagnosed().empty());
  CHECK(r.diagnosisScore == 100.0);
  for (const MutantResult& m : r.mutants) {
    INFO(m.name << " declares " << m.breaks.size() << " rules, blamed " << m.blamed.toString());
    CHECK_FALSE(m.breaks.empty());
    for (const std::string& id : m.breaks) CHECK(m.blamed.has(*parseRule(id)));
  }
  for (const MutantResult& m : r.mutants) {
    if (!m.killed) continue;
    INFO(m.name << " killed by " << m.killedBy);
    REQUIRE(!m.counterexample.empty());
    mock::MockOptions plain, mutated;
    plain.version = mutated.version = m.config.version;
    mock::applyMutant(mutated, *mock::parseMutant(m.name));
    mock::MockSut good(plain), bad(mutated);
    CHECK(runSequence(m.counterexample, m.config, good).passed());
    CHECK(!runSequence(m.counterexample, m.config, bad).passed());
    CHECK(m.secondsToKill < 2.0);
  }
}

// The properties alone (no scenarios, no covering set) kill every mutant: the targeted ones were
// strengthened for flag-bit-ignored and joberror-on-transient, which only scenarios caught.
TEST_CASE("every mutant of the mock is killed by the properties alone", "[mutation][EVT-3][EVT-4][FLAG-3]") {
  MutationOptions o;
  o.checks = {"targeted-properties", "model-equals-sut"};
  o.bound = 0;
  o.budgetSeconds = 10;
  MutationReport r = runMutants(o);
  INFO(formatMutationReport(r));
  CHECK(r.survivors().empty());
  for (const MutantResult& m : r.mutants) {
    INFO(m.name);
    CHECK(m.killedBy.rfind("property ", 0) == 0);
  }
  CHECK(r.seconds < 45);
}

// Shrinking keeps every counterexample short: at most 7 commands, and those of 7 are minimal for
// a divergence at a delivery (job 4 + receiver + failing behaviour or server + Tick).
TEST_CASE("shrunk counterexamples are short", "[mutation]") {
  MutationOptions o;
  o.scenariosDir = BITSCONFORM_SCENARIOS_DIR;
  MutationReport r = runMutants(o);
  INFO(formatMutationReport(r));
  for (const MutantResult& m : r.mutants) {
    INFO(m.name << ": " << m.counterexample.size() << " commands");
    CHECK(m.counterexample.size() <= 7);
  }
}

TEST_CASE("minimality argument: the least a delivery divergence needs", "[mutation]") {
  auto c = [](CmdKind k, JobId j = 1) {
    Command x;
    x.kind = k;
    x.app = k == CmdKind::Tick || k == CmdKind::Transfer ? 0 : 1;
    x.job = k == CmdKind::Tick ? 0 : j;
    return x;
  };
  CHECK(minimalityArgument({c(CmdKind::CreateJob), c(CmdKind::GetNotifyFlags)}) == "job 1 + the call 1");
  Command behave = c(CmdKind::Behave, 0);
  behave.behavior = Behavior::FailOnce;
  std::vector<Command> retry = {behave, c(CmdKind::CreateJob), c(CmdKind::AddFile), c(CmdKind::SetNotifyInterface),
                                c(CmdKind::Resume), c(CmdKind::Transfer), c(CmdKind::Tick)};
  CHECK(minimalityArgument(retry).find("job 4") == 0);
  retry.push_back(c(CmdKind::Suspend));  // one command more than the argument accounts for
  CHECK(minimalityArgument(retry).empty());
}

}  // namespace
}  // namespace bc
