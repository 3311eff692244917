// Determinism: the same commands give the same observation trace, always; and a world kept
// in a durable store continues identically in a new OS process (reopen = after a reboot).
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>

#include "sut/mock/mock_sut.h"
#include "sut/mock/test_util.h"

using namespace bc;
using namespace bc::mock;

namespace {
std::vector<std::string> trace(const std::vector<Command>& cmds, const std::string& store = "") {
  MockOptions o;
  o.storePath = store;
  MockSut sut(o);
  return runTrace(sut, cmds);
}
}  // namespace

TEST_CASE("Same seed, same commands: the same trace, in-memory or durable", "[determinism]") {
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    auto cmds = randomSequence(seed, 50);
    auto first = trace(cmds);
    CHECK(first == trace(cmds));
    if (seed <= 3) CHECK(first == trace(cmds, "/tmp/bc_mock_det_" + std::to_string(::getpid()) + ".db"));
  }
}

TEST_CASE("A durable world continues identically in a new process", "[determinism][REG-4][CLSID-5]") {
  const std::string path = "/tmp/bc_mock_det_proc_" + std::to_string(::getpid()) + ".db";
  Command reboot;
  reboot.kind = CmdKind::Reboot;
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    auto a = randomSequence(seed, 30);
    auto b = randomSequence(seed + 1000, 30);
    // One process: A, Reboot, B.
    std::vector<Command> all = a;
    all.push_back(reboot);
    all.insert(all.end(), b.begin(), b.end());
    auto whole = trace(all);
    // Two processes: a child runs A on the durable store and exits; the parent reopens it
    // and runs Reboot, B.
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      MockOptions o;
      o.storePath = path;
      MockSut sut(o);
      runTrace(sut, a);
      _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    REQUIRE(WIFEXITED(status));
    MockOptions o;
    o.storePath = path;
    o.reopen = true;
    MockSut sut(o);
    std::vector<Command> rest = {reboot};
    rest.insert(rest.end(), b.begin(), b.end());
    auto second = runTrace(sut, rest);
    // The tail of the one-process trace from the Reboot on must equal the second process's.
    std::vector<std::string> tail(whole.end() - static_cast<long>(second.size()), whole.end());
    INFO("seed " << seed);
    CHECK(tail == second);
    CHECK(tail.front().rfind("Reboot |", 0) == 0);
  }
  for (const char* s : {"", "-wal", "-shm"}) std::remove((path + s).c_str());
}
