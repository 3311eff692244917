// results_testing.h (test binaries only): small builders of results for the results and
// reports tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "results/results.h"

namespace bc::testing {

inline ScenarioOutcome scenario(std::string path, std::vector<std::string> rules, std::string status,
                         std::vector<std::string> checked = {}, std::vector<std::string> failed = {}) {
  ScenarioOutcome s;
  s.path = std::move(path);
  s.title = "t";
  s.rules = std::move(rules);
  s.status = parseRunOutcome(status).value();
  s.checked = std::move(checked);
  s.failedRules = std::move(failed);
  return s;
}
inline RuleVerdict verdictOf(const Results& r, const char* id) { return r.rule(id)->verdict; }

}  // namespace bc::testing
