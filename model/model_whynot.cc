// model_whynot.cc: why the model did not make a delivery that a SUT made (the blame of an extra
// observation). Read against the state after the step; a Withheld record of the step (a decision
// taken in it) comes first.
#include "model/model.h"

namespace bc {

namespace {
Suspicion rules(const RuleSet& r) { return Suspicion{r, {}, 0, 0, 0}; }
}  // namespace

Suspicion Model::whyNot(const Observation& o, size_t before) const {
  Suspicion why;
  for (const Withheld& w : withheld_)
    if (w.at <= before && w.matches(o)) why.add(Suspicion{w.rules, w.provenance, w.reads, w.readsInStep, w.job});
  if (!why.rules.empty()) return why;
  const Job* j = findJob(o.job);
  if (!j) return why;  // a job the world does not know: a harness matter
  switch (o.kind) {
    case ObsKind::Callback: why = whyNotCall(*j, o); break;
    case ObsKind::Activation: why = whyNotActivation(*j, o); break;
    case ObsKind::CmdLine: why = whyNotCmdLine(*j); break;
    case ObsKind::Return: break;
  }
  why.job = o.job;
  return why;
}

// A call nobody owed: to whom (the route), whether the flags let it through, whether its event
// happened (and was not already delivered).
Suspicion Model::whyNotCall(const Job& j, const Observation& o) const {
  Suspicion why;
  auto state = [&](std::initializer_list<Rule> r) { return why.add(suspect(RuleSet(r), j.prov.state, field::kState)); };
  if (isFinal(j.state)) return state({Rule::STATE_3, Rule::EVT_13});
  if (!(o.receiver == j.slot)) {
    // Not the job's object: the slot's provenance says who it is (REG-3 replaced it, REG-2
    // cleared it, REG-4 a restart dropped it, REG-7 it died); only the slot's object is called.
    why.add(suspect(RuleSet{o.receiver.kind == Receiver::Kind::ServerObject ? Rule::CLSID_8 : Rule::DISP_2}, j.prov.slot,
                    field::kSlot));
  }
  uint32_t bit = 0;
  switch (o.method) {
    case Method::JobTransferred: bit = notify::kJobTransferred; break;
    case Method::JobError: bit = notify::kJobError; break;
    case Method::JobModification: bit = notify::kJobModification; break;
    case Method::FileTransferred: bit = notify::kFileTransferred; break;
  }
  if (!callbackBit(j, bit)) return why.add(suspect(flagsRule(j, bit), j.prov.flags, field::kFlags));
  switch (o.method) {
    case Method::JobTransferred:
    case Method::JobError: {
      const bool transferred = o.method == Method::JobTransferred;
      const JobState want = transferred ? JobState::Transferred : JobState::Error;
      if (j.state != want) {
        // The event did not happen: the job is not in its state, as the state's provenance says.
        // A transition raises only its own event (EVT-13); a transient error never JobError (EVT-4).
        if (!transferred && j.state == JobState::TransientError) return state({Rule::EVT_4});
        return state({Rule::EVT_13});
      }
      const Rule retry = transferred ? Rule::CB_1 : Rule::CB_2;
      if (j.cmdOwned) return why.add(rules({Rule::CB_3}));  // the command line owns it (OQ-9)
      if (j.retryAt != kNever) return why.add(rules({retry, Rule::LIFE_4}));
      if (!j.armed) return why.add(rules({retry, Rule::CB_14}));  // delivered: not called again
      if (why.rules.empty()) why.add(rules({Rule::DISP_2, Rule::CB_14}));
      return why;
    }
    case Method::FileTransferred:
      if (config_.version < BitsVersion::V3_0) return why.add(rules({Rule::VER_3}));
      if (o.receiver.kind == Receiver::Kind::AppObject && levelOfSlot(o.receiver.slot) == CallbackLevel::V1)
        return why.add(rules({Rule::CB_15}));
      if (o.file == 0 || o.file > j.filesDone) return why.add(rules({Rule::EVT_9}));  // the file is not done
      if (j.retryAt != kNever) return why.add(rules({Rule::CB_5, Rule::LIFE_4}));
      return why.add(rules({Rule::EVT_9, Rule::CB_5}));  // delivered already, or never owed
    case Method::JobModification: {
      // Nothing changed that owes one (EVT-6), the change was a move into TRANSFERRED/ERROR
      // (EVT-7), it is paced (EVT-11), or a failed one was called again (CB-4).
      RuleSet r{Rule::EVT_6};
      if (j.modFailed) r.add(Rule::CB_4);
      if (eventState(j)) r.add(Rule::EVT_7);
      if (j.lastModAt != kNever && now_ < j.lastModAt + config_.policies.modIntervalMs) r.add(Rule::EVT_11);
      return why.add(rules(r));
    }
  }
  return why;
}

// An activation nobody owed: an object to call was there (CLSID-7, or the reused one:
// CLSID-8), the CLSID was cleared or never set (its provenance), or nothing was due (DISP-3).
Suspicion Model::whyNotActivation(const Job& j, const Observation& o) const {
  if (isFinal(j.state)) return suspect(RuleSet{Rule::STATE_3}, j.prov.state, field::kState);
  if (j.clsid == ClassId::Null || j.clsid != o.clsid) return suspect(RuleSet{Rule::DISP_3}, j.prov.clsid, field::kClsid);
  if (!j.slot.isNone() && isLive(j.slot))
    return suspect(RuleSet{j.slot.kind == Receiver::Kind::ServerObject ? Rule::CLSID_8 : Rule::CLSID_7}, j.prov.slot,
                   field::kSlot);
  // Nothing was owed that needed a receiver: no event happened (a transient error raises none:
  // EVT-4), or it was delivered already (CB-14).
  const bool owed = (j.armed && eventState(j)) || j.fileOwed.any() || j.modOwed;
  if (owed) return rules({Rule::DISP_3, Rule::CLSID_8});
  if (j.state == JobState::TransientError) return suspect(RuleSet{Rule::EVT_4}, j.prov.state, field::kState);
  if (eventState(j)) return rules({Rule::DISP_3, Rule::CB_14});
  return suspect(RuleSet{Rule::DISP_3}, j.prov.state, field::kState);
}

// A command line nobody owed: none is set (its provenance), the version has none (VER-2), the
// flags stop it (FLAG-7, OQ-4), no event owes it (CMD-1), a callback took it (DISP-6, CMD-11),
// or it already ran (CMD-8).
Suspicion Model::whyNotCmdLine(const Job& j) const {
  if (config_.version < BitsVersion::V1_5) return rules({Rule::VER_2});
  if (j.program == Program::Null) return suspect(RuleSet{Rule::CMD_1}, j.prov.cmdLine, field::kCmdLine);
  if (isFinal(j.state)) return suspect(RuleSet{Rule::STATE_3}, j.prov.state, field::kState);
  if (!eventState(j)) return suspect(RuleSet{Rule::CMD_1, Rule::CMD_2}, j.prov.state, field::kState);
  if (!cmdBit(j, eventBit(j))) return suspect(RuleSet{Rule::FLAG_7, Rule::FLAG_6}, j.prov.flags, field::kFlags);
  if (!j.armed) return rules({Rule::DISP_6, Rule::CMD_11, Rule::CMD_8});
  if (j.retryAt != kNever) return rules({Rule::CMD_8, Rule::LIFE_7});
  return rules({Rule::DISP_6, Rule::CMD_11});
}

}  // namespace bc
