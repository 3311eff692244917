// results.h: the canonical results of one run (schema "bitsconform-results/3", see SCHEMA.md).
//
// Plain data filled by the CLI (or by tests from fixtures): what ran, on which SUT, under which
// policies, each scenario's and property's outcome, and a verdict for every rule of the catalog.
// computeRuleVerdicts derives the per-rule verdicts from the outcomes and a manifest; the JSON
// form round-trips; writeResultsFile replaces the file atomically so a crashed run keeps its work.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "strength/strength_info.h"
#include "vocab/run_outcome.h"
#include "vocab/status.h"

namespace bc {

struct Manifest;

inline constexpr std::string_view kResultsSchema = "bitsconform-results/3";

// Verdicts come from check records only (oracle/check.h):
//   pass           some check that would have blamed the rule ran and matched, none failed
//   fail           a check that blames it failed (expected-fail: and the manifest lists it)
//   blocked        a failing unit is about the rule (its header) but stopped before any check of
//                  it ran, at a divergence another rule explains or a SUT failure: unknown
//   not-applicable only units the SUT lacks the capability or version for are about it
//   not-checkable  no check of this test world can blame it (model/checkable.h says why)
//   not-exercised  otherwise
enum class RuleVerdict { Pass, Fail, ExpectedFail, NotApplicable, NotExercised, Blocked, NotCheckable };
std::string_view toString(RuleVerdict v);  // "pass", "fail", "expected-fail", ...
std::optional<RuleVerdict> parseRuleVerdict(std::string_view text);

// One failing case, ready for a person: the minimal sequence and how to replay it.
struct Counterexample {
  std::string source;        // "scenario scenarios/reg/late.scenario" or "property precedence"
  std::string scenarioText;  // the case in scenario syntax
  std::string expected;      // the model's observations at the divergent step, one per line
  std::string actual;        // the SUT's
  std::string message;       // the divergence explained (describe(verdict) or the expect error)
  std::string replay;        // one shell line that replays exactly this case
  std::string trace;         // scenarios: the SUT's observed trace up to where it stopped (see ScenarioOutcome)
  std::string check;         // the failing check's ID (checkId below), e.g. "scenario:scenarios/x.scenario@step-3"
};

// A scenario's or a property chunk's status is a RunOutcome (vocab/run_outcome.h), written
// as its text form; a results file with any other status is bad input.

struct ScenarioOutcome {
  std::string path;
  std::string title;
  std::vector<std::string> rules;        // the `rules:` header
  RunOutcome status = RunOutcome::Pass;
  std::string message;
  std::vector<std::string> checked;      // rules a matching check record would have blamed
  std::vector<std::string> consulted;    // not-applicable only: the rules the model consulted on it
  std::vector<std::string> failedRules;  // rules the divergence breaks
  std::optional<Counterexample> counterexample;
  double seconds = 0;
  // What the SUT did: each command in scenario syntax, then its observations indented by two
  // spaces, up to the step where the run stopped ("# ..." lines say why). "" when the SUT never
  // ran it (expect-failed, not-applicable).
  std::string trace;
  // Where it failed: the 1-based step and its line in the file (0: it did not fail, or the SUT
  // failed before the first step).
  int failedStep = 0;
  int failedLine = 0;
  // The manifest's entry naming this scenario (its failure is expected), or "".
  std::string manifestReason, manifestLink;
  bool fixed = false;  // listed in the manifest, yet passed
};

struct PropertyOutcome {
  std::string name;
  std::string description;
  int chunk = 0;                         // work unit of the property (sharding); see bitsconf run
  std::vector<std::string> rules;        // the rules the property is about
  RunOutcome status = RunOutcome::Pass;
  uint64_t seed = 0;
  int cases = 0;
  uint64_t commands = 0;
  std::vector<std::string> checked;      // rules a matching check record would have blamed
  std::vector<std::string> failedRules;  // rules the minimal counterexample breaks
  std::optional<Counterexample> counterexample;
  std::string reproduce;                 // RapidCheck reproduce string
  std::string savedScenario;
  double seconds = 0;
  // Where it failed: the 1-based case of the chunk (the covering set: the 1-based sequence) whose
  // failure was shrunk; 0 when it did not fail.
  int failedCase = 0;
  std::string manifestReason, manifestLink;  // the manifest's entry naming the property, or ""
  bool fixed = false;
};

// Stable IDs of the units of evidence (SCHEMA.md, "IDs"): what manifests, `bitsconf diff` and
// JUnit names use. They depend on nothing that changes between runs of the same suite.
//   scenario:<path>            scenario:scenarios/REG/reg-8-late-registration.scenario
//   property:<name>#<chunk>    property:model-equals-sut#0 (the chunk's seed follows from the run's)
//   covering-set               the explorer's covering set at the run's coverage bound
std::string unitId(const ScenarioOutcome& s);
std::string unitId(const PropertyOutcome& p);
// The failing check inside a unit: its ID with "@step-N" (a scenario's step), "@case-N" (the
// chunk's Nth case) or "@sequence-N" (the covering set's Nth sequence); "@start" when the SUT
// failed before the first step; "" when the unit did not fail.
std::string checkId(const ScenarioOutcome& s);
std::string checkId(const PropertyOutcome& p);

// The one outcome a rule's verdict is shown with: for pass/fail/expected-fail the first scenario
// (by path) that supports the verdict and its observed trace; for not-applicable the run's
// capability evidence a scenario was refused for.
struct Witness {
  std::string source;    // "scenario scenarios/REG/x.scenario" or "capability notify-clsid"
  std::string scenario;  // the path of the scenario it came from (for links)
  std::string trace;     // the scenario's trace, or the capability's evidence
};

struct RuleResult {
  std::string id;
  RuleVerdict verdict = RuleVerdict::NotExercised;
  int scenarios = 0;       // scenarios with a matching check of it
  int properties = 0;      // property chunks with a matching check of it
  int propertyCases = 0;   // their cases
  int failures = 0;        // failing scenarios/properties that name it
  std::vector<std::string> blockedBy;  // verdict blocked: the rules (or "crashed", ...) that stopped its checks
  std::string notCheckable;            // verdict not-checkable: why (model/checkable.h)
  bool fixed = false;      // listed in the manifest, yet passed
  std::string manifestReason;
  std::string manifestLink;
  std::vector<Counterexample> counterexamples;  // at most a few, smallest first
  std::optional<Witness> witness;  // none: exercised by properties only, or nothing ties it
};

struct PolicySetting {
  std::string id, name, assumption, alternative;
  bool switchable = false;
  bool isDefault = true;
};

struct RunInfo {
  std::string toolVersion;   // "0.1.0"
  std::string gitCommit;     // "" if unknown at build time
  std::string timestamp;     // ISO 8601 UTC
  std::string sutName;
  std::string sutDescription;
  std::string sutSpec;       // the --sut argument
  std::map<std::string, bool> capabilities;
  std::map<std::string, std::string> evidence;
  std::string bitsVersion;
  std::vector<PolicySetting> policies;
  std::vector<std::string> nonDefaultPolicies;
  uint64_t seed = 0;
  int cases = 0;             // requested cases per property
  std::string shard;         // "K/N" or ""
  std::vector<std::string> ruleFilter;
  std::vector<std::string> groupFilter;
  std::string manifest;      // path of the manifest used, or ""
  bool strictManifest = false;  // --strict-manifest: a listed failure that passes fails the run
};

struct Results {
  RunInfo run;
  CoverageInfo coverage;
  MutationInfo mutation;
  bool complete = false;
  std::vector<ScenarioOutcome> scenarios;
  std::vector<PropertyOutcome> properties;
  std::vector<RuleResult> rules;    // the whole catalog, in catalog order
  std::vector<std::string> notes;   // "fixed: REG-3 is listed in wine.json but passed", input errors...
  std::vector<std::string> inputErrors;  // "file:line:column: message"

  const RuleResult* rule(std::string_view id) const;
  // Counts by verdict, e.g. {"pass": 12, "fail": 1, ...}.
  std::map<std::string, int> verdictCounts() const;
  // Failing units (scenarios, property chunks, the covering set; SUT failures aside) that the
  // manifest does not name, whatever the rules they blame: a rule being listed does not excuse a
  // new unit failing on it. Every rule with verdict fail has one. A failing unit that names no
  // rule (a divergence on a harness rule of the world) is always unexpected.
  int unexpectedFailures() const;
  std::vector<std::string> unexpectedUnits() const;  // their check IDs, scenarios first
  int unattributedFailures() const;
  int sutFailures() const;  // units that ended crashed, timed-out or protocol-error
  bool sutFailed() const;  // some scenario/property ended in crashed/timed-out/protocol-error
};

// Fills results.rules for every catalog rule from the outcomes' check records (see RuleVerdict:
// fail where a unit's failed_rules name it, pass where a unit's checked rules do, blocked where
// only a failing unit's header does; never from a header or a consulted rule alone), marks
// expected-fail from `manifest`, and adds a "fixed" note for each manifest rule that passed.
// Picks each rule's witness (see Witness). Idempotent.
void computeRuleVerdicts(Results& results, const Manifest* manifest);

// The overall verdict of a run, as `bitsconf run` exits with it (reports/README.md, exit codes):
// 3 a SUT failed, 2 input errors, 1 unexpected failures (or, with --strict-manifest, a listed
// failure that passed), 0 conforms.
struct RunVerdict {
  int exitCode = 0;
  std::string word;     // "PASS", "FAIL", "SUT FAILURE", "INPUT ERROR"
  std::string meaning;  // one sentence
};
RunVerdict runVerdict(const Results& results);

nlohmann::json toJson(const Results& r);
// A wrong schema or a bad shape is an error naming the cause (no file: readResultsFile adds it).
Expected<Results> resultsFromJson(const nlohmann::json& j);
// Replaces `path` atomically (results/output_file.h: a unique temporary file, then a rename;
// links followed, a non-regular target refused); an error names the file and the cause. Never
// fails on content: text that is not valid UTF-8 is written with U+FFFD.
Status writeResultsFile(const Results& r, const std::string& path);
// An error names the file, and the line and column of a JSON syntax error (results/json_input.h).
Expected<Results> readResultsFile(const std::string& path);

// The tool's version and the build's git commit ("" if unknown).
std::string toolVersion();
std::string toolGitCommit();
std::string utcTimestamp();

}  // namespace bc
