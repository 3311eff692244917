// snapshot.cc: the service's jobs in the terms of vocab/snapshot.h (the observation mode of the
// comparison reads them after every step; sut/sut.h, Sut::snapshot).
#include "sut/mock/bits_service.h"
#include "sut/mock/mock_sut.h"

namespace bc::mock {

namespace {
uint64_t timeOf(const std::optional<uint64_t>& t) { return t ? *t : kNoTime; }
}  // namespace

void BitsService::snapshot(WorldSnapshot& out) const {
  out.now = m_.now();
  out.networkUp = m_.networkUp();
  out.hungCalls = static_cast<int>(hung_.size());
  out.jobs.resize(jobs_.size());
  size_t i = 0;
  for (const auto& [id, j] : jobs_) {
    JobSnapshot& s = out.jobs[i++];
    s = JobSnapshot{};
    s.job = id;
    s.state = j.rec.state;
    s.files = static_cast<uint16_t>(j.rec.files.size());
    for (size_t f = 0; f < j.rec.files.size(); ++f) {
      const FileRecord& r = j.rec.files[f];
      if (r.done) ++s.filesDone;
      s.fileOwed[f] = r.owed;
      s.fileAnnounced[f] = r.announced;
    }
    s.flags = j.rec.flags;
    s.clsid = j.rec.clsid;
    s.program = j.rec.program;
    s.params = j.rec.params;
    s.armed = j.rec.armed;
    s.cmdOwned = j.rec.cmdOwned;
    s.noProgressSince = timeOf(j.rec.noProgressSince);
    s.slot = j.slot;
    s.retryAt = timeOf(j.retryAt);
    s.retryAfterActivation = j.retryAfterActivation;
    s.requeueAt = timeOf(j.requeueAt);
    s.modOwed = j.modOwed;
    s.lastModAt = timeOf(j.lastModAt);
    s.hung = j.hung;
  }
}

bool MockSut::snapshot(WorldSnapshot& out) const {
  service_->snapshot(out);
  return true;
}

}  // namespace bc::mock
