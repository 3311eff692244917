#include "oracle/runner.h"

#include <algorithm>

#include "oracle/observe.h"
#include "vocab/command_text.h"
#include "vocab/observation_text.h"

namespace bc {

namespace {

// One model the SUT may still be following (Latitude: one per latitude variant).
struct Candidate {
  Model model;
  std::vector<OwedModification> owed;
  Observations expected;
  StepComparison comparison;
};

std::vector<Candidate> candidatesFor(const ModelConfig& config, Strictness strictness) {
  std::vector<Candidate> out;
  if (strictness == Strictness::Exact) {
    out.push_back({Model(config), {}, {}, {}});
    return out;
  }
  for (const Policies& p : latitudeVariants(config.policies)) {
    ModelConfig c = config;
    c.policies = p;
    out.push_back({Model(c), {}, {}, {}});
  }
  return out;
}

}  // namespace

Verdict runSequence(const std::vector<Command>& commands, const ModelConfig& config, Sut& sut,
                    const RunOptions& options) {
  Verdict v;
  const Capabilities& caps = sut.capabilities();
  for (const Command& c : commands) {
    if (!caps.supports(c)) {
      v.kind = RunOutcome::NotApplicable;
      v.message = "needs capability '" + std::string(toString(requiredCapability(c))) + "' for '" +
                  formatCommand(c) + "'";
      return v;
    }
  }
  const Strictness strictness = caps.exactModification ? Strictness::Exact : Strictness::Latitude;
  std::vector<Candidate> candidates = candidatesFor(config, strictness);
  Observations actual;
  actual.reserve(16);
  WorldSnapshot expectedWorld, actualWorld;
  // Snapshots of a deterministic SUT, until it says it has none (a real one is read with getters).
  bool snapshots = options.observeState && strictness == Strictness::Exact;

  // One command on every candidate and on the SUT, compared. False: the SUT failed (v says how).
  auto execute = [&](const Command& command, uint32_t step, bool last, const std::string& where) {
    for (Candidate& c : candidates) {
      c.expected.clear();
      c.model.step(command, c.expected);
    }
    actual.clear();
    // An asynchronous SUT waits for what the model predicts instead of a fixed quiet window
    // (Sut::expect); the first candidate is the configured policies, or the one still followed.
    sut.expect(candidates.front().expected);
    try {
      // What an unsupported step appended did not happen: nothing of it is compared.
      if (StepResult r = sut.execute(command, actual); r.isUnsupported()) {
        v.kind = RunOutcome::NotApplicable;
        v.message = where + " '" + formatCommand(command) + "' cannot happen on this SUT: " + r.why();
        return false;
      }
    } catch (const SutFailure& f) {
      v.kind = outcomeOf(f);
      v.message = where + " '" + formatCommand(command) + "': " + f.what();
      return false;
    }
    for (Candidate& c : candidates) {
      c.comparison = compareStep(c.expected, actual, c.model, strictness, step);
      if (strictness == Strictness::Latitude && c.comparison.match)
        settleModifications(c.owed, c.expected, actual, step, last, c.comparison);
    }
    return true;
  };
  // Keep the candidates the SUT is consistent with; if none is, the divergence is the one that
  // got furthest into the step (the configured policies first on a tie).
  auto choose = [&] {
    const bool anyMatch =
        std::any_of(candidates.begin(), candidates.end(), [](const Candidate& c) { return c.comparison.match; });
    if (anyMatch) {
      std::erase_if(candidates, [](const Candidate& c) { return !c.comparison.match; });
    } else if (!v.divergence) {
      auto best = std::max_element(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
        return a.comparison.index < b.comparison.index;
      });
      std::rotate(candidates.begin(), best, best + 1);
    }
    return anyMatch;
  };
  // The records of a comparison become evidence until the first divergence; then it is one.
  auto account = [&](size_t i, const Command& command, bool matched) {
    if (v.divergence) return;  // after the first divergence nothing is evidence
    const Candidate& chosen = candidates.front();
    for (const auto& o : chosen.expected) v.consulted.add(o.rules);
    for (const Check& check : chosen.comparison.checks) {
      v.evidence.add(check);
      if (options.recordChecks) v.checks.push_back(check);
    }
    if (!matched) {
      v.kind = RunOutcome::Diverged;
      v.divergence = Divergence{i, command, chosen.expected, actual, chosen.comparison};
    }
  };

  for (size_t i = 0; i < commands.size(); ++i) {
    const auto step = static_cast<uint32_t>(i);
    const bool last = i + 1 == commands.size();
    if (!execute(commands[i], step, last, "step " + std::to_string(i + 1))) {
      v.stepsRun = i;
      return v;
    }
    v.stepsRun = i + 1;
    bool matched = choose();
    // The observation mode (observe.h): every job of a simulated SUT, compared field by field.
    if (matched && snapshots) {
      snapshots = sut.snapshot(actualWorld);
      if (snapshots) {
        Candidate& c = candidates.front();
        c.model.snapshot(expectedWorld);
        compareSnapshots(c.model, expectedWorld, actualWorld, step, c.comparison);
        if (!c.comparison.match) c.comparison.index = c.expected.size();
        matched = c.comparison.match;
      }
    }
    if (options.recordTrace) {
      v.expectedTrace.push_back(candidates.front().expected);
      v.actualTrace.push_back(actual);
      v.stepMatched.push_back(matched);
    }
    account(i, commands[i], matched);
    if (v.divergence && options.stopAtFirstDivergence) break;
    // A SUT without a snapshot, read with its getters after each environment command and at
    // the end: the reads are steps of the model and the SUT, compared like any other.
    if (!options.observeWithGetters || v.divergence || snapshots || (isApiCall(commands[i].kind) && !last)) continue;
    for (const Command& get : observationGetters(candidates.front().model)) {
      if (!execute(get, step, false, "reading the jobs after step " + std::to_string(i + 1) + ":")) return v;
      const bool read = choose();
      account(i, get, read);
      if (!read) {
        v.divergence->comparison.explanation =
            "reading the jobs after the step with '" + formatCommand(get) + "': " + v.divergence->comparison.explanation;
        break;
      }
    }
    if (v.divergence && options.stopAtFirstDivergence) break;
  }
  if (strictness == Strictness::Latitude && !v.divergence) {
    // A latitude policy every remaining candidate takes otherwise than configured: the SUT
    // showed that behaviour (a setting some candidates differ in was not decided by this run).
    for (const PolicyInfo& info : allPolicies()) {
      if (info.latitude.empty()) continue;
      const bool configured = isDefault(config.policies, info.id);
      if (std::all_of(candidates.begin(), candidates.end(), [&](const Candidate& c) {
            return isDefault(c.model.config().policies, info.id) != configured;
          }))
        v.latitudeTaken.push_back(std::string(info.id) + (configured ? "=alt" : "=default"));
    }
  }
  return v;
}

std::string describe(const Verdict& v, const std::vector<Command>& commands) {
  std::string s = "verdict: " + std::string(toString(v.kind));
  if (!v.message.empty()) s += " (" + v.message + ")";
  s += "\n";
  if (!v.divergence) return s;
  const Divergence& d = *v.divergence;
  for (size_t i = 0; i <= d.step && i < commands.size(); ++i)
    s += (i == d.step ? "  >> " : "     ") + formatCommand(commands[i]) + "\n";
  s += "  step " + std::to_string(d.step + 1) + ": " + d.comparison.explanation + "\n";
  s += "  rules: " + (d.comparison.rules.empty() ? std::string("(none named)") : d.comparison.rules.toString()) + "\n";
  const RuleSet context = d.comparison.consulted.without(d.comparison.rules);
  if (!context.empty()) s += "  also consulted: " + context.toString() + "\n";
  return s;
}

}  // namespace bc
