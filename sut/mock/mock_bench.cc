// mock_bench: how fast the mock restarts from a big durable store, and how many callbacks per
// second its dispatcher delivers. Not a test: prints numbers.
//   mock_bench [store path]   (default /tmp/bc_mock_bench.db; use a disk path for real fsyncs)
#include <chrono>
#include <cstdio>
#include <string>

#include "sut/mock/mock_sut.h"

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
  // Warm: ServiceRestart of a running mock (the service is rebuilt from the store).
  Observations obs;
  double best = 1e9, total = 0;
  const int kRestarts = 5;
  for (int i = 0; i < kRestarts; ++i) {
    obs.clear();
    auto t = Clock::now();
    sut.execute(cmd(CmdKind::ServiceRestart), obs);
    double ms = msSince(t);
    best = std::min(best, ms);
    total += ms;
  }
  std::printf("restart, %d jobs x %d files, durable store %s:\n", kJobs, kFiles, path.c_str());
  std::printf("  cold open (new process)      %8.1f ms\n", cold);
  std::printf("  ServiceRestart best / mean   %8.1f / %.1f ms  (target <= 200 ms)\n", best, total / kRestarts);

  // Dispatch throughput, fast store: each SetNotifyFlags on a TRANSFERRED job re-arms it and
  // the settle delivers JobTransferred (plus FileTransferred after every Transfer).
  MockSut fast;
  obs.clear();
  for (CmdKind k : {CmdKind::CreateJob, CmdKind::AddFile, CmdKind::AddFile, CmdKind::Resume}) fast.execute(cmd(k), obs);
  Command iface = cmd(CmdKind::SetNotifyInterface);
  iface.slot = 2;
  fast.execute(iface, obs);
  fast.execute(cmd(CmdKind::Transfer), obs);
  Command flags = cmd(CmdKind::SetNotifyFlags);
  const int kCalls = 200'000;
  size_t callbacks = 0;
  auto t1 = Clock::now();
  for (int i = 0; i < kCalls; ++i) {
    obs.clear();
    flags.flags = i % 2 ? 0x03 : 0x01;
    fast.execute(flags, obs);
    for (const auto& ob : obs) callbacks += ob.kind == ObsKind::Callback;
  }
  const double s = msSince(t1) / 1000;
  std::printf("dispatch (in-memory store): %zu callbacks in %.2f s = %.0f callbacks/s (%.0f commands/s)\n",
              callbacks, s, callbacks / s, kCalls / s);
  return 0;
}
