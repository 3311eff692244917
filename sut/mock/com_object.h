// com_object.h: calling a callback object across COM, as the BITS service sees it.
//
// An object is named by its Receiver identity and lives in the Machine. QueryInterface and
// method calls follow the object's behaviour (ok, sfalse, fail, failonce, hang, crash); a call
// on an object whose process is gone fails with an RPC transport error, a crash mid-call with
// RPC_S_CALL_FAILED. A hung call does not return: the caller keeps it in flight.
#pragma once

#include "sut/mock/machine.h"
#include "vocab/observation.h"

namespace bc::mock {

struct CallResult {
  enum class Kind { Returned, Hung, Crashed, Disconnected, NoInterface };
  Kind kind = Kind::Returned;
  Hresult hr{};  // Returned: the method's HRESULT; otherwise the error BITS sees
  bool transportError() const { return kind == Kind::Crashed || kind == Kind::Disconnected; }
};

// QueryInterface for the callback interface a method needs (Callback2 for FileTransferred).
// NoInterface (E_NOINTERFACE) if it does not implement it (known even for a dead object),
// else Disconnected for a dead object.
CallResult queryCallback(const Machine& m, const Receiver& r, Method method);

// Calls `method`: QueryInterface first, then the method itself. A crash kills the object's
// process in the Machine before returning.
CallResult invokeCallback(Machine& m, const Receiver& r, Method method);

}  // namespace bc::mock
