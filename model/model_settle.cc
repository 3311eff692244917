// model_settle.cc: section 5 of docs/semantics.md: delivering what is owed.
#include "model/model.h"

#include <cassert>

namespace bc {

// Section 5: passes over the jobs in ascending order, at most one dispatch per job per pass,
// until a pass makes none. A job is dispatched once per settle, and once more each time one
// of its hung calls ends during the settle: an item that found no receiver is not retried in
// a loop.
void Model::settle() {
  for (Job& j : jobs_) j.dispatched = false;
  for (int pass = 0;; ++pass) {
    assert(pass < 1000 && "settle does not terminate");
    bool any = false;
    for (JobId id = 1; id < jobs_.size(); ++id) {
      Job& j = jobs_[id];
      if (!j.exists || isFinal(j.state)) continue;
      if (j.modOwed && (!hasPath(j) || !callbackBit(j, notify::kJobModification))) {
        j.modOwed = false;  // dropped, not an attempt (EVT-8)
        wrote(j.prov.modification, hasPath(j) ? flagsRule(j, notify::kJobModification) : RuleSet{Rule::EVT_6});
        consult(Rule::EVT_8);
        if (hasPath(j)) withholdByFlags(j, Method::JobModification, notify::kJobModification);
      }
      if (j.dispatched || j.hung || !anyDue(j)) continue;
      const bool limit = hungCount_ >= kMaxHungCalls;
      if (limit && !(config_.policies.cmdLineSparedByHungLimit && cmdLineWithoutCall(j))) {
        withholdAnyCall(j, RuleSet{Rule::CB_12});  // four hung calls: no callback starts (OQ-27)
        if (j.armed) j.heldBy = RuleSet{Rule::CB_12};
        continue;
      }
      j.dispatched = true;
      if (limit) {
        withholdAnyCall(j, RuleSet{Rule::CB_12});  // the callbacks wait; the command line is not counted (OQ-27)
        Dispatch d;
        d.job = id;
        deliverJobEvent(d, j);
      } else {
        dispatch(id);
      }
      any = true;
    }
    if (!any) break;
  }
  for (Job& j : jobs_) j.retryFired = false;
}

// The rules that keep a callback of `bit` from a receiver: DISP-1 ("if the flags include
// DISABLE, deliver nothing; otherwise deliver only if the flag bit for e is set"), and FLAG-3
// when it is DISABLE that holds a set bit back.
RuleSet Model::flagsRule(const Job& j, uint32_t bit) const {
  if ((j.flags & notify::kDisable) && (j.flags & bit)) return RuleSet{Rule::FLAG_3, Rule::DISP_1};
  return RuleSet{Rule::DISP_1};
}

// Section 5.1. Also records the decisions not to deliver (Withheld) with the rules that took
// them: an item owed but held back by the flags, a retry timer, or a missing receiver.
bool Model::anyDue(Job& j) {
  const bool noRetry = j.retryAt == kNever;
  const bool path = hasPath(j);
  bool due = false;
  if (j.fileOwed.any()) {
    if (!callbackBit(j, notify::kFileTransferred)) {
      withholdByFlags(j, Method::FileTransferred, notify::kFileTransferred);
    } else if (!noRetry) {
      withholdCall(j, Method::FileTransferred, RuleSet{Rule::CB_5, Rule::LIFE_4});  // waits for its timer
    } else if (path) {
      due = true;
    }
  }
  if (j.modFailed && !j.modOwed && path && callbackBit(j, notify::kJobModification))
    withholdCall(j, Method::JobModification, RuleSet{Rule::CB_4});  // a failed one is not retried
  if (j.modOwed && path) {
    const uint64_t interval = config_.policies.modIntervalMs;
    if (j.lastModAt == kNever || now_ >= j.lastModAt + interval) due = true;
    else withholdCall(j, Method::JobModification, RuleSet{Rule::EVT_11});  // paced (OQ-6)
  }
  if (j.armed && eventState(j)) {
    const uint32_t bit = eventBit(j);
    const Method m = j.state == JobState::Transferred ? Method::JobTransferred : Method::JobError;
    const bool cmd = cmdBit(j, bit) && cmdUsable(j);
    if (!(j.flags & bit)) {
      // Not asked for: stays owed for a later registration (REG-8); no command line either (FLAG-6).
      withholdCall(j, m, flagsRule(j, bit), &j.prov.flags, field::kFlags);
      if (cmdUsable(j)) withholdCmdLine(j, RuleSet{Rule::FLAG_6}, &j.prov.flags, field::kFlags);
      j.heldBy = RuleSet{Rule::REG_8, Rule::CB_14};
      wrote(j.prov.event, j.heldBy);
    } else if (!callbackBit(j, bit) && !cmd) {
      withholdByFlags(j, m, bit);
      if (cmdUsable(j)) withholdCmdLine(j, RuleSet{Rule::FLAG_3}, &j.prov.flags, field::kFlags);  // OQ-4
      j.heldBy = RuleSet{Rule::REG_8, Rule::CB_14};
      wrote(j.prov.event, j.heldBy);
    } else if (!noRetry) {
      // The retry waits for its timer (DISP-7, LIFE-4; the command line's: CMD-8, LIFE-7).
      withholdCall(j, m, RuleSet{m == Method::JobTransferred ? Rule::CB_1 : Rule::CB_2, Rule::DISP_7, Rule::LIFE_4});
      if (cmd) withholdCmdLine(j, RuleSet{Rule::CMD_8, Rule::LIFE_7});
    } else if ((callbackBit(j, bit) && path) || cmd) {
      due = true;
    } else {
      // No path, no command line: pending until a registration (REG-8). An object that was
      // replaced, cleared or lost at a restart must not be called (its slot's provenance).
      if (!j.replaced.isNone()) withholdAnyCall(j, RuleSet{Rule::DISP_2}, j.replaced, &j.prov.slot, field::kSlot);
      j.heldBy = RuleSet{Rule::REG_8, Rule::CB_14};
      wrote(j.prov.event, j.heldBy);
      consult(Rule::DISP_7);
      consult(Rule::REG_8);
    }
  }
  return due;
}

// OQ-27: the job-level event is due and goes to the command line without calling anything (it
// owns the event, OQ-9; or there is no receiver path at all), and no FileTransferred waits
// before it (CB-7): the command line may run while four calls hang.
bool Model::cmdLineWithoutCall(const Job& j) const {
  if (!j.armed || !eventState(j) || j.retryAt != kNever) return false;
  const uint32_t bit = eventBit(j);
  if (!cmdBit(j, bit) || !cmdUsable(j)) return false;
  const bool filesDue = j.fileOwed.any() && callbackBit(j, notify::kFileTransferred) && hasPath(j);
  if (filesDue) return false;
  return j.cmdOwned || !callbackBit(j, bit) || !hasPath(j);
}

// Section 5: FileTransferred in file order, then JobModification, then the job-level event.
void Model::dispatch(JobId id) {
  Job& j = jobs_[id];
  Dispatch d;
  d.job = id;
  bool ended = false;
  if (j.fileOwed.any() && callbackBit(j, notify::kFileTransferred) && j.retryAt == kNever)
    deliverFiles(d, j, ended);
  if (!ended && j.modOwed && (j.lastModAt == kNever || now_ >= j.lastModAt + config_.policies.modIntervalMs))
    deliverModification(d, j, ended);
  if (!ended && j.armed && eventState(j) && j.retryAt == kNever &&
      (callbackBit(j, eventBit(j)) || (cmdBit(j, eventBit(j)) && cmdUsable(j))))
    deliverJobEvent(d, j);
}

// Section 5.4, FileTransferred: serialized per job (CB-6), all before the job-level event (CB-7).
void Model::deliverFiles(Dispatch& d, Job& j, bool& ended) {
  for (int f = 0; f < j.filesDone; ++f) {
    if (!j.fileOwed.test(f)) continue;
    d.itemReason = eventReason(j, Method::FileTransferred);
    const Receiver r = findReceiver(d);
    // CB-15: no IBackgroundCopyCallback2, nothing to call. MP-2: a dead object is no longer valid
    // first, so the call below finds the disconnect (and the CLSID, if one is set).
    const bool deadFirst = config_.policies.deadObjectInvalidForFiles && !isLive(r);
    if (r.kind == Receiver::Kind::AppObject && levelOfSlot(r.slot) == CallbackLevel::V1 && !deadFirst) {
      j.fileOwed.reset();
      wrote(j.prov.files, RuleSet{Rule::CB_15});
      withholdCall(j, Method::FileTransferred, RuleSet{Rule::CB_15});
      return;
    }
    CallResult result = call(d, Method::FileTransferred, static_cast<uint8_t>(f + 1));
    if (result == CallResult::SuccessCode) {
      // OQ-7a: the page retries "if negative": S_FALSE delivers (unless only S_OK counts).
      consult(Rule::CB_5);
      result = config_.policies.fileSucceededDelivers ? CallResult::Success : CallResult::Failure;
    }
    switch (result) {
      case CallResult::Success:
        j.fileOwed.reset(f);
        wrote(j.prov.files, RuleSet{Rule::EVT_9, Rule::CB_5});
        break;
      case CallResult::SuccessCode:
      case CallResult::Failure:
        scheduleRetry(j);  // CB-5, OQ-8; later files wait (CB-6, CB-7)
        wrote(j.prov.retry, RuleSet{Rule::CB_5, Rule::LIFE_4});
        wrote(j.prov.files, RuleSet{Rule::CB_5, Rule::CB_6});
        withholdCall(j, Method::FileTransferred, RuleSet{Rule::CB_5, Rule::CB_6, Rule::LIFE_4});
        if (j.armed && eventState(j))
          withholdCall(j, j.state == JobState::Transferred ? Method::JobTransferred : Method::JobError,
                       RuleSet{Rule::CB_7});
        ended = true;
        return;
      case CallResult::Hung:
        ended = true;
        return;
      case CallResult::NoReceiver:
        break;  // stays owed
    }
  }
}

// Section 5.4, JobModification: one attempt, whatever it returns (CB-4, EVT-8).
void Model::deliverModification(Dispatch& d, Job& j, bool& ended) {
  j.modOwed = false;
  j.lastModAt = now_;
  wrote(j.prov.modification, RuleSet{Rule::CB_4, Rule::EVT_11});  // not retried; the next one paced
  consult(Rule::CB_4);
  d.itemReason = eventReason(j, Method::JobModification);
  const CallResult r = call(d, Method::JobModification, 0);
  if (r == CallResult::Hung) ended = true;
  j.modFailed = r == CallResult::Failure;  // CB-4: not called again for it
}

// Section 5.4, JobTransferred / JobError: object, then CLSID, then command line (DISP-2..8).
void Model::deliverJobEvent(Dispatch& d, Job& j) {
  const uint32_t bit = eventBit(j);
  const Method m = j.state == JobState::Transferred ? Method::JobTransferred : Method::JobError;
  const bool cmd = cmdBit(j, bit) && cmdUsable(j);
  const bool ownership = config_.policies.cmdLineOwnsEventAfterFailure;
  d.itemReason = eventReason(j, m);
  if (j.cmdOwned) {
    if (cmd) {
      withholdCall(j, m, RuleSet{Rule::CB_3});  // OQ-9: the callback is not called again
      return runCmdLine(j, d.job, RuleSet{Rule::CB_3, Rule::CMD_8});
    }
    j.cmdOwned = false;
    wrote(j.prov.event, RuleSet{Rule::CB_3});
  }
  if (!callbackBit(j, bit)) {  // DISABLE with OQ-4's alternative: only the command line
    consult(Rule::FLAG_3);
    withholdByFlags(j, m, bit);
    j.cmdOwned = ownership;
    return runCmdLine(j, d.job, RuleSet{Rule::FLAG_7});
  }
  CallResult result = call(d, m, 0);
  const Rule retryRule = m == Method::JobTransferred ? Rule::CB_1 : Rule::CB_2;
  if (result == CallResult::SuccessCode) {
    // OQ-7b: "should return S_OK; otherwise, BITS continues to call this method"; OQ-7c: the
    // command line runs only on a "failure code", so by default S_FALSE is retried on the callback.
    consult(retryRule);
    if (!config_.policies.jobEventOnlySOk) {
      result = CallResult::Success;
    } else if (!cmd || config_.policies.cmdLineOnlyOnFailureCode) {
      if (cmd) withholdCmdLine(j, RuleSet{Rule::CMD_11});  // not a failure code: the command line must not run
      scheduleRetry(j);
      wrote(j.prov.event, RuleSet{retryRule, Rule::DISP_7, Rule::LIFE_4});
      wrote(j.prov.retry, j.prov.event.by);
      consult(Rule::DISP_7);
      withholdCall(j, m, RuleSet{retryRule, Rule::DISP_7, Rule::LIFE_4});  // not again before the delay
      return;
    } else {
      result = CallResult::Failure;
    }
  }
  switch (result) {
    case CallResult::Success:
      j.armed = false;  // delivered (CB-14); the command line does not run (DISP-6)
      wrote(j.prov.event, RuleSet{retryRule, Rule::CB_14});
      j.deliveredInState = true;
      j.heldBy = RuleSet{};
      if (cmdUsable(j)) withholdCmdLine(j, RuleSet{Rule::DISP_6, Rule::CMD_11});
      return;
    case CallResult::SuccessCode:
    case CallResult::Failure:
      if (cmd) {
        j.cmdOwned = ownership;  // CB-3, DISP-5, CMD-11
        consult(Rule::CB_3);
        return runCmdLine(j, d.job, RuleSet{Rule::CB_3, Rule::CMD_11, Rule::DISP_5});
      }
      scheduleRetry(j);  // CB-1, CB-2, DISP-7
      wrote(j.prov.event, RuleSet{retryRule, Rule::DISP_7, Rule::LIFE_4});
      wrote(j.prov.retry, j.prov.event.by);
      consult(retryRule);
      consult(Rule::DISP_7);
      withholdCall(j, m, RuleSet{retryRule, Rule::DISP_7, Rule::LIFE_4});  // not again before the delay
      return;
    case CallResult::Hung:
      return;
    case CallResult::NoReceiver:
      if (cmd) {
        j.cmdOwned = ownership;  // DISP-5, CMD-9, CMD-11
        consult(Rule::DISP_5);
        return runCmdLine(j, d.job, RuleSet{Rule::DISP_5, Rule::CMD_11});
      }
      if (d.activationMade && config_.policies.activationFailureRetries) {
        scheduleRetry(j, true);  // OQ-13
        wrote(j.prov.event, RuleSet{Rule::DISP_3, Rule::DISP_7});
        wrote(j.prov.retry, j.prov.event.by);
        consult(Rule::DISP_7);
        return;
      }
      consult(Rule::DISP_7);  // pending until a registration changes (REG-8)
      consult(Rule::REG_8);
      j.heldBy = RuleSet{Rule::REG_8, Rule::CB_14};
      wrote(j.prov.event, j.heldBy);
      return;
  }
}

// OQ-8: every retry waits MinimumRetryDelay; MP-4 needs to know one that follows a failed
// activation.
void Model::scheduleRetry(Job& j, bool afterActivation) {
  j.retryAt = now_ + kMinimumRetryDelayMs;
  j.retryAfterActivation = afterActivation;
}

// Section 5.4, "Running the command line" (CMD-1, CMD-7, CMD-8, CMD-12, LIFE-7). `why`: what
// handed the event to the command line (no receiver, a failed callback, its own retry).
void Model::runCmdLine(Job& j, JobId id, const RuleSet& why) {
  const int exit = exitCodeOf(j.program);
  Observation& obs = emit(Observation::cmdLine(id, j.program, j.params, exit));
  obs.because({Rule::CMD_1, Rule::CMD_7, Rule::CMD_11, Rule::DISP_5, Rule::FLAG_7,
               j.state == JobState::Transferred ? Rule::EVT_1 : Rule::EVT_3});
  if (why.has(Rule::CB_3) && !j.retryFired) j.callbackFailedForCmd = true;
  if (j.retryFired) {
    obs.decidedBy({Rule::CMD_8, Rule::LIFE_7});  // run again after MinimumRetryDelay
    if (j.callbackFailedForCmd) obs.decidedBy({Rule::DISP_8, Rule::CMD_12});  // callback and program failed
  } else if (j.armedStep < stepNo_ && j.armCause == ArmCause::Entry && !j.heldBy.has(Rule::CLSID_13)) {
    obs.decidedBy({Rule::CMD_9});  // set after the event: that alone decides
  } else {
    obs.decidedBy({Rule::CMD_1}).decidedBy(why);
  }
  obs.because(why).read(field::kCmdLine, j.prov.cmdLine, stepNo_).read(field::kFlags, j.prov.flags, stepNo_).read(field::kState, j.prov.state, stepNo_);
  if (exit == 0) {
    j.armed = false;
    j.cmdOwned = false;
    j.callbackFailedForCmd = false;
    j.heldBy = RuleSet{};
    wrote(j.prov.event, RuleSet{Rule::CMD_1, Rule::CMD_8});  // the program exited 0: delivered
  } else if (config_.version >= BitsVersion::V2_0) {
    scheduleRetry(j);  // stays armed and owned by the command line
    consult(Rule::CMD_8);
    consult(Rule::CMD_12);
    consult(Rule::DISP_8);
    consult(Rule::LIFE_7);
    RuleSet notYet{Rule::CMD_8, Rule::LIFE_7};  // not again before the delay
    if (j.callbackFailedForCmd) notYet.add(Rule::DISP_8).add(Rule::CMD_12);
    wrote(j.prov.event, notYet);
    wrote(j.prov.retry, notYet);
    withholdCmdLine(j, notYet);
  } else {
    j.armed = false;  // BITS 1.5: the program runs only once (CMD-8, VER-2)
    j.cmdOwned = false;
    wrote(j.prov.event, RuleSet{Rule::CMD_8, Rule::VER_2});
    j.callbackFailedForCmd = false;
    withholdCmdLine(j, RuleSet{Rule::CMD_8, Rule::VER_2});
    consult(Rule::CMD_8);
    consult(Rule::VER_2);
  }
}

// Section 5.2: looked for once per dispatch.
Receiver Model::findReceiver(Dispatch& d) {
  if (d.looked) return d.receiver;
  d.looked = true;
  const Job& j = jobs_[d.job];
  if (!j.slot.isNone()) {
    d.receiver = j.slot;  // live or not: BITS finds out by calling it (REG-7)
    consult(Rule::DISP_2);
    if (isLive(j.slot)) {
      // A live object is called: no activation (CLSID-7 over a class; CLSID-8: reused).
      if (j.slot.kind == Receiver::Kind::ServerObject) withholdActivation(j, RuleSet{Rule::CLSID_8}, &j.prov.slot, field::kSlot);
      else if (j.clsid != ClassId::Null) withholdActivation(j, RuleSet{Rule::CLSID_7}, &j.prov.slot, field::kSlot);
    }
    if (j.clsid != ClassId::Null && j.slot.kind == Receiver::Kind::AppObject) consult(Rule::CLSID_7);
    if (j.slot.kind == Receiver::Kind::ServerObject) consult(Rule::CLSID_8);  // reused
  } else if (j.clsid != ClassId::Null) {
    activate(d);
  }
  return d.receiver;
}

// Section 5.2, activation (DISP-3, CLSID-8); a failure leaves the slot empty (OQ-13).
void Model::activate(Dispatch& d) {
  Job& j = jobs_[d.job];
  Server& s = servers_[static_cast<size_t>(j.clsid)];
  d.activationMade = true;
  d.receiver = Receiver::none();
  // An activation exists because an item needs a receiver (its reason), none is in the slot
  // (after a disconnect: REG-7) and the CLSID says which class (its provenance).
  // After a disconnect BITS evidently tried to deliver: the fallback alone decides (DISP-3,
  // REG-7). Else the item's reason does, and for an item owed since an earlier step that alone
  // (a late registration: REG-8; a restart: CLSID-13).
  RuleSet why = d.afterDisconnect ? RuleSet{Rule::DISP_3, Rule::REG_7}
                : jobs_[d.job].armedStep < stepNo_ && !d.itemReason.has(Rule::EVT_6) && !d.itemReason.has(Rule::EVT_9)
                    ? d.itemReason
                    : d.itemReason.with(Rule::DISP_3);
  // Which class (the CLSID's provenance) and why no object was at hand (the slot's).
  auto facets = [&](Observation& o) -> Observation& {
    return o.decidedBy(why).read(field::kClsid, j.prov.clsid, stepNo_).read(field::kSlot, j.prov.slot, stepNo_).read(field::kFlags, j.prov.flags, stepNo_);
  };
  if (!s.registered) {
    facets(emit(Observation::activation(d.job, j.clsid, hr::REGDB_E_CLASSNOTREG, {}))).answeredBy({Rule::CLSID_3});
  } else if (s.behavior == Behavior::ExecFail) {
    facets(emit(Observation::activation(d.job, j.clsid, hr::CO_E_SERVER_EXEC_FAILURE, {}))).answeredBy({Rule::CLSID_3});
  } else {
    s.live.push_back(s.behavior);
    d.receiver = Receiver::serverObject(j.clsid, ++s.created);
    facets(emit(Observation::activation(d.job, j.clsid, hr::S_OK, d.receiver)))
        .answeredBy({Rule::CLSID_3})
        .routedBy(RuleSet{Rule::CLSID_1, Rule::CLSID_8})
        .because({Rule::CLSID_1, Rule::CLSID_2, Rule::CLSID_8});
    writeSlot(j, d.receiver, RuleSet{Rule::CLSID_8, Rule::DISP_3});
  }
}

// Section 5.3, disconnect (OQ-11, DISP-3, DISP-4): one activation per dispatch at most.
void Model::disconnect(Dispatch& d) {
  Job& j = jobs_[d.job];
  writeSlot(j, Receiver::none(), RuleSet{Rule::REG_7});
  consult(Rule::REG_7);
  if (j.clsid != ClassId::Null && !d.activationMade) {
    d.afterDisconnect = true;
    activate(d);
  } else {
    d.receiver = Receiver::none();
  }
}

// Why an item of `j` is owed at this point: the rules a missing or different delivery of it
// breaks. A retry shows the retry rule, a delivery caused by a registration after the event
// REG-8 (first time) or REG-9 (again, after an earlier delivery in the same state), an event
// held back earlier what held it (heldBy: a late registration, four hung calls, a restart that
// kept it), any other the event's own rule and how the job got into its state.
RuleSet Model::eventReason(const Job& j, Method m) const {
  const bool jobEvent = m == Method::JobTransferred || m == Method::JobError;
  if (j.retryFired) {
    switch (m) {
      case Method::FileTransferred: return RuleSet{Rule::CB_5, Rule::LIFE_4};
      case Method::JobTransferred: return RuleSet{Rule::CB_1, Rule::DISP_7, Rule::LIFE_4};
      case Method::JobError: return RuleSet{Rule::CB_2, Rule::DISP_7, Rule::LIFE_4};
      case Method::JobModification: break;
    }
  }
  switch (m) {
    case Method::FileTransferred: return RuleSet{Rule::EVT_9};
    case Method::JobModification: return RuleSet{Rule::EVT_6};
    default: break;
  }
  if (jobEvent && j.armCause == ArmCause::Interface && j.deliveredInState) return RuleSet{Rule::REG_9, Rule::CB_14};
  if (jobEvent && j.armCause != ArmCause::Entry) return RuleSet{Rule::REG_8, Rule::CB_14};
  if (j.armedStep < stepNo_ && !j.heldBy.empty()) return j.heldBy;  // late: what held it back
  return j.prov.armed;  // EVT-1, EVT-3 (EVT-5 after the no-progress timeout)
}

// Who receives a call, and why (the route facet): the slot's object (DISP-2; over a CLSID:
// CLSID-7; a reused server object: CLSID-8) with the slot's provenance, or an object just
// created from the CLSID (DISP-3, CLSID-8) with the CLSID's provenance.
RuleSet Model::routeOf(const Dispatch& d, const Receiver& r) const {
  const Job& j = jobs_[d.job];
  if (d.activationMade && r.kind == Receiver::Kind::ServerObject) return RuleSet{Rule::DISP_3, Rule::CLSID_8, Rule::CLSID_2};
  if (r.kind == Receiver::Kind::ServerObject) return RuleSet{Rule::CLSID_8, Rule::CLSID_2};
  RuleSet route{Rule::DISP_2};
  if (j.clsid != ClassId::Null) route.add(Rule::CLSID_7);
  return route;
}

// Section 5.3: one call, with disconnects followed through to the CLSID.
Model::CallResult Model::call(Dispatch& d, Method m, uint8_t file) {
  const JobId job = d.job;
  for (Receiver r = findReceiver(d); !r.isNone(); r = d.receiver) {
    if (!isLive(r)) {
      disconnect(d);  // a transport error: nothing is observed
      continue;
    }
    Behavior& b = behaviorOf(r);
    auto observe = [&](Outcome o, Hresult h) -> Observation& {
      const Job& j = jobs_[job];
      Observation& obs = emit(Observation::callback(r, m, job, file, o, h));
      switch (m) {
        case Method::FileTransferred: obs.because({Rule::EVT_9, Rule::CB_5, Rule::CB_6, Rule::CB_7}); break;
        case Method::JobModification: obs.because({Rule::EVT_6, Rule::CB_4}); break;
        case Method::JobTransferred: obs.because({Rule::EVT_1, Rule::CB_1, Rule::CB_14}); break;
        case Method::JobError: obs.because({Rule::EVT_3, Rule::CB_2, Rule::CB_14}); break;
      }
      // Exists because the item is owed (its reason), the flags let it through and the job is
      // in its state (their provenance); goes to this receiver because of the route and what
      // the slot (or, for a new object, the CLSID) holds.
      obs.decidedBy(eventReason(j, m)).read(field::kFlags, j.prov.flags, stepNo_);
      if (m == Method::JobTransferred || m == Method::JobError) obs.read(field::kState, j.prov.state, stepNo_);
      obs.routedBy(routeOf(d, r));
      if (d.activationMade && r.kind == Receiver::Kind::ServerObject) obs.read(field::kClsid, j.prov.clsid, stepNo_);
      else obs.read(field::kSlot, j.prov.slot, stepNo_);
      obs.because({Rule::FLAG_6});
      // The object the slot held before hears nothing more (REG-3, REG-10, REG-2, REG-4, REG-7).
      if (!j.replaced.isNone() && !(j.replaced == r))
        withholdAnyCall(j, RuleSet{Rule::DISP_2}, j.replaced, &j.prov.slot, field::kSlot);
      return obs;
    };
    switch (b) {
      case Behavior::Ok:
        observe(Outcome::Returned, hr::S_OK);
        return CallResult::Success;
      case Behavior::SFalse:
        observe(Outcome::Returned, hr::S_FALSE);  // a success code, not S_OK: OQ-7a, OQ-7b decide
        return CallResult::SuccessCode;
      case Behavior::Fail:
      case Behavior::ExecFail:  // not a valid object behaviour; answers like fail
        observe(Outcome::Returned, hr::E_FAIL).because({Rule::DISP_4});
        keepSlotAfterFailure(jobs_[job], r);
        // A failure, not a disconnect: no activation follows (DISP-4).
        if (jobs_[job].clsid != ClassId::Null) withholdActivation(jobs_[job], RuleSet{Rule::DISP_4});
        return CallResult::Failure;
      case Behavior::FailOnce:
        observe(Outcome::Returned, hr::E_FAIL).because({Rule::DISP_4});
        keepSlotAfterFailure(jobs_[job], r);
        if (jobs_[job].clsid != ClassId::Null) withholdActivation(jobs_[job], RuleSet{Rule::DISP_4});
        b = Behavior::Ok;
        return CallResult::Failure;
      case Behavior::Hang:
        observe(Outcome::Hung, {}).because({Rule::CB_12});
        assert(hungCount_ < kMaxHungCalls);
        hung_[hungCount_++] = HungCall{job, r};
        jobs_[job].hung = true;
        wrote(jobs_[job].prov.call, RuleSet{Rule::CB_12});
        return CallResult::Hung;
      case Behavior::Crash:
        observe(Outcome::Crashed, {}).because({Rule::REG_7});
        killProcessOf(r);
        disconnect(d);
        continue;
    }
  }
  return CallResult::NoReceiver;
}

// A failing call keeps its object (DISP-4: a failure is not a disconnect): from now on that is
// what decided the slot's value, and a slot found empty later blames it.
void Model::keepSlotAfterFailure(Job& j, const Receiver& r) {
  if (!(j.slot == r)) return;
  // A created object is also kept for reuse (CLSID-8).
  wrote(j.prov.slot, r.kind == Receiver::Kind::ServerObject ? RuleSet{Rule::DISP_4, Rule::CLSID_8} : RuleSet{Rule::DISP_4});
}

Behavior& Model::behaviorOf(const Receiver& r) {
  if (r.kind == Receiver::Kind::AppObject) return apps_[r.app].behavior[r.slot];
  Server& s = servers_[static_cast<size_t>(r.clsid)];
  return s.live[r.instance - s.firstLive];
}

// A crash: an app object takes its whole incarnation down; a server object, its whole class.
void Model::killProcessOf(const Receiver& r) {
  if (r.kind == Receiver::Kind::AppObject) {
    apps_[r.app].running = false;
    endHungCallsOf(r.app, r.incarnation);
  } else {
    serverDies(r.clsid);
  }
}

void Model::endHungCallsOf(AppId app, uint16_t incarnation) {
  for (int i = hungCount_ - 1; i >= 0; --i) {
    const Receiver& r = hung_[i].receiver;
    if (r.kind == Receiver::Kind::AppObject && r.app == app && r.incarnation == incarnation) endHungCall(i);
  }
}

void Model::endHungCallsOfClass(ClassId c) {
  for (int i = hungCount_ - 1; i >= 0; --i) {
    const Receiver& r = hung_[i].receiver;
    if (r.kind == Receiver::Kind::ServerObject && r.clsid == c) endHungCall(i);
  }
}

// Section 5.3: the hung call fails with RPC_S_CALL_FAILED (nothing observed); the item stays
// owed, the slot is emptied if it still holds the object, the job may be dispatched again.
void Model::endHungCall(int index) {
  const HungCall h = hung_[index];
  Job& j = jobs_[h.job];
  if (j.slot == h.receiver) {
    writeSlot(j, Receiver::none(), RuleSet{Rule::REG_7});
  }
  if (j.armed) j.heldBy = RuleSet{Rule::REG_7, Rule::CB_12};
  j.hung = false;
  wrote(j.prov.call, RuleSet{Rule::REG_7});
  j.dispatched = false;
  consult(Rule::REG_7);
  hung_[index] = hung_[--hungCount_];
}

// A final state or a service restart: the call is forgotten without the handling above.
void Model::abandonHungCall(JobId job) {
  for (int i = 0; i < hungCount_; ++i) {
    if (hung_[i].job != job) continue;
    hung_[i] = hung_[--hungCount_];
    break;
  }
  jobs_[job].hung = false;
}

void Model::abandonAllHungCalls() { hungCount_ = 0; }

}  // namespace bc
