// job_record.h: the persisted part of a BITS job (docs/semantics.md section 2).
//
// Exactly what survives ServiceRestart and Reboot: state, files, flags, notification CLSID,
// command line and the notification bookkeeping (armed, cmdOwned, owed files, the start of the
// no-progress period).
// Callback objects, timers and JobModification pacing are never part of it.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "vocab/bits_types.h"
#include "vocab/world.h"

namespace bc::mock {

struct FileRecord {
  bool done = false;
  bool owed = false;       // its FileTransferred is owed
  bool announced = false;  // its FileTransferred was owed once (a late FILE_TRANSFERRED skips it)
  friend bool operator==(const FileRecord&, const FileRecord&) = default;
};

struct JobRecord {
  JobId id = 0;
  uint32_t generation = 0;  // bumped when a final job's name is created again
  AppId owner = 0;
  JobState state = JobState::Suspended;
  std::vector<FileRecord> files;
  uint32_t flags = 0;  // a new job's come from Seams::newJobFlags (FLAG-9), in one place
  ClassId clsid = ClassId::Null;
  Program program = Program::Null;
  Params params = Params::Null;
  bool armed = false;
  bool cmdOwned = false;
  // When the job's first transient error since its last progress happened (LIFE-3); unset
  // while there was none.
  std::optional<uint64_t> noProgressSince;
  friend bool operator==(const JobRecord&, const JobRecord&) = default;
};

}  // namespace bc::mock
