// worlds.h: bigger, nastier worlds than genSequence's (FoundationDB-style simulation workloads).
//
// The small world of generators.h (three apps, three jobs, J1 most of the time) makes rules
// collide on one job; it rarely builds what breaks implementations in the large: one event that
// touches several jobs at once, and the bookkeeping that follows. A world here is
//  - a set-up: two to eight jobs in several states, whose registrations share processes on
//    purpose: the same app objects on several jobs, several jobs on one notification class (one
//    server process then holds objects for all of them), command lines, flag words;
//  - a body of families of commands, each case weighting them differently (swarm testing over
//    families, not kinds): fan-out events (NetDown/NetUp, ServiceRestart, Reboot, an app's exit,
//    a server's exit, a crash or hang of an object that serves several jobs), registration
//    changes, transfers and errors, time, the job life cycle, and "persistence" chunks (a setter
//    followed by a ServiceRestart or Reboot, so that several restarts fall between setters);
//  - long: the body scales with RapidCheck's size (three chunks per unit of size).
// Every step is compared, and on a simulated SUT every job after every step (oracle/observe.h).
// Shrinking drops set-up jobs, chunks and commands, and simplifies arguments (toward A1, J1).
#pragma once

#include <vector>

#include <rapidcheck.h>

#include "properties/generators.h"
#include "vocab/command.h"

namespace bc {

// The universe of a world: four apps, eight jobs (those of `u` otherwise: its capabilities).
Universe worldUniverse(const Universe& u);

rc::Gen<std::vector<Command>> genWorld(const Universe& u);

// genWorld's world under other names half the time: its apps and jobs spread over the whole test
// world (distinct; the last app is A8, the last job J1000; the rest drawn below them), the first
// ids otherwise (and what it shrinks to). What an implementation keeps per app or per job is
// then exercised beyond the first few: an off-by-one in a loop over apps, or a job table sized
// for the ids a test usually uses, shows only at the edge (the whole source-mutation run found
// a reboot that skipped the last app).
rc::Gen<std::vector<Command>> genNamedWorld(const Universe& u);

}  // namespace bc
