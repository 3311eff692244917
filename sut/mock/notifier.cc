// notifier.cc: the notification dispatcher (docs/semantics.md section 5): which items are
// due, finding the receiver (object, else CLSID activation), calling it, and the command line.
#include <algorithm>

#include "sut/mock/bits_service.h"
#include "sut/mock/seams.h"

namespace bc::mock {

// The receiver is looked for once per dispatch and reused by every item of it.
struct BitsService::Dispatch {
  bool looked = false;
  bool activated = false;  // an activation was made in this dispatch
  Receiver receiver;       // none: no receiver (from now on, once looked)
};

bool BitsService::hasPath(const Job& j) const { return !j.slot.isNone() || j.rec.clsid != ClassId::Null; }

bool BitsService::fileDue(const Job& j) const {
  if (!bitOn(j, notify::kFileTransferred) || j.retryAt || !hasPath(j)) return false;
  return std::any_of(j.rec.files.begin(), j.rec.files.end(), [](const FileRecord& f) { return f.owed; });
}

bool BitsService::modDue(const Job& j) const {
  // Never at a receiver while the MODIFICATION bit is off (semantics.md section 10).
  return j.modOwed && bitOn(j, notify::kJobModification) && (!j.lastModAt || m_.now() >= *j.lastModAt + kMinimumNotificationIntervalMs) && hasPath(j);
}

bool BitsService::jobEventDue(const Job& j) const {
  if (!j.rec.armed || j.retryAt || !(hasPath(j) || cmdUsable(j))) return false;
  const std::optional<Method> event = seams_.jobEventOf(j.rec.state);
  return event && seams_.jobEventWanted(*event, effectiveFlags(j));
}

void BitsService::settle(Observations& out) {
  // Passes repeat while one dispatches; a job is dispatched at most once per settle, so that
  // items left owed without a receiver (an unregistered CLSID, a pending retry of another
  // item) wait for the next settle instead of repeating forever. A later pass still reaches a
  // job that was skipped (hung, or the user's four call slots taken) and became free, and a job
  // whose hung call ended during this settle once more (reapHungCalls).
  const uint64_t settle = ++settles_;
  for (bool dispatched = true; dispatched;) {
    dispatched = false;
    for (auto& [id, j] : jobs_) {
      if (isFinal(j.rec.state)) continue;
      // Owed without a path, or with the MODIFICATION bit now off: dropped, not an attempt.
      if (j.modOwed && (!hasPath(j) || !bitOn(j, notify::kJobModification))) j.modOwed = false;
      if (j.hung || j.settledIn == settle) continue;
      if (!fileDue(j) && !modDue(j) && !jobEventDue(j)) continue;
      // The user's four call slots are taken: no callback starts, but a command line that needs
      // no call is not one of them (by default; MockReadings::cmdLineSparedByHungLimit).
      const bool slotsTaken = hung_.size() >= kMaxHungCallsPerUser;
      if (slotsTaken && !(m_.readings().cmdLineSparedByHungLimit && cmdLineNeedsNoCall(j))) continue;
      dispatch(j, out, slotsTaken);
      j.settledIn = settle;
      dispatched = true;
    }
  }
}

// The job event goes straight to the command line: it owns the event, or nothing could be
// called; and no FileTransferred waits before it.
bool BitsService::cmdLineNeedsNoCall(const Job& j) const {
  return jobEventDue(j) && !fileDue(j) && cmdUsable(j) && (j.rec.cmdOwned || !hasPath(j));
}

void BitsService::dispatch(Job& j, Observations& out, bool eventOnly) {
  Dispatch d;
  const bool files = !eventOnly && fileDue(j), mod = !eventOnly && modDue(j), event = jobEventDue(j);

  auto doFiles = [&]() -> bool {  // false: the dispatch ends
    if (!files) return true;
    for (size_t i = 0; i < j.rec.files.size(); ++i) {
      if (!j.rec.files[i].owed) continue;
      Delivery r = deliver(d, j, Method::FileTransferred, static_cast<uint8_t>(i + 1), out);
      if (r == Delivery::SuccessCode) r = m_.readings().fileSFalseDelivers ? Delivery::Success : Delivery::Failed;
      switch (r) {
        case Delivery::SuccessCode:  // mapped above
        case Delivery::Success:
          j.rec.files[i].owed = false;
          touch(j);
          break;
        case Delivery::NoInterface:  // IBackgroundCopyCallback only: no FileTransferred at all (CB-15)
          for (FileRecord& f : j.rec.files) f.owed = false;
          touch(j);
          return true;
        case Delivery::Failed:
          retryLater(j);
          return false;
        case Delivery::Hung: return false;
        case Delivery::NoReceiver: break;
      }
    }
    return true;
  };
  auto doMod = [&]() -> bool {
    if (!mod) return true;
    Delivery r = deliver(d, j, Method::JobModification, 0, out);
    j.lastModAt = m_.now();  // an attempt, whatever it returned: never retried
    j.modOwed = false;
    return r != Delivery::Hung;
  };
  auto doEvent = [&]() -> bool {
    if (!event) return true;
    if (j.rec.cmdOwned) {
      if (cmdUsable(j)) {
        runCommandLine(j, out);
        return true;
      }
      j.rec.cmdOwned = false;
      touch(j);
    }
    const Method m = *seams_.jobEventOf(j.rec.state);  // due, so the state raises one
    Delivery r = deliver(d, j, m, 0, out);
    if (r == Delivery::SuccessCode) {
      const MockReadings& read = m_.readings();
      if (!read.jobEventNeedsSOk) {
        r = Delivery::Success;
      } else if (read.cmdLineOnFailureCodeOnly || !cmdUsable(j)) {
        retryLater(j);  // not S_OK: called again; not a failure: no command line
        return true;
      } else {
        r = Delivery::Failed;
      }
    }
    switch (r) {
      case Delivery::SuccessCode:  // mapped above
      case Delivery::Success:
        j.rec.armed = false;
        touch(j);
        if (seams_.cmdLineAfterSuccess() && cmdUsable(j))  // never in BITS (DISP-6)
          out.push_back(Observation::cmdLine(j.rec.id, j.rec.program, j.rec.params, exitCodeOf(j.rec.program)));
        break;
      case Delivery::Failed:
        if (cmdUsable(j) && seams_.cmdLineAfterFailure()) {
          j.rec.cmdOwned = true;
          touch(j);
          runCommandLine(j, out);
        } else if (seams_.retriesFailedJobEvent(m)) {
          retryLater(j);
        } else {
          j.rec.armed = false;  // never in BITS (CB-1)
          touch(j);
        }
        break;
      case Delivery::Hung: return false;
      case Delivery::NoInterface:
      case Delivery::NoReceiver:
        if (cmdUsable(j)) {
          j.rec.cmdOwned = true;
          touch(j);
          runCommandLine(j, out);
        } else if (d.activated) {
          retryLater(j, true);  // a failed activation
        }
        break;
    }
    return true;
  };

  if (seams_.filesBeforeJobEvent()) {
    if (doFiles() && doMod()) doEvent();
  } else {
    if (doEvent() && doMod()) doFiles();
  }
}

BitsService::Delivery BitsService::deliver(Dispatch& d, Job& j, Method m, uint8_t file, Observations& out) {
  if (!d.looked) {
    d.looked = true;
    if (!seams_.objectBeforeClsid() && j.rec.clsid != ClassId::Null) {
      activate(d, j, out);
    } else if (!j.slot.isNone()) {
      d.receiver = j.slot;
    } else if (j.rec.clsid != ClassId::Null) {
      activate(d, j, out);
    }
  }
  if (d.receiver.isNone()) return Delivery::NoReceiver;
  return callOn(d, j, m, file, out);
}

BitsService::Delivery BitsService::callOn(Dispatch& d, Job& j, Method m, uint8_t file, Observations& out) {
  const Receiver r = d.receiver;
  CallResult res = invokeCallback(m_, r, m);
  switch (res.kind) {
    case CallResult::Kind::Disconnected:
      if (!seams_.isDisconnection(res)) return Delivery::Failed;
      return disconnected(d, j, m, file, out);
    case CallResult::Kind::NoInterface:
      return Delivery::NoInterface;
    case CallResult::Kind::Hung:
      out.push_back(Observation::callback(r, m, j.rec.id, file, Outcome::Hung, {}));
      hung_.push_back({j.rec.id, j.rec.generation, r});
      j.hung = true;
      return Delivery::Hung;
    case CallResult::Kind::Crashed:
      out.push_back(Observation::callback(r, m, j.rec.id, file, Outcome::Crashed, {}));
      reapHungCalls();  // other calls into the dead process end too
      return disconnected(d, j, m, file, out);
    case CallResult::Kind::Returned:
      out.push_back(Observation::callback(r, m, j.rec.id, file, Outcome::Returned, res.hr));
      if (res.hr == hr::S_OK) return Delivery::Success;
      if (res.hr.succeeded()) return Delivery::SuccessCode;
      if (seams_.isDisconnection(res)) return disconnected(d, j, m, file, out);  // never in BITS (DISP-4)
      return Delivery::Failed;
  }
  return Delivery::Failed;
}

BitsService::Delivery BitsService::disconnected(Dispatch& d, Job& j, Method m, uint8_t file, Observations& out) {
  setSlot(j, Receiver::none());
  d.receiver = Receiver::none();
  if (!seams_.clsidAfterDisconnection()) {
    d.activated = true;  // no fallback: the event waits for a retry, as after a failed activation
    return Delivery::NoReceiver;
  }
  if (j.rec.clsid != ClassId::Null && !d.activated) {
    activate(d, j, out);
    if (!d.receiver.isNone()) return callOn(d, j, m, file, out);
  }
  return Delivery::NoReceiver;
}

void BitsService::activate(Dispatch& d, Job& j, Observations& out) {
  d.activated = true;
  auto created = m_.createInstance(j.rec.clsid);
  if (auto* obj = std::get_if<Receiver>(&created)) {
    out.push_back(Observation::activation(j.rec.id, j.rec.clsid, hr::S_OK, *obj));
    d.receiver = *obj;
    if (seams_.keepsActivatedObject()) setSlot(j, *obj);  // CLSID-8
  } else {
    out.push_back(Observation::activation(j.rec.id, j.rec.clsid, std::get<Hresult>(created), Receiver::none()));
    d.receiver = Receiver::none();
  }
}

void BitsService::retryLater(Job& j, bool afterActivation) {
  j.retryAt = m_.now() + kMinimumRetryDelayMs;
  j.retryAfterActivation = afterActivation;
}

void BitsService::runCommandLine(Job& j, Observations& out) {
  const int exitCode = exitCodeOf(j.rec.program);
  out.push_back(Observation::cmdLine(j.rec.id, j.rec.program, j.rec.params, exitCode));
  if (exitCode != 0 && m_.version() >= BitsVersion::V2_0) {
    retryLater(j);  // still armed, still the command line's
  } else {
    j.rec.armed = false;  // delivered (1.5 runs it once, even when it fails)
    j.rec.cmdOwned = false;
  }
  touch(j);
}

void BitsService::reapHungCalls() {
  for (auto it = hung_.begin(); it != hung_.end();) {
    if (m_.isLive(it->object)) {
      ++it;
      continue;
    }
    // The call fails with RPC_S_CALL_FAILED: the item stays owed, the slot lets go of the object.
    Job* j = find(it->job);
    if (j && j->rec.generation == it->generation) {
      j->hung = false;
      j->settledIn = 0;  // its call ended: it may be dispatched once more in this settle
      if (j->slot == it->object) setSlot(*j, Receiver::none());
    }
    it = hung_.erase(it);
  }
}

}  // namespace bc::mock
