// model_env.cc: the app process (section 3, end), environment commands (section 4), Tick
// (section 6) and service restart / reboot (section 8) of docs/semantics.md.
#include "model/model.h"

#include <algorithm>
#include <cassert>

namespace bc {

namespace {
bool actionState(JobState s) {
  return s == JobState::Queued || s == JobState::Connecting || s == JobState::Transferring;
}
}  // namespace

void Model::environment(const Command& c) {
  // Connect, Progress, Transfer, TransientError and FatalError say whether they applied: that
  // depends on the job's state, so a different answer also blames how it got there.
  auto applied = [&](bool yes, std::initializer_list<Rule> rules) {
    Observation& ret = emit(Observation::ret(yes ? hr::S_OK : hr::S_FALSE)).decidedBy(rules);
    if (const Job* known = findJob(c.job)) ret.read(field::kState, known->prov.state, stepNo_);
  };
  Job* j = findJob(c.job);
  if (j && isFinal(j->state)) j = nullptr;  // an environment command never applies to a final job
  switch (c.kind) {
    case CmdKind::Behave:
      startApp(c.app);
      apps_[c.app].behavior[c.slot] = c.behavior;  // a hung call stays hung: only death ends it
      emit(Observation::ret(hr::S_OK));
      break;
    case CmdKind::AppExit:
      emit(Observation::ret(hr::S_OK)).because({Rule::REG_7});
      appExit(c.app);
      break;
    case CmdKind::RegisterServer: {
      Server& s = servers_[static_cast<size_t>(c.clsid)];
      s.registered = true;
      s.behavior = c.behavior;  // for objects created from now on
      emit(Observation::ret(hr::S_OK)).because({Rule::CLSID_3});
      break;
    }
    case CmdKind::UnregisterServer:
      servers_[static_cast<size_t>(c.clsid)].registered = false;  // live objects stay live
      emit(Observation::ret(hr::S_OK)).because({Rule::CLSID_3});
      break;
    case CmdKind::ServerExit:
      emit(Observation::ret(hr::S_OK)).because({Rule::CLSID_8});
      serverDies(c.clsid);
      break;
    case CmdKind::Connect: {
      const bool yes = j && j->state == JobState::Queued && netUp_;
      applied(yes, {Rule::STATE_5});
      if (yes) {
        j->state = JobState::Connecting;
        wrote(j->prov.state, RuleSet{Rule::STATE_5});
        change(*j);
      }
      break;
    }
    case CmdKind::Progress:
    case CmdKind::Transfer: {
      const bool yes = j && actionState(j->state) && netUp_;
      applied(yes, {Rule::STATE_7});
      if (yes) progress(*j, c.kind == CmdKind::Transfer);
      break;
    }
    case CmdKind::TransientError: {
      const bool yes = j && actionState(j->state);
      applied(yes, {Rule::STATE_8, Rule::EVT_4});
      if (yes) {
        consult(Rule::EVT_4);
        if (hasPath(*j)) withholdCall(*j, Method::JobError, RuleSet{Rule::EVT_4});  // never a JobError
        enterTransientError(*j, Rule::STATE_8);
      }
      break;
    }
    case CmdKind::FatalError: {
      const bool yes = j && (actionState(j->state) || j->state == JobState::TransientError);
      applied(yes, {Rule::STATE_8});
      if (yes) enterTransferredOrError(*j, JobState::Error);
      break;
    }
    case CmdKind::NetDown:
      emit(Observation::ret(hr::S_OK)).because({Rule::STATE_9});
      netDown();
      break;
    case CmdKind::NetUp:
      emit(Observation::ret(hr::S_OK)).because({Rule::STATE_9});
      netUp();
      break;
    case CmdKind::Tick:
      emit(Observation::ret(hr::S_OK));
      tick(c.ms);
      return;  // Tick settles at every instant itself
    case CmdKind::ServiceRestart:
      emit(Observation::ret(hr::S_OK));  // the rules: serviceRestart() names those it applies
      serviceRestart();
      break;
    case CmdKind::Reboot:
      emit(Observation::ret(hr::S_OK));
      reboot();
      break;
    default:
      assert(false && "not an environment command");
  }
  settle();
}

// Section 4, Progress and Transfer: files finish in order; each owes its FileTransferred if
// FILE_TRANSFERRED is on and the version has IBackgroundCopyCallback2 (EVT-9, VER-3).
void Model::progress(Job& j, bool all) {
  const bool owe = callbackBit(j, notify::kFileTransferred) && config_.version >= BitsVersion::V3_0;
  if (!owe && (j.flags & notify::kFileTransferred) && config_.version >= BitsVersion::V3_0)
    consult(Rule::FLAG_3);
  if (owe) consult(Rule::EVT_9);
  // FILE_TRANSFERRED means nothing to the command line (FLAG-7, CMD-2).
  if (owe && cmdUsable(j) && j.filesDone < j.files) withholdCmdLine(j, RuleSet{Rule::FLAG_7, Rule::CMD_2});
  bool moved = false;
  do {
    if (j.filesDone >= j.files) break;
    if (owe) {
      j.fileOwed.set(j.filesDone);
      j.fileAnnounced.set(j.filesDone);
      wrote(j.prov.files, RuleSet{Rule::EVT_9});
    }
    ++j.filesDone;
    moved = true;
  } while (all);
  if (moved) {
    j.noProgressSince = kNever;  // progress resets the no-progress period (LIFE-3)
    wrote(j.prov.requeue, RuleSet{Rule::LIFE_3});
  }
  if (j.filesDone >= j.files) {
    enterTransferredOrError(j, JobState::Transferred);  // not a change (EVT-7)
  } else {
    j.state = JobState::Transferring;
    wrote(j.prov.state, RuleSet{Rule::STATE_5});
    change(j);  // bytes moved (EVT-6)
  }
}

// STATE-9: losing the network sends every action-state job to TRANSIENT_ERROR.
void Model::netDown() {
  netUp_ = false;
  for (Job& j : jobs_) {
    if (!j.exists || !actionState(j.state)) continue;
    enterTransientError(j, Rule::STATE_9);
  }
}

// STATE-9: every TRANSIENT_ERROR job goes back to QUEUED, whatever its error.
void Model::netUp() {
  netUp_ = true;
  for (Job& j : jobs_) {
    if (!j.exists || j.state != JobState::TransientError) continue;
    j.state = JobState::Queued;
    wrote(j.prov.state, RuleSet{Rule::STATE_9});
    change(j);
  }
}

// STATE-8, STATE-9: a transient error; the retry waits MinimumRetryDelay. The no-progress
// period begins at the first transient error since the last progress and keeps running
// through later ones (LIFE-3: "after the first transient error occurs").
void Model::enterTransientError(Job& j, Rule by) {
  j.state = JobState::TransientError;
  wrote(j.prov.state, RuleSet{by});
  j.requeueAt = now_ + kMinimumRetryDelayMs;
  RuleSet timers{by, Rule::LIFE_4};
  if (j.noProgressSince == kNever) {
    j.noProgressSince = now_;
    timers.add(Rule::LIFE_3);
  }
  wrote(j.prov.requeue, timers);
  change(j);
}

// Section 1 / 5.3: the process ends; its objects stop being live and their hung calls end.
void Model::appExit(AppId app) {
  App& a = apps_[app];
  if (!a.running) return;  // Exit of an app that is not running changes nothing
  a.running = false;
  endHungCallsOf(app, a.incarnation);
}

// ServerExit, or a crash during a call: every live object of the class dies.
void Model::serverDies(ClassId c) {
  Server& s = servers_[static_cast<size_t>(c)];
  s.firstLive = s.created + 1;
  s.live.clear();
  endHungCallsOfClass(c);
}

// ---- section 6: Tick -------------------------------------------------------------------

// LIFE-3, EVT-5: NoProgressTimeout after the start of the no-progress period (set whenever
// the job is in TRANSIENT_ERROR).
uint64_t Model::noProgressDeadline(const Job& j) {
  return j.noProgressSince == kNever ? kNever : j.noProgressSince + kNoProgressTimeoutMs;
}

// The earliest pending timer instant; a no-progress deadline already past counts as now, a
// JobModification due time counts only after now (at now the settle already handled it).
uint64_t Model::nextTimer() const {
  uint64_t t = kNever;
  const uint64_t interval = config_.policies.modIntervalMs;
  for (const Job& j : jobs_) {
    if (!j.exists || isFinal(j.state)) continue;
    t = std::min({t, j.retryAt, j.requeueAt});
    if (j.state == JobState::TransientError)
      t = std::min(t, std::max(now_, noProgressDeadline(j)));
    if (j.modOwed && j.lastModAt != kNever && j.lastModAt + interval > now_)
      t = std::min(t, j.lastModAt + interval);
  }
  return t;
}

void Model::fireTimers(uint64_t t) {
  for (Job& j : jobs_) {
    if (!j.exists || isFinal(j.state)) continue;
    if (j.retryAt <= t) {
      j.retryAt = kNever;  // the owed items become due (CB-1, CB-5, CMD-8, LIFE-7)
      j.retryFired = true;
      wrote(j.prov.retry, RuleSet{Rule::LIFE_4});
      consult(Rule::LIFE_7);
    }
    if (j.state == JobState::TransientError && noProgressDeadline(j) <= t) {
      enterTransferredOrError(j, JobState::Error);  // EVT-5, STATE-8, LIFE-3
      j.prov.armed.add(Rule::EVT_5);
      j.prov.state.by.add(Rule::EVT_5).add(Rule::LIFE_3);
      j.prov.event.by.add(Rule::EVT_5);
      j.requeueAt = kNever;
      wrote(j.prov.requeue, RuleSet{Rule::EVT_5, Rule::LIFE_3});
      consult(Rule::EVT_5);
      consult(Rule::LIFE_3);
    } else if (j.state == JobState::TransientError && j.requeueAt <= t) {
      consult(Rule::STATE_8);
      if (netUp_) {
        j.requeueAt = kNever;
        wrote(j.prov.requeue, RuleSet{Rule::STATE_8});
        j.state = JobState::Queued;
        wrote(j.prov.state, RuleSet{Rule::STATE_8});
        change(j);
      } else {
        j.requeueAt = t + kMinimumRetryDelayMs;  // the retry fails again
        wrote(j.prov.requeue, RuleSet{Rule::STATE_8, Rule::STATE_9, Rule::LIFE_4});
      }
    } else if (j.requeueAt <= t) {
      j.requeueAt = kNever;
      wrote(j.prov.requeue, RuleSet{Rule::STATE_8});
    }
  }
}

void Model::tick(uint64_t ms) {
  // Saturates below kNever (the parser caps a Tick at kMaxTickMs; a caller in code may not).
  const uint64_t end = now_ + std::min(ms, kNever - 1 - now_);
  for (uint64_t t = nextTimer(); t <= end; t = nextTimer()) {
    now_ = t;
    fireTimers(t);
    settle();
    timerWork_ += jobs_.size();
    if (beyondLimits()) break;  // beyond the test world: the step stops at this instant
  }
  now_ = end;
  settle();
}

// ---- section 8 ---------------------------------------------------------------------------

// REG-4, CLSID-5: only the persisted fields survive; then armed events are delivered at once
// through whatever path is left (CLSID-13). A rule is named only where the restart applies it (an
// object to forget, a CLSID to keep): a restart of jobs without either checks neither rule.
void Model::serviceRestart() {
  lastRestartStep_ = stepNo_;
  abandonAllHungCalls();
  for (Job& j : jobs_) {
    if (!j.exists) continue;
    // What the restart dropped (REG-4) and kept (CLSID-5) is what a later read depends on; an
    // owed event delivered after it through the CLSID is CLSID-13's.
    if (!j.slot.isNone()) {
      consult(Rule::REG_4);
      writeSlot(j, Receiver::none(), RuleSet{Rule::REG_4});
    }
    if (j.clsid != ClassId::Null) {
      consult(Rule::CLSID_5);
      wrote(j.prov.clsid, RuleSet{Rule::CLSID_5});
      if (j.armed && eventState(j)) j.heldBy = RuleSet{Rule::CLSID_13, Rule::CLSID_5};
    }
    // The bookkeeping is lost: an owed event goes out at once (CLSID-13), a JobModification
    // needs a new change (EVT-6), a transient error waits MinimumRetryDelay again (STATE-8).
    if (j.retryAt != kNever) wrote(j.prov.retry, RuleSet{Rule::CLSID_13});
    if (j.modOwed || j.lastModAt != kNever) wrote(j.prov.modification, RuleSet{Rule::EVT_6});
    if (j.hung) wrote(j.prov.call, RuleSet{Rule::CB_12});
    if (j.requeueAt != kNever) wrote(j.prov.requeue, RuleSet{Rule::STATE_8});
    j.retryAt = j.requeueAt = j.lastModAt = kNever;
    j.modOwed = false;
    j.hung = false;
    if (j.state == JobState::Connecting || j.state == JobState::Transferring) j.state = JobState::Queued;
    if (j.state == JobState::TransientError) {
      j.requeueAt = now_ + kMinimumRetryDelayMs;
      wrote(j.prov.requeue, RuleSet{Rule::STATE_8, Rule::LIFE_4});
    }
  }
}

void Model::reboot() {
  for (const Job& j : jobs_)
    if (j.exists && j.clsid != ClassId::Null) consult(Rule::CLSID_13);  // the job stays tied to its class
  for (App& a : apps_) a.running = false;  // no disconnect handling: the service is down
  for (Server& s : servers_) {
    s.firstLive = s.created + 1;
    s.live.clear();
  }
  serviceRestart();
}

}  // namespace bc
