#include "sut/real/settle_wait.h"

#include <algorithm>

namespace bc::real {

namespace {
bool paced(const Observation& o) { return o.kind == ObsKind::Callback && o.method == Method::JobModification; }
}  // namespace

SettleWait::SettleWait(const Observations* expected, std::chrono::milliseconds quiet, std::chrono::milliseconds grace,
                       bool extrasPossible)
    : predicted_(expected != nullptr), extrasPossible_(extrasPossible), quiet_(quiet), grace_(grace) {
  if (!expected) return;
  for (const Observation& o : *expected)
    if (o.kind != ObsKind::Return && !paced(o)) pending_.push_back(o);
  nothingPredicted_ = pending_.empty();
}

void SettleWait::seen(const Observation& o) {
  if (paced(o)) return;
  auto it = std::find(pending_.begin(), pending_.end(), o);
  if (it == pending_.end())
    diverged_ = true;  // not predicted (or predicted fewer times): collect everything for the diff
  else
    pending_.erase(it);
}

std::chrono::milliseconds SettleWait::quiet() const {
  if (!predicted_ || diverged_ || !pending_.empty()) return quiet_;
  if (nothingPredicted_ && extrasPossible_) return quiet_;
  return grace_;
}

}  // namespace bc::real
