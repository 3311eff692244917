// bitsconf against hostile or careless input (issue 16): whatever a scenario file, an adapter or
// a command line does, the command ends with the exit code the README promises, a message, and
// (once work ran) a results file on disk, in bounded time and memory.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

#include "tools/cli_testing.h"
#include "results/results.h"
#include "sut/protocol/process_group_testing.h"
#include "vocab/utf8.h"

namespace fs = std::filesystem;

namespace {

struct Ran {
  int code = -1;            // the exit code, or 128 + the signal that ended it
  bool killed = false;      // it died of a signal (did not exit)
  std::string out, err;
  double seconds = 0;
  long maxRssKiB = 0;
};

using bc::testing::readAll;

fs::path scratch(const std::string& name) { return bc::testing::freshScratch("bitsconf-hostile", name); }

void writeFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// Runs bitsconf with `args` (no shell: each word as given), measuring its time and peak memory.
// `whileRunning` is called with its pid once it started (to send it signals).
Ran bitsconf(const std::vector<std::string>& args, const fs::path& dir,
             const std::function<void(pid_t)>& whileRunning = {}) {
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    int out = ::open((dir / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = ::open((dir / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> argv{const_cast<char*>(BITSCONF_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(BITSCONF_BINARY, argv.data());
    _exit(127);
  }
  if (whileRunning) whileRunning(pid);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  Ran r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.killed = WIFSIGNALED(status);
  r.out = readAll(dir / "stdout");
  r.err = readAll(dir / "stderr");
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.maxRssKiB = usage.ru_maxrss;
  return r;
}

const std::string kGood = "scenario: Create and read the flags\nrules: FLAG-9\n\nA1 CreateJob J1\nA1 GetNotifyFlags J1\n"
                          "  expect -> S_OK flags=0x03\n";

std::vector<std::string> quick(const fs::path& scenarios, const fs::path& out) {
  return {"run", "--no-properties", "--no-progress", "--mutants", "off", "--covering-set", "off", "--scenarios",
          scenarios.string(), "--out", out.string()};
}

std::vector<std::string> operator+(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

TEST_CASE("bytes that are not UTF-8 never abort a run: the results are written, the good files run",
          "[cli][hostile][utf8]") {
  fs::path d = scratch("utf8");
  writeFile(d / "s/good.scenario", kGood);
  writeFile(d / "s/latin1.scenario", "scenario: Caf\xE9 cr\xE8me\nrules: FLAG-9\n\nA1 CreateJob J1\n");
  writeFile(d / "s/broken.scenario", "scenario: broken\nrules: FLAG-9\n\nA1 CreateJob J\xE9\n");
  writeFile(d / "s/na\xEFve.scenario", kGood);  // a file name that is not UTF-8 either
  Ran r = bitsconf(quick(d / "s", d / "r.json") + std::vector<std::string>{"--sut", "model"}, d);
  CHECK(r.code == 2);  // the broken file is an input error; the others ran
  CHECK(r.err.find("broken.scenario:4:14: bad job 'J\xEF\xBF\xBD'") != std::string::npos);
  std::string json = readAll(d / "r.json");
  CHECK(bc::isValidUtf8(json));
  bc::Results results = bc::readResultsFile((d / "r.json").string()).value();
  CHECK(results.complete);
  REQUIRE(results.scenarios.size() == 3);
  bool latin = false;
  for (const auto& s : results.scenarios) {
    CHECK(s.status == bc::RunOutcome::Pass);
    latin |= s.title == "Caf\xEF\xBF\xBD cr\xEF\xBF\xBDme";
  }
  CHECK(latin);
  REQUIRE(results.inputErrors.size() == 1);
}

TEST_CASE("a run that would run nothing is a usage error (exit 2), and says why", "[cli][hostile]") {
  fs::path d = scratch("nothing");
  writeFile(d / "s/good.scenario", kGood);
  writeFile(d / "notafolder", "x");
  fs::create_directories(d / "empty");
  struct Case {
    std::vector<std::string> args;
    const char* says;
  } cases[] = {
      {quick(d / "mistyped", d / "r.json"), "--scenarios: " },
      {quick(d / "notafolder", d / "r.json"), "notafolder: not a folder"},
      {quick(d / "empty", d / "r.json"), "no .scenario file under"},
      {{"run", "--sut", "model", "--no-scenarios", "--no-properties", "--covering-set", "off", "--out", (d / "r.json").string()},
       "nothing to run"},
      {{"run", "--sut", "model", "--no-scenarios", "--cases", "0", "--covering-set", "off", "--out", (d / "r.json").string()},
       "nothing to run"},
      {{"run", "--sut", "model", "--no-scenarios", "--cases", "-5", "--out", (d / "r.json").string()}, "--cases"},
      {quick(d / "s", d / "r.json") + std::vector<std::string>{"--sut", "model", "--rules", "CMD-1"}, "nothing to run"},
      {quick(d / "s", d / "r.json") + std::vector<std::string>{"--seed", "-1"}, "--seed"},
      {quick(d / "s", d / "r.json") + std::vector<std::string>{"--shard", "1/99999999999999999999"}, "--shard wants K/N"},
      {quick(d / "s", d / "r.json") + std::vector<std::string>{"--retry-sut-failures", "-1"}, "--retry-sut-failures"},
  };
  for (const auto& c : cases) {
    std::string line;
    for (const auto& a : c.args) line += a + " ";
    INFO(line);
    Ran r = bitsconf(c.args, d);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains(c.says));
    CHECK_FALSE(fs::exists(d / "r.json"));  // nothing was claimed
  }
  CHECK_THAT(bitsconf(quick(d / "mistyped", d / "r.json"), d).err, Catch::Contains("mistyped: no such folder"));
}

TEST_CASE("the output file (--out) is never a device, a folder or another run's temporary file", "[cli][hostile]") {
  fs::path d = scratch("out");
  writeFile(d / "s/good.scenario", kGood);
  REQUIRE(::mkfifo((d / "fifo").c_str(), 0600) == 0);
  Ran fifo = bitsconf(quick(d / "s", d / "fifo") + std::vector<std::string>{"--sut", "model"}, d);
  CHECK(fifo.code == 2);
  CHECK_THAT(fifo.err, Catch::Contains("it is a FIFO"));
  CHECK(fs::is_fifo(d / "fifo"));
  // Run as root, renaming over /dev/null replaced the system's /dev/null. Never aimed at the
  // real one here (a regression would break the machine): a link to it (the old code replaced
  // the link), and, as root, a private node of the same device.
  fs::create_symlink("/dev/null", d / "null-link");
  Ran null = bitsconf(quick(d / "s", d / "null-link") + std::vector<std::string>{"--sut", "model"}, d);
  CHECK(null.code == 2);
  CHECK_THAT(null.err, Catch::Contains("/dev/null: refusing to replace it (" + (d / "null-link").string() +
                                       " leads there): it is a character device"));
  CHECK(fs::is_symlink(d / "null-link"));
  if (::mknod((d / "devnull").c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0) {
    Ran node = bitsconf(quick(d / "s", d / "devnull") + std::vector<std::string>{"--sut", "model"}, d);
    CHECK(node.code == 2);
    CHECK(fs::is_character_file(d / "devnull"));
  }
  // A link is followed; the report files go the same way.
  fs::create_directories(d / "real");
  fs::create_symlink("real/r.json", d / "link.json");
  Ran link = bitsconf(quick(d / "s", d / "link.json") + std::vector<std::string>{"--sut", "model"}, d);
  CHECK(link.code == 0);
  CHECK(fs::is_symlink(d / "link.json"));
  CHECK(bc::readResultsFile((d / "real/r.json").string()).value().complete);
  Ran report = bitsconf({"report", (d / "link.json").string(), "--html", (d / "fifo").string()}, d);
  CHECK(report.code == 2);
  CHECK(fs::is_fifo(d / "fifo"));
}

TEST_CASE("hostile adapters through bitsconf run: exit 3, results on disk, bounded time and memory",
          "[cli][hostile]") {
  fs::path d = scratch("adapters");
  writeFile(d / "s/good.scenario", kGood);
  struct Case {
    const char* mode;
    const char* status;  // of the scenario; "" when the SUT never started
  } cases[] = {
      {"deephello", ""},    {"nohello", ""},        {"deepresult", "protocol-error"},
      {"flood", "protocol-error"}, {"badutf8", "protocol-error"}, {"errorobject", "crashed"},
      {"wrongtypes", "protocol-error"}, {"longline", "protocol-error"}, {"garbage", "protocol-error"},
      {"exit", "crashed"},  {"abort", "crashed"},
  };
  for (const auto& c : cases) {
    INFO(c.mode);
    fs::remove(d / "r.json");
    Ran r = bitsconf(quick(d / "s", d / "r.json") +
                         std::vector<std::string>{"--sut", std::string("agent:") + FAULT_ADAPTER_BINARY + " " + c.mode},
                     d);
    CHECK(r.code == 3);
    CHECK(r.seconds < 10);
    CHECK(r.maxRssKiB < 200 * 1024);
    REQUIRE(fs::exists(d / "r.json"));
    CHECK(bc::isValidUtf8(readAll(d / "r.json")));
    bc::Results results = bc::readResultsFile((d / "r.json").string()).value();
    if (*c.status) {
      REQUIRE(results.scenarios.size() == 1);
      CHECK(toString(results.scenarios[0].status) == c.status);
      CHECK(results.complete);
    } else {
      CHECK(results.scenarios.empty());
      CHECK_THAT(results.notes.at(0), Catch::StartsWith("the SUT failed to start: "));
    }
  }
  // An adapter that cannot be executed is not a SUT failure: nothing ran (exit 2).
  Ran missing = bitsconf(quick(d / "s", d / "r.json") + std::vector<std::string>{"--sut", "agent:/nonexistent/adapter"}, d);
  CHECK(missing.code == 2);
  CHECK_THAT(missing.err, Catch::Contains("cannot execute the adapter '/nonexistent/adapter': No such file or directory"));
}

TEST_CASE("replay: a SUT that fails is exit 3, garbage to reproduce is exit 2", "[cli][hostile]") {
  fs::path d = scratch("replay");
  writeFile(d / "good.scenario", kGood);
  Ran nohello = bitsconf({"replay", (d / "good.scenario").string(), "--sut",
                          std::string("agent:") + FAULT_ADAPTER_BINARY + " nohello"}, d);
  CHECK(nohello.code == 3);
  CHECK_THAT(nohello.err, Catch::Contains("the SUT failed to start"));
  Ran crash = bitsconf({"replay", (d / "good.scenario").string(), "--sut",
                        std::string("agent:") + FAULT_ADAPTER_BINARY + " exit 1"}, d);
  CHECK(crash.code == 3);
  Ran missing = bitsconf({"replay", (d / "good.scenario").string(), "--sut", "agent:/nonexistent/adapter"}, d);
  CHECK(missing.code == 2);
  CHECK_THAT(missing.err, Catch::Contains("/nonexistent/adapter': No such file or directory"));
  Ran garbage = bitsconf({"replay", "--property", "precedence", "--reproduce", "garbage"}, d);
  CHECK(garbage.code == 2);
  CHECK_THAT(garbage.err, Catch::Contains("--reproduce: not a reproduce string"));
  CHECK(garbage.out.find("no longer reproduces") == std::string::npos);
  Ran seed = bitsconf({"replay", "--property", "precedence", "--reproduce", "x", "--seed", "-1"}, d);
  CHECK(seed.code == 2);
}

TEST_CASE("SIGINT, SIGTERM and SIGHUP: every adapter group killed and reaped, results complete: false, 128 + signal",
          "[cli][hostile][signals]") {
  fs::path d = scratch("signals");
  writeFile(d / "s/good.scenario", kGood);
  struct Case {
    int sig;
    const char* mode;  // a busy adapter: it hangs at step 2, with children of its own for forkbomb
    const char* name;
  } cases[] = {{SIGINT, "forkbomb", "SIGINT"}, {SIGTERM, "hang", "SIGTERM"}, {SIGHUP, "hanghello", "SIGHUP"}};
  for (const auto& c : cases) {
    INFO(c.name << " while the adapter is in " << c.mode);
    fs::remove(d / "r.json");
    fs::remove(d / "adapter.pid");
    ::setenv("PIDFILE", (d / "adapter.pid").c_str(), 1);
    pid_t adapter = 0;
    Ran r = bitsconf(quick(d / "s", d / "r.json") +
                         std::vector<std::string>{"--sut", std::string("agent:") + FAULT_ADAPTER_BINARY + " " + c.mode},
                     d, [&](pid_t runner) {
                       // Once the adapter runs (and, past its hello, is stuck in step 2), interrupt the runner.
                       for (int i = 0; i < 500 && adapter == 0; ++i) {
                         std::this_thread::sleep_for(std::chrono::milliseconds(10));
                         std::ifstream(d / "adapter.pid") >> adapter;
                       }
                       std::this_thread::sleep_for(std::chrono::milliseconds(300));
                       kill(runner, c.sig);
                     });
    ::unsetenv("PIDFILE");
    REQUIRE(adapter > 0);
    CHECK_FALSE(r.killed);  // it handled the signal
    CHECK(r.code == 128 + c.sig);
    CHECK(r.seconds < 5);   // not the step timeout (10 s)
    CHECK_THAT(r.err, Catch::Contains(std::string("interrupted by ") + c.name + ": every adapter killed"));
    // No member of the adapter's group is left: the adapter, its children, not even a zombie child.
    CHECK(kill(adapter, 0) != 0);
    CHECK(bc::testing::groupGoneWithin(adapter, std::chrono::seconds(5)));
    REQUIRE(fs::exists(d / "r.json"));
    bc::Results results = bc::readResultsFile((d / "r.json").string()).value();
    CHECK_FALSE(results.complete);
    REQUIRE_FALSE(results.notes.empty());
    CHECK_THAT(results.notes.back(), Catch::StartsWith(std::string("interrupted by ") + c.name));
  }
}

TEST_CASE("negative numbers are refused where a count or a seed is meant, in every subcommand", "[cli][hostile]") {
  fs::path d = scratch("numbers");
  for (const auto& args : std::vector<std::vector<std::string>>{{"explore", "--seed", "-1"},
                                                                {"mutants", "--seed", "-1"},
                                                                {"mutants", "--cases", "-3"},
                                                                {"explore", "--random-commands", "-10"}}) {
    INFO(args[0] << " " << args[1] << " " << args[2]);
    Ran r = bitsconf(args, d);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains(args[1]));
  }
}

TEST_CASE("replay interrupted: the adapter's group is killed too", "[cli][hostile][signals]") {
  fs::path d = scratch("replay-signal");
  writeFile(d / "good.scenario", kGood);
  ::setenv("PIDFILE", (d / "adapter.pid").c_str(), 1);
  pid_t adapter = 0;
  Ran r = bitsconf({"replay", (d / "good.scenario").string(), "--sut", std::string("agent:") + FAULT_ADAPTER_BINARY + " forkbomb"},
                   d, [&](pid_t runner) {
                     for (int i = 0; i < 500 && adapter == 0; ++i) {
                       std::this_thread::sleep_for(std::chrono::milliseconds(10));
                       std::ifstream(d / "adapter.pid") >> adapter;
                     }
                     std::this_thread::sleep_for(std::chrono::milliseconds(300));
                     kill(runner, SIGTERM);
                   });
  ::unsetenv("PIDFILE");
  REQUIRE(adapter > 0);
  CHECK_FALSE(r.killed);
  CHECK(r.code == 143);
  CHECK(bc::testing::groupGoneWithin(adapter, std::chrono::seconds(5)));
}
