// properties_bench: how fast the property suite runs (not a test).
//
//   properties_bench [CASES] [PROPERTY...]     (default 10000 cases, every property)
// SUT from BITSCONFORM_SUT (default mock). Prints, per property, the time for CASES sequences
// and the commands per second through RapidCheck (generation, SUT and model, comparison).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "properties/broken_sut.h"
#include "properties/suite.h"

int main(int argc, char** argv) {
  using namespace bc;
  int cases = argc > 1 ? std::atoi(argv[1]) : 10000;
  std::vector<std::string> names;
  for (int i = 2; i < argc; ++i) names.push_back(argv[i]);
  if (names.empty())
    for (const PropertyInfo& p : allProperties()) names.push_back(p.name);
  SutRequest request = sutRequestFromEnvironment();
  ModelConfig config;
  config.version = request.version;
  SutFactory factory = testSutFactory(request, config);
  std::printf("SUT %s, %d cases per property, max size 40\n", factory()->capabilities().name.c_str(), cases);
  std::printf("%-28s %10s %12s %14s\n", "property", "seconds", "commands", "commands/s");
  uint64_t total = 0;
  double seconds = 0;
  bool ok = true;
  for (const std::string& name : names) {
    PropertyOptions o;
    o.cases = cases;
    o.seed = 1;
    PropertyRun r = runProperty(name, factory, config, o);
    ok &= r.passed;
    total += r.commandsRun;
    seconds += r.seconds;
    std::printf("%-28s %10.3f %12llu %14.0f%s\n", name.c_str(), r.seconds, static_cast<unsigned long long>(r.commandsRun),
                r.commandsRun / r.seconds, r.passed ? "" : "  FAILED");
  }
  std::printf("%-28s %10.3f %12llu %14.0f\n", "total", seconds, static_cast<unsigned long long>(total), total / seconds);
  return ok ? 0 : 1;
}
