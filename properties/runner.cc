#include "properties/runner.h"

#include "vocab/command_text.h"
#include "vocab/observation_text.h"

namespace bc {

std::string_view toString(Verdict::Kind k) {
  switch (k) {
    case Verdict::Kind::Pass: return "pass";
    case Verdict::Kind::Fail: return "fail";
    case Verdict::Kind::NotApplicable: return "not-applicable";
    case Verdict::Kind::SutCrashed: return "crashed";
    case Verdict::Kind::SutTimedOut: return "timed-out";
    case Verdict::Kind::SutProtocolError: return "protocol-error";
  }
  return "?";
}

Verdict runSequence(const std::vector<Command>& commands, const ModelConfig& config, Sut& sut,
                    const RunOptions& options) {
  Verdict v;
  const Capabilities& caps = sut.capabilities();
  for (const Command& c : commands) {
    if (!caps.supports(c)) {
      v.kind = Verdict::Kind::NotApplicable;
      v.message = "needs capability '" + std::string(toString(requiredCapability(c))) + "' for '" +
                  formatCommand(c) + "'";
      return v;
    }
  }
  Model model(config);
  Observations expected, actual;
  expected.reserve(16);
  actual.reserve(16);
  for (size_t i = 0; i < commands.size(); ++i) {
    expected.clear();
    actual.clear();
    model.step(commands[i], expected);
    sut.expect(expected);
    try {
      sut.execute(commands[i], actual);
    } catch (const SutFailure& f) {
      if (f.kind() == SutFailure::Kind::Unsupported) {  // not a verdict on any rule
        v.kind = Verdict::Kind::NotApplicable;
        v.message = "step " + std::to_string(i + 1) + " '" + formatCommand(commands[i]) +
                    "' cannot happen on this SUT: " + f.what();
        v.stepsRun = i;
        return v;
      }
      v.kind = f.kind() == SutFailure::Kind::TimedOut        ? Verdict::Kind::SutTimedOut
               : f.kind() == SutFailure::Kind::ProtocolError ? Verdict::Kind::SutProtocolError
                                                             : Verdict::Kind::SutCrashed;
      v.message = "step " + std::to_string(i + 1) + " '" + formatCommand(commands[i]) + "': " + f.what();
      v.stepsRun = i;
      return v;
    }
    if (options.recordTrace) {
      v.expectedTrace.push_back(expected);
      v.actualTrace.push_back(actual);
    }
    v.stepsRun = i + 1;
    StepComparison cmp = compareStep(expected, actual, caps.exactModification);
    // A rule is exercised by a step that matched: a diverging step checked nothing to the end.
    if (cmp.match)
      for (const auto& o : expected) v.exercised.add(o.rules);
    if (!cmp.match && !v.divergence) {
      v.kind = Verdict::Kind::Fail;
      v.divergence = Divergence{i, commands[i], expected, actual, cmp};
      if (options.stopAtFirstDivergence) return v;
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
