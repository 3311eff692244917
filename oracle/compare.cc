#include "oracle/compare.h"

#include <algorithm>

#include "vocab/observation_text.h"

namespace bc {

std::string_view toString(Check::Kind k) {
  switch (k) {
    case Check::Kind::Observed: return "observed";
    case Check::Kind::Withheld: return "withheld";
    case Check::Kind::Modification: return "modification";
    case Check::Kind::ModificationOwed: return "modification-owed";
    case Check::Kind::Snapshot: return "snapshot";
  }
  return "?";
}

bool isModification(const Observation& o) { return o.kind == ObsKind::Callback && o.method == Method::JobModification; }

namespace {

using Seq = std::vector<const Observation*>;

std::string list(const Observations& obs) {
  std::string s;
  for (const auto& o : obs) s += "\n      " + formatObservation(o);
  return s.empty() ? "\n      (nothing)" : s;
}

bool contains(const Seq& s, size_t from, const Observation& o) {
  for (size_t k = from; k < s.size(); ++k)
    if (*s[k] == o) return true;
  return false;
}

// The ordering rule two observations of one job break when the SUT swaps them: the files in
// order (CB-6), every FileTransferred before the job-level event (CB-7).
RuleSet orderRules(const Observation& first, const Observation& second) {
  if (first.kind != ObsKind::Callback || second.kind != ObsKind::Callback || first.job != second.job) return {};
  if (first.method == Method::FileTransferred && second.method == Method::FileTransferred) return {Rule::CB_6};
  if (first.method == Method::FileTransferred) return {Rule::CB_7};
  return {};
}

// A missing or different observation: why it exists, and every field it read as suspects.
Suspicion existence(const Observation& e) {
  return Suspicion{e.primary, e.provenance.with(e.routeProvenance), e.reads, e.readsInStep, e.job};
}
// The right thing to another receiver: the routing rules, the slot's (or CLSID's) provenance.
Suspicion routing(const Observation& e) {
  return Suspicion{e.route, e.routeProvenance, static_cast<uint8_t>(e.reads & field::kRouteFields),
                   static_cast<uint8_t>(e.readsInStep & field::kRouteFields), e.job};
}

// What a difference at position i of an ordered comparison blames (see compare.h).
Suspicion blameAt(const Seq& e, const Seq& a, size_t i, const Model& model, const Observation* first) {
  if (i >= e.size()) return model.whyNot(*a[i]);  // extra
  const Observation& exp = *e[i];
  // The SUT made `act` in place of `exp`: only decisions taken before `exp` speak against it.
  const size_t before = static_cast<size_t>(&exp - first);
  if (i >= a.size()) {  // missing
    Suspicion s = existence(exp);
    if (exp.kind == ObsKind::Return) s.job = model.lastCommand().job;
    return s;
  }
  const Observation& act = *a[i];
  if (exp.kind == act.kind && exp.job == act.job) {
    switch (exp.kind) {
      case ObsKind::Return: {
        // A getter showing the field's value before its last write: the SUT lost that write.
        if (model.showsPriorValue(act)) return Suspicion{exp.provenance.with(exp.routeProvenance), {}, 0, 0, 0};
        // A getter that fails shows nothing of its field: its own rule alone.
        if (exp.value != ValueKind::None && !(exp.hr == act.hr)) return Suspicion{exp.primary, {}, 0, 0, 0};
        Suspicion s = existence(exp);
        s.job = model.lastCommand().job;  // a Return names no job: its command does
        return s;
      }
      case ObsKind::Callback:
        if (exp.method != act.method || exp.file != act.file) break;
        if (!(exp.receiver == act.receiver)) return routing(exp);  // the right call, another object
        return {};  // the same call answered otherwise: the test's object decides that
      case ObsKind::Activation:
        if (exp.clsid != act.clsid) return routing(exp);
        if (!(exp.hr == act.hr)) return Suspicion{exp.answer, {}, 0, 0, 0};  // the class's registration (CLSID-3)
        return routing(exp);  // another instance: created again, or not reused
      case ObsKind::CmdLine:
        if (exp.program != act.program || exp.params != act.params) return existence(exp);
        return {};  // the exit code is the test program's
    }
  }
  // The SUT made something else here. The same call reaching another object further on: it
  // routed the call otherwise (an activation instead of the slot's object, a new object instead
  // of the reused one). Made later by the model: what was due first is missing. Made later by
  // the SUT too: the SUT inserted an extra one. Else: it made one thing instead of another.
  // A job's calls out of their order: a later file, or the job-level event, before a file the
  // SUT makes afterwards (CB-6, CB-7). A file it never makes is missing (EVT-9), not late.
  if (const RuleSet order = orderRules(exp, act); !order.empty() && contains(a, i + 1, exp))
    return Suspicion{order, {}, 0, 0, 0};
  if (exp.kind == ObsKind::Callback && act.kind == ObsKind::Activation && act.job == exp.job)
    return routing(exp).add(model.whyNot(act, before));
  if (exp.kind == ObsKind::Callback)
    for (size_t k = i; k < a.size(); ++k) {
      const Observation& later = *a[k];
      if (later.kind == ObsKind::Callback && later.job == exp.job && later.method == exp.method &&
          later.file == exp.file && !(later.receiver == exp.receiver))
        return routing(exp).add(model.whyNot(act, before));
    }
  if (contains(e, i + 1, act)) return existence(exp);  // made early: what was due first is missing
  if (contains(a, i + 1, exp)) return model.whyNot(act, before);
  return existence(exp).add(model.whyNot(act, before));
}

// Compares one ordered group; on a difference fills `out` (once) and returns false.
bool compareGroup(const Seq& e, const Seq& a, const Model& model, uint32_t step, const std::string& what,
                  const Observation* first, StepComparison& out) {
  const size_t n = std::min(e.size(), a.size());
  size_t i = 0;
  while (i < n && *e[i] == *a[i]) ++i;
  for (size_t k = 0; k < i; ++k) {
    Check c{Check::Kind::Observed, step, e[k]->checkedRules(), true};
    // A refusal counts where the same call also succeeds (check.h); an API call's success says so.
    if (e[k]->kind == ObsKind::Return && isApiCall(model.lastCommand().kind)) {
      if (e[k]->refusal) c.refusalOf = model.lastCommand().kind;
      else if (e[k]->hr.succeeded()) c.accepted = model.lastCommand().kind;
    }
    out.checks.push_back(c);
  }
  if (i == e.size() && i == a.size()) return true;
  out.match = false;
  out.index = i;
  out.blame = blameAt(e, a, i, model, first);
  out.rules = out.blame.all();
  out.consulted = i < e.size() ? e[i]->rules : RuleSet{};
  out.checks.push_back({Check::Kind::Observed, step, out.rules, false});
  const std::string n1 = std::to_string(i + 1);
  if (i < e.size() && i < a.size())
    out.explanation = what + "observation " + n1 + " differs: expected '" + formatObservation(*e[i]) + "', got '" +
                      formatObservation(*a[i]) + "'";
  else if (i < e.size())
    out.explanation = what + "missing observation " + n1 + ": expected '" + formatObservation(*e[i]) + "'";
  else
    out.explanation = what + "unexpected observation " + n1 + ": '" + formatObservation(*a[i]) + "'";
  return false;
}

// Latitude: the Return, then each job's observations in order (jobs may interleave: CB-11).
bool compareByJob(const Observations& expected, const Observations& actual, const Model& model, uint32_t step,
                  StepComparison& out) {
  Seq e0, a0;
  std::vector<JobId> jobs;
  for (const auto& o : expected)
    if (o.kind != ObsKind::Return && std::find(jobs.begin(), jobs.end(), o.job) == jobs.end()) jobs.push_back(o.job);
  for (const auto& o : actual)
    if (o.kind != ObsKind::Return && !isModification(o) && std::find(jobs.begin(), jobs.end(), o.job) == jobs.end())
      jobs.push_back(o.job);
  auto returns = [](const Observations& in, Seq& out) {
    for (const auto& o : in)
      if (o.kind == ObsKind::Return) out.push_back(&o);
  };
  returns(expected, e0);
  returns(actual, a0);
  if (!compareGroup(e0, a0, model, step, "", expected.data(), out)) return false;
  for (JobId job : jobs) {
    Seq e, a;
    for (const auto& o : expected)
      if (o.kind != ObsKind::Return && !isModification(o) && o.job == job) e.push_back(&o);
    for (const auto& o : actual)
      if (o.kind != ObsKind::Return && !isModification(o) && o.job == job) a.push_back(&o);
    if (!compareGroup(e, a, model, step, "J" + std::to_string(job) + ": ", expected.data(), out)) return false;
  }
  return true;
}

// Latitude: every JobModification the SUT made must be one the flags allow, to the job's
// receiver (count and timing are free: EVT-8, OQ-6, CB-11).
bool checkModifications(const Observations& expected, const Observations& actual, const Model& model, uint32_t step,
                        StepComparison& out) {
  for (size_t i = 0; i < actual.size(); ++i) {
    const Observation& a = actual[i];
    if (!isModification(a)) continue;
    bool allowed = false;
    if (model.jobExists(a.job)) {
      const uint32_t f = model.flags(a.job);
      const bool bitOn = !(f & notify::kDisable) && (f & notify::kJobModification);
      bool receiverOk = model.slot(a.job) == a.receiver;
      for (const auto& e : expected)
        if (e.kind == ObsKind::Callback && e.job == a.job && e.receiver == a.receiver) receiverOk = true;
      allowed = bitOn && receiverOk;
    }
    if (allowed) continue;
    out.match = false;
    out.index = i;
    out.blame = model.whyNot(a);
    out.rules = out.blame.all();
    out.checks.push_back({Check::Kind::Modification, step, out.rules, false});
    out.explanation = "JobModification where none may arrive: '" + formatObservation(a) + "'";
    return false;
  }
  return true;
}

// The step's Withheld records: in Exact mode all of them (the step matched, so none was
// made); in Latitude mode the JobModification ones are judged on the flags only (their count
// and timing are free), and are void for a job the model itself calls JobModification on.
void checkWithheld(const Observations& expected, const Observations& actual, const Model& model, Strictness strictness,
                   uint32_t step, StepComparison& out) {
  static const RuleSet kFlagRules{Rule::DISP_1, Rule::FLAG_3};
  // When a retry or a paced call may come is a choice on a real BITS ("the interval at which
  // this method is called is arbitrary"): that it did not come yet proves nothing there.
  static const RuleSet kTiming{Rule::LIFE_4, Rule::LIFE_7, Rule::EVT_11};
  for (const Withheld& w : model.withheld()) {
    if (strictness == Strictness::Latitude && !w.rules.intersect(kTiming).empty()) continue;
    const bool modRecord = w.kind == ObsKind::Callback && !w.anyMethod && w.method == Method::JobModification;
    if (strictness == Strictness::Latitude && modRecord) {
      if (w.rules.intersect(kFlagRules).empty()) continue;
      bool modelCalls = false;
      for (const auto& e : expected) modelCalls = modelCalls || (isModification(e) && e.job == w.job);
      if (modelCalls) continue;
      bool made = false;
      for (const auto& a : actual) made = made || w.matches(a);
      if (made) continue;  // checkModifications already failed the step
    }
    out.checks.push_back({Check::Kind::Withheld, step, w.rules.with(w.provenance), true});
  }
}

}  // namespace

StepComparison compareStep(const Observations& expected, const Observations& actual, const Model& model,
                           Strictness strictness, uint32_t step) {
  StepComparison c;
  bool ok;
  if (strictness == Strictness::Exact) {
    Seq e, a;
    for (const auto& o : expected) e.push_back(&o);
    for (const auto& o : actual) a.push_back(&o);
    ok = compareGroup(e, a, model, step, "", expected.data(), c);
  } else {
    ok = compareByJob(expected, actual, model, step, c) && checkModifications(expected, actual, model, step, c);
  }
  if (ok) {
    checkWithheld(expected, actual, model, strictness, step, c);
    return c;
  }
  c.explanation += "\n    expected:" + list(expected) + "\n    actual:" + list(actual);
  return c;
}

void settleModifications(std::vector<OwedModification>& owed, const Observations& expected, const Observations& actual,
                         uint32_t step, bool last, StepComparison& out) {
  auto made = [&](JobId job) {
    return std::any_of(actual.begin(), actual.end(), [&](const Observation& a) { return isModification(a) && a.job == job; });
  };
  for (const auto& e : expected)
    if (isModification(e)) owed.push_back({e.job, step, e.primary.with(e.provenance), e});
  for (auto it = owed.begin(); it != owed.end();) {
    if (made(it->job)) {
      out.checks.push_back({Check::Kind::ModificationOwed, step, it->rules, true});
      it = owed.erase(it);
      continue;
    }
    if (it->step < step) {
      // Owed in the step before and still missing after this one: its time ran out.
      if (out.match) {
        out.match = false;
        out.index = 0;
        // Its fields are probed after the step that fails (all of them "in step"): a getter before
        // it would be one more step, by whose end the JobModification would already be overdue.
        out.blame = Suspicion{it->expected.primary, it->expected.provenance.with(it->expected.routeProvenance),
                              it->expected.reads, it->expected.reads, it->job};
        out.rules = out.blame.all();
        out.consulted = it->expected.rules;
        out.explanation = "missing JobModification: '" + formatObservation(it->expected) + "' owed since step " +
                          std::to_string(it->step + 1) + " did not arrive";
      }
      out.checks.push_back({Check::Kind::ModificationOwed, step, it->rules, false});
      it = owed.erase(it);
      continue;
    }
    ++it;
  }
  // Owed in the last step itself: there is no next step to wait for, so nothing is judged.
  if (last) owed.clear();
}

}  // namespace bc
