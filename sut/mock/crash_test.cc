// Crash test: a child process writes registrations (flags, CLSID, command line) to a durable
// store and reports each acknowledged write through a pipe; the parent SIGKILLs it at a
// random point, reopens the store and checks that every acknowledged write survived and that
// PRAGMA integrity_check is ok. Repeated 1,000 times.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <random>

#include "sut/mock/job_store.h"
#include "sut/mock/mock_sut.h"

using namespace bc;
using namespace bc::mock;

namespace {

// The i-th write of the child: a setter on J1..J4 whose value is a function of i.
Command writeNumber(uint32_t i) {
  Command c;
  c.app = 1;
  c.job = static_cast<JobId>(1 + i % 4);
  switch (i / 4 % 3) {
    case 0:
      c.kind = CmdKind::SetNotifyFlags;
      c.flags = static_cast<uint32_t>(i % 0x20);
      break;
    case 1:
      c.kind = CmdKind::SetNotifyClsid;
      c.clsid = static_cast<ClassId>(i % kClassCount);
      break;
    default:
      c.kind = CmdKind::SetNotifyCmdLine;
      c.program = (i % 2) ? Program::Ok : Program::Fail;
      c.params = (i % 3) ? Params::Ok : Params::Null;
  }
  return c;
}

[[noreturn]] void child(const std::string& path, int fd) {
  MockOptions o;
  o.storePath = path;
  o.reopen = true;
  MockSut sut(o);
  Observations obs;
  auto step = [&](const Command& c) {
    if (sut.execute(c, obs).isUnsupported()) _exit(5);  // the mock makes every step of the world happen
  };
  for (JobId j = 1; j <= 4; ++j) {
    Command c;
    c.app = 1;
    c.job = j;
    c.kind = CmdKind::GetState;
    obs.clear();
    step(c);
    if (obs[0].hr == hr::BG_E_NOT_FOUND) {
      c.kind = CmdKind::CreateJob;
      step(c);
    }
  }
  for (uint32_t i = 0;; ++i) {
    obs.clear();
    step(writeNumber(i));
    if (obs.empty() || obs[0].hr != hr::S_OK) _exit(3);
    // Acknowledged: execute() returned after the commit.
    if (write(fd, &i, sizeof i) != sizeof i) _exit(4);
  }
}

}  // namespace

TEST_CASE("Every acknowledged registration survives kill -9 of the writer", "[crash][REG-4][CLSID-5][FLAG-9]") {
  // A SIGKILL loses nothing the kernel has (only power loss would need the fsync), so the store
  // may sit on tmpfs, where synchronous=FULL costs no disk flush: 1,000 kills stay fast.
  const std::string dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  const std::string path = dir + "/bc_mock_crash_" + std::to_string(::getpid()) + ".db";
  for (const char* s : {"", "-wal", "-shm"}) std::remove((path + s).c_str());
  std::mt19937 rng(12345);
  const int kKills = 1000;
  int killedMidWrite = 0;
  for (int round = 0; round < kKills; ++round) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      close(fds[0]);
      child(path, fds[1]);
    }
    close(fds[1]);
    // Let it acknowledge a random number of writes (0..4), then kill it wherever it is.
    uint32_t want = rng() % 5, got = 0, last = 0;
    bool any = false;
    while (got < want && read(fds[0], &last, sizeof last) == sizeof last) {
      any = true;
      ++got;
    }
    if (rng() % 2) usleep(rng() % 300);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    // Drain what it acknowledged before it died.
    while (read(fds[0], &last, sizeof last) == sizeof last) any = true;
    close(fds[0]);
    if (WIFSIGNALED(status)) ++killedMidWrite;
    JobStore store(path);
    REQUIRE(store.integrityCheck() == "ok");
    if (!any) continue;
    // The last acknowledged write of each kind per job must be what the store holds, unless a
    // later write (unacknowledged but committed) replaced it: then it is the next one's value.
    auto jobs = store.loadJobs();
    REQUIRE(jobs.size() == 4);
    for (uint32_t k = last >= 11 ? last - 11 : 0; k <= last; ++k) {
      Command w = writeNumber(k);
      bool newerAcked = false;
      for (uint32_t n = k + 12; n <= last; n += 12) newerAcked = true;
      if (newerAcked) continue;
      const JobRecord& j = jobs[w.job - 1];
      Command next = writeNumber(k + 12);  // the same job and setter, possibly committed unacked
      INFO("round " << round << " write " << k << " last acknowledged " << last);
      switch (w.kind) {
        case CmdKind::SetNotifyFlags: CHECK((j.flags == w.flags || j.flags == next.flags)); break;
        case CmdKind::SetNotifyClsid: CHECK((j.clsid == w.clsid || j.clsid == next.clsid)); break;
        default:
          CHECK(((j.program == w.program && j.params == w.params) ||
                 (j.program == next.program && j.params == next.params)));
      }
    }
    // The next round reopens the same store (the jobs exist); only this round's acknowledged
    // writes are checked, so what earlier rounds left does not matter.
  }
  CHECK(killedMidWrite == kKills);
  for (const char* s : {"", "-wal", "-shm"}) std::remove((path + s).c_str());
}
