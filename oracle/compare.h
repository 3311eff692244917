// compare.h: does a SUT's step match the model's step, and which checks did that take?
//
// Two strictnesses (docs/semantics.md section 10):
//  - Exact, for a deterministic SUT (the mock; Capabilities::exactModification): the same
//    observations in the same order.
//  - Latitude, for a real implementation, with what the docs allow: JobModification in any
//    number, at any time and in any order relative to the others (EVT-8, OQ-6, CB-11), never
//    where the flags forbid it, and at least once where the model owes one (a change with the
//    MODIFICATION bit on and a receiver; by the end of the next step); the other observations
//    in order per job (callbacks of different jobs may interleave: CB-11); a retry or a paced
//    call not yet made is no evidence (its timing is the implementation's). The behaviours the
//    docs leave open ("at least once", CB-14) are the runner's business: it follows every
//    latitude variant of the policies (model/policy.h) that the SUT is consistent with.
//
// Every comparison emits check records (check.h). A difference blames, by what differs:
//  - a missing or different observation: its `primary` rules (why it exists at this point) and,
//    as suspects, the provenance of every field it read;
//  - the right callback on another receiver: its `route` rules (DISP-2, CLSID-7, CLSID-8,
//    DISP-3) and, as suspects, the provenance of the slot (or the CLSID);
//  - a getter that shows the value its field held before the last write: that write's rule
//    alone (the SUT lost it: REG-3, CLSID-6, CLSID-4, ...);
//  - the same call answered differently: no rule (the objects' answers are the harness's);
//  - an extra observation: Model::whyNot (the Withheld records of the step, else the state);
//  - an observation made before one the model makes first: the earlier one's primary rules and
//    the ordering rule (CB-6, CB-7).
// Suspects stay in `rules` until oracle/refine.h probes their fields.
#pragma once

#include <string>
#include <vector>

#include "model/model.h"
#include "oracle/check.h"
#include "vocab/observation.h"

namespace bc {

enum class Strictness : uint8_t { Exact, Latitude };

struct StepComparison {
  bool match = true;
  // When !match: the index in `expected` (or `actual`) of the first difference, and a
  // one-paragraph explanation naming both sides in the scenario syntax.
  size_t index = 0;
  std::string explanation;
  RuleSet rules;      // what the difference blames (blame.all(), or refined); empty: a harness rule
  Suspicion blame;    // the deciding rules and the suspects behind `rules`
  RuleSet consulted;  // every rule the model consulted for the differing observation (context)
  std::vector<Check> checks;  // every check of the step, the failing one last
};

// Compares one step. `model` is the model right after predicting `expected` (it answers
// whyNot and holds the step's Withheld records). `step` numbers the records.
StepComparison compareStep(const Observations& expected, const Observations& actual, const Model& model,
                           Strictness strictness, uint32_t step);

// A JobModification the model owes on a real SUT (Latitude), carried to the end of the next
// step; discharged by any JobModification of that job.
struct OwedModification {
  JobId job = 0;
  uint32_t step = 0;  // the step that owed it
  RuleSet rules;      // what its absence blames (EVT-6 and the flags' provenance)
  Observation expected;
};
// Latitude only: adds the step's owed JobModifications to `owed`, discharges those the step
// made, and fails those owed in the step before that are still missing. After the `last` step
// the rest are dropped unjudged (no time was left to see them).
void settleModifications(std::vector<OwedModification>& owed, const Observations& expected,
                         const Observations& actual, uint32_t step, bool last, StepComparison& out);

bool isModification(const Observation& o);

}  // namespace bc
