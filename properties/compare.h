// compare.h: does a SUT's step match the model's step?
//
// Exact for a deterministic SUT (capabilities().exactModification): the same observations in
// the same order. For a real implementation the docs grant latitude to JobModification (EVT-8,
// CB-11, OQ-6): the comparison ignores JobModification calls, except that one must never reach
// a receiver the model sent no JobModification to in this step while the model had the
// MODIFICATION bit off for that job (the model marks those steps; see StepExpectation).
#pragma once

#include <string>

#include "vocab/observation.h"

namespace bc {

struct StepComparison {
  bool match = true;
  // When !match: the index in `expected` (or `actual`) of the first difference, and a
  // one-paragraph explanation naming both sides in the scenario syntax.
  size_t index = 0;
  std::string explanation;
  // The rules the differing expected observation (or, for an extra actual one, the step's
  // Return observation) carries: what the divergence breaks.
  RuleSet rules;
};

StepComparison compareStep(const Observations& expected, const Observations& actual, bool exactModification);

}  // namespace bc
