// manifest.h: the expected failures of one implementation (reports/expectations/*.json).
//
// An entry names what is expected to fail there, why, and a link (bug tracker, doc):
//   {"rule": "REG-8", ...}       the rule's verdict is expected-fail, not fail
//   {"scenario": "scenarios/REG/reg-8-late-registration.scenario", ...}
//                                that scenario (its results `path`) is expected to fail
//   {"property": "model-equals-sut", ...}
//                                that property (every chunk; "covering-set" for the covering set)
// As wptrunner's expectations are per test: a failing scenario or property chunk that no entry
// names is an unexpected failure even when every rule it blames is listed, so a new breakage
// blamed on a known-bad rule still fails the run. A rule that fails only in listed units is
// expected-fail too. A listed rule or unit that passes is reported "fixed".
// Format: {"implementation": "wine", "expected_failures": [{"rule": "REG-3", "reason": "...",
// "link": "..."}, ...]}. Unknown rule IDs are an error (a typo must not hide a failure).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vocab/status.h"

namespace bc {

struct ManifestEntry {
  std::string rule;      // exactly one of rule, scenario, property is set
  std::string reason;
  std::string link;
  std::string scenario;  // a scenario's results path, "scenarios/REG/x.scenario"
  std::string property;  // a property's name, or "covering-set"
  // "rule REG-8", "scenario scenarios/REG/x.scenario", "property model-equals-sut"
  std::string subject() const;
};

struct Manifest {
  std::string implementation;
  std::string path;
  std::vector<ManifestEntry> entries;
  const ManifestEntry* find(std::string_view rule) const;  // a rule entry
  const ManifestEntry* findScenario(std::string_view path) const;
  const ManifestEntry* findProperty(std::string_view name) const;
};

// An error names the file (`path`), the line and column of a JSON syntax error, and the problem.
Expected<Manifest> parseManifest(const std::string& text, const std::string& path);
Expected<Manifest> loadManifest(const std::string& path);

}  // namespace bc
