// model_snapshot.cc: the model's jobs in the terms of vocab/snapshot.h, what a SUT's snapshot is
// compared with after each step (oracle/observe.h).
#include "model/model.h"

namespace bc {

void Model::snapshot(WorldSnapshot& out) const {
  out.now = now_;
  out.networkUp = netUp_;
  out.hungCalls = hungCount_;
  out.jobs.clear();
  for (JobId id = 1; id < jobs_.size(); ++id) {
    const Job& j = jobs_[id];
    if (!j.exists) continue;
    JobSnapshot& s = out.jobs.emplace_back();
    s.job = id;
    s.state = j.state;
    s.files = j.files;
    s.filesDone = j.filesDone;
    s.fileOwed = j.fileOwed;
    s.fileAnnounced = j.fileAnnounced;
    s.flags = j.flags;
    s.clsid = j.clsid;
    s.program = j.program;
    s.params = j.params;
    s.armed = j.armed;
    s.cmdOwned = j.cmdOwned;
    s.noProgressSince = j.noProgressSince;
    s.slot = j.slot;
    s.retryAt = j.retryAt;
    s.retryAfterActivation = j.retryAfterActivation;
    s.requeueAt = j.requeueAt;
    s.modOwed = j.modOwed;
    s.lastModAt = j.lastModAt;
    s.hung = j.hung;
  }
}

}  // namespace bc
