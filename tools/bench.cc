// bitsconf_bench: the suite's speed figures in one run (not a test), as a table and as JSON.
//
//   bitsconf_bench [--quick]
// The default mock run's wall time (bitsconf run --sut mock, budget 10 s), model steps/s,
// model+mock commands/s through the runner, commands/s through RapidCheck, exhaustive states/s,
// mutant median and maximum time to kill, mock restart time with 10,000 jobs, the Wine adapter's
// latency when the adapter is available, and what a CI's regression check costs: the size of a
// default run's results file and the time to diff two of them. The property and mutant
// figures reuse the suite's own entry points (properties/suite.h, strength/mutation.h).
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <unistd.h>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include "strength/explorer.h"
#include "strength/mutation.h"
#include "oracle/runner.h"
#include "properties/suite.h"
#include "sut/registry/sut_registry.h"
#include "reports/diff.h"
#include "results/results.h"
#include "sut/mock/mock_sut.h"

#ifndef BITSCONFORM_SCENARIOS_DIR
#define BITSCONFORM_SCENARIOS_DIR "scenarios"
#endif

namespace bc {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct Figure {
  std::string name, unit;
  double value = 0;
  std::string note;
  double cpuShare = 0;  // process CPU time / wall time while measuring: below 1 means a shared, busy machine
};

// Model steps/s: a seeded random walk over the explorer's alphabet (a job that reached a final
// state is created again, so the walk keeps exercising notification paths).
Figure modelSteps(uint64_t steps) {
  std::vector<Command> alphabet = explorerAlphabet(2);
  uint64_t x = 0x9E3779B97F4A7C15ull;
  Model m;
  Observations out;
  size_t observations = 0;
  auto t = Clock::now();
  for (uint64_t i = 0; i < steps; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    out.clear();
    m.step(alphabet[x % alphabet.size()], out);
    observations += out.size();
  }
  double s = since(t);
  return {"model steps", "steps/s", steps / s, std::to_string(steps) + " steps, " + std::to_string(observations) + " observations"};
}

// Model+mock through the runner: the explorer's bound-4 covering set, a fresh mock per sequence.
Figure runnerCommands(const CoveringSet& cover) {
  auto t = Clock::now();
  size_t failed = 0;
  for (const auto& seq : cover.sequences) {
    mock::MockSut sut;
    failed += !runSequence(seq, ModelConfig{}, sut).passed();
  }
  double s = since(t);
  return {"model+mock via runner", "commands/s", cover.commands / s,
          std::to_string(cover.sequences.size()) + " sequences, " + std::to_string(cover.commands) + " commands, " +
              std::to_string(failed) + " failed"};
}

Figure rapidcheckCommands(int cases) {
  SutFactory mock = [] { return std::make_unique<mock::MockSut>(); };
  PropertyOptions o;
  o.seed = 1;
  o.cases = cases;
  PropertyRun r = runProperty("model-equals-sut", mock, ModelConfig{}, o);
  return {"model+mock via RapidCheck", "commands/s", r.commandsRun / r.seconds,
          "model-equals-sut, " + std::to_string(r.casesRun) + " cases, " + std::to_string(r.commandsRun) + " commands" +
              (r.passed() ? "" : ", FAILED")};
}

Figure mockRestart(int jobs) {
  mock::MockSut sut;
  Observations out;
  for (int j = 1; j <= jobs; ++j) {
    Command c;
    c.kind = CmdKind::CreateJob;
    c.app = 1;
    c.job = static_cast<JobId>(j);
    (void)sut.execute(c, out);  // the mock makes every step happen
    c.kind = CmdKind::AddFile;
    (void)sut.execute(c, out);
    out.clear();
  }
  Command restart;
  restart.kind = CmdKind::ServiceRestart;
  auto t = Clock::now();
  (void)sut.execute(restart, out);
  double s = since(t);
  return {"mock restart with " + std::to_string(jobs) + " jobs", "ms", s * 1000, "ServiceRestart: reload every job from the store"};
}

Figure adapterLatency() {
  SutFactory wine;
  try {
    wine = makeSutFactory(SutRequest{"wine"});
    auto sut = wine();
    Observations out;
    Command create;
    create.kind = CmdKind::CreateJob;
    create.app = 1;
    create.job = 1;
    if (StepResult step = sut->execute(create, out); step.isUnsupported())
      return {"wine adapter latency", "ms/command", -1, "not available: CreateJob is unsupported: " + step.why()};
    Command get;
    get.kind = CmdKind::GetState;
    get.app = 1;
    get.job = 1;
    const int n = 200;
    // As the runner sends it: with the model's prediction (the state, no callback), so the
    // settle ends after its short grace instead of a quiet window (sut/real/settle_wait.h).
    const Observations predicted{Observation::retState(hr::S_OK, JobState::Suspended)};
    auto t = Clock::now();
    for (int i = 0; i < n; ++i) {
      sut->expect(predicted);
      if (StepResult step = sut->execute(get, out); step.isUnsupported())
        return {"wine adapter latency", "ms/command", -1, "not available: GetState is unsupported: " + step.why()};
    }
    return {"wine adapter latency", "ms/command", since(t) * 1000 / n, "GetState steps with the model's prediction"};
  } catch (const std::exception& e) {
    return {"wine adapter latency", "ms/command", -1, std::string("not available: ") + e.what()};
  }
}

// A CI's regression check: two default `bitsconf run`s on the mock, the size of the results
// file, and `bitsconf diff` of the two (in process: read both, compare, format; and the command).
std::vector<Figure> regressionCheck() {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("bitsconf-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string a = (dir / "a.json").string(), b = (dir / "b.json").string();
  const std::string run = std::string(BITSCONF_BINARY) + " run --no-progress 2>/dev/null --out ";
  if (std::system((run + a).c_str()) != 0 || std::system((run + b).c_str()) != 0) {
    fs::remove_all(dir);
    return {{"default run results file", "KB", -1, "the default run failed"}};
  }
  std::vector<Figure> out;
  out.push_back({"default run results file", "KB", fs::file_size(a) / 1024.0, "mock, every scenario, property and the covering set; goal <= 1024"});
  auto t = Clock::now();
  ResultsDiff d = diffResults(readResultsFile(a).value(), readResultsFile(b).value());
  std::string text = formatDiff(d);
  out.push_back({"diff of two default runs, in process", "s", since(t),
                 std::to_string(d.units.size()) + " changed checks; goal <= 0.5"});
  t = Clock::now();
  int rc = std::system((std::string(BITSCONF_BINARY) + " diff " + a + " " + b + " >/dev/null").c_str());
  out.push_back({"bitsconf diff of two default runs", "s", since(t), "the command, exit " + std::to_string(rc) + "; goal <= 0.5"});
  fs::remove_all(dir);
  return out;
}

// The default mock run as a user starts it, `bitsconf run --sut mock` (scenarios at every version,
// the properties at every behaviour version, the covering set, the catalog's mutants): its wall
// time, which issue 17 bounds at 10 s on the 2-core development machine, and the CPU share it got.
Figure defaultMockRun() {
  const std::string out = "/tmp/bitsconf_bench_run_" + std::to_string(getpid()) + ".json";
  const std::string cmd = std::string(BITSCONF_BINARY) + " run --sut mock --no-progress --heartbeat 0 --out '" + out +
                          "' >/dev/null 2>&1";
  rusage before{}, after{};
  getrusage(RUSAGE_CHILDREN, &before);
  auto t = Clock::now();
  int status = std::system(cmd.c_str());
  double wall = since(t);
  getrusage(RUSAGE_CHILDREN, &after);
  std::remove(out.c_str());
  auto seconds = [](const timeval& v) { return double(v.tv_sec) + double(v.tv_usec) / 1e6; };
  double cpu = seconds(after.ru_utime) - seconds(before.ru_utime) + seconds(after.ru_stime) - seconds(before.ru_stime);
  Figure f{"default mock run (bitsconf run --sut mock)", "s", wall,
           (WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "exit 0" : "FAILED (exit " + std::to_string(WEXITSTATUS(status)) + ")") +
               std::string(", ") + std::to_string(cpu).substr(0, 4) + " s CPU; budget 10 s"};
  f.cpuShare = wall > 0 ? cpu / wall : 0;
  return f;
}

}  // namespace
}  // namespace bc

int main(int argc, char** argv) {
  using namespace bc;
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  std::vector<Figure> figures;
  // Wall-clock figures; each also records how much of the wall time this process got the CPU.
  std::clock_t cpu0 = std::clock();
  auto wall0 = Clock::now();
  auto stamp = [&] {
    double wall = since(wall0), cpu = double(std::clock() - cpu0) / CLOCKS_PER_SEC;
    for (Figure& f : figures)
      if (f.cpuShare == 0) f.cpuShare = wall > 0 ? cpu / wall : 0;
    cpu0 = std::clock();
    wall0 = Clock::now();
  };
  figures.push_back(defaultMockRun());
  stamp();
  figures.push_back(modelSteps(quick ? 200'000 : 2'000'000));
  stamp();

  ExplorerOptions eo;
  eo.bound = quick ? 4 : 6;
  ExplorerResult explored = explore(eo);
  figures.push_back({"exhaustive exploration (bound " + std::to_string(eo.bound) + ")", "states/s",
                     explored.states / explored.seconds,
                     std::to_string(explored.states) + " states, " + std::to_string(explored.reachable->size()) +
                         " transitions, " + std::to_string(explored.seconds).substr(0, 5) + " s"});
  stamp();
  auto tc = Clock::now();
  CoveringSet cover = coverTransitions(explored, eo);
  figures.push_back({"covering set (bound " + std::to_string(eo.bound) + ")", "s", since(tc),
                     std::to_string(cover.sequences.size()) + " sequences, " + std::to_string(cover.commands) +
                         " commands, " + std::to_string(cover.covered) + "/" + std::to_string(cover.reachable) +
                         " transitions"});
  stamp();
  ExplorerOptions small;
  small.bound = 4;
  figures.push_back(runnerCommands(coverTransitions(explore(small), small)));
  stamp();
  figures.push_back(rapidcheckCommands(quick ? 200 : 2000));
  stamp();

  MutationOptions mo;
  mo.scenariosDir = BITSCONFORM_SCENARIOS_DIR;
  MutationReport mr = runMutants(mo);
  std::string score = std::to_string(mr.killed) + "/" + std::to_string(mr.mutants.size()) + " killed";
  figures.push_back({"mutant time to kill, median", "s", mr.medianSecondsToKill, score});
  figures.push_back({"mutant time to kill, maximum", "s", mr.maxSecondsToKill,
                     "longest counterexample " + std::to_string(mr.maxCounterexample) + " commands"});
  stamp();
  figures.push_back(mockRestart(10'000));
  stamp();
  figures.push_back(adapterLatency());
  stamp();
  for (Figure& f : regressionCheck()) figures.push_back(std::move(f));
  stamp();

  nlohmann::json j = nlohmann::json::array();
  std::printf("%-44s %14s  %-12s %5s  %s\n", "figure", "value", "unit", "cpu", "note");
  for (const Figure& f : figures) {
    std::printf("%-44s %14.3f  %-12s %4.0f%%  %s\n", f.name.c_str(), f.value, f.unit.c_str(), 100 * f.cpuShare,
                f.note.c_str());
    j.push_back({{"name", f.name}, {"value", f.value}, {"unit", f.unit}, {"note", f.note}, {"cpu_share", f.cpuShare}});
  }
  std::printf("%s\n", j.dump(2).c_str());
  return 0;
}
