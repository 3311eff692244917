#include "sut/mock/machine.h"

#include <catch2/catch.hpp>

using namespace bc;
using namespace bc::mock;

TEST_CASE("App processes: exit kills the incarnation, the next command starts a new one", "[machine][OQ-31]") {
  Machine m({});
  Receiver o2 = m.appObject(1, 2);
  CHECK(o2 == Receiver::appObject(1, 1, 2));
  CHECK(m.isLive(o2));
  m.endApp(1);
  CHECK_FALSE(m.isLive(o2));
  m.ensureRunning(1);
  CHECK(m.incarnation(1) == 2);
  CHECK_FALSE(m.isLive(o2));  // the old object stays disconnected
  CHECK(m.isLive(m.appObject(1, 2)));
}

TEST_CASE("COM registry: activation, instance numbering, exec failure, server exit", "[machine][CLSID-7]") {
  Machine m({});
  CHECK(std::get<Hresult>(m.createInstance(ClassId::A)) == hr::REGDB_E_CLASSNOTREG);
  m.registerServer(ClassId::A, Behavior::Ok);
  Receiver a1 = std::get<Receiver>(m.createInstance(ClassId::A));
  Receiver a2 = std::get<Receiver>(m.createInstance(ClassId::A));
  CHECK(a1 == Receiver::serverObject(ClassId::A, 1));
  CHECK(a2 == Receiver::serverObject(ClassId::A, 2));
  m.registerServer(ClassId::A, Behavior::ExecFail);
  CHECK(std::get<Hresult>(m.createInstance(ClassId::A)) == hr::CO_E_SERVER_EXEC_FAILURE);
  m.registerServer(ClassId::A, Behavior::Fail);
  CHECK(m.behaviorOf(a1) == Behavior::Ok);  // behaviour fixed at creation
  m.serverExit(ClassId::A);
  CHECK_FALSE(m.isLive(a1));
  CHECK_FALSE(m.isLive(a2));
  Receiver a3 = std::get<Receiver>(m.createInstance(ClassId::A));
  CHECK(a3.instance == 3);  // never resets
  CHECK(m.behaviorOf(a3) == Behavior::Fail);
  m.reboot();
  CHECK_FALSE(m.isLive(a3));
  CHECK_FALSE(m.running(1));
}

TEST_CASE("Machine state survives a reopen of its durable store, as after a reboot", "[machine]") {
  std::string path = "/tmp/bc_mock_machine_test.db";
  MockOptions o;
  o.storePath = path;
  {
    Machine m(o);
    m.setNow(4242);
    m.setNetwork(false);
    m.endApp(2);
    m.ensureRunning(2);
    m.registerServer(ClassId::B, Behavior::FailOnce);
    (void)m.createInstance(ClassId::B);
    m.store().begin();
    m.flush();
    m.store().commit();
  }
  o.reopen = true;
  Machine m(o);
  CHECK(m.now() == 4242);
  CHECK_FALSE(m.networkUp());
  CHECK_FALSE(m.running(2));
  m.ensureRunning(2);
  CHECK(m.incarnation(2) == 3);
  Receiver b = std::get<Receiver>(m.createInstance(ClassId::B));
  CHECK(b.instance == 2);
  CHECK(m.behaviorOf(b) == Behavior::FailOnce);
}

TEST_CASE("Reference counts: the slot holds one reference", "[machine]") {
  Machine m({});
  Receiver o = m.appObject(1, 2);
  m.addRef(o);
  m.addRef(o);
  CHECK(m.refCount(o) == 2);
  m.release(o);
  m.release(o);
  CHECK(m.refCount(o) == 0);
}
