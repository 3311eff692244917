// targeted.h: the targeted properties: a scripted skeleton around one rule, plus random noise.
//
// A skeleton is a short, fixed list of steps (some optional) whose arguments are drawn at random
// (apps, objects, classes, variants); harmless noise (genHarmlessNoise) is interleaved between
// the steps. Shrinking drops noise and optional steps but never a required one, so a shrunk
// counterexample still shows the rule. When every step is present the witness checks that the
// model's trace shows the rule's characteristic observation (the property is not vacuous).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <rapidcheck.h>

#include "properties/generators.h"
#include "vocab/observation.h"
#include "vocab/rules.h"

namespace bc {

using Trace = std::vector<Observations>;  // one entry per step

// One generated case of a targeted property.
struct Scripted {
  std::vector<Command> commands;  // skeleton and noise, in order
  std::vector<int> at;            // position in `commands` of each skeleton step, -1 if dropped
  bool complete = true;           // every optional step kept: the witness applies
  // "" when the model's trace shows what the rule says, else what is missing.
  std::function<std::string(const Trace&, const std::vector<int>& at)> witness;
};
void showValue(const Scripted& s, std::ostream& os);

struct TargetedProperty {
  std::string name;
  std::string description;
  std::vector<Rule> rules;
  // The generator of cases; empty (nullptr gen) when `u.caps` cannot run any variant.
  std::function<rc::Gen<Scripted>(const Universe& u)> gen;
  // Whether `u.caps` allows at least one variant.
  std::function<bool(const Universe& u)> applicable;
};

// Every targeted property, in a stable order: precedence, disconnect, restart-persistence,
// guid-null-clears, last-writer-wins, flags-and-disable, late-and-repeated-delivery, retries,
// cmdline-last-resort, modification.
const std::vector<TargetedProperty>& targetedProperties();

}  // namespace bc
