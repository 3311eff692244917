#include "properties/mutation.h"

#include <catch2/catch.hpp>

#include "properties/runner.h"
#include "sut/mock/mock_sut.h"
#include "sut/mock/mutant.h"

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
  for (const MutantResult& m : r.mutants) {
    if (!m.killed) continue;
    INFO(m.name << " killed by " << m.killedBy);
    REQUIRE(!m.counterexample.empty());
    mock::MockOptions plain, mutated;
    plain.version = mutated.version = m.config.version;
    mutated.mutant = *mock::parseMutant(m.name);
    mock::MockSut good(plain), bad(mutated);
    CHECK(runSequence(m.counterexample, m.config, good).passed());
    CHECK(!runSequence(m.counterexample, m.config, bad).passed());
    CHECK(m.secondsToKill < 2.0);
  }
}

}  // namespace
}  // namespace bc
