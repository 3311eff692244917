// mock_bench: how fast the mock restarts from a big durable store, and how many callbacks per
// second its dispatcher delivers. Not a test: prints numbers.
//   mock_bench [store path]   (default /tmp/bc_mock_bench.db; use a disk path for real fsyncs)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "sut/mock/mock_sut.h"
#include "vocab/command_text.h"

// Every heap allocation of this process is counted: the mock's per-command path should make
// none besides growing the output (and its own state, the first time it grows).
static uint64_t gAllocations = 0;
void* operator new(std::size_t n) {
  ++gAllocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

using namespace bc;
using namespace bc::mock;
using Clock = std::chrono::steady_clock;

namespace {
double msSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

Command cmd(CmdKind k, JobId job = 1) {
  Command c;
  c.kind = k;
  c.app = 1;
  c.job = job;
  return c;
}

// Timed only: the mock makes every step of the world happen, so its StepResult is always done.
void run(MockSut& sut, const Command& c, Observations& obs) { (void)sut.execute(c, obs); }
}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "/tmp/bc_mock_bench.db";
  constexpr int kJobs = 10'000, kFiles = 10;
  {
    MockOptions o;
    o.storePath = path;
    Machine m(o);  // a fresh store
    m.store().begin();
    for (int i = 1; i <= kJobs; ++i) {
      JobRecord j;
      j.id = static_cast<JobId>(i % 65536);
      j.generation = 1;
      j.owner = 1;
      j.state = i % 3 ? JobState::Transferring : JobState::Transferred;
      j.files.assign(kFiles, FileRecord{true, i % 2 == 0});
      j.clsid = i % 5 ? ClassId::Null : ClassId::A;
      j.armed = i % 7 == 0;
      m.store().saveJob(j);
    }
    m.flush();
    m.store().commit();
  }
  // Cold: a new process opens the store (Machine, SQLite, every job and file loaded).
  auto t0 = Clock::now();
  MockOptions o;
  o.storePath = path;
  o.reopen = true;
  MockSut sut(o);
  const double cold = msSince(t0);
  const uint64_t coldRows = sut.machine().store().fileRowsWritten();
  // Warm: ServiceRestart of a running mock (the service is rebuilt from the store).
  Observations obs;
  double best = 1e9, total = 0;
  const int kRestarts = 5;
  for (int i = 0; i < kRestarts; ++i) {
    obs.clear();
    auto t = Clock::now();
    run(sut, cmd(CmdKind::ServiceRestart), obs);
    double ms = msSince(t);
    best = std::min(best, ms);
    total += ms;
  }
  std::printf("restart, %d jobs x %d files, durable store %s:\n", kJobs, kFiles, path.c_str());
  std::printf("  cold open (new process)      %8.1f ms  (target <= 200 ms; %llu file rows rewritten)\n", cold,
              static_cast<unsigned long long>(coldRows));
  std::printf("  ServiceRestart best / mean   %8.1f / %.1f ms  (target <= 200 ms)\n", best, total / kRestarts);

  // Fast store: 10,000 jobs made by commands are written only when the service stops, so the
  // first ServiceRestart pays for them; the second only reads.
  {
    MockSut m;
    for (int i = 1; i <= kJobs; ++i)
      for (CmdKind k : {CmdKind::CreateJob, CmdKind::AddFile}) {
        obs.clear();
        run(m, cmd(k, static_cast<JobId>(i)), obs);
      }
    double ms[2];
    for (double& t : ms) {
      obs.clear();
      auto t2 = Clock::now();
      run(m, cmd(CmdKind::ServiceRestart), obs);
      t = msSince(t2);
    }
    std::printf("fast store, %d new jobs: first ServiceRestart (writes them) %.1f ms, second %.1f ms\n", kJobs, ms[0],
                ms[1]);
  }

  // A fresh mock per property case: made, a job set up, dropped; and the same with a restart
  // (the fast store is taken from the pool and written when the service stops).
  for (bool restart : {false, true}) {
    const int kFresh = 20'000;
    auto t2 = Clock::now();
    for (int i = 0; i < kFresh; ++i) {
      MockSut m;
      obs.clear();
      for (CmdKind k : {CmdKind::CreateJob, CmdKind::AddFile, CmdKind::Resume}) run(m, cmd(k), obs);
      if (restart) run(m, cmd(CmdKind::ServiceRestart), obs);
    }
    std::printf("fresh mock + 3 commands%s: %6.2f us\n", restart ? " + ServiceRestart" : "                 ",
                msSince(t2) * 1000 / kFresh);
  }

  // Dispatch throughput, fast store: each SetNotifyFlags on a TRANSFERRED job re-arms it and
  // the settle delivers JobTransferred (plus FileTransferred after every Transfer).
  MockSut fast;
  obs.clear();
  for (CmdKind k : {CmdKind::CreateJob, CmdKind::AddFile, CmdKind::AddFile, CmdKind::Resume}) run(fast, cmd(k), obs);
  Command iface = cmd(CmdKind::SetNotifyInterface);
  iface.slot = 2;
  run(fast, iface, obs);
  run(fast, cmd(CmdKind::Transfer), obs);
  Command flags = cmd(CmdKind::SetNotifyFlags);
  const int kCalls = 200'000;
  size_t callbacks = 0;
  auto t1 = Clock::now();
  for (int i = 0; i < kCalls; ++i) {
    obs.clear();
    flags.flags = i % 2 ? 0x03 : 0x01;
    run(fast, flags, obs);
    for (const auto& ob : obs) callbacks += ob.kind == ObsKind::Callback;
  }
  const double s = msSince(t1) / 1000;
  std::printf("dispatch (in-memory store): %zu callbacks in %.2f s = %.0f callbacks/s (%.0f commands/s)\n",
              callbacks, s, callbacks / s, kCalls / s);

  // Allocations per command in a steady state: a script touching every part of the mock
  // (API calls, faults, timers, a crash and an activation, re-creating the job), repeated on
  // one mock with the output's capacity kept.
  const char* kLoop[] = {
      "A1 CreateJob J1", "A1 AddFile J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2",
      "RegisterServer ClsidA ok", "A1 SetNotifyClsid J1 ClsidA", "A1 SetNotifyFlags J1 0x0F", "A1 Resume J1",
      "Connect J1", "Progress J1", "TransientError J1", "Tick 600s", "A1 Behave o2 crash", "Transfer J1",
      "A1 GetState J1", "A1 GetNotifyInterface J1", "A1 Behave o2 hang", "A1 SetNotifyInterface J1 o2",
      "A1 SetNotifyFlags J1 0x03", "A1 Exit", "NetDown", "NetUp", "ServerExit ClsidA", "A2 CreateJob J2",
      "A2 Cancel J2", "A1 Cancel J1"};
  std::vector<Command> loop;
  for (const char* text : kLoop) {
    auto parsed = parseCommand(text);
    if (!parsed.ok()) {
      std::printf("bad command in the allocation loop: %s\n", text);
      return 1;
    }
    loop.push_back(*parsed);
  }
  MockSut steady;
  obs.reserve(64);
  for (int round = 0; round < 3; ++round)  // warm up: the state's vectors reach their size
    for (const Command& c : loop) {
      obs.clear();
      run(steady, c, obs);
    }
  const int kRounds = 10'000;
  const uint64_t a0 = gAllocations;
  uint64_t kinds[8] = {};
  auto t3 = Clock::now();
  for (int round = 0; round < kRounds; ++round)
    for (const Command& c : loop) {
      obs.clear();
      run(steady, c, obs);
      for (const auto& ob : obs) ++kinds[static_cast<size_t>(ob.kind) % 8];
    }
  const double s3 = msSince(t3) / 1000;
  const double n3 = static_cast<double>(kRounds) * loop.size();
  std::printf("mixed commands (in-memory store): %.0f commands/s, %.3f heap allocations per command\n", n3 / s3,
              (gAllocations - a0) / n3);
  std::printf("  per round of %zu: %.1f callbacks, %.1f activations, %.1f command lines\n", loop.size(),
              double(kinds[static_cast<size_t>(ObsKind::Callback) % 8]) / kRounds,
              double(kinds[static_cast<size_t>(ObsKind::Activation) % 8]) / kRounds,
              double(kinds[static_cast<size_t>(ObsKind::CmdLine) % 8]) / kRounds);
  return 0;
}
