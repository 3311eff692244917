#include "vocab/run_outcome.h"

#include <catch2/catch.hpp>

using namespace bc;

TEST_CASE("every run outcome has one text form that parses back to it", "[vocab]") {
  const RunOutcome all[] = {RunOutcome::Pass,          RunOutcome::ExpectFailed, RunOutcome::Diverged,
                            RunOutcome::NotApplicable, RunOutcome::Crashed,      RunOutcome::TimedOut,
                            RunOutcome::ProtocolError};
  for (RunOutcome o : all) {
    CAPTURE(toString(o));
    CHECK(toString(o) != "?");
    REQUIRE(parseRunOutcome(toString(o)) == o);
  }
  CHECK(toString(RunOutcome::Diverged) == "diverged");
  CHECK(toString(RunOutcome::TimedOut) == "timed-out");
  CHECK_FALSE(parseRunOutcome("fail"));  // the old runner spelling is no outcome
  CHECK_FALSE(parseRunOutcome("Pass"));
  CHECK_FALSE(parseRunOutcome(""));
}

TEST_CASE("a SUT failure is a failure, not applicable and pass are not", "[vocab]") {
  CHECK_FALSE(isFailure(RunOutcome::Pass));
  CHECK_FALSE(isFailure(RunOutcome::NotApplicable));
  CHECK(isFailure(RunOutcome::ExpectFailed));
  CHECK(isFailure(RunOutcome::Diverged));
  for (RunOutcome o : {RunOutcome::Crashed, RunOutcome::TimedOut, RunOutcome::ProtocolError}) {
    CHECK(isFailure(o));
    CHECK(isSutFailure(o));
  }
  CHECK_FALSE(isSutFailure(RunOutcome::Diverged));
  CHECK_FALSE(isSutFailure(RunOutcome::ExpectFailed));
}
