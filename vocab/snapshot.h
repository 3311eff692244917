// snapshot.h: everything a simulated world holds about its jobs between two steps.
//
// The observation mode of the comparison (oracle/observe.h) looks at every job after every step,
// not only at what the step's observations happened to show: a field the SUT lost or wrote
// wrongly is seen where it goes wrong, before (or without) a later callback depending on it. A
// snapshot holds each job's fields in the terms of docs/semantics.md section 2 (the persisted
// ones and the service's bookkeeping: the object slot, timers, JobModification pacing, the
// in-flight call), so two implementations of the semantics can be compared field by field.
// A simulated SUT (the mock, the model) fills one cheaply; a real BITS cannot (its bookkeeping
// is not observable), and is read through its getters instead.
#pragma once

#include <bitset>
#include <cstdint>
#include <vector>

#include "vocab/bits_types.h"
#include "vocab/world.h"

namespace bc {

inline constexpr uint64_t kNoTime = UINT64_MAX;  // an unset timer

struct JobSnapshot {
  JobId job = 0;
  // Persisted (section 2).
  JobState state = JobState::Suspended;
  uint16_t files = 0;
  uint16_t filesDone = 0;               // files finish in order: f1..f<filesDone>
  std::bitset<256> fileOwed;            // bit i: f<i+1>'s FileTransferred is owed
  std::bitset<256> fileAnnounced;       // bit i: it was ever owed (MP-3)
  uint32_t flags = 0;
  ClassId clsid = ClassId::Null;
  Program program = Program::Null;
  Params params = Params::Null;
  bool armed = false;                   // the job-level event is owed
  bool cmdOwned = false;                // ... and belongs to the command line (OQ-9)
  uint64_t noProgressSince = kNoTime;   // LIFE-3
  // The service's bookkeeping (lost at a restart).
  Receiver slot;
  uint64_t retryAt = kNoTime;
  bool retryAfterActivation = false;    // the retry follows a failed activation (OQ-13, MP-4)
  uint64_t requeueAt = kNoTime;
  bool modOwed = false;
  uint64_t lastModAt = kNoTime;
  bool hung = false;                    // a call of the job is in flight and does not return
};

struct WorldSnapshot {
  uint64_t now = 0;
  bool networkUp = true;
  int hungCalls = 0;
  std::vector<JobSnapshot> jobs;  // every job name ever created, ascending (final jobs included)
};

}  // namespace bc
