// timers.cc: the service's timer queue on the virtual clock (docs/semantics.md section 6).
#include <algorithm>

#include "sut/mock/bits_service.h"

namespace bc::mock {

std::optional<uint64_t> BitsService::nextTimer() const {
  std::optional<uint64_t> best;
  auto consider = [&](uint64_t t) { best = best ? std::min(*best, t) : t; };
  const uint64_t now = m_.now();
  for (const auto& [id, j] : jobs_) {
    if (isFinal(j.rec.state)) continue;
    if (j.retryAt) consider(*j.retryAt);
    if (j.requeueAt) consider(*j.requeueAt);
    if (j.rec.state == JobState::TransientError && j.rec.noProgressSince)
      consider(*j.rec.noProgressSince + kNoProgressTimeoutMs);
    // A pacing deadline already behind us wakes nobody: the item is due by time already and
    // waits for something else (a hung call, the per-user limit).
    if (j.modOwed && j.lastModAt && *j.lastModAt + kMinimumNotificationIntervalMs > now)
      consider(*j.lastModAt + kMinimumNotificationIntervalMs);
  }
  return best;
}

void BitsService::fireTimers(uint64_t t) {
  for (auto& [id, j] : jobs_) {
    if (isFinal(j.rec.state)) continue;
    if (j.retryAt && *j.retryAt <= t) j.retryAt.reset();
    if (j.rec.state == JobState::TransientError && j.rec.noProgressSince &&
        *j.rec.noProgressSince + kNoProgressTimeoutMs <= t) {
      enterError(j);
      j.requeueAt.reset();
    }
    if (j.requeueAt && *j.requeueAt <= t) {
      if (j.rec.state != JobState::TransientError) {
        j.requeueAt.reset();
      } else if (m_.networkUp()) {
        j.requeueAt.reset();
        j.rec.state = JobState::Queued;
        touch(j);
        change(j);
      } else {
        j.requeueAt = t + kMinimumRetryDelayMs;  // the retry fails again
      }
    }
  }
}

void BitsService::tick(uint64_t ms, Observations& out) {
  const uint64_t end = m_.now() + std::min(ms, UINT64_MAX - 1 - m_.now());  // saturates, never wraps
  const size_t first = out.size();
  for (;;) {
    std::optional<uint64_t> t = nextTimer();
    if (!t || *t > end) break;
    // A deadline that passed before this Tick (a no-progress period that began long ago) fires
    // now, not in the past.
    m_.setNow(std::max(*t, m_.now()));
    fireTimers(m_.now());
    settle(out);
    // Beyond the test world (docs/semantics.md section 11): MockSut reports it; memory stays bounded.
    if (out.size() - first > kMaxStepObservations) break;
  }
  m_.setNow(end);
  settle(out);
}

}  // namespace bc::mock
