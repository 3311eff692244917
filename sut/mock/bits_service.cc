#include "sut/mock/bits_service.h"

#include <algorithm>

#include "sut/mock/seams.h"

namespace bc::mock {

BitsService::BitsService(Machine& machine, bool afterReboot) : m_(machine), seams_(machine.seams()) {
  // A fast store is opened at the first stop: before it, nothing was ever persisted.
  JobStore* store = m_.openStore();
  for (JobRecord& rec : store ? store->loadJobs() : std::vector<JobRecord>{}) {
    Job& j = jobs_[rec.id];
    j.rec = std::move(rec);
    if (isFinal(j.rec.state)) continue;
    // A transfer in progress is not: the job waits in the queue again (not a change).
    if (j.rec.state == JobState::Connecting || j.rec.state == JobState::Transferring) {
      j.rec.state = JobState::Queued;
      touch(j);
    }
    if (j.rec.state == JobState::TransientError) j.requeueAt = m_.now() + kMinimumRetryDelayMs;
    if (j.rec.clsid != ClassId::Null && !seams_.clsidSurvivesStart(afterReboot)) {
      j.rec.clsid = ClassId::Null;
      touch(j);
    }
    // The callback object is not persisted (REG-4): the slot starts empty.
    const Receiver object = seams_.objectAtStart(j.rec.id);
    if (!object.isNone()) setSlot(j, object);
  }
}

BitsService::~BitsService() {
  for (auto& [id, j] : jobs_) {
    if (!j.slot.isNone()) seams_.objectAtStop(id, j.slot);
    m_.release(j.slot);
  }
}

Job* BitsService::find(JobId id) {
  auto it = jobs_.find(id);
  return it == jobs_.end() ? nullptr : &it->second;
}

void BitsService::touch(Job& j) {
  if (j.dirty) return;
  j.dirty = true;
  dirty_.push_back(j.rec.id);
}

void BitsService::flush() {
  for (JobId id : dirty_) {
    Job* j = find(id);
    if (!j || !j->dirty) continue;
    m_.store().saveJob(j->rec);
    j->dirty = false;
  }
  dirty_.clear();
}

uint32_t BitsService::effectiveFlags(const Job& j) const {
  return seams_.effectiveFlags(j.rec.flags);
}

bool BitsService::cmdUsable(const Job& j) const {
  return j.rec.program != Program::Null && m_.version() >= BitsVersion::V1_5;
}

void BitsService::change(Job& j) {
  if (bitOn(j, notify::kJobModification)) j.modOwed = true;
}

// FILE_TRANSFERRED is on now: a file that arrived while it was off gets its FileTransferred
// after all ("at least once, even if the registration occurs after the event"); one whose
// FileTransferred was already owed once does not get it again.
void BitsService::oweLateFiles(Job& j) {
  if (m_.version() < BitsVersion::V3_0 || !bitOn(j, notify::kFileTransferred)) return;
  for (FileRecord& f : j.rec.files) {
    if (!f.done || f.announced) continue;
    f.owed = f.announced = true;
    touch(j);
  }
}

// A notification property was set: the job is modified (JobModification page: "properties have
// been modified"; BG_JOB_TIMES: calling a set method changes the modification time).
void BitsService::propertyWritten(Job& j, bool valueChanged) {
  if (valueChanged || m_.readings().setCallModifies) change(j);
}

void BitsService::rearm(Job& j) {
  if (!seams_.reregistrationRearms()) return;
  arm(j);
  touch(j);
}

// The job event is owed again, from the first receiver (not the command line).
void BitsService::arm(Job& j) {
  j.rec.armed = true;
  j.rec.cmdOwned = false;
  j.retryAt.reset();
}

void BitsService::enterTransferred(Job& j) {
  j.rec.state = JobState::Transferred;
  arm(j);
  touch(j);
  if (seams_.modificationIntoTransferred()) change(j);
  dropIfNobodyListens(j);
}

// An event nobody can receive yet stays owed for a later registration (REG-8), unless the
// seam says it is fired at the transition or never.
void BitsService::dropIfNobodyListens(Job& j) {
  if (!seams_.eventWaitsForReceiver() && !hasPath(j) && !cmdUsable(j)) j.rec.armed = false;
}

void BitsService::enterError(Job& j) {
  j.rec.state = JobState::Error;
  arm(j);
  touch(j);
  dropIfNobodyListens(j);
}

void BitsService::toTransientError(Job& j) {
  j.rec.state = JobState::TransientError;
  j.requeueAt = m_.now() + kMinimumRetryDelayMs;
  // The no-progress period begins at the first transient error after the last progress
  // (SetNoProgressTimeout: "after the first transient error occurs"); later ones keep it.
  if (!j.rec.noProgressSince) j.rec.noProgressSince = m_.now();
  touch(j);
  change(j);
  if (seams_.jobEventOf(JobState::TransientError)) arm(j);  // never in BITS (EVT-4)
}

void BitsService::enterFinal(Job& j, JobState s) {
  j.rec.state = s;
  setSlot(j, Receiver::none());
  j.rec.armed = false;
  for (FileRecord& f : j.rec.files) f.owed = false;
  j.modOwed = false;
  j.retryAt.reset();
  j.requeueAt.reset();
  j.lastModAt.reset();
  // A hung call of the job is abandoned: the user's call slot is free again.
  std::erase_if(hung_, [&](const HungCall& h) { return h.job == j.rec.id; });
  j.hung = false;
  touch(j);
}

void BitsService::setSlot(Job& j, const Receiver& r) {
  m_.addRef(r);
  m_.release(j.slot);
  j.slot = r;
}

bool BitsService::applicable(const Job* j) const { return j && !isFinal(j->rec.state); }

void BitsService::execute(const Command& c, Observations& out) {
  switch (c.kind) {
    case CmdKind::Behave:
      m_.setBehavior(c.app, c.slot, c.behavior);
      out.push_back(Observation::ret(hr::S_OK));
      break;
    case CmdKind::AppExit:
      m_.endApp(c.app);
      out.push_back(Observation::ret(hr::S_OK));
      reapHungCalls();
      break;
    case CmdKind::RegisterServer:
      m_.registerServer(c.clsid, c.behavior);
      out.push_back(Observation::ret(hr::S_OK));
      break;
    case CmdKind::UnregisterServer:
      m_.unregisterServer(c.clsid);
      out.push_back(Observation::ret(hr::S_OK));
      break;
    case CmdKind::ServerExit:
      m_.serverExit(c.clsid);
      out.push_back(Observation::ret(hr::S_OK));
      reapHungCalls();
      break;
    case CmdKind::Tick:
      out.push_back(Observation::ret(hr::S_OK));
      tick(c.ms, out);
      return;  // tick settles at every timer instant and at the end
    case CmdKind::ServiceRestart:
    case CmdKind::Reboot:
      out.push_back(Observation::ret(hr::S_OK));  // the owner rebuilds the service
      return;
    default:
      if (isApiCall(c.kind)) {
        api(c, out);
      } else {
        out.push_back(Observation::ret(environment(c)));
      }
  }
  settle(out);
}

void BitsService::api(const Command& c, Observations& out) {
  m_.ensureRunning(c.app);
  auto ret = [&](Hresult h) { out.push_back(Observation::ret(h)); };
  if (c.kind == CmdKind::CreateJob) {
    Job* old = find(c.job);
    if (old && !isFinal(old->rec.state)) return ret(hr::E_INVALIDARG);
    uint32_t generation = old ? old->rec.generation + 1 : 1;
    if (old) setSlot(*old, Receiver::none());
    Job& j = jobs_[c.job];
    const bool listed = j.dirty;  // already in dirty_: listed once, written once
    std::vector<FileRecord> files = std::move(j.rec.files);
    files.clear();  // keeps its capacity: re-creating a name allocates nothing
    j = Job{};
    j.dirty = listed;
    j.rec.files = std::move(files);
    j.rec.id = c.job;
    j.rec.generation = generation;
    j.rec.owner = c.app;
    j.rec.flags = seams_.newJobFlags();
    touch(j);
    return ret(hr::S_OK);
  }
  Job* jp = find(c.job);
  if (!jp) return ret(hr::BG_E_NOT_FOUND);
  Job& j = *jp;
  const bool final = isFinal(j.rec.state);
  const bool setterBlocked = seams_.settersRefusedIn(j.rec.state);
  const BitsVersion v = m_.version();
  switch (c.kind) {
    case CmdKind::AddFile:
      if (final) return ret(hr::BG_E_INVALID_STATE);
      j.rec.files.push_back({});
      touch(j);
      change(j);
      return ret(hr::S_OK);
    case CmdKind::Resume: {
      if (final) return ret(hr::BG_E_INVALID_STATE);
      if (j.rec.files.empty()) return ret(hr::BG_E_EMPTY);
      JobState s = j.rec.state;
      bool unfinished = std::any_of(j.rec.files.begin(), j.rec.files.end(), [](auto& f) { return !f.done; });
      if (s == JobState::Suspended || s == JobState::Error || s == JobState::TransientError ||
          (s == JobState::Transferred && unfinished)) {
        j.rec.state = JobState::Queued;
        touch(j);
        change(j);
      }
      return ret(hr::S_OK);
    }
    case CmdKind::Suspend: {
      if (final) return ret(hr::BG_E_INVALID_STATE);
      JobState s = j.rec.state;
      if (s == JobState::Queued || s == JobState::Connecting || s == JobState::Transferring ||
          s == JobState::TransientError) {
        j.rec.state = JobState::Suspended;
        touch(j);
        change(j);
      }
      return ret(hr::S_OK);
    }
    case CmdKind::Complete: {
      if (final) return ret(hr::BG_E_INVALID_STATE);
      bool partial = std::any_of(j.rec.files.begin(), j.rec.files.end(), [](auto& f) { return !f.done; });
      enterFinal(j, JobState::Acknowledged);
      return ret(partial ? hr::BG_S_PARTIAL_COMPLETE : hr::S_OK);
    }
    case CmdKind::Cancel:
      if (final) return ret(hr::BG_E_INVALID_STATE);
      enterFinal(j, JobState::Cancelled);
      return ret(hr::S_OK);
    case CmdKind::GetState:
      out.push_back(Observation::retState(hr::S_OK, j.rec.state));
      return;
    case CmdKind::SetNotifyInterface: {
      if (setterBlocked) return ret(hr::BG_E_INVALID_STATE);
      if (c.slot != 0 && levelOfSlot(c.slot) == CallbackLevel::None) return ret(hr::E_NOINTERFACE);
      Receiver r = c.slot == 0 ? Receiver::none() : m_.appObject(c.app, c.slot);
      const bool keep = !r.isNone() && !seams_.objectReplaces(j.slot);
      const Receiver before = j.slot;
      if (!keep) setSlot(j, r);
      j.retryAt.reset();
      if (!r.isNone() && (j.rec.state == JobState::Transferred || j.rec.state == JobState::Error)) rearm(j);
      propertyWritten(j, !(before == j.slot));
      return ret(hr::S_OK);
    }
    case CmdKind::GetNotifyInterface:
      if (c.nullOut) return ret(hr::E_INVALIDARG);
      out.push_back(Observation::retReceiver(hr::S_OK, j.slot));
      return;
    case CmdKind::SetNotifyFlags:
      if (setterBlocked) return ret(hr::BG_E_INVALID_STATE);
      if (!seams_.flagsValid(c.flags, v)) return ret(hr::E_NOTIMPL);
      {
        const bool changed = j.rec.flags != c.flags;
        j.rec.flags = c.flags;
        touch(j);
        if ((j.rec.state == JobState::Transferred && bitOn(j, notify::kJobTransferred)) ||
            (j.rec.state == JobState::Error && bitOn(j, notify::kJobError)))
          rearm(j);
        if (m_.readings().lateFileFlagDelivers) oweLateFiles(j);
        propertyWritten(j, changed);
      }
      return ret(hr::S_OK);
    case CmdKind::GetNotifyFlags:
      if (c.nullOut) return ret(hr::E_INVALIDARG);
      out.push_back(Observation::retFlags(hr::S_OK, j.rec.flags));
      return;
    case CmdKind::SetNotifyCmdLine:
      if (v < BitsVersion::V1_5) return ret(hr::E_NOINTERFACE);
      if (setterBlocked) return ret(hr::BG_E_INVALID_STATE);
      if (c.program == Program::Null && c.params != Params::Null) return ret(hr::E_INVALIDARG);
      if (c.program == Program::TooLong || c.params == Params::TooLong) return ret(hr::BG_E_STRING_TOO_LONG);
      {
        const bool changed = j.rec.program != c.program || j.rec.params != c.params;
        j.rec.program = c.program;
        j.rec.params = c.params;
        touch(j);
        propertyWritten(j, changed);
      }
      return ret(hr::S_OK);
    case CmdKind::GetNotifyCmdLine:
      if (v < BitsVersion::V1_5) return ret(hr::E_NOINTERFACE);
      out.push_back(Observation::retCmdLine(hr::S_OK, j.rec.program, j.rec.params));
      return;
    case CmdKind::SetNotifyClsid: {
      if (v < BitsVersion::V5_0) return ret(hr::E_NOINTERFACE);
      if (setterBlocked) return ret(hr::BG_E_INVALID_STATE);
      const bool ignore = !seams_.clsidReplaces(j.rec.clsid, c.clsid);
      const bool changed = !ignore && j.rec.clsid != c.clsid;
      if (!ignore) {
        j.rec.clsid = c.clsid;
        touch(j);
        // By default a failed activation's retry keeps its time; the other reading tries the
        // new class now.
        if (c.clsid != ClassId::Null && j.retryAt && j.retryAfterActivation && !m_.readings().clsidWaitsForActivationRetry)
          j.retryAt.reset();
      }
      propertyWritten(j, changed);
      return ret(hr::S_OK);
    }
    case CmdKind::GetNotifyClsid:
      if (v < BitsVersion::V5_0) return ret(hr::E_NOINTERFACE);
      out.push_back(Observation::retClsid(hr::S_OK, j.rec.clsid));
      return;
    default:
      return ret(hr::E_NOTIMPL);
  }
}

Hresult BitsService::environment(const Command& c) {
  Job* j = find(c.job);
  auto in = [&](std::initializer_list<JobState> states) {
    return applicable(j) && std::find(states.begin(), states.end(), j->rec.state) != states.end();
  };
  const bool fileEvents = m_.version() >= BitsVersion::V3_0;
  auto arrive = [&](FileRecord& f) {
    f.done = true;
    f.owed = f.announced = fileEvents && bitOn(*j, notify::kFileTransferred);
    j->rec.noProgressSince.reset();  // bytes moved: the no-progress period stops (LIFE-3)
  };
  switch (c.kind) {
    case CmdKind::Connect:
      if (!in({JobState::Queued}) || !m_.networkUp()) return hr::S_FALSE;
      j->rec.state = JobState::Connecting;
      touch(*j);
      change(*j);
      return hr::S_OK;
    case CmdKind::Progress:
    case CmdKind::Transfer: {
      if (!in({JobState::Queued, JobState::Connecting, JobState::Transferring}) || !m_.networkUp())
        return hr::S_FALSE;
      touch(*j);
      auto& files = j->rec.files;
      auto next = std::find_if(files.begin(), files.end(), [](auto& f) { return !f.done; });
      if (c.kind == CmdKind::Transfer) {
        for (; next != files.end(); ++next)
          if (!next->done) arrive(*next);
      } else if (next != files.end()) {
        arrive(*next);
        j->rec.state = JobState::Transferring;
      }
      if (std::all_of(files.begin(), files.end(), [](auto& f) { return f.done; })) {
        enterTransferred(*j);
      } else {
        change(*j);  // bytes moved
      }
      return hr::S_OK;
    }
    case CmdKind::TransientError:
      if (!in({JobState::Queued, JobState::Connecting, JobState::Transferring})) return hr::S_FALSE;
      toTransientError(*j);
      return hr::S_OK;
    case CmdKind::FatalError:
      if (!in({JobState::Queued, JobState::Connecting, JobState::Transferring, JobState::TransientError}))
        return hr::S_FALSE;
      enterError(*j);
      return hr::S_OK;
    case CmdKind::NetDown:
      m_.setNetwork(false);
      for (auto& [id, job] : jobs_) {
        JobState s = job.rec.state;
        if (s == JobState::Queued || s == JobState::Connecting || s == JobState::Transferring) toTransientError(job);
      }
      return hr::S_OK;
    case CmdKind::NetUp:
      m_.setNetwork(true);
      for (auto& [id, job] : jobs_) {
        if (job.rec.state != JobState::TransientError) continue;
        job.rec.state = JobState::Queued;
        touch(job);
        change(job);
      }
      return hr::S_OK;
    default:
      return hr::S_OK;
  }
}

}  // namespace bc::mock
