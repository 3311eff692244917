// observation.h: what a step of a test lets the outside world see.
//
// Observations are the unit of comparison between the model and a SUT: the HRESULT (and out
// value) an API call returned, a callback that reached a receiver, a CoCreateInstance of a
// notification class, a command-line program that was launched. They compare exactly
// (operator== compares every field but the rule sets). The rule sets are the model's
// explanation; a SUT leaves them empty:
//   rules     every catalog rule consulted for the observation (the step's Return: the step's)
//   primary   the rules that decide it (why it exists, or why the Return is this value): the
//             rules a difference in it breaks. A subset of `rules`; empty means "all of rules".
//   withheld  Return only: the rules that decided in this step NOT to deliver something; an
//             extra observation from the SUT breaks these (e.g. FLAG-3 when DISABLE is set).
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
  RuleSet withheld;

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
    for (Rule r : rs) {
      rules.add(r);
      primary.add(r);
    }
    return *this;
  }
  // What a difference in this observation breaks: `primary`, or all of `rules` if none is marked.
  const RuleSet& blamed() const { return primary.empty() ? rules : primary; }

  friend bool operator==(const Observation& a, const Observation& b) {
    return a.kind == b.kind && a.hr == b.hr && a.value == b.value && a.flags == b.flags &&
           a.state == b.state && a.receiver == b.receiver && a.clsid == b.clsid &&
           a.program == b.program && a.params == b.params && a.exitCode == b.exitCode &&
           a.job == b.job && a.method == b.method && a.outcome == b.outcome && a.file == b.file;
  }
};

// The observations of one step, in the order they happened.
using Observations = std::vector<Observation>;

}  // namespace bc
