// observation.h: what a step of a test lets the outside world see.
//
// Observations are the unit of comparison between the model and a SUT: the HRESULT (and out
// value) an API call returned, a callback that reached a receiver, a CoCreateInstance of a
// notification class, a command-line program that was launched. They compare exactly
// (operator== compares every field but the rule sets). The rule sets are the model's
// explanation; a SUT leaves them empty:
//   rules     every catalog rule consulted for the observation (the step's Return: the step's).
//             Explanation only: consulting a rule is never evidence that it holds.
//   primary   the rules a missing or different observation breaks: why it exists at this point
//             (the event, a late registration, a retry, the getter's own rule). Empty: only a
//             harness rule of the test world decides it (a name in use, an unknown job): a
//             difference then names no catalog rule.
//   route     Callback and Activation only: the rules a difference in *who* receives it breaks
//             (DISP-2, CLSID-7, CLSID-8, DISP-3).
//   answer    Activation only: the rules a different result breaks (CLSID-3: the class must be
//             registered; a callback's answer is the test's object's, so it names none).
//   provenance, routeProvenance: the rules that last wrote the job fields the prediction read
//             (`reads`: the flags, the state, the command line; the object slot, the CLSID):
//             suspects of a difference too. The comparison probes them with the getters
//             (oracle/refine.h): a field the SUT shows right is cleared, one it shows wrong
//             takes the blame.
//   withheld  Return only: every rule of the step's Withheld records (see below), as context.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vocab/bits_types.h"
#include "vocab/hresult.h"
#include "vocab/rules.h"
#include "vocab/world.h"

namespace bc {

enum class ObsKind : uint8_t {
  Return,      // the API call of this step returned `hr` (and an out value); one per API step
  Callback,    // `method` was called on `receiver` for `job`; it answered `outcome`/`hr`
  Activation,  // BITS called CoCreateInstance(`clsid`) for `job`: `hr`, and the new object `receiver`
  CmdLine,     // BITS launched the command line of `job`: `program` `params`, exit code `exitCode`
};

enum class Method : uint8_t { JobTransferred, JobError, JobModification, FileTransferred };
std::string_view toString(Method m);

// How a callback call ended, seen from BITS.
//   Returned: the method returned `hr`.  Hung: it has not returned (the app hangs).
//   Crashed: the app's process died during the call (BITS sees RPC_S_CALL_FAILED).
enum class Outcome : uint8_t { Returned, Hung, Crashed };

// The out value of a Return observation.
enum class ValueKind : uint8_t { None, Flags, Receiver, Clsid, CmdLine, State };

// The last write of a job field: its rules (provenance) and the step that made it (1 = first).
struct FieldWrite {
  RuleSet by;
  uint32_t step = 0;
};

// The job fields a prediction read (Observation::reads), each readable by one getter.
namespace field {
inline constexpr uint8_t kState = 1;    // GetState
inline constexpr uint8_t kFlags = 2;    // GetNotifyFlags
inline constexpr uint8_t kSlot = 4;     // GetNotifyInterface
inline constexpr uint8_t kClsid = 8;    // GetNotifyClsid
inline constexpr uint8_t kCmdLine = 16; // GetNotifyCmdLine
inline constexpr uint8_t kRouteFields = kSlot | kClsid;
}  // namespace field

struct Observation {
  ObsKind kind = ObsKind::Return;
  Hresult hr{};
  // Return
  ValueKind value = ValueKind::None;
  uint32_t flags = 0;
  JobState state = JobState::Queued;
  // Return(Receiver), Callback, Activation (the object created; NULL if it failed)
  Receiver receiver{};
  // Return(Clsid), Activation
  ClassId clsid = ClassId::Null;
  // Return(CmdLine), CmdLine
  Program program = Program::Null;
  Params params = Params::Null;
  int exitCode = 0;
  // Callback, Activation, CmdLine
  JobId job = 0;
  Method method = Method::JobTransferred;
  Outcome outcome = Outcome::Returned;
  uint8_t file = 0;  // FileTransferred: 1-based file index in the job
  // Not compared: the rules that explain this observation (model only; see above).
  RuleSet rules;
  RuleSet primary;
  RuleSet route;
  RuleSet answer;
  RuleSet provenance;
  RuleSet routeProvenance;
  RuleSet withheld;
  uint8_t reads = 0;        // field:: bits
  uint8_t readsInStep = 0;  // of those, the fields last written in this very step
  bool refusal = false;     // Return: the call is refused for its arguments or the job's state

  // Builders: each sets exactly the fields its kind uses.
  static Observation ret(Hresult h);
  static Observation retFlags(Hresult h, uint32_t flags);
  static Observation retReceiver(Hresult h, const Receiver& r);
  static Observation retClsid(Hresult h, ClassId c);
  static Observation retCmdLine(Hresult h, Program p, Params a);
  static Observation retState(Hresult h, JobState s);
  static Observation callback(const Receiver& r, Method m, JobId job, uint8_t file, Outcome o, Hresult h);
  static Observation activation(JobId job, ClassId c, Hresult h, const Receiver& created);
  static Observation cmdLine(JobId job, Program p, Params a, int exitCode);

  Observation& because(std::initializer_list<Rule> rs) {
    for (Rule r : rs) rules.add(r);
    return *this;
  }
  // The deciding rules: added to `primary` and to `rules`.
  Observation& decidedBy(std::initializer_list<Rule> rs) {
    for (Rule r : rs) decidedBy(r);
    return *this;
  }
  Observation& decidedBy(Rule r) {
    rules.add(r);
    primary.add(r);
    return *this;
  }
  Observation& decidedBy(const RuleSet& rs) {
    rules.add(rs);
    primary.add(rs);
    return *this;
  }
  // The routing rules: added to `route` and to `rules`.
  Observation& routedBy(const RuleSet& rs) {
    rules.add(rs);
    route.add(rs);
    return *this;
  }
  // The prediction read job field `f` (field::), whose last write was `w`, in step `now`.
  Observation& read(uint8_t f, const FieldWrite& w, uint32_t now) {
    reads |= f;
    if (w.step == now) readsInStep |= f;
    rules.add(w.by);
    ((f & field::kRouteFields) ? routeProvenance : provenance).add(w.by);
    return *this;
  }
  Observation& because(const RuleSet& rs) {
    rules.add(rs);
    return *this;
  }
  Observation& answeredBy(const RuleSet& rs) {
    rules.add(rs);
    answer.add(rs);
    return *this;
  }
  // Every rule a difference in this observation could blame (its check's rules).
  RuleSet checkedRules() const {
    RuleSet r = primary;
    r.add(route).add(answer).add(provenance).add(routeProvenance);
    return r;
  }

  friend bool operator==(const Observation& a, const Observation& b) {
    return a.kind == b.kind && a.hr == b.hr && a.value == b.value && a.flags == b.flags &&
           a.state == b.state && a.receiver == b.receiver && a.clsid == b.clsid &&
           a.program == b.program && a.params == b.params && a.exitCode == b.exitCode &&
           a.job == b.job && a.method == b.method && a.outcome == b.outcome && a.file == b.file;
  }
};

// The observations of one step, in the order they happened.
using Observations = std::vector<Observation>;

// A delivery the model decided NOT to make in a step, and the rules that decided it: a SUT that
// makes it anyway breaks them (e.g. FLAG-3: a JobTransferred held back by DISABLE; DISP-6: no
// command line after the callback succeeded; REG-4: no call to an object registered before a
// restart). A SUT that does not make it passes them: the check could have failed.
struct Withheld {
  ObsKind kind = ObsKind::Callback;        // Callback, Activation or CmdLine
  JobId job = 0;
  bool anyMethod = false;                  // Callback: any method, else `method` only
  Method method = Method::JobTransferred;
  Receiver receiver;                       // Callback: only calls on this receiver (none: any)
  RuleSet rules;                           // the rules that decided against it
  RuleSet provenance;                      // the last writers of the fields they read (suspects)
  uint8_t reads = 0;                       // those fields (field::)
  uint8_t readsInStep = 0;                 // of those, the ones last written in this very step
  uint16_t at = 0;                         // how many of the step's observations came before it

  // Whether `o` is such a delivery.
  bool matches(const Observation& o) const {
    if (o.kind != kind || o.job != job) return false;
    if (kind != ObsKind::Callback) return true;
    if (!anyMethod && o.method != method) return false;
    return receiver.isNone() || o.receiver == receiver;
  }
};

// What a difference blames: the rules that decided, and the suspects (the provenance of the
// job fields the decision read), which a probe of those fields can confirm or clear.
struct Suspicion {
  RuleSet rules;
  RuleSet provenance;
  uint8_t reads = 0;        // field::
  uint8_t readsInStep = 0;  // of those, the fields last written in the step that differs
  JobId job = 0;
  RuleSet all() const { return rules.with(provenance); }
  Suspicion& add(const Suspicion& o) {
    rules.add(o.rules);
    provenance.add(o.provenance);
    reads |= o.reads;
    readsInStep |= o.readsInStep;
    if (!job) job = o.job;
    return *this;
  }
};

}  // namespace bc
