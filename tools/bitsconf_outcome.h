// bitsconf_outcome.h: runner results -> the report's plain outcome records.
//
// The one place that turns a ScenarioResult / PropertyRun into a ScenarioOutcome /
// PropertyOutcome with its counterexample (scenario text, expected vs actual, replay line).
#pragma once

#include <map>
#include <string>

#include "properties/mutation.h"
#include "reports/results.h"
#include "scenarios/scenario.h"
#include "vocab/capabilities.h"
#ifdef BITSCONFORM_HAVE_SUITE
#include "properties/suite.h"
#endif

namespace bc {

std::map<std::string, bool> capabilityMap(const Capabilities& c);
std::vector<std::string> ruleIds(const RuleSet& rules);
std::vector<std::string> ruleIds(const std::vector<Rule>& rules);
std::string formatObservations(const Observations& obs);
// A shell word: quoted when it holds anything but [A-Za-z0-9_./:=,+-].
std::string shellQuote(const std::string& word);

ScenarioOutcome scenarioOutcome(const Scenario& s, const ScenarioResult& r, const std::string& scenarioDir,
                                const std::string& sutSpec, double seconds);
#ifdef BITSCONFORM_HAVE_SUITE
PropertyOutcome propertyOutcome(const PropertyRun& r, const std::string& description, const std::vector<Rule>& rules,
                                int chunk, const std::string& sutSpec);
#endif
// The suite-strength record of a mutation self-check (scores, survivors, the undiagnosed).
MutationInfo mutationInfo(const MutationReport& r, const std::string& source);

}  // namespace bc
