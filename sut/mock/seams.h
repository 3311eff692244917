// seams.h: the points where the mock decides a catalog rule, each a virtual method whose
// default is BITS as documented (the rule is named and quoted on it).
//
// Why seams: the suite checks itself against deliberately broken mocks (sut/mutants/). Each is
// this class with one method overridden, so the service's code (bits_service.cc,
// notifier.cc) reads as BITS and nothing else: at a seam it asks what to do and does it, with
// no knowledge of who answers. The alternatives were worse: a subclass of BitsService per
// broken mock would make the service's private state an interface, and patching sources at test
// time (tools/source_mutants.py does that, for a different question) cannot be selected per run.
//
// A seam is a question about one rule, not a switch for one broken mock: several broken mocks
// may answer the same one differently (the CLSID after a restart, after a reboot only). A seam
// that BITS answers with a constant still names the rule it keeps, so the service's code at
// that point says what BITS does and why.
//
// BITS's answers are in seams.cc, a translation unit of the mock like the rest of its code (so
// tools/source_mutants.py can mutate them too). Cost: one indirect call per question on the
// default object, which is shared and stateless; a variant is built once per Machine
// (MockOptions::seams) and may keep state across service restarts, as the Machine does.
#pragma once

#include <optional>

#include "sut/mock/com_object.h"
#include "vocab/bits_types.h"
#include "vocab/observation.h"

namespace bc::mock {

class Seams {
 public:
  virtual ~Seams() = default;

  // --- A service start and stop (bits_service.cc) ---

  // CLSID-5: "the CLSID is stored with the job and survives a BITS service restart and a
  // system restart". `afterReboot`: the start follows a reboot.
  virtual bool clsidSurvivesStart(bool afterReboot) const;
  // REG-4: "BITS does not store the callback object ... it does not survive a BITS service or
  // system restart". A stopping service lets go of each job's object (shown here); a starting
  // one begins every job with the object this returns: none.
  virtual void objectAtStop(JobId job, const Receiver& object);
  virtual Receiver objectAtStart(JobId job);

  // --- Notify flags ---

  // FLAG-9: a new job's flags are 0x0003 (TRANSFERRED | ERROR).
  virtual uint32_t newJobFlags() const;
  // FLAG-4: SetNotifyFlags with a bit outside the version's set returns E_NOTIMPL.
  virtual bool flagsValid(uint32_t flags, BitsVersion v) const;
  // FLAG-3: "BG_NOTIFY_DISABLE overrides everything: when it is set, notification is off and
  // BITS ignores every other bit". The flags the dispatcher acts on.
  virtual uint32_t effectiveFlags(uint32_t flags) const;

  // --- The notification setters ---

  // STATE-3: in a final state (ACKNOWLEDGED, CANCELLED) the notification setters return
  // BG_E_INVALID_STATE.
  virtual bool settersRefusedIn(JobState s) const;
  // REG-3 ("the last writer wins") and REG-10 ("a later SetNotifyInterface also replaces any
  // callback object that BITS created from the notification CLSID"): a new object takes the
  // slot whatever it holds.
  virtual bool objectReplaces(const Receiver& held) const;
  // CLSID-4 ("setting GUID_NULL clears a CLSID set earlier") and CLSID-6 ("last writer wins"):
  // SetNotifyClsid writes its value whatever is set.
  virtual bool clsidReplaces(ClassId held, ClassId written) const;
  // REG-9: "if a pointer is set on that job again, the notification is delivered again": an
  // object (or the flags) set on a TRANSFERRED or ERROR job re-arms its job event.
  virtual bool reregistrationRearms() const;

  // --- Which events a job owes ---

  // EVT-1..4: the job event a state raises: JobTransferred in TRANSFERRED, JobError in ERROR;
  // "a transient error (state TRANSIENT_ERROR) never triggers JobError" (EVT-4).
  virtual std::optional<Method> jobEventOf(JobState s) const;
  // DISP-1: "deliver only if the flag bit for e is set" (`flags`: the effective flags).
  virtual bool jobEventWanted(Method event, uint32_t flags) const;
  // EVT-7: "no JobModification is raised for a change into ERROR or into TRANSFERRED".
  virtual bool modificationIntoTransferred() const;
  // REG-8: "if the app registers (object or flags) after the event has already happened, BITS
  // still makes the callback": an event nobody can receive yet stays owed.
  virtual bool eventWaitsForReceiver() const;

  // --- Dispatch (notifier.cc) ---

  // CB-7: "all FileTransferred callbacks for a job are sent before its JobTransferred or
  // JobError".
  virtual bool filesBeforeJobEvent() const;
  // CLSID-7: "a callback object that exists and can still be called is always used first".
  virtual bool objectBeforeClsid() const;
  // DISP-3 / DISP-4: the call results that mean the object is gone (a CLSID then takes over): a
  // disconnection; "a method that returns a failure code (for example E_FAIL) is a callback
  // failure, not a disconnection". A result that is not one counts as a method failure.
  virtual bool isDisconnection(const CallResult& r) const;
  // DISP-3: after a disconnection, "CoCreateInstance the CLSID ... and call the method on it".
  virtual bool clsidAfterDisconnection() const;
  // CLSID-8: "it then uses that object for all later callbacks": the created object is kept.
  virtual bool keepsActivatedObject() const;
  // DISP-6: "if the callback method returns success, the command line does not run".
  virtual bool cmdLineAfterSuccess() const;
  // CB-3: "if JobTransferred or JobError fails and a command line is registered, BITS runs the
  // command line and stops calling that method for the event".
  virtual bool cmdLineAfterFailure() const;
  // CB-1: a failed JobTransferred (or JobError) is called again, "at an unspecified interval,
  // until it gets S_OK" (MinimumRetryDelay). false: the event is dropped.
  virtual bool retriesFailedJobEvent(Method event) const;
};

}  // namespace bc::mock
