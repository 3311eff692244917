// results.cc: the records of a run: rule verdict names, unit and check IDs, counts, the run's
// verdict. The JSON form is results_json.cc, the verdict algorithm verdicts.cc, the file
// results_file.cc.
#include "results/results.h"

#include <algorithm>
#include <chrono>
#include <ctime>

#ifndef BITSCONFORM_VERSION
#define BITSCONFORM_VERSION "unknown"
#endif
#ifndef BITSCONFORM_GIT_COMMIT
#define BITSCONFORM_GIT_COMMIT ""
#endif

namespace bc {

namespace {

constexpr std::pair<RuleVerdict, std::string_view> kVerdictNames[] = {
    {RuleVerdict::Pass, "pass"},
    {RuleVerdict::Fail, "fail"},
    {RuleVerdict::ExpectedFail, "expected-fail"},
    {RuleVerdict::NotApplicable, "not-applicable"},
    {RuleVerdict::NotExercised, "not-exercised"},
    {RuleVerdict::Blocked, "blocked"},
    {RuleVerdict::NotCheckable, "not-checkable"},
};

}  // namespace

std::string_view toString(RuleVerdict v) {
  for (const auto& [value, name] : kVerdictNames)
    if (value == v) return name;
  return "?";
}

std::optional<RuleVerdict> parseRuleVerdict(std::string_view text) {
  for (const auto& [value, name] : kVerdictNames)
    if (name == text) return value;
  return std::nullopt;
}


std::string unitId(const ScenarioOutcome& s) { return "scenario:" + s.path; }
std::string unitId(const PropertyOutcome& p) {
  return p.name == "covering-set" ? p.name : "property:" + p.name + "#" + std::to_string(p.chunk);
}
std::string checkId(const ScenarioOutcome& s) {
  if (!isFailure(s.status)) return "";
  return unitId(s) + (s.failedStep > 0 ? "@step-" + std::to_string(s.failedStep) : "@start");
}
std::string checkId(const PropertyOutcome& p) {
  if (!isFailure(p.status)) return "";
  if (p.failedCase <= 0) return unitId(p) + "@start";
  return unitId(p) + (p.name == "covering-set" ? "@sequence-" : "@case-") + std::to_string(p.failedCase);
}

const RuleResult* Results::rule(std::string_view id) const {
  for (const auto& r : rules)
    if (r.id == id) return &r;
  return nullptr;
}

std::map<std::string, int> Results::verdictCounts() const {
  std::map<std::string, int> counts;
  for (const auto& [v, name] : kVerdictNames) counts[std::string(name)] = 0;
  for (const auto& r : rules) ++counts[std::string(toString(r.verdict))];
  return counts;
}

namespace {
// A failing unit no manifest entry excuses: not listed, or blaming no rule at all.
template <class Unit>
bool unexpectedFailure(const Unit& u) {
  if (!isFailure(u.status) || isSutFailure(u.status)) return false;
  return u.manifestReason.empty() || u.failedRules.empty();
}
}  // namespace

int Results::unexpectedFailures() const { return static_cast<int>(unexpectedUnits().size()); }

std::vector<std::string> Results::unexpectedUnits() const {
  std::vector<std::string> out;
  for (const auto& s : scenarios)
    if (unexpectedFailure(s)) out.push_back(checkId(s));
  for (const auto& p : properties)
    if (unexpectedFailure(p)) out.push_back(checkId(p));
  return out;
}

int Results::sutFailures() const {
  int n = 0;
  for (const auto& s : scenarios) n += isSutFailure(s.status);
  for (const auto& p : properties) n += isSutFailure(p.status);
  return n;
}

int Results::unattributedFailures() const {
  auto unattributed = [](RunOutcome status, const std::vector<std::string>& failed) {
    return isFailure(status) && !isSutFailure(status) && failed.empty();
  };
  int n = 0;
  for (const auto& s : scenarios) n += unattributed(s.status, s.failedRules);
  for (const auto& p : properties) n += unattributed(p.status, p.failedRules);
  return n;
}

bool Results::sutFailed() const {
  for (const auto& s : scenarios)
    if (isSutFailure(s.status)) return true;
  for (const auto& p : properties)
    if (isSutFailure(p.status)) return true;
  return false;
}

RunVerdict runVerdict(const Results& r) {
  if (r.sutFailed())
    return {3, "SUT FAILURE",
            "the SUT crashed, hung or spoke garbage in " + std::to_string(r.sutFailures()) +
                " unit(s): their checks stopped there, so the run cannot vouch for what they cover"};
  if (!r.inputErrors.empty())
    return {2, "INPUT ERROR", std::to_string(r.inputErrors.size()) + " scenario file(s) did not parse; the others ran"};
  if (int n = r.unexpectedFailures())
    return {1, "FAIL", std::to_string(n) + " unexpected failure(s): failing checks the manifest does not list"};
  bool fixed = std::any_of(r.rules.begin(), r.rules.end(), [](const RuleResult& x) { return x.fixed; }) ||
               std::any_of(r.scenarios.begin(), r.scenarios.end(), [](const auto& x) { return x.fixed; }) ||
               std::any_of(r.properties.begin(), r.properties.end(), [](const auto& x) { return x.fixed; });
  if (fixed && r.run.strictManifest)
    return {1, "FAIL", "a failure the manifest lists now passes (--strict-manifest): update the manifest"};
  bool expected = std::any_of(r.rules.begin(), r.rules.end(),
                              [](const RuleResult& x) { return x.verdict == RuleVerdict::ExpectedFail; });
  return {0, "PASS", expected ? "every check passed, or failed as the manifest expects" : "every check passed"};
}

std::string utcTimestamp() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}


std::string toolVersion() { return BITSCONFORM_VERSION; }
std::string toolGitCommit() { return BITSCONFORM_GIT_COMMIT; }

}  // namespace bc
