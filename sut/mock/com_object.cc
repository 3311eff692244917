#include "sut/mock/com_object.h"

namespace bc::mock {

CallResult queryCallback(const Machine& m, const Receiver& r, Method method) {
  // BITS learns which callback interfaces an object has when it gets the pointer (the
  // registration, or the activation), so a missing IBackgroundCopyCallback2 is known without
  // a call. An object whose process is gone is no longer valid, though, and by the mock's
  // default reading that comes first (MockReadings::deadObjectInvalidFirst): a disconnect.
  CallbackLevel need = method == Method::FileTransferred ? CallbackLevel::V2 : CallbackLevel::V1;
  const bool deadFirst = m.readings().deadObjectInvalidFirst && !m.isLive(r);
  if (!deadFirst && static_cast<int>(m.levelOf(r)) < static_cast<int>(need))
    return {CallResult::Kind::NoInterface, hr::E_NOINTERFACE};
  if (!m.isLive(r)) {
    // An app's process is gone: its proxy reports the disconnect; a dead local server's
    // endpoint is unreachable.
    return {CallResult::Kind::Disconnected,
            r.kind == Receiver::Kind::ServerObject ? hr::RPC_S_SERVER_UNAVAILABLE : hr::RPC_E_DISCONNECTED};
  }
  return {CallResult::Kind::Returned, hr::S_OK};
}

CallResult invokeCallback(Machine& m, const Receiver& r, Method method) {
  CallResult q = queryCallback(m, r, method);
  if (q.kind != CallResult::Kind::Returned) return q;
  switch (m.behaviorOf(r)) {
    case Behavior::Ok: return {CallResult::Kind::Returned, hr::S_OK};
    case Behavior::SFalse: return {CallResult::Kind::Returned, hr::S_FALSE};
    case Behavior::Fail: return {CallResult::Kind::Returned, hr::E_FAIL};
    case Behavior::FailOnce:
      m.setObjectBehavior(r, Behavior::Ok);
      return {CallResult::Kind::Returned, hr::E_FAIL};
    case Behavior::Hang: return {CallResult::Kind::Hung, hr::RPC_S_CALL_FAILED};
    case Behavior::Crash:
      m.killProcessOf(r);
      return {CallResult::Kind::Crashed, hr::RPC_S_CALL_FAILED};
    case Behavior::ExecFail: break;  // a class behaviour, never an object's
  }
  return {CallResult::Kind::Returned, hr::S_OK};
}

}  // namespace bc::mock
