// policy.h: the model's named choices where the docs are silent (bits-rules.md section 3).
//
// Each open question the model touches is listed here with the catalog's assumption as the
// default. Some are switchable (a Policies field): the model behaves differently under the
// other setting, and tests cover both. The others are fixed assumptions, listed so that reports
// can print every assumption in force.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vocab/status.h"

namespace bc {

struct Policies {
  // OQ-1: entering ACKNOWLEDGED/CANCELLED releases the callback object (GetNotifyInterface
  // then returns NULL). false: the slot keeps its object.
  bool finalStateReleasesObject = true;
  // OQ-4: DISABLE also stops the command line. false: the command line follows the raw
  // TRANSFERRED/ERROR bits even when DISABLE is set (callbacks stay off; the event is then
  // handed straight to the command line).
  bool disableStopsCmdLine = true;
  // OQ-6: at most one JobModification per job per this many ms. 0: every change is delivered.
  unsigned modIntervalMs = 500;
  // OQ-7 asks what counts as success for a callback; the pages answer per method, so it is
  // three settings (a callback that returns S_FALSE is the case that tells them apart).
  // OQ-7a: FileTransferred: SUCCEEDED(hr) ends it; BITS calls again only "if negative" (the
  // FileTransferred page). false: only S_OK does; S_FALSE is retried like a failure.
  bool fileSucceededDelivers = true;
  // OQ-7b: JobTransferred/JobError: only S_OK delivers ("This method should return S_OK;
  // otherwise, BITS continues to call this method until S_OK is returned"). false: any
  // SUCCEEDED(hr) delivers.
  bool jobEventOnlySOk = true;
  // OQ-7c: the command line takes over only when the method "returns a failure code"
  // (SetNotifyCmdLine) / "fails" (JobTransferred, JobError): FAILED(hr). An S_FALSE that does
  // not deliver (OQ-7b) is retried on the callback. false: any answer that does not deliver
  // hands the event to the command line.
  bool cmdLineOnlyOnFailureCode = true;
  // OQ-9: once a callback failed with a command line set, retries run the command line only.
  // false: every retry calls the callback first again (the CMD-12 reading).
  bool cmdLineOwnsEventAfterFailure = true;
  // OQ-12: GetNotifyInterface returns the object BITS created from the CLSID. false: NULL.
  bool getReturnsActivatedObject = true;
  // OQ-13: a failed activation schedules a retry after MinimumRetryDelay. false: the event just
  // stays pending until a registration changes.
  bool activationFailureRetries = true;
  // OQ-20: SetNotifyFlags with the bit of the job's event on re-arms it in TRANSFERRED/ERROR
  // (re-delivers an event already delivered). false: it never re-arms; an owed event stays
  // owed and is still delivered (REG-8), a delivered one is not delivered again.
  bool flagsRearm = true;
  // OQ-21: SetNotifyInterface with the object already in the slot re-arms (re-delivers).
  // false: only a different object re-arms; setting the same one again changes nothing (the
  // retry timer is kept too).
  bool samePointerRearms = true;
  // MP-1: a successful SetNotifyInterface, SetNotifyFlags, SetNotifyCmdLine or SetProperty
  // (NOTIFICATION_CLSID) call modifies the job whether or not the value changes (BG_JOB_TIMES:
  // "calling any of the set methods in the IBackgroundCopyJob* interfaces changes this value").
  // false: only a call that changes the stored value is a modification.
  bool setCallModifies = true;
  // MP-2: an object whose app has terminated is no longer valid ("The notification interface is
  // no longer valid when your application terminates") before BITS looks at which interfaces it
  // has: a dead IBackgroundCopyCallback-only object is a disconnect for an owed FileTransferred,
  // so a CLSID set on the job takes over and its object gets it. false: BITS knows from the
  // registration that the object lacks IBackgroundCopyCallback2 and drops the owed
  // FileTransferred without a call, dead or alive.
  bool deadObjectInvalidForFiles = true;
  // MP-3: FILE_TRANSFERRED set after a file arrived owes that file's FileTransferred ("BITS
  // guarantees to call your callback at least once, even if the registration occurs after the
  // event"; IBackgroundCopyCallback2 refers to that page for details). false: a FileTransferred
  // is owed only if the bit was on when the file arrived.
  bool lateFileFlagDelivers = true;
  // MP-4: a non-NULL CLSID set while the retry of a failed activation is pending waits for that
  // retry (OQ-13: retried after the retry delay; a CLSID set is not a re-arm, OQ-20). false: the
  // new class ends the wait and is tried at once, as a new object is (SetNotifyInterface).
  bool clsidWaitsForActivationRetry = true;
  // OQ-27: the limit of four hung calls per user does not count the command line, which runs
  // even while four calls hang. false: no dispatch starts then, the command line's included.
  bool cmdLineSparedByHungLimit = true;

  friend bool operator==(const Policies&, const Policies&) = default;
};

struct PolicyInfo {
  std::string_view id;          // "OQ-7b"
  std::string_view name;        // "job-event-success"
  bool switchable;              // has a field in Policies
  std::string_view assumption;  // the default, in one line
  std::string_view alternative; // the other setting ("" if fixed)
  // Non-empty: the docs grant this latitude (the quoted sentence), so a real implementation may
  // take either setting; the comparison accepts both on a non-deterministic SUT.
  std::string_view latitude = {};
};

// Every open question the model takes a position on, in catalog order.
std::span<const PolicyInfo> allPolicies();

// "OQ-7b" or "job-event-success" with value "default"/"alt" (or "on"/"off", or a number for
// OQ-6); an error names the cause (no file: the caller that read the setting places it).
Status setPolicy(Policies& p, std::string_view key, std::string_view value);
// Whether the switchable policy `id` has its default setting in `p`.
bool isDefault(const Policies& p, std::string_view id);
// The ID of the policy `key` names (its ID or its name, as setPolicy takes), or nullopt.
std::optional<std::string_view> policyId(std::string_view key);
// The setting of switchable policy `id` in `p`, as setPolicy reads it back: "default", "alt", or
// for OQ-6 the interval in ms ("default" at 500).
std::string policySetting(const Policies& p, std::string_view id);
// One line per switchable policy that is not at its default, "OQ-7b=alt (...)"; empty = defaults.
std::vector<std::string> describeNonDefault(const Policies& p);
// Every combination of the latitude policies' settings, starting with `p` itself: the behaviours
// a real implementation may show where the docs grant latitude.
std::vector<Policies> latitudeVariants(const Policies& p);

}  // namespace bc
