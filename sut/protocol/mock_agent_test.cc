// The protocol path end to end: the mock through mock_agent gives the same trace as in process.
#include <catch2/catch.hpp>

#include "sut/mock/mock_sut.h"
#include "sut/protocol/protocol_sut.h"
#include "vocab/command_text.h"
#include "vocab/observation_text.h"

using namespace bc;

namespace {

std::vector<std::string> trace(Sut& sut, const std::vector<std::string>& steps) {
  std::vector<std::string> lines;
  for (const auto& s : steps) {
    Observations obs;
    sut.execute(std::get<Command>(parseCommand(s)), obs);
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
