// One TEST_CASE per property, named after it, so that a failure's replay line
//   RC_PARAMS="reproduce=..." build/default/properties/properties_test "precedence"
// reruns exactly the minimal case. RapidCheck's parameters come from RC_PARAMS (seed,
// max_success, max_size, reproduce); the SUT from BITSCONFORM_SUT (default mock).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <string>

#include <rapidcheck/detail/Configuration.h>

#include "sut/testing/test_sut.h"
#include "properties/suite.h"

namespace bc {
namespace {

bool rcParamsHas(const char* key) {
  const char* p = std::getenv("RC_PARAMS");
  return p && std::strstr(p, key);
}

// Runs one property as CI does: 200 cases unless RC_PARAMS says otherwise.
PropertyRun runForCatch(const std::string& name) {
  const rc::detail::Configuration& rcConfig = rc::detail::configuration();
  SutRequest request = sutRequestFromEnvironment();
  ModelConfig config;
  config.version = request.version;
  PropertyOptions o;
  o.seed = rcConfig.testParams.seed;
  o.cases = rcParamsHas("max_success") ? rcConfig.testParams.maxSuccess : 200;
  o.maxSize = rcParamsHas("max_size") ? rcConfig.testParams.maxSize : 100;  // deep enough for 7-step rules
  const char* found = std::getenv("BITSCONFORM_FOUND_DIR");
  o.foundDir = found && *found ? found : BITSCONFORM_SOURCE_DIR "/scenarios/found";
  o.quiet = false;
  o.sutSpec = request.spec;
  auto it = rcConfig.reproduce.find(name);
  if (it != rcConfig.reproduce.end()) {
    rc::detail::Configuration only;
    only.reproduce[name] = it->second;
    std::string s = rc::detail::configToMinimalString(only);
    std::string value = s.substr(s.find("reproduce=") + 10);
    o.reproduce = value.substr(0, value.find(' '));
  }
  return runProperty(name, testSutFactory(request, config), config, o);
}

std::string report(const PropertyRun& r) {
  std::string s = "seed=" + std::to_string(r.seed) + ", " + std::to_string(r.casesRun) + " cases, " +
                  std::to_string(r.commandsRun) + " commands";
  if (r.passed()) return s;
  s += "\nminimal counterexample (" + std::to_string(r.counterexample.size()) + " commands):\n" + r.failure;
  s += "replay: " + r.replayCommand + "\n";
  if (!r.savedScenario.empty()) s += "saved: " + r.savedScenario + "\n";
  return s;
}

#define BC_PROPERTY_TEST(name, tags)  \
  TEST_CASE(name, tags) {             \
    PropertyRun r = runForCatch(name); \
    INFO(report(r));                  \
    REQUIRE(r.passed());                \
  }

BC_PROPERTY_TEST("model-equals-sut", "[property][REG-1][REG-3][DISP-2][DISP-3][CLSID-7][FLAG-3][EVT-1][CB-14]")
BC_PROPERTY_TEST("deep-worlds", "[property][REG-4][REG-7][CLSID-5][CLSID-13][DISP-3][STATE-9][CB-12][EVT-6][CMD-8]")
BC_PROPERTY_TEST("precedence", "[property][CLSID-7][DISP-2][CLSID-12][REG-1]")
BC_PROPERTY_TEST("disconnect", "[property][DISP-3][CLSID-8][REG-7][REG-10][DISP-4]")
BC_PROPERTY_TEST("restart-persistence", "[property][CLSID-5][REG-4][FLAG-10][CMD-14][STATE-3]")
BC_PROPERTY_TEST("guid-null-clears", "[property][CLSID-4][CLSID-10][CLSID-9]")
BC_PROPERTY_TEST("last-writer-wins", "[property][REG-3][CLSID-6][REG-1]")
BC_PROPERTY_TEST("flags-and-disable", "[property][FLAG-3][DISP-1][FLAG-6][FLAG-7][CLSID-2]")
BC_PROPERTY_TEST("late-and-repeated-delivery", "[property][REG-8][REG-9][CB-14][CMD-9]")
BC_PROPERTY_TEST("retries", "[property][CB-1][CB-2][DISP-7][LIFE-4][CMD-8][LIFE-7]")
BC_PROPERTY_TEST("cmdline-last-resort", "[property][DISP-5][CMD-11][CB-3][DISP-6][CMD-1]")
BC_PROPERTY_TEST("modification", "[property][EVT-6][EVT-7][EVT-13]")
BC_PROPERTY_TEST("determinism", "[property]")

TEST_CASE("every property of the suite has a TEST_CASE here", "[property]") {
  std::vector<std::string> names;
  for (const PropertyInfo& p : allProperties()) names.push_back(p.name);
  CHECK(names == std::vector<std::string>{"model-equals-sut", "deep-worlds", "precedence", "disconnect", "restart-persistence",
                                          "guid-null-clears", "last-writer-wins", "flags-and-disable",
                                          "late-and-repeated-delivery", "retries", "cmdline-last-resort",
                                          "modification", "determinism"});
}

}  // namespace
}  // namespace bc
