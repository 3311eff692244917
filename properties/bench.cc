// properties_bench: how fast the property suite runs (not a test).
//
//   properties_bench [CASES] [PROPERTY...]     (default 10000 cases, every property)
// SUT from BITSCONFORM_SUT (default mock). Prints, per property, the time for CASES sequences
// and the commands per second through RapidCheck (generation, SUT and model, comparison).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "sut/testing/test_sut.h"
#include "properties/generators.h"
#include "oracle/runner.h"
#include "properties/suite.h"

#include <chrono>

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
  std::printf("SUT %s, %d cases per property, max size 100\n", factory()->capabilities().name.c_str(), cases);
  std::printf("%-28s %10s %12s %14s\n", "property", "seconds", "commands", "commands/s");
  uint64_t total = 0;
  double seconds = 0;
  bool ok = true;
  for (const std::string& name : names) {
    PropertyOptions o;
    o.cases = cases;
    o.seed = 1;
    o.maxSize = 100;  // as properties_test
    PropertyRun r = runProperty(name, factory, config, o);
    ok &= r.passed();
    total += r.commandsRun;
    seconds += r.seconds;
    std::printf("%-28s %10.3f %12llu %14.0f%s\n", name.c_str(), r.seconds, static_cast<unsigned long long>(r.commandsRun),
                r.commandsRun / r.seconds, r.passed() ? "" : "  FAILED");
  }
  std::printf("%-28s %10.3f %12llu %14.0f\n", "total", seconds, static_cast<unsigned long long>(total), total / seconds);

  // Where the time goes, outside RapidCheck: the same kind of sequences, generated once.
  Universe u;
  u.caps = factory()->capabilities();
  std::vector<std::vector<Command>> seqs;
  uint64_t n = 0;
  auto t0 = std::chrono::steady_clock::now();
  rc::Random random(1);
  for (int i = 0; i < cases; ++i) {
    int size = static_cast<int>(i % 101);
    KindSet kinds = genSwarm(u)(random.split(), size).value();
    seqs.push_back(genSequence(u, kinds)(random.split(), size).value());
    n += seqs.back().size();
  }
  auto secs = [](auto a) { return std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count(); };
  double gen = secs(t0);
  t0 = std::chrono::steady_clock::now();
  Observations obs;
  for (const auto& seq : seqs) {
    Model m(config);
    for (const Command& c : seq) {
      obs.clear();
      m.step(c, obs);
    }
  }
  double model = secs(t0);
  t0 = std::chrono::steady_clock::now();
  for (const auto& seq : seqs) {
    auto sut = factory();
    for (const Command& c : seq) {
      obs.clear();
      (void)sut->execute(c, obs);  // timed only: the mock makes every step happen
    }
  }
  double sutSecs = secs(t0);
  t0 = std::chrono::steady_clock::now();
  for (const auto& seq : seqs) {
    auto sut = factory();
    ok &= runSequence(seq, config, *sut).passed();
  }
  double runner = secs(t0);
  std::printf("\nbreakdown for %d random sequences (%llu commands), commands/s:\n", cases,
              static_cast<unsigned long long>(n));
  std::printf("  generation %12.0f\n  model      %12.0f\n  SUT        %12.0f (fresh SUT per sequence)\n"
              "  runner     %12.0f (model + SUT + comparison)\n",
              n / gen, n / model, n / sutSecs, n / runner);
  return ok ? 0 : 1;
}
