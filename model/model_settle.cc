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
        withhold(Rule::EVT_8);
      }
      if (j.dispatched || j.hung || !anyDue(j)) continue;
      const bool limit = hungCount_ >= kMaxHungCalls;
      if (limit && !(config_.policies.cmdLineSparedByHungLimit && cmdLineWithoutCall(j))) {
        withhold(Rule::CB_12);  // four hung calls: no callback starts (OQ-27)
        continue;
      }
      j.dispatched = true;
      if (limit) {
        withhold(Rule::CB_12);  // the callbacks wait; the command line is not counted (OQ-27)
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

// Section 5.1. Also notes the decisions not to deliver (FLAG-3, DISP-1, DISP-7) as consulted.
bool Model::anyDue(Job& j) {
  const bool noRetry = j.retryAt == kNever;
  const bool path = hasPath(j);
  bool due = false;
  if (j.fileOwed.any()) {
    if (!callbackBit(j, notify::kFileTransferred)) {
      withhold((j.flags & notify::kDisable) ? Rule::FLAG_3 : Rule::DISP_1);
    } else if (!noRetry) {
      withhold(Rule::CB_5);
    }
    else if (path) due = true;
  }
  if (j.modOwed && path) {
    const uint64_t interval = config_.policies.modIntervalMs;
    if (j.lastModAt == kNever || now_ >= j.lastModAt + interval) due = true;
    else withhold(Rule::EVT_11);  // paced (OQ-6)
  }
  if (j.armed && eventState(j)) {
    const uint32_t bit = eventBit(j);
    if (!(j.flags & bit)) {
      withhold(Rule::DISP_1);  // not asked for: stays owed for a later registration (REG-8)
      withhold(Rule::FLAG_6);
    } else if (!callbackBit(j, bit) && !(cmdBit(j, bit) && cmdUsable(j))) {
      withhold(Rule::FLAG_3);
      withhold(Rule::DISP_1);
    } else if (!noRetry) {
      withhold(Rule::DISP_7);  // the retry waits for its timer
    } else if ((callbackBit(j, bit) && path) || (cmdBit(j, bit) && cmdUsable(j))) {
      due = true;
    } else {
      withhold(Rule::DISP_7);  // no path, no command line: pending until a registration
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
    const Receiver r = findReceiver(d);
    // CB-15: no IBackgroundCopyCallback2, nothing to call. MP-2: a dead object is no longer valid
    // first, so the call below finds the disconnect (and the CLSID, if one is set).
    const bool deadFirst = config_.policies.deadObjectInvalidForFiles && !isLive(r);
    if (r.kind == Receiver::Kind::AppObject && levelOfSlot(r.slot) == CallbackLevel::V1 && !deadFirst) {
      j.fileOwed.reset();
      withhold(Rule::CB_15);
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
        break;
      case CallResult::SuccessCode:
      case CallResult::Failure:
        scheduleRetry(j);  // CB-5, OQ-8; later files wait (CB-6, CB-7)
        consult(Rule::CB_6);
        consult(Rule::CB_7);
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
  consult(Rule::CB_4);
  if (call(d, Method::JobModification, 0) == CallResult::Hung) ended = true;
}

// Section 5.4, JobTransferred / JobError: object, then CLSID, then command line (DISP-2..8).
void Model::deliverJobEvent(Dispatch& d, Job& j) {
  const uint32_t bit = eventBit(j);
  const Method m = j.state == JobState::Transferred ? Method::JobTransferred : Method::JobError;
  const bool cmd = cmdBit(j, bit) && cmdUsable(j);
  const bool ownership = config_.policies.cmdLineOwnsEventAfterFailure;
  if (j.cmdOwned) {
    if (cmd) {
      withhold(Rule::CB_3);  // OQ-9: the callback is not called again
      return runCmdLine(j, d.job);
    }
    j.cmdOwned = false;
  }
  if (!callbackBit(j, bit)) {  // DISABLE with OQ-4's alternative: only the command line
    consult(Rule::FLAG_3);
    j.cmdOwned = ownership;
    return runCmdLine(j, d.job);
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
      if (cmd) withhold(Rule::CMD_11);  // not a failure code: the command line must not run
      scheduleRetry(j);
      consult(Rule::DISP_7);
      return;
    } else {
      result = CallResult::Failure;
    }
  }
  switch (result) {
    case CallResult::Success:
      j.armed = false;  // delivered (CB-14); the command line does not run (DISP-6)
      j.deliveredInState = true;
      withhold(Rule::DISP_6);
      return;
    case CallResult::SuccessCode:
    case CallResult::Failure:
      if (cmd) {
        j.cmdOwned = ownership;  // CB-3, DISP-5, CMD-11
        consult(Rule::CB_3);
        return runCmdLine(j, d.job);
      }
      scheduleRetry(j);  // CB-1, CB-2, DISP-7
      consult(retryRule);
      consult(Rule::DISP_7);
      return;
    case CallResult::Hung:
      return;
    case CallResult::NoReceiver:
      if (cmd) {
        j.cmdOwned = ownership;  // DISP-5, CMD-9, CMD-11
        consult(Rule::DISP_5);
        return runCmdLine(j, d.job);
      }
      if (d.activationMade && config_.policies.activationFailureRetries) {
        scheduleRetry(j, true);  // OQ-13
        consult(Rule::DISP_7);
        return;
      }
      consult(Rule::DISP_7);  // pending until a registration changes (REG-8)
      consult(Rule::REG_8);
      return;
  }
}

// OQ-8: every retry waits MinimumRetryDelay; MP-4 needs to know one that follows a failed
// activation.
void Model::scheduleRetry(Job& j, bool afterActivation) {
  j.retryAt = now_ + kMinimumRetryDelayMs;
  j.retryAfterActivation = afterActivation;
}

// Section 5.4, "Running the command line" (CMD-1, CMD-7, CMD-8, CMD-12, LIFE-7).
void Model::runCmdLine(Job& j, JobId id) {
  const int exit = exitCodeOf(j.program);
  emit(Observation::cmdLine(id, j.program, j.params, exit))
      .decidedBy({j.retryFired ? Rule::CMD_8 : Rule::CMD_1})
      .because({Rule::CMD_1, Rule::CMD_7, Rule::CMD_11, Rule::DISP_5, Rule::FLAG_7,
                j.state == JobState::Transferred ? Rule::EVT_1 : Rule::EVT_3});
  if (exit == 0) {
    j.armed = false;
    j.cmdOwned = false;
  } else if (config_.version >= BitsVersion::V2_0) {
    scheduleRetry(j);  // stays armed and owned by the command line
    consult(Rule::CMD_8);
    consult(Rule::CMD_12);
    consult(Rule::DISP_8);
    consult(Rule::LIFE_7);
  } else {
    j.armed = false;  // BITS 1.5: the program runs only once (CMD-8, VER-2)
    j.cmdOwned = false;
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
  if (!s.registered) {
    emit(Observation::activation(d.job, j.clsid, hr::REGDB_E_CLASSNOTREG, {})).decidedBy({Rule::DISP_3, Rule::CLSID_3});
  } else if (s.behavior == Behavior::ExecFail) {
    emit(Observation::activation(d.job, j.clsid, hr::CO_E_SERVER_EXEC_FAILURE, {})).decidedBy({Rule::DISP_3, Rule::CLSID_3});
  } else {
    s.live.push_back(s.behavior);
    d.receiver = Receiver::serverObject(j.clsid, ++s.created);
    j.slot = d.receiver;
    emit(Observation::activation(d.job, j.clsid, hr::S_OK, d.receiver))
        .decidedBy({Rule::DISP_3})
        .because({Rule::CLSID_1, Rule::CLSID_2, Rule::CLSID_8});
  }
}

// Section 5.3, disconnect (OQ-11, DISP-3, DISP-4): one activation per dispatch at most.
void Model::disconnect(Dispatch& d) {
  Job& j = jobs_[d.job];
  j.slot = Receiver::none();
  consult(Rule::REG_7);
  if (j.clsid != ClassId::Null && !d.activationMade) {
    activate(d);
  } else {
    d.receiver = Receiver::none();
  }
}

// The rules a callback demonstrates (Observation::primary): a retry shows the retry rule, a
// delivery caused by a registration after the event shows REG-8 (first time) or REG-9 (again,
// after an earlier delivery in the same state), any other shows the event's own rule.
void Model::markDecidingRules(Observation& obs, const Job& j, Method m) const {
  const bool jobEvent = m == Method::JobTransferred || m == Method::JobError;
  if (j.retryFired) {
    switch (m) {
      case Method::FileTransferred: obs.decidedBy({Rule::CB_5}); return;
      case Method::JobTransferred: obs.decidedBy({Rule::CB_1, Rule::DISP_7}); return;
      case Method::JobError: obs.decidedBy({Rule::CB_2, Rule::DISP_7}); return;
      case Method::JobModification: break;
    }
  }
  if (jobEvent && j.armCause == ArmCause::Interface && j.deliveredInState) return void(obs.decidedBy({Rule::REG_9}));
  if (jobEvent && j.armCause != ArmCause::Entry) return void(obs.decidedBy({Rule::REG_8, Rule::CB_14}));
  switch (m) {
    case Method::FileTransferred: obs.decidedBy({Rule::EVT_9}); break;
    case Method::JobModification: obs.decidedBy({Rule::EVT_6}); break;
    case Method::JobTransferred: obs.decidedBy({Rule::EVT_1}); break;
    case Method::JobError: obs.decidedBy({Rule::EVT_3}); break;
  }
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
      Observation& obs = emit(Observation::callback(r, m, job, file, o, h));
      switch (m) {
        case Method::FileTransferred: obs.because({Rule::EVT_9, Rule::CB_5, Rule::CB_6, Rule::CB_7}); break;
        case Method::JobModification: obs.because({Rule::EVT_6, Rule::CB_4}); break;
        case Method::JobTransferred: obs.because({Rule::EVT_1, Rule::CB_1, Rule::CB_14}); break;
        case Method::JobError: obs.because({Rule::EVT_3, Rule::CB_2, Rule::CB_14}); break;
      }
      if (m == Method::JobTransferred || m == Method::JobError) {
        const ArmCause cause = jobs_[job].armCause;
        if (cause == ArmCause::Interface) obs.because({Rule::REG_8, Rule::REG_9});
        if (cause == ArmCause::Flags) obs.because({Rule::REG_8});
      }
      markDecidingRules(obs, jobs_[job], m);
      obs.because({r.kind == Receiver::Kind::ServerObject ? Rule::CLSID_8 : Rule::DISP_2, Rule::FLAG_6});
      if (d.activationMade && r.kind == Receiver::Kind::ServerObject) obs.because({Rule::DISP_3});
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
        withhold(Rule::DISP_4);  // a failure, not a disconnect: no activation follows
        return CallResult::Failure;
      case Behavior::FailOnce:
        observe(Outcome::Returned, hr::E_FAIL).because({Rule::DISP_4});
        withhold(Rule::DISP_4);
        b = Behavior::Ok;
        return CallResult::Failure;
      case Behavior::Hang:
        observe(Outcome::Hung, {}).because({Rule::CB_12});
        assert(hungCount_ < kMaxHungCalls);
        hung_[hungCount_++] = HungCall{job, r};
        jobs_[job].hung = true;
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
  if (j.slot == h.receiver) j.slot = Receiver::none();
  j.hung = false;
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
