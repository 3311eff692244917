#include "oracle/refine.h"

#include "vocab/command_text.h"
#include "vocab/observation_text.h"

namespace bc {

namespace {

struct Probe {
  uint8_t field;
  CmdKind getter;
};
constexpr Probe kProbes[] = {
    {field::kState, CmdKind::GetState},           {field::kFlags, CmdKind::GetNotifyFlags},
    {field::kSlot, CmdKind::GetNotifyInterface},  {field::kClsid, CmdKind::GetNotifyClsid},
    {field::kCmdLine, CmdKind::GetNotifyCmdLine},
};

bool getterExists(CmdKind getter, BitsVersion v) {
  if (getter == CmdKind::GetNotifyClsid) return v >= BitsVersion::V5_0;
  if (getter == CmdKind::GetNotifyCmdLine) return v >= BitsVersion::V1_5;
  return true;
}

}  // namespace

void refineBlame(Verdict& v, const std::vector<Command>& commands, const ModelConfig& config, const SutFactory& factory) {
  if (!v.divergence) return;
  Divergence& d = *v.divergence;
  const Suspicion blame = d.comparison.blame;
  if (blame.provenance.empty() || blame.reads == 0 || blame.job == 0) return;

  // The world just before the divergent step: the job must exist to be read, preferably by an
  // app that runs (a getter of a stopped app starts it; the replay's own model accounts for
  // that, and a replay that no longer diverges where the run did is not used).
  Model before(config);
  Observations scratch;
  for (size_t i = 0; i < d.step; ++i) before.step(commands[i], scratch);
  if (!before.jobExists(blame.job)) return;
  AppId reader = before.ownerOf(blame.job);
  for (AppId a = 1; a <= kMaxApps && !before.appRunning(reader); ++a)
    if (before.appRunning(a)) reader = a;
  // A field last written before the step is read before it; one written in the step itself,
  // after it, unless the step wrote it again after the prediction read it (its provenance at
  // the end of the step is not the one read): that one cannot be probed.
  Model after = before;
  after.step(commands[d.step], scratch);
  auto provenanceAfter = [&](uint8_t f) -> const RuleSet& {
    const Model::Provenance& p = after.provenance(blame.job);
    return f == field::kState ? p.state.by : f == field::kFlags ? p.flags.by : f == field::kSlot ? p.slot.by
           : f == field::kClsid ? p.clsid.by : p.cmdLine.by;
  };
  auto getters = [&](bool inStep) {
    std::vector<std::pair<Command, const Probe*>> out;
    for (const Probe& p : kProbes) {
      if (!(blame.reads & p.field) || !getterExists(p.getter, config.version)) continue;
      if (((blame.readsInStep & p.field) != 0) != inStep) continue;
      if (commands[d.step].kind == p.getter) continue;  // the divergence is that getter's: no second opinion
      if (inStep && provenanceAfter(p.field).without(blame.provenance).size() > 0) continue;
      Command get;
      get.kind = p.getter;
      get.app = reader;
      get.job = blame.job;
      out.emplace_back(get, &p);
    }
    return out;
  };
  const auto pre = getters(false), post = getters(true);
  if (pre.empty() && post.empty()) return;
  std::vector<Command> probe(commands.begin(), commands.begin() + static_cast<long>(d.step));
  std::vector<size_t> at;  // the probe's getter steps
  for (const auto& [get, p] : pre) {
    at.push_back(probe.size());
    probe.push_back(get);
  }
  const size_t divergent = probe.size();
  probe.push_back(commands[d.step]);
  for (const auto& [get, p] : post) {
    at.push_back(probe.size());
    probe.push_back(get);
  }

  Verdict pv;
  try {
    std::unique_ptr<Sut> sut = factory();
    RunOptions o;
    o.recordTrace = true;
    o.stopAtFirstDivergence = false;
    // Only the getters' answers speak here: after the divergent step the SUT's other fields
    // differ too, which the observation mode would count against every later getter step.
    o.observeState = false;
    pv = runSequence(probe, config, *sut, o);
  } catch (const SutFailure&) {
    return;  // the SUT could not be probed: the suspects stay
  }
  if (pv.stepMatched.size() != probe.size()) return;
  // The replay must diverge where the run did, and nowhere before (else it is not the same run).
  for (size_t i = 0; i < d.step; ++i)
    if (!pv.stepMatched[i]) return;
  if (pv.stepMatched[divergent]) return;

  RuleSet confirmed, cleared;
  std::string notes;
  for (size_t i : at) {
    const Observation& want = pv.expectedTrace[i].at(0);
    const RuleSet prov = want.provenance.with(want.routeProvenance);
    const std::string got = pv.actualTrace[i].empty() ? "(nothing)" : formatObservation(pv.actualTrace[i][0]);
    const std::string where = std::string(i < divergent ? "before" : "after") + " step " + std::to_string(d.step + 1);
    // A getter that fails (E_NOTIMPL, ...) says nothing of the field: neither cleared nor confirmed.
    if (pv.actualTrace[i].empty() || !(pv.actualTrace[i][0].hr == want.hr)) {
      notes += "\n    probe " + where + ": '" + formatCommand(probe[i]) + "' " + got + ": inconclusive";
      continue;
    }
    if (pv.stepMatched[i]) {
      cleared.add(prov);
      notes += "\n    probe " + where + ": '" + formatCommand(probe[i]) + "' " + got + " as the model: " +
               (prov.empty() ? std::string("nothing") : prov.toString()) + " cleared";
    } else {
      confirmed.add(prov);
      notes += "\n    probe " + where + ": '" + formatCommand(probe[i]) + "' " + got + ", the model " +
               formatObservation(want) + ": the blame is " + prov.toString();
    }
  }
  for (size_t i : at)
    if (i < divergent && pv.stepMatched[i]) v.evidence.confirmed.add(pv.expectedTrace[i].at(0).checkedRules());
  RuleSet refined = !confirmed.empty() ? confirmed : blame.rules.with(blame.provenance.without(cleared));
  d.comparison.rules = refined;
  d.comparison.explanation += notes;
  // The one failing record of the run now blames what the probe showed.
  v.evidence.failed = refined;
  v.evidence.unattributed = refined.empty();
  for (auto it = v.checks.rbegin(); it != v.checks.rend(); ++it)
    if (!it->matched) {
      it->rules = refined;
      break;
    }
}

}  // namespace bc
