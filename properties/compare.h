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
  // What the divergence breaks, by what differs:
  //  - a missing or different observation: its deciding rules (Observation::blamed());
  //  - the right callback on the wrong receiver: its routing rules (DISP-2, CLSID-8, ...);
  //    the right receiver answering differently: its answer rules (DISP-4, CB-12, REG-7);
  //  - an extra observation: the rules that withheld it in this step (the Return's
  //    `withheld`, e.g. FLAG-3), or, if none, every rule the step consulted.
  // Empty when the model named none (a harness rule, e.g. a job name in use).
  RuleSet rules;
  // Every rule consulted for the differing observation (context, not blame).
  RuleSet consulted;
};

StepComparison compareStep(const Observations& expected, const Observations& actual, bool exactModification);

}  // namespace bc
