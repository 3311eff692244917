// The service's rules, each on a hand-written sequence with the observations the spec
// (docs/semantics.md) demands, written out by hand.
#include "sut/mock/bits_service.h"

#include <catch2/catch.hpp>

#include "sut/mock/mock_sut.h"
#include "sut/mock/test_util.h"

using namespace bc;
using namespace bc::mock;

namespace {
using Lines = std::vector<std::string>;
// The observations of the last `n` steps of a script.
Lines tail(const std::string& setup, const std::string& steps, BitsVersion v = kNewestBits) {
  MockOptions o;
  o.version = v;
  MockSut sut(o);
  observe(sut, setup);
  return observe(sut, steps);
}
const std::string kQueued = "A1 CreateJob J1\nA1 AddFile J1\nA1 Resume J1\n";
}  // namespace

TEST_CASE("Last writer wins: a dead object falls back to the CLSID", "[service][REG-3][DISP-3][CLSID-8]") {
  CHECK(tail(kQueued + "RegisterServer ClsidA ok\nA1 SetNotifyClsid J1 ClsidA\nA1 SetNotifyInterface J1 o2\n"
                       "A1 SetNotifyInterface J1 o3\nA1 Exit\n",
             "Transfer J1\nA2 GetNotifyInterface J1\n") ==
        Lines{"-> S_OK", "activate ClsidA J1 -> S_OK ClsidA#1", "callback ClsidA#1 JobTransferred J1 -> S_OK",
              "-> S_OK iface=ClsidA#1"});
}

TEST_CASE("A failed JobTransferred is retried after MinimumRetryDelay, not before", "[service][CB-1][LIFE-4]") {
  CHECK(tail(kQueued + "A1 Behave o2 failonce\nA1 SetNotifyInterface J1 o2\n", "Transfer J1\nTick 599s\nTick 1s\n") ==
        Lines{"-> S_OK", "callback A1#1.o2 JobTransferred J1 -> E_FAIL", "-> S_OK", "-> S_OK",
              "callback A1#1.o2 JobTransferred J1 -> S_OK"});
}

TEST_CASE("The command line runs when the callback fails, and on 1.5 only once", "[service][CMD-8][CB-3]") {
  const std::string setup = kQueued + "A1 Behave o2 fail\nA1 SetNotifyInterface J1 o2\nA1 SetNotifyCmdLine J1 fail args\n";
  CHECK(tail(setup, "Transfer J1\nTick 600s\n") ==
        Lines{"-> S_OK", "callback A1#1.o2 JobTransferred J1 -> E_FAIL", "cmdline J1 fail args -> exit 1", "-> S_OK",
              "cmdline J1 fail args -> exit 1"});
  CHECK(tail(setup, "Transfer J1\nTick 600s\n", BitsVersion::V1_5) ==
        Lines{"-> S_OK", "callback A1#1.o2 JobTransferred J1 -> E_FAIL", "cmdline J1 fail args -> exit 1", "-> S_OK"});
}

TEST_CASE("FileTransferred comes before JobTransferred: a failing one holds the job event", "[service][CB-5][CB-6][CB-7]") {
  CHECK(tail(kQueued + "A1 AddFile J1\nA1 SetNotifyFlags J1 0x13\nA1 Behave o2 failonce\nA1 SetNotifyInterface J1 o2\n",
             "Transfer J1\nTick 600s\n") ==
        Lines{"-> S_OK", "callback A1#1.o2 FileTransferred J1 f1 -> E_FAIL", "-> S_OK",
              "callback A1#1.o2 FileTransferred J1 f1 -> S_OK", "callback A1#1.o2 FileTransferred J1 f2 -> S_OK",
              "callback A1#1.o2 JobTransferred J1 -> S_OK"});
}

TEST_CASE("Four hung calls block every dispatch until a hung process ends", "[service][CB-12]") {
  std::string setup = "A1 Behave o2 hang\n";
  for (int j = 1; j <= 5; ++j) {
    std::string J = "J" + std::to_string(j);
    setup += "A1 CreateJob " + J + "\nA1 AddFile " + J + "\nA1 Resume " + J + "\n";
    setup += (j < 5 ? "A1 SetNotifyInterface " : "A2 SetNotifyInterface ") + J + " o2\n";
    if (j < 5) setup += "Transfer " + J + "\n";
  }
  MockSut sut;
  observe(sut, setup);
  CHECK(sut.service().hungCalls() == 4);
  CHECK(observe(sut, "Transfer J5\n") == Lines{"-> S_OK"});
  CHECK(observe(sut, "A1 Exit\n") == Lines{"-> S_OK", "callback A2#1.o2 JobTransferred J5 -> S_OK"});
  CHECK(sut.service().hungCalls() == 0);
}

TEST_CASE("Restart: the CLSID survives, the object does not: armed events go out at once", "[service][REG-4][CLSID-5][CLSID-13]") {
  CHECK(tail(kQueued + "A1 SetNotifyInterface J1 o2\nA1 SetNotifyClsid J1 ClsidB\nTransfer J1\nA1 SetNotifyFlags J1 0x03\n"
                       "RegisterServer ClsidB ok\n",
             "ServiceRestart\nA1 GetNotifyInterface J1\nA1 GetNotifyClsid J1\nA1 GetState J1\n") ==
        Lines{"-> S_OK", "-> S_OK iface=NULL", "-> S_OK clsid=ClsidB", "-> S_OK state=TRANSFERRED"});
  // Transfer with an unregistered class arms a retry; after a reboot it is delivered at once.
  CHECK(tail(kQueued + "A1 SetNotifyClsid J1 ClsidB\nTransfer J1\nTick 601s\nRegisterServer ClsidB ok\nA1 SetNotifyClsid J1 ClsidB\n", "Reboot\n") ==
        Lines{"-> S_OK", "activate ClsidB J1 -> S_OK ClsidB#1", "callback ClsidB#1 JobTransferred J1 -> S_OK"});
}
