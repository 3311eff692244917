// model.cc: the step loop and section 3 of docs/semantics.md (API calls by an app).
#include "model/model.h"

#include <algorithm>
#include <cassert>

namespace bc {

Model::Model(ModelConfig config) : config_(config) { jobs_.resize(1); }

void Model::step(const Command& c, Observations& out) {
  out_ = &out;
  const size_t first = out.size();
  ++stepNo_;
  stepFirst_ = first;
  stepKind_ = c.kind;
  stepCommand_ = c;
  stepLimit_.clear();
  stepRules_ = RuleSet{};
  withheld_.clear();
  if (isApiCall(c.kind)) {
    apiCall(c);
    settle();
  } else {
    environment(c);  // settles itself (Tick settles at every timer instant)
  }
  assert(out.size() > first && out[first].kind == ObsKind::Return);
  // Section 9: the Return names every rule consulted, those of every observation included.
  // Its `primary` (set where it was emitted) decides its value; the rest only explains.
  Observation& ret = out[first];
  // A call refused for its arguments or the job's state (not for a missing interface of an
  // older version, nor an unknown job): the method exists and said no (oracle/check.h).
  ret.refusal = isApiCall(c.kind) && !ret.hr.succeeded() && !(ret.hr == hr::BG_E_NOT_FOUND) &&
                ret.primary.intersect(RuleSet{Rule::VER_2, Rule::VER_4}).empty();
  for (size_t i = first + 1; i < out.size(); ++i) stepRules_.add(out[i].rules);
  ret.rules.add(stepRules_);
  ret.withheld = RuleSet{};
  for (const Withheld& w : withheld_) ret.withheld.add(w.rules).add(w.provenance);
  ret.rules.add(ret.withheld);
  beyondLimits();  // a step that is not a Tick can exceed the observations too (many jobs)
  out_ = nullptr;
}

bool Model::beyondLimits() {
  if (!stepLimit_.empty()) return true;
  if (out_->size() - stepFirst_ > kMaxStepObservations)
    stepLimit_ = "the step makes more than " + std::to_string(kMaxStepObservations) + " observations";
  else if (timerWork_ > kMaxTimerWork)
    stepLimit_ = "the world's timers take more than " + std::to_string(kMaxTimerWork) +
                 " job visits (timer instants x jobs) by this step";
  return !stepLimit_.empty();
}

void Model::withhold(Withheld w) {
  w.at = static_cast<uint16_t>(out_->size() - stepFirst_);
  // Records only grow in `at` within a step: only the last ones can be at the same place (a long
  // Tick of retries withholds thousands of times; a scan of all would be quadratic).
  for (auto it = withheld_.rbegin(); it != withheld_.rend() && it->at == w.at; ++it) {
    Withheld& have = *it;
    if (have.kind == w.kind && have.job == w.job && have.anyMethod == w.anyMethod && have.method == w.method &&
        have.receiver == w.receiver) {
      have.rules.add(w.rules);
      have.provenance.add(w.provenance);
      have.reads |= w.reads;
      have.readsInStep |= w.readsInStep;
      return;
    }
  }
  withheld_.push_back(w);
}

namespace {
Withheld withheldOf(ObsKind kind, JobId job, const RuleSet& rules, const Suspicion& read) {
  Withheld w;
  w.kind = kind;
  w.job = job;
  w.rules = rules;
  w.provenance = read.provenance;
  w.reads = read.reads;
  w.readsInStep = read.readsInStep;
  return w;
}
}  // namespace

void Model::withholdCall(const Job& j, Method m, const RuleSet& rules, const Written* w, uint8_t f) {
  Withheld out = withheldOf(ObsKind::Callback, idOf(j), rules, w ? suspect({}, *w, f) : Suspicion{});
  out.method = m;
  withhold(out);
}

void Model::withholdAnyCall(const Job& j, const RuleSet& rules, const Receiver& to, const Written* w, uint8_t f) {
  Withheld out = withheldOf(ObsKind::Callback, idOf(j), rules, w ? suspect({}, *w, f) : Suspicion{});
  out.anyMethod = true;
  out.receiver = to;
  withhold(out);
}

void Model::withholdActivation(const Job& j, const RuleSet& rules, const Written* w, uint8_t f) {
  withhold(withheldOf(ObsKind::Activation, idOf(j), rules, w ? suspect({}, *w, f) : Suspicion{}));
}

void Model::withholdCmdLine(const Job& j, const RuleSet& rules, const Written* w, uint8_t f) {
  withhold(withheldOf(ObsKind::CmdLine, idOf(j), rules, w ? suspect({}, *w, f) : Suspicion{}));
}

void Model::withholdByFlags(const Job& j, Method m, uint32_t bit) {
  withholdCall(j, m, RuleSet{flagsRule(j, bit)}, &j.prov.flags, field::kFlags);
}

Observation& Model::emit(Observation o) {
  out_->push_back(o);
  return out_->back();
}

Model::Job* Model::findJob(JobId id) {
  return id < jobs_.size() && jobs_[id].exists ? &jobs_[id] : nullptr;
}
const Model::Job* Model::findJob(JobId id) const {
  return id < jobs_.size() && jobs_[id].exists ? &jobs_[id] : nullptr;
}

void Model::writeSlot(Job& j, const Receiver& r, const RuleSet& by) {
  if (!j.slot.isNone() && !(j.slot == r)) j.replaced = j.slot;
  j.priorSlot = j.slot;
  j.priorKnown |= field::kSlot;
  j.slot = r;
  wrote(j.prov.slot, by);
}

// Section 1: a command of an app that is not running first starts a new process.
void Model::startApp(AppId app) {
  App& a = apps_[app];
  if (a.running) return;
  ++a.incarnation;
  a.running = true;
  a.behavior.fill(Behavior::Ok);
}

// Section 3: checks in the table's order; the first failing one decides and changes nothing.
void Model::apiCall(const Command& c) {
  startApp(c.app);
  if (c.kind == CmdKind::CreateJob) return createJob(c);
  Job* jp = findJob(c.job);
  if (!jp) {
    emit(Observation::ret(hr::BG_E_NOT_FOUND));  // the app cannot get the job
    return;
  }
  Job& j = *jp;
  const bool final = isFinal(j.state);
  // A final state is the job's state: a setter refused there also reads how it got there.
  auto invalidState = [&](Rule r) {
    emit(Observation::ret(hr::BG_E_INVALID_STATE)).decidedBy({Rule::STATE_3, r}).read(field::kState, j.prov.state, stepNo_);
  };
  switch (c.kind) {
    case CmdKind::AddFile:
      if (final) return invalidState(Rule::STATE_3);
      if (j.files >= kMaxFiles) {  // a harness limit: files are numbered f1..f255
        emit(Observation::ret(hr::E_INVALIDARG));
        return;
      }
      ++j.files;
      {
        Observation& ret = emit(Observation::ret(hr::S_OK)).because({Rule::EVT_6});
        if (j.state == JobState::Error || j.state == JobState::Transferred) ret.decidedBy(Rule::STATE_13);
      }
      change(j);  // EVT-6: files are added
      return;
    case CmdKind::Resume:
      if (final) return invalidState(Rule::STATE_3);
      if (j.files == 0) {
        emit(Observation::ret(hr::BG_E_EMPTY)).decidedBy({Rule::STATE_4});
        return;
      }
      return resume(j);
    case CmdKind::Suspend:
      if (final) return invalidState(Rule::STATE_3);
      return suspend(j);
    case CmdKind::Complete: {
      if (final) return invalidState(Rule::STATE_3);
      const bool partial = j.filesDone < j.files;
      emit(Observation::ret(partial ? hr::BG_S_PARTIAL_COMPLETE : hr::S_OK)).decidedBy({Rule::STATE_11});
      enterFinal(j, JobState::Acknowledged);
      wrote(j.prov.state, RuleSet{Rule::STATE_11});
      return;
    }
    case CmdKind::Cancel:
      if (final) return invalidState(Rule::STATE_3);
      emit(Observation::ret(hr::S_OK)).decidedBy({Rule::STATE_12});
      enterFinal(j, JobState::Cancelled);
      wrote(j.prov.state, RuleSet{Rule::STATE_12});
      return;
    case CmdKind::GetState:
      emit(Observation::retState(hr::S_OK, j.state)).decidedBy({Rule::STATE_1}).read(field::kState, j.prov.state, stepNo_);
      return;
    case CmdKind::SetNotifyInterface:
      if (final) return invalidState(Rule::REG_6);
      return setNotifyInterface(c, j);
    case CmdKind::GetNotifyInterface:
      return getNotifyInterface(c, j);
    case CmdKind::SetNotifyFlags:
      if (final) return invalidState(Rule::FLAG_5);
      return setNotifyFlags(c, j);
    case CmdKind::GetNotifyFlags:
      if (c.nullOut) {
        emit(Observation::ret(hr::E_INVALIDARG)).decidedBy({Rule::FLAG_10});
        return;
      }
      emit(Observation::retFlags(hr::S_OK, j.flags)).decidedBy({Rule::FLAG_10}).read(field::kFlags, j.prov.flags, stepNo_);
      return;
    case CmdKind::SetNotifyCmdLine:
      return setNotifyCmdLine(c, j);
    case CmdKind::GetNotifyCmdLine:
      if (config_.version < BitsVersion::V1_5) {
        emit(Observation::ret(hr::E_NOINTERFACE)).decidedBy({Rule::VER_2});
        return;
      }
      emit(Observation::retCmdLine(hr::S_OK, j.program, j.params)).decidedBy({Rule::CMD_14}).read(field::kCmdLine, j.prov.cmdLine, stepNo_);
      return;
    case CmdKind::SetNotifyClsid:
      return setNotifyClsid(c, j);
    case CmdKind::GetNotifyClsid:
      if (config_.version < BitsVersion::V5_0) {
        emit(Observation::ret(hr::E_NOINTERFACE)).decidedBy({Rule::VER_4, Rule::CLSID_11});
        return;
      }
      emit(Observation::retClsid(hr::S_OK, j.clsid))
          .decidedBy({j.clsid == ClassId::Null ? Rule::CLSID_10 : Rule::CLSID_9, Rule::CLSID_15})
          .read(field::kClsid, j.prov.clsid, stepNo_);
      return;
    default:
      assert(false && "not an API call");
  }
}

void Model::createJob(const Command& c) {
  if (c.job == 0 || (findJob(c.job) && !isFinal(jobs_[c.job].state))) {
    emit(Observation::ret(hr::E_INVALIDARG));  // a harness rule: a name is a handle
    return;
  }
  if (c.job >= jobs_.size()) jobs_.resize(c.job + 1);
  Job& j = jobs_[c.job];
  if (j.exists && j.hung) abandonHungCall(c.job);  // cannot happen: final jobs hold none
  j = Job{};
  j.exists = true;
  j.owner = c.app;
  // What a new job holds, and the rule that says so: a later read of the default blames it.
  wrote(j.prov.flags, RuleSet{Rule::FLAG_9});
  wrote(j.prov.clsid, RuleSet{Rule::CLSID_10});
  wrote(j.prov.cmdLine, RuleSet{Rule::CMD_14});
  wrote(j.prov.slot, RuleSet{Rule::REG_12});
  wrote(j.prov.state, RuleSet{Rule::STATE_4});
  // Nothing is owed and no timer runs on a new job: a later difference there blames the rule
  // that would have made one.
  wrote(j.prov.event, RuleSet{Rule::EVT_1, Rule::EVT_3});
  wrote(j.prov.files, RuleSet{Rule::EVT_9});
  wrote(j.prov.modification, RuleSet{Rule::EVT_6});
  wrote(j.prov.retry, RuleSet{Rule::LIFE_4});
  wrote(j.prov.requeue, RuleSet{Rule::STATE_8});
  wrote(j.prov.call, RuleSet{Rule::CB_12});
  if (c.job > maxJobId_) maxJobId_ = c.job;
  // Creating a job is the harness's handle on the world, not a notification rule.
  emit(Observation::ret(hr::S_OK)).because({Rule::STATE_4});
}

// STATE-10, STATE-13: SUSPENDED, ERROR, TRANSIENT_ERROR and (with an unfinished file)
// TRANSFERRED go to QUEUED; action states stay.
void Model::resume(Job& j) {
  // What decides the answer depends on the state: a new job (STATE-4), a finished one
  // (STATE-13), any other (STATE-10).
  const Rule decides = j.state == JobState::Suspended                                      ? Rule::STATE_4
                       : j.state == JobState::Transferred || j.state == JobState::Error ? Rule::STATE_13
                                                                                         : Rule::STATE_10;
  emit(Observation::ret(hr::S_OK)).decidedBy({decides}).because({Rule::STATE_4, Rule::STATE_10});
  const bool toQueued = j.state == JobState::Suspended || j.state == JobState::Error ||
                        j.state == JobState::TransientError ||
                        (j.state == JobState::Transferred && j.filesDone < j.files);
  if (j.state == JobState::Error || j.state == JobState::Transferred) consult(Rule::STATE_13);
  if (!toQueued) return;
  j.state = JobState::Queued;
  wrote(j.prov.state, RuleSet{decides});
  change(j);
}

// STATE-10, OQ-34: ERROR and TRANSFERRED jobs keep their state.
void Model::suspend(Job& j) {
  emit(Observation::ret(hr::S_OK)).decidedBy({Rule::STATE_10});
  switch (j.state) {
    case JobState::Queued:
    case JobState::Connecting:
    case JobState::Transferring:
    case JobState::TransientError:
      j.state = JobState::Suspended;
      wrote(j.prov.state, RuleSet{Rule::STATE_10});
      change(j);
      return;
    default:
      return;  // already SUSPENDED, or ERROR/TRANSFERRED: no state change
  }
}

// REG-1, REG-2, REG-3, REG-10, REG-13; re-arm in TRANSFERRED/ERROR (REG-8, REG-9, OQ-20, OQ-21).
void Model::setNotifyInterface(const Command& c, Job& j) {
  if (c.slot != 0 && levelOfSlot(c.slot) == CallbackLevel::None) {
    emit(Observation::ret(hr::E_NOINTERFACE)).decidedBy({Rule::REG_1});  // OQ-29
    return;
  }
  const Receiver object = c.slot == 0 ? Receiver::none()
                                      : Receiver::appObject(c.app, apps_[c.app].incarnation, c.slot);
  const bool same = !object.isNone() && object == j.slot;
  Observation& ret = emit(Observation::ret(hr::S_OK));
  // NULL is a legal clear, never E_INVALIDARG (REG-2, REG-13).
  ret.decidedBy(object.isNone() ? RuleSet{Rule::REG_2, Rule::REG_13} : RuleSet{Rule::REG_1});
  const bool changed = !(object == j.slot);
  if (same && !config_.policies.samePointerRearms) return propertySet(j, false);  // OQ-21 alternative: no re-arm
  // The rule of this write, for a later read: the first object (REG-1), NULL (REG-2), another
  // object over one (REG-3: the last writer wins), over a CLSID-created one (REG-10).
  RuleSet by{object.isNone() ? Rule::REG_2 : Rule::REG_1};
  if (!j.slot.isNone() && !same) {
    ret.because({Rule::REG_3});
    if (!object.isNone()) by = RuleSet{Rule::REG_3};
  }
  if (j.slot.kind == Receiver::Kind::ServerObject && !object.isNone()) {
    ret.because({Rule::REG_10});
    by = RuleSet{Rule::REG_10};
  }
  writeSlot(j, object, by);
  j.retryAt = kNever;  // a registration cuts a callback's retry short (section 3)
  wrote(j.prov.retry, by);
  if (!object.isNone() && eventState(j)) {
    rearm(j, ArmCause::Interface);
    ret.because({Rule::REG_8, Rule::REG_9});
  }
  propertySet(j, changed);  // the notify interface is a property (EVT-6, MP-1)
}

// REG-11, REG-12; the CLSID-created object is returned (OQ-12) unless the policy says NULL.
void Model::getNotifyInterface(const Command& c, Job& j) {
  if (c.nullOut) {
    emit(Observation::ret(hr::E_INVALIDARG)).decidedBy({Rule::REG_11});
    return;
  }
  Receiver r = j.slot;
  if (r.kind == Receiver::Kind::ServerObject && !config_.policies.getReturnsActivatedObject) r = Receiver::none();
  Observation& ret = emit(Observation::retReceiver(hr::S_OK, r));
  ret.decidedBy({r.isNone() ? Rule::REG_12 : Rule::REG_11}).read(field::kSlot, j.prov.slot, stepNo_);
  if (r.kind == Receiver::Kind::ServerObject) ret.decidedBy({Rule::CLSID_8});
}

// FLAG-1..4, FLAG-8, FLAG-11 (E_NOTIMPL outside the version's mask), OQ-3, OQ-28; re-arm (REG-8,
// OQ-20).
void Model::setNotifyFlags(const Command& c, Job& j) {
  if (c.flags & ~validFlagMask(config_.version)) {
    Observation& ret = emit(Observation::ret(hr::E_NOTIMPL)).decidedBy({Rule::FLAG_4, Rule::FLAG_11});
    if (config_.version < BitsVersion::V1_5) ret.decidedBy(Rule::VER_1);
    // The bit's callback interface is newer than this BITS (VER-3: FileTransferred, VER-5: ranges).
    if ((c.flags & notify::kFileTransferred) && config_.version < BitsVersion::V3_0) ret.decidedBy(Rule::VER_3);
    if ((c.flags & notify::kFileRangesTransferred) && config_.version < BitsVersion::V10_1) ret.decidedBy(Rule::VER_5);
    return;
  }
  Observation& ret = emit(Observation::ret(hr::S_OK));
  ret.decidedBy({Rule::FLAG_1, Rule::FLAG_2});
  const bool changed = c.flags != j.flags;
  if (c.flags & notify::kFileRangesTransferred) ret.decidedBy(Rule::FLAG_8);  // accepted on any job
  if (config_.version < BitsVersion::V1_5) ret.decidedBy(Rule::VER_1);  // BITS 1.0's four flags
  j.priorFlags = j.flags;
  j.priorKnown |= field::kFlags;
  j.flags = c.flags;
  j.flagsWritten = true;
  wrote(j.prov.flags, RuleSet{Rule::FLAG_1, Rule::FLAG_2});
  if (c.flags & notify::kDisable) {
    ret.because({Rule::FLAG_3});
    j.prov.flags.by.add(Rule::FLAG_3);
  }
  // OQ-20's alternative never re-arms: an owed event stays owed, a delivered one is not owed again.
  if (eventState(j) && callbackBit(j, eventBit(j)) && config_.policies.flagsRearm) {
    rearm(j, ArmCause::Flags);
    ret.because({Rule::REG_8});
  }
  if (config_.policies.lateFileFlagDelivers) oweLateFiles(j);
  propertySet(j, changed);  // the notify flags are a property (EVT-6, MP-1)
}

// MP-3: FILE_TRANSFERRED on now (and IBackgroundCopyCallback2 in this version): every file that
// arrived while it was off owes its FileTransferred ("at least once, even if the registration
// occurs after the event"). A file whose FileTransferred was owed before is not owed again.
void Model::oweLateFiles(Job& j) {
  if (config_.version < BitsVersion::V3_0 || !callbackBit(j, notify::kFileTransferred)) return;
  for (int f = 0; f < j.filesDone; ++f) {
    if (j.fileAnnounced.test(f)) continue;
    j.fileAnnounced.set(f);
    j.fileOwed.set(f);
    wrote(j.prov.files, RuleSet{Rule::REG_8, Rule::CB_14, Rule::EVT_9});
    consult(Rule::REG_8);
    consult(Rule::CB_14);
  }
}

// CMD-3, CMD-4, CMD-6; VER-2: no IBackgroundCopyJob2 before 1.5.
void Model::setNotifyCmdLine(const Command& c, Job& j) {
  if (config_.version < BitsVersion::V1_5) {
    emit(Observation::ret(hr::E_NOINTERFACE)).decidedBy({Rule::VER_2});
    return;
  }
  if (isFinal(j.state)) {
    emit(Observation::ret(hr::BG_E_INVALID_STATE)).decidedBy({Rule::STATE_3, Rule::CMD_6}).read(field::kState, j.prov.state, stepNo_);
    return;
  }
  if (c.program == Program::Null && c.params != Params::Null) {
    emit(Observation::ret(hr::E_INVALIDARG)).decidedBy({Rule::CMD_3});  // OQ-29
    return;
  }
  if (c.program == Program::TooLong || c.params == Params::TooLong) {
    emit(Observation::ret(hr::BG_E_STRING_TOO_LONG)).decidedBy({Rule::CMD_4});
    return;
  }
  const bool changed = c.program != j.program || c.params != j.params;
  j.priorProgram = j.program;
  j.priorParams = j.params;
  j.priorKnown |= field::kCmdLine;
  j.program = c.program;
  j.params = c.params;
  const Rule by = c.program == Program::Null ? Rule::CMD_3 : Rule::CMD_1;
  wrote(j.prov.cmdLine, RuleSet{by});
  emit(Observation::ret(hr::S_OK)).decidedBy({by});
  propertySet(j, changed);  // a set method of IBackgroundCopyJob2 (EVT-6, MP-1)
}

// CLSID-1, CLSID-4, CLSID-6, CLSID-12, CLSID-14, CLSID-15; OQ-14 (unchecked), OQ-30 (BITS 5.0).
void Model::setNotifyClsid(const Command& c, Job& j) {
  if (config_.version < BitsVersion::V5_0) {
    emit(Observation::ret(hr::E_NOINTERFACE)).decidedBy({Rule::VER_4, Rule::CLSID_11});
    return;
  }
  if (isFinal(j.state)) {
    emit(Observation::ret(hr::BG_E_INVALID_STATE)).decidedBy({Rule::STATE_3, Rule::CLSID_14}).read(field::kState, j.prov.state, stepNo_);
    return;
  }
  Observation& ret = emit(Observation::ret(hr::S_OK));
  ret.decidedBy({c.clsid == ClassId::Null ? Rule::CLSID_4 : Rule::CLSID_1, Rule::CLSID_15});
  if (!j.slot.isNone() && c.clsid != ClassId::Null) ret.decidedBy(Rule::CLSID_12);  // an object and a class
  // The rule of this write: the first class (CLSID-1), GUID_NULL (CLSID-4), another class over
  // one (CLSID-6: the last writer wins).
  RuleSet by{c.clsid == ClassId::Null ? Rule::CLSID_4 : Rule::CLSID_1};
  if (j.clsid != ClassId::Null && c.clsid != ClassId::Null) {
    ret.because({Rule::CLSID_6});
    by = RuleSet{Rule::CLSID_6};
  }
  const bool changed = c.clsid != j.clsid;
  j.priorClsid = j.clsid;
  j.priorKnown |= field::kClsid;
  j.clsid = c.clsid;  // the slot is not touched
  wrote(j.prov.clsid, by);
  if (c.clsid != ClassId::Null && j.retryAt != kNever && j.retryAfterActivation &&
      !config_.policies.clsidWaitsForActivationRetry) {
    j.retryAt = kNever;  // MP-4 alternative: the new class is tried at once
    wrote(j.prov.retry, RuleSet{Rule::DISP_3});
    ret.because({Rule::DISP_3});
  }
  propertySet(j, changed);  // a BITS_JOB_PROPERTY_ID set by SetProperty (EVT-6, MP-1)
}

bool Model::showsPriorValue(const Observation& actual) const {
  const Job* j = findJob(stepCommand_.job);
  if (!j || actual.kind != ObsKind::Return || !actual.hr.succeeded()) return false;
  switch (stepCommand_.kind) {
    case CmdKind::GetNotifyInterface:
      return (j->priorKnown & field::kSlot) && actual.value == ValueKind::Receiver && actual.receiver == j->priorSlot &&
             !(j->priorSlot == j->slot);
    case CmdKind::GetNotifyFlags:
      return (j->priorKnown & field::kFlags) && actual.value == ValueKind::Flags && actual.flags == j->priorFlags &&
             j->priorFlags != j->flags;
    case CmdKind::GetNotifyClsid:
      return (j->priorKnown & field::kClsid) && actual.value == ValueKind::Clsid && actual.clsid == j->priorClsid &&
             j->priorClsid != j->clsid;
    case CmdKind::GetNotifyCmdLine:
      return (j->priorKnown & field::kCmdLine) && actual.value == ValueKind::CmdLine &&
             actual.program == j->priorProgram && actual.params == j->priorParams &&
             (j->priorProgram != j->program || j->priorParams != j->params);
    default:
      return false;
  }
}

// ---- read-only views -------------------------------------------------------------------

bool Model::jobExists(JobId job) const { return findJob(job) != nullptr; }
JobState Model::jobState(JobId job) const { return jobs_[job].state; }
size_t Model::fileCount(JobId job) const { return jobs_[job].files; }
size_t Model::filesDone(JobId job) const { return jobs_[job].filesDone; }
size_t Model::filesOwed(JobId job) const { return jobs_[job].fileOwed.count(); }
uint32_t Model::flags(JobId job) const { return jobs_[job].flags; }
ClassId Model::clsid(JobId job) const { return jobs_[job].clsid; }
Program Model::cmdProgram(JobId job) const { return jobs_[job].program; }
Params Model::cmdParams(JobId job) const { return jobs_[job].params; }
Receiver Model::slot(JobId job) const { return jobs_[job].slot; }
bool Model::armed(JobId job) const { return jobs_[job].armed; }
bool Model::cmdOwned(JobId job) const { return jobs_[job].cmdOwned; }
bool Model::modOwed(JobId job) const { return jobs_[job].modOwed; }
bool Model::retryPending(JobId job) const { return jobs_[job].retryAt != kNever; }
bool Model::hasHungCall(JobId job) const { return jobs_[job].hung; }
bool Model::writtenSinceRestart(JobId job) const {
  const Provenance& p = jobs_[job].prov;
  return lastRestartStep_ > 0 &&
         std::max({p.state.step, p.flags.step, p.clsid.step, p.cmdLine.step}) > lastRestartStep_;
}
AppId Model::ownerOf(JobId job) const { return jobs_[job].owner; }
bool Model::appRunning(AppId app) const { return apps_[app].running; }
uint16_t Model::appIncarnation(AppId app) const { return apps_[app].incarnation; }
Behavior Model::objectBehavior(AppId app, uint8_t slot) const { return apps_[app].behavior[slot]; }
bool Model::serverRegistered(ClassId c) const { return servers_[static_cast<size_t>(c)].registered; }
Behavior Model::serverBehavior(ClassId c) const { return servers_[static_cast<size_t>(c)].behavior; }
uint32_t Model::serverObjectsCreated(ClassId c) const { return servers_[static_cast<size_t>(c)].created; }

bool Model::isLive(const Receiver& r) const {
  switch (r.kind) {
    case Receiver::Kind::None: return false;
    case Receiver::Kind::AppObject: {
      const App& a = apps_[r.app];
      return a.running && a.incarnation == r.incarnation;
    }
    case Receiver::Kind::ServerObject: {
      const Server& s = servers_[static_cast<size_t>(r.clsid)];
      return r.instance >= s.firstLive && r.instance <= s.created;
    }
  }
  return false;
}

}  // namespace bc
