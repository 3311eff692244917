#include "sut/mock/com_object.h"

#include <catch2/catch.hpp>

using namespace bc;
using namespace bc::mock;

TEST_CASE("Callback objects answer as their behaviour says", "[com][OQ-7]") {
  Machine m({});
  Receiver o2 = m.appObject(1, 2);
  CHECK(invokeCallback(m, o2, Method::JobTransferred).hr == hr::S_OK);
  m.setBehavior(1, 2, Behavior::SFalse);
  CHECK(invokeCallback(m, o2, Method::JobTransferred).hr == hr::S_FALSE);
  m.setBehavior(1, 2, Behavior::FailOnce);
  CHECK(invokeCallback(m, o2, Method::JobError).hr == hr::E_FAIL);
  CHECK(invokeCallback(m, o2, Method::JobError).hr == hr::S_OK);
  m.setBehavior(1, 2, Behavior::Hang);
  CHECK(invokeCallback(m, o2, Method::JobError).kind == CallResult::Kind::Hung);
  m.setBehavior(1, 2, Behavior::Crash);
  CallResult c = invokeCallback(m, o2, Method::JobError);
  CHECK(c.kind == CallResult::Kind::Crashed);
  CHECK(c.hr == hr::RPC_S_CALL_FAILED);
  CHECK_FALSE(m.isLive(m.appObject(1, 3)));  // the whole process died
  CallResult d = invokeCallback(m, o2, Method::JobError);
  CHECK(d.kind == CallResult::Kind::Disconnected);
  CHECK(isDisconnect(d.hr));
}

TEST_CASE("QueryInterface: o1 has no Callback2, o4 no callback at all", "[com][CB-15][OQ-29]") {
  Machine m({});
  CHECK(queryCallback(m, m.appObject(1, 1), Method::FileTransferred).kind == CallResult::Kind::NoInterface);
  CHECK(queryCallback(m, m.appObject(1, 1), Method::JobTransferred).kind == CallResult::Kind::Returned);
  CHECK(queryCallback(m, m.appObject(1, 4), Method::JobTransferred).kind == CallResult::Kind::NoInterface);
  m.registerServer(ClassId::C, Behavior::Ok);
  Receiver s = std::get<Receiver>(m.createInstance(ClassId::C));
  CHECK(queryCallback(m, s, Method::FileTransferred).kind == CallResult::Kind::Returned);
  m.serverExit(ClassId::C);
  CHECK(queryCallback(m, s, Method::FileTransferred).hr == hr::RPC_S_SERVER_UNAVAILABLE);
}
