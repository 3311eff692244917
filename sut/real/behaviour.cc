#include "sut/real/behaviour.h"

#include "vocab/hresult.h"

namespace bc::real {

Answer ObjectBehaviour::answer() {
  Behavior b = behaviour_.load();
  // failonce: exactly one caller sees the failure, even when two calls race.
  while (b == Behavior::FailOnce && !behaviour_.compare_exchange_weak(b, Behavior::Ok)) {
  }
  switch (b) {
    case Behavior::SFalse: return {Outcome::Returned, hr::S_FALSE};
    case Behavior::Fail:
    case Behavior::FailOnce: return {Outcome::Returned, hr::E_FAIL};
    case Behavior::Hang: return {Outcome::Hung, Hresult{}};
    case Behavior::Crash: return {Outcome::Crashed, Hresult{}};
    case Behavior::Ok:
    case Behavior::ExecFail: break;  // execfail is about starting a server; its objects never exist
  }
  return {Outcome::Returned, hr::S_OK};
}

}  // namespace bc::real
