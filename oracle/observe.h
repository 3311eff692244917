// observe.h: the observation mode: after a step, every observable of every job against the model.
//
// A step's observations show only what that step delivered; a SUT that wrote a field wrongly
// (lost a setting at a restart, kept a dead object, left an event owed or not) shows it much
// later, if ever: only when some callback depends on it, in a world the generators happen to
// build. So after each step the runner also compares the SUT's jobs with the model's, field by
// field (vocab/snapshot.h): the state and files, the flags, the object slot (interface identity),
// the CLSID, the command line, and what is owed (the job-level event and who owns it, the
// FileTransferred calls, the JobModification), the timers and the in-flight call.
//
// Every field compared is a check record (check.h, Kind::Snapshot) that would blame the
// provenance of that field in the model (Model::provenance): the rule of the last decision on it
// (the default flags: FLAG-9; a CLSID kept over a restart: CLSID-5; an event kept owed by a failed
// callback: CB-1; one made owed by the move into TRANSFERRED: EVT-1). A difference is therefore
// blamed on the rule that decided the value the SUT does not hold. A field no rule of the catalog
// decides (which job names exist) names none.
//
// A job in a final state owes nothing (docs/semantics.md section 3: entering one clears the
// event, the files, the JobModification and the timers): its bookkeeping is still compared, and a
// leftover is blamed on STATE-3 and EVT-13, the rules that clear it, not on its last writer.
// What no later step can observe is not compared: who owns an event that is not owed, the
// retry's kind without a retry, a JobModification pacing time already past. The clock is the
// test's.
//
// Two ways to get the SUT's side:
//  - Sut::snapshot, for a simulated SUT (the mock, the model): every field, after every step,
//    at the cost of a copy. RunOptions::observeState, on by default.
//  - the getters, for a real SUT (RunOptions::observeWithGetters, off by default: it costs five
//    calls per job): after each environment command and after the last step, each job is read
//    with GetState, GetNotifyFlags, GetNotifyInterface, GetNotifyClsid and GetNotifyCmdLine (those
//    the version has) by a running app, as steps of both the model and the SUT; they are compared
//    like any step (compare.h), so a getter showing another value blames that field's provenance.
#pragma once

#include <vector>

#include "model/model.h"
#include "oracle/compare.h"
#include "vocab/command.h"
#include "vocab/snapshot.h"

namespace bc {

// Compares the SUT's snapshot with the model's after step `step`. `model` answers the
// provenance; `expected` is its snapshot. The comparison's checks are appended to `out.checks`;
// on the first difference `out.match` is false and `out.explanation`, `out.rules`, `out.blame`
// say which job, which field, both values and the rules.
void compareSnapshots(const Model& model, const WorldSnapshot& expected, const WorldSnapshot& actual, uint32_t step,
                      StepComparison& out);

// The getter steps that read every job after the last step, by an app that runs (none if no app
// runs: a getter would start one, which changes the world). Empty for a version without a
// getter's interface (GetNotifyCmdLine before 1.5, GetNotifyClsid before 5.0: not asked).
std::vector<Command> observationGetters(const Model& model);

}  // namespace bc
