// refine.h: narrowing a divergence's blame by probing the fields behind its suspects.
//
// A divergence blames its deciding rules and, as suspects, the provenance of the job fields the
// prediction read (compare.h): a JobError that never came may be JobError's fault, or the flags'
// (FLAG-9, if they are the defaults), or the state's (the job never reached ERROR). refineBlame
// replays the steps before the divergent one on a fresh SUT and reads each of those fields with
// its getter (GetState, GetNotifyFlags, GetNotifyInterface, GetNotifyClsid, GetNotifyCmdLine):
//  - a field the SUT shows as the model does is cleared: its suspects are dropped;
//  - a field it shows otherwise explains the difference: its provenance alone takes the blame.
// A probe that cannot run (the SUT failed or diverged earlier, or the version lacks the
// getter's interface) leaves the suspects in the blame. The getters that matched are evidence
// too (their checks could have failed). One replay per failing unit: cheap on the mock, seconds
// on a real BITS.
#pragma once

#include <vector>

#include "oracle/runner.h"

namespace bc {

void refineBlame(Verdict& v, const std::vector<Command>& commands, const ModelConfig& config, const SutFactory& factory);

}  // namespace bc
