// settle_wait.h: how long the real adapter's settle keeps waiting, given what the model expects.
//
// A real BITS calls back on its own threads, so a settle used to wait for a fixed quiet window
// (no event for 150 ms after an API call, 2 s after an environment command). With the runner's
// prediction (PROTOCOL.md: settle's "expect"), it stops once every predicted callback,
// activation and command line has come and then a short grace passed without another event.
// Nothing is lost to that: a step that diverges (a predicted event missing, a different or an
// extra one) falls back to the full quiet window, so what the SUT sends is collected for the
// diff as before; a late extra after the grace is a divergence of the next step. Where the
// model expects nothing but BITS could still call someone (an environment command while a
// callback object, CLSID or command line is registered: a Wine that ignores DISABLE calls
// back), the quiet window applies too, so that extra is blamed on this step's rules.
// JobModification is neither waited for nor counted as an extra: its count and timing are
// free on a real BITS (EVT-8, OQ-6). Portable (no Windows headers): tested on Linux.
#pragma once

#include <chrono>
#include <vector>

#include "vocab/observation.h"

namespace bc::real {

class SettleWait {
 public:
  // `expected`: the prediction (null: none was sent, the quiet window applies). `quiet`: the
  // fallback window; `grace`: the wait after the last predicted event; `extrasPossible`: BITS
  // could deliver something the model did not predict (see above).
  SettleWait(const Observations* expected, std::chrono::milliseconds quiet, std::chrono::milliseconds grace,
             bool extrasPossible);
  void seen(const Observation& o);          // an event arrived
  std::chrono::milliseconds quiet() const;  // the settle ends after this long without an event
  bool diverged() const { return diverged_; }

 private:
  std::vector<Observation> pending_;  // predicted, not seen yet
  bool predicted_, extrasPossible_, diverged_ = false, nothingPredicted_ = true;
  std::chrono::milliseconds quiet_, grace_;
};

}  // namespace bc::real
