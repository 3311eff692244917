// behaviour.h: how the adapter's own COM objects answer BITS (docs/semantics.md 1 and 5.3).
//
// An app object (A1#1.o2) or a notification-class object (ClsidA#1) answers every call as its
// behaviour says: ok S_OK, sfalse S_FALSE, fail E_FAIL, failonce E_FAIL once then ok, hang (the
// call does not return: the object blocks, bounded, until its process ends), crash (the
// object's process dies inside the call). The object reports the call first, as the world's
// observation, then acts. Portable and thread-safe (BITS may call on several threads): the
// decision is tested on Linux; blocking and dying are the caller's (Windows) business.
#pragma once

#include <atomic>
#include <optional>

#include "vocab/observation.h"
#include "vocab/world.h"

namespace bc::real {

struct Answer {
  Outcome outcome = Outcome::Returned;
  Hresult hr{};  // what the method returns (Returned)
};

class ObjectBehaviour {
 public:
  explicit ObjectBehaviour(Behavior b = Behavior::Ok) : behaviour_(b) {}
  void set(Behavior b) { behaviour_ = b; }
  Behavior get() const { return behaviour_; }
  // The answer to one call; a failonce object is ok from then on.
  Answer answer();

 private:
  std::atomic<Behavior> behaviour_;
};

// How long a hung call blocks at most (its process normally ends first: Exit, a reset, bye).
inline constexpr unsigned kHangBoundMs = 120000;

}  // namespace bc::real
