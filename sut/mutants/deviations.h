// deviations.h: the code of each mutant: the mock's seams (sut/mock/seams.h) with one answer
// changed, one class per mutant, named as its Mutant value. The catalog (mutant.h) gives each
// its name, description and the rules it breaks; the comment here says how it breaks them.
// Internal to this library: users select a mutant by name (applyMutant).
#pragma once

#include <map>

#include "sut/mock/seams.h"

namespace bc::mock::deviation {

// --- A service start and stop ---

// CLSID-5: the CLSID is not reloaded by a new service.
class ClsidLostOnRestart : public Seams {
  bool clsidSurvivesStart(bool) const override { return false; }
};
// CLSID-5, only after a reboot: the case a test without a reboot misses.
class ClsidLostOnRebootOnly : public Seams {
  bool clsidSurvivesStart(bool afterReboot) const override { return !afterReboot; }
};
// REG-4: the stopping service's objects are handed to the next one (kept per Machine, as a
// service that persisted them would; each is taken back once).
class ObjectPersisted : public Seams {
  void objectAtStop(JobId job, const Receiver& object) override { kept_[job] = object; }
  Receiver objectAtStart(JobId job) override {
    auto kept = kept_.extract(job);
    return kept ? kept.mapped() : Receiver::none();
  }
  std::map<JobId, Receiver> kept_;
};

// --- Notify flags ---

// FLAG-9: JobTransferred only.
class DefaultFlagsWrong : public Seams {
  uint32_t newJobFlags() const override { return notify::kJobTransferred; }
};
// FLAG-4: every value is accepted.
class InvalidFlagsAccepted : public Seams {
  bool flagsValid(uint32_t, BitsVersion) const override { return true; }
};
// FLAG-3: DISABLE is a bit like the others.
class DisableIgnored : public Seams {
  uint32_t effectiveFlags(uint32_t flags) const override { return flags; }
};

// --- The notification setters ---

// STATE-3: the setters work in final states too.
class SettersInFinalStates : public Seams {
  bool settersRefusedIn(JobState) const override { return false; }
};
// REG-3: an occupied slot keeps its object.
class FirstWriterWinsObject : public Seams {
  bool objectReplaces(const Receiver& held) const override { return held.isNone(); }
};
// REG-10: an object created from the CLSID is not replaced.
class ActivatedNotReplaced : public Seams {
  bool objectReplaces(const Receiver& held) const override { return held.kind != Receiver::Kind::ServerObject; }
};
// CLSID-4: GUID_NULL is ignored.
class GuidNullNoClear : public Seams {
  bool clsidReplaces(ClassId, ClassId written) const override { return written != ClassId::Null; }
};
// CLSID-6: a set CLSID is only cleared, never replaced.
class FirstWriterWinsClsid : public Seams {
  bool clsidReplaces(ClassId held, ClassId written) const override {
    return written == ClassId::Null || held == ClassId::Null;
  }
};
// REG-9: setting an object again does not re-arm a delivered event.
class ReregistrationNotRedelivered : public Seams {
  bool reregistrationRearms() const override { return false; }
};

// --- Which events a job owes ---

// EVT-4: TRANSIENT_ERROR raises JobError.
class JobErrorOnTransient : public Seams {
  std::optional<Method> jobEventOf(JobState s) const override {
    return s == JobState::TransientError ? Method::JobError : Seams::jobEventOf(s);
  }
};
// DISP-1: any flag on selects JobError.
class FlagBitIgnored : public Seams {
  bool jobEventWanted(Method event, uint32_t flags) const override {
    return event == Method::JobError ? flags != 0 : Seams::jobEventWanted(event, flags);
  }
};
// EVT-7: entering TRANSFERRED is a modification too.
class ModificationIntoTransferred : public Seams {
  bool modificationIntoTransferred() const override { return true; }
};
// REG-8: an event is delivered at its transition or never.
class LateRegistrationNotDelivered : public Seams {
  bool eventWaitsForReceiver() const override { return false; }
};

// --- Dispatch ---

// CB-7: the job event first, then the files.
class FileAfterJob : public Seams {
  bool filesBeforeJobEvent() const override { return false; }
};
// CLSID-7: a set CLSID is activated even when an object is registered.
class ObjectNotPreferred : public Seams {
  bool objectBeforeClsid() const override { return false; }
};
// DISP-3: a disconnection is a method failure: retried, no fallback to the CLSID.
class DisconnectAsFailure : public Seams {
  bool isDisconnection(const CallResult&) const override { return false; }
};
// DISP-4: E_FAIL returned by the method is taken for a disconnection.
class EfailAsDisconnect : public Seams {
  bool isDisconnection(const CallResult& r) const override {
    return Seams::isDisconnection(r) || (r.kind == CallResult::Kind::Returned && r.hr == hr::E_FAIL);
  }
};
// DISP-3: no activation after a disconnection.
class NoClsidFallback : public Seams {
  bool clsidAfterDisconnection() const override { return false; }
};
// CLSID-8: the created object is not kept: a new one at every dispatch.
class ActivatedNotReused : public Seams {
  bool keepsActivatedObject() const override { return false; }
};
// DISP-6: the command line runs after a successful callback too.
class CmdlineDespiteSuccess : public Seams {
  bool cmdLineAfterSuccess() const override { return true; }
};
// CB-3: a failed callback is retried; the command line never takes over.
class NoCmdlineOnFailure : public Seams {
  bool cmdLineAfterFailure() const override { return false; }
};
// CB-1: a failed JobTransferred is not called again.
class TransferredNotRetried : public Seams {
  bool retriesFailedJobEvent(Method event) const override { return event != Method::JobTransferred; }
};

}  // namespace bc::mock::deviation
