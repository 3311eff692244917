// The protocol path end to end: the mock through mock_agent gives the same trace as in process.
#include <catch2/catch.hpp>

#include <signal.h>

#include "sut/mock/mock_sut.h"
#include "sut/protocol/adapter_pool.h"
#include "sut/protocol/protocol_sut.h"
#include "vocab/command_text.h"
#include "vocab/observation_text.h"

using namespace bc;

namespace {

std::vector<std::string> trace(Sut& sut, const std::vector<std::string>& steps) {
  std::vector<std::string> lines;
  for (const auto& s : steps) {
    Observations obs;
    if (StepResult step = sut.execute(parseCommand(s).value(), obs); step.isUnsupported()) {
      lines.push_back(s + "  =>  unsupported: " + step.why());
      continue;
    }
    for (const auto& o : obs) lines.push_back(s + "  =>  " + formatObservation(o));
  }
  return lines;
}

}  // namespace

TEST_CASE("mock_agent over the protocol gives the in-process mock's exact traces",
          "[protocol][REG-3][CB-5][CLSID-7][CMD-9][DISP-5][EVT-6]") {
  const std::vector<std::vector<std::string>> sequences = {
      {"A1 CreateJob J1", "A1 AddFile J1", "A1 AddFile J1", "A1 SetNotifyFlags J1 0x1B", "A1 SetNotifyInterface J1 o2",
       "A1 Resume J1", "Connect J1", "Progress J1", "Tick 600ms", "Progress J1", "A1 GetState J1", "A1 Complete J1"},
      {"A1 CreateJob J1", "A1 AddFile J1", "RegisterServer ClsidA ok", "A1 SetNotifyClsid J1 ClsidA",
       "A1 SetNotifyInterface J1 o2", "A1 Exit", "A1 Resume J1", "Transfer J1", "A1 GetNotifyInterface J1"},
      {"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyCmdLine J1 fail args", "A1 Behave o3 failonce",
       "A1 SetNotifyInterface J1 o3", "A1 Resume J1", "FatalError J1", "Tick 600s", "NetDown", "ServiceRestart",
       "A1 GetNotifyFlags J1 nullout", "A2 Cancel J1", "A2 Cancel J1"},
  };
  for (size_t i = 0; i < sequences.size(); ++i) {
    CAPTURE(i);
    mock::MockSut direct;
    ProtocolOptions options;
    options.argv = {MOCK_AGENT};
    ProtocolSut agent(options);
    CHECK(agent.capabilities().name == direct.capabilities().name);
    CHECK(agent.capabilities().exactModification);
    auto expected = trace(direct, sequences[i]);
    CHECK(expected.size() > sequences[i].size());  // callbacks happened, not only returns
    CHECK(trace(agent, sequences[i]) == expected);
    CHECK(agent.close() == 0);
  }
}

TEST_CASE("mock_agent passes a mutant through, and the mutant shows", "[protocol]") {
  ProtocolOptions bad;
  bad.argv = {MOCK_AGENT, "--mutant", "no-such-mutant"};
  CHECK_THROWS_AS(ProtocolSut(bad), SutFailure);
}

TEST_CASE("pooled adapters: one that declares reset serves the next case in a fresh world and two at once are two",
          "[protocol][pool]") {
  ProtocolOptions options;
  options.argv = {MOCK_AGENT};
  SutFactory factory = pooledFactory(options);
  pid_t first = 0;
  {
    std::unique_ptr<Sut> sut = factory();
    auto& pooled = dynamic_cast<PooledSut&>(*sut);
    REQUIRE(pooled.adapter().canReset());
    first = pooled.adapter().pid();
    CHECK(trace(*sut, {"A1 CreateJob J1", "A1 SetNotifyFlags J1 0x01"}).size() == 2);
  }
  std::unique_ptr<Sut> again = factory();
  CHECK(dynamic_cast<PooledSut&>(*again).adapter().pid() == first);  // the same process...
  CHECK(trace(*again, {"A1 GetState J1", "A1 CreateJob J1", "A1 GetNotifyFlags J1"}) ==  // ...in a fresh world
        std::vector<std::string>{"A1 GetState J1  =>  -> BG_E_NOT_FOUND", "A1 CreateJob J1  =>  -> S_OK",
                                 "A1 GetNotifyFlags J1  =>  -> S_OK flags=0x03"});
  std::unique_ptr<Sut> second = factory();  // the pool is empty while `again` is on loan
  CHECK(dynamic_cast<PooledSut&>(*second).adapter().pid() != first);
}

TEST_CASE("pooled adapters: no reset declared or a broken adapter or a failed reset each mean a fresh process",
          "[protocol][pool]") {
  auto pidOf = [](Sut& s) { return dynamic_cast<PooledSut&>(s).adapter().pid(); };
  SECTION("without the reset feature: a process per case, as before") {
    ProtocolOptions options;
    options.argv = {"python3", BITSCONFORM_SOURCE_DIR "/sut/protocol/examples/tiny_adapter.py", "--no-reset"};
    SutFactory factory = pooledFactory(options);
    pid_t first = pidOf(*factory());
    CHECK(pidOf(*factory()) != first);
  }
  SECTION("a crashed adapter is not reused") {
    ProtocolOptions options;
    options.argv = {MOCK_AGENT};
    SutFactory factory = pooledFactory(options);
    pid_t first = 0;
    {
      std::unique_ptr<Sut> sut = factory();
      first = pidOf(*sut);
      kill(first, SIGKILL);
      Observations out;
      CHECK_THROWS_AS(sut->execute(parseCommand("A1 CreateJob J1").value(), out), SutFailure);
    }
    CHECK(pidOf(*factory()) != first);
  }
  SECTION("an adapter whose reset fails is replaced") {
    ProtocolOptions options;
    options.argv = {FAULT_ADAPTER, "resetfails"};
    SutFactory factory = pooledFactory(options);
    pid_t first = pidOf(*factory());  // reset as it goes back to the pool: it fails there...
    CHECK(kill(first, 0) != 0);       // ...so it was killed and reaped at once, holding nothing
    std::unique_ptr<Sut> next = factory();
    CHECK(pidOf(*next) != first);
  }
}
