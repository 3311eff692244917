// The Wine conformance run: the model against Wine's qmgr through the real adapter, a handful of
// sequences, each verdict backed by the observed trace. Skipped (with the reason) when wine or
// the MinGW build of the adapter is missing. The deviations found are reports/expectations/wine.json.
#include <catch2/catch.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <chrono>
#include <iostream>

#include "model/model.h"
#include "oracle/runner.h"
#include "sut/protocol/wine_sut.h"
#include "vocab/command_text.h"
#include "vocab/observation_text.h"

using namespace bc;

namespace {

std::vector<Command> commands(const std::vector<std::string>& steps) {
  std::vector<Command> out;
  for (const auto& s : steps) out.push_back(parseCommand(s).value());
  return out;
}

// An adapter that breaks (crashes, hangs, cannot start) is the infrastructure failing, not a
// verdict on Wine's BITS: such an attempt is repeated, at most three times in all, with a fresh
// adapter, and each repeat is a WARN in the output. A divergence is never repeated. (The former
// cause of most repeats, a lost wake-up in the coordinator, is fixed: sut/real/reply_queue.h.)
template <typename Body>
void withRetry(Body body) {
  for (int attempt = 1;; ++attempt) {
    try {
      body();
      return;
    } catch (const SutFailure& f) {
      if (attempt == 3) throw;
      WARN("attempt " << attempt << " hit an adapter failure, retrying with a fresh adapter: " << f.what());
    }
  }
}

// A verdict of a broken adapter becomes the exception withRetry repeats on.
Verdict throwIfSutBroke(Verdict v) {
  if (v.kind == RunOutcome::Crashed || v.kind == RunOutcome::TimedOut ||
      v.kind == RunOutcome::ProtocolError)
    throw SutFailure(SutFailure::Kind::Crashed, v.message);
  return v;
}

Verdict runOnWine(const std::vector<std::string>& steps, ProtocolSut& sut) {
  ModelConfig config;
  config.version = sut.capabilities().version;  // the model emulates the version Wine showed
  RunOptions options;
  options.recordTrace = true;
  auto cmds = commands(steps);
  Verdict v = runSequence(cmds, config, sut, options);
  std::cout << describe(v, cmds);
  for (size_t i = 0; i < v.actualTrace.size(); ++i)
    for (const auto& o : v.actualTrace[i]) std::cout << "    wine: " << steps[i] << "  =>  " << formatObservation(o) << "\n";
  return throwIfSutBroke(v);
}

// Skipped with a WARN when wine or the adapter is missing, unless BITSCONFORM_REQUIRE_WINE=1
// (tools/run.sh test, CI): there a missing Wine must turn the test red, not quietly pass.
bool wineMissing() {
  std::string why = wineUnavailableReason();
  if (why.empty()) return false;
  const char* require = std::getenv("BITSCONFORM_REQUIRE_WINE");
  if (require && std::string(require) == "1") FAIL("BITSCONFORM_REQUIRE_WINE=1 but " << why);
  WARN("skipped: " << why);
  return true;
}

}  // namespace

TEST_CASE("wine: the handshake states the probed capabilities with evidence", "[wine][VER-1]") {
  if (wineMissing()) return;
  withRetry([&] {
  auto start = std::chrono::steady_clock::now();
  ProtocolSut sut(wineOptions(""));
  std::cout << "wine handshake: " << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count() << " ms\n";
  const Capabilities& c = sut.capabilities();
  CHECK(c.name == "wine-qmgr");
  CHECK_FALSE(c.networkControl);
  CHECK_FALSE(c.exactModification);
  // Whatever Wine offers, every capability has its evidence, and the version follows the probes.
  for (const char* key : {"notifyClsid", "commandLine", "faults", "networkControl", "serviceRestart", "IBackgroundCopyJob5"})
    CHECK(c.evidence.count(key));
  if (c.evidence.at("IBackgroundCopyJob5").find("E_NOINTERFACE") != std::string::npos) CHECK_FALSE(c.notifyClsid);
  // A capability is absent only where its interface is: Job2 answers QueryInterface, so the
  // command line is declared even though its methods are stubs (their E_NOTIMPL is a failure).
  CHECK(c.evidence.at("IBackgroundCopyJob2") == "QueryInterface(IBackgroundCopyJob2) = S_OK");
  CHECK(c.commandLine);
  CHECK_THAT(c.evidence.at("commandLine"), Catch::Contains("SetNotifyCmdLine = E_NOTIMPL") && Catch::Contains("deviation"));
  CHECK(c.faults);          // the callback objects are the adapter's own
  CHECK(c.serviceRestart);  // the prefix is the adapter's own: the SCM lets it stop and start BITS
  CHECK_THAT(c.evidence.at("serviceRestart"), Catch::Contains("Wine"));
  CHECK(sut.canReset());
  CHECK(sut.close() == 0);
  });
}

TEST_CASE("wine: notification settings conform (flags, interface, identity across apps, final states)",
          "[wine][REG-1][REG-2][REG-6][REG-11][REG-12][FLAG-4][FLAG-5][FLAG-9][FLAG-10][OQ-29]") {
  if (wineMissing()) return;
  withRetry([&] {
  ProtocolSut sut(wineOptions(""));
  auto start = std::chrono::steady_clock::now();
  const std::vector<std::string> steps = {
      // Flags without MODIFICATION: Wine never calls JobModification (EVT-6, expected in wine.json).
      "A1 GetState J1",       "A1 CreateJob J1",          "A1 GetNotifyFlags J1",          "A1 SetNotifyFlags J1 0x13",
      "A1 GetNotifyFlags J1", "A1 SetNotifyFlags J1 0x40",  "A1 GetNotifyInterface J1",
      "A1 SetNotifyInterface J1 o2", "A2 GetNotifyInterface J1", "A1 SetNotifyInterface J1 o4",
      "A2 SetNotifyInterface J1 o3", "A1 GetNotifyInterface J1",
      "A1 SetNotifyInterface J1 NULL", "A1 GetNotifyInterface J1", "A1 GetState J1",
  };
  Verdict v = runOnWine(steps, sut);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  std::cout << "wine: " << steps.size() << " steps in " << ms << " ms (" << ms / long(steps.size()) << " ms per step)\n";
  CHECK(v.kind == RunOutcome::Pass);
  CHECK(v.stepsRun == steps.size());
  });
}

TEST_CASE("wine: an app's exit is a real process exit and the old object stays registered", "[wine][REG-7][OQ-31]") {
  if (wineMissing()) return;
  withRetry([&] {
  ProtocolSut sut(wineOptions(""));
  Verdict v = runOnWine({"A1 CreateJob J1", "A1 SetNotifyInterface J1 o2", "A1 Exit", "A2 GetNotifyFlags J1",
                         "A1 SetNotifyInterface J1 o3", "A2 GetNotifyInterface J1"},
                        sut);
  CHECK(v.kind == RunOutcome::Pass);
  });
}

TEST_CASE("wine: CreateJob of a live name fails with E_INVALIDARG and makes no job and a final job frees it",
          "[wine][harness]") {
  if (wineMissing()) return;
  withRetry([&] {
  ProtocolSut sut(wineOptions(""));
  // semantics.md, CreateJob row (a harness rule: a name is a handle). The flags read back after
  // the refused CreateJobs show J1 is still the first job: a second BITS job would read 0x03.
  Verdict v = runOnWine({"A1 CreateJob J1", "A1 SetNotifyFlags J1 0x0B", "A1 CreateJob J1", "A2 CreateJob J1",
                         "A1 GetNotifyFlags J1", "A1 Cancel J1", "A1 CreateJob J1", "A1 GetNotifyFlags J1"},
                        sut);
  CHECK(v.kind == RunOutcome::Pass);
  REQUIRE(v.actualTrace.size() == 8);
  CHECK(formatObservation(v.actualTrace[2].at(0)) == "-> E_INVALIDARG");
  CHECK(formatObservation(v.actualTrace[3].at(0)) == "-> E_INVALIDARG");
  CHECK(formatObservation(v.actualTrace[4].at(0)) == "-> S_OK flags=0x0B");
  CHECK(formatObservation(v.actualTrace[6].at(0)) == "-> S_OK");
  CHECK(formatObservation(v.actualTrace[7].at(0)) == "-> S_OK flags=0x03");
  });
}

TEST_CASE("wine: known deviations are observed, not assumed (reports/expectations/wine.json)", "[wine][STATE-10][STATE-3][FLAG-10][REG-11]") {
  if (wineMissing()) return;
  withRetry([&] {
  {
    ProtocolSut sut(wineOptions(""));
    Verdict v = runOnWine({"A1 CreateJob J1", "A1 Suspend J1"}, sut);  // STATE-10: Suspend is a stub in Wine
    REQUIRE(v.kind == RunOutcome::Diverged);
    CHECK(v.divergence->step == 1);
    CHECK(formatObservation(v.divergence->actual.at(0)) == "-> E_NOTIMPL");
  }
  for (const char* getter : {"A1 GetNotifyFlags J1 nullout", "A1 GetNotifyInterface J1 nullout"}) {
    // FLAG-10 / REG-11: the NULL out-pointer never reaches qmgr; COM's proxy refuses it.
    ProtocolSut sut(wineOptions(""));
    Verdict v = runOnWine({"A1 CreateJob J1", getter}, sut);
    REQUIRE(v.kind == RunOutcome::Diverged);
    CHECK(formatObservation(v.divergence->actual.at(0)) == "-> 0x800706F4");  // RPC_X_NULL_REF_POINTER
  }
  {
    ProtocolSut sut(wineOptions(""));
    // STATE-3: after Complete, Wine's SetNotifyFlags refuses (conforms) and Complete again too.
    Verdict v = runOnWine({"A1 CreateJob J1", "A1 Complete J1", "A1 SetNotifyFlags J1 0x03", "A1 Complete J1",
                           "A1 SetNotifyInterface J1 o2", "A1 GetState J1"},
                          sut);
    std::cout << "final-state verdict: " << toString(v.kind) << "\n";
    CHECK((v.kind == RunOutcome::Pass || v.kind == RunOutcome::Diverged));
  }
  });
}

// ---- Transfers: the loopback server holds every request until the test's environment command.

namespace {

// Runs `steps` straight through the adapter (also commands whose capability is not declared:
// the adapter implements them, it only does not claim the model's timing for them) and returns
// each step's observations as text (an unsupported step: "unsupported: <why>"), printed as evidence.
std::vector<std::vector<std::string>> traceOnWine(ProtocolSut& sut, const std::vector<std::string>& steps) {
  std::vector<std::vector<std::string>> trace;
  for (const auto& s : steps) {
    Observations out;
    StepResult step = sut.execute(parseCommand(s).value(), out);
    trace.emplace_back();
    if (step.isUnsupported())
      trace.back().push_back("unsupported: " + step.why());
    else
      for (const auto& o : out) trace.back().push_back(formatObservation(o));
    for (const auto& line : trace.back()) std::cout << "    wine: " << s << "  =>  " << line << "\n";
  }
  return trace;
}

bool contains(const std::vector<std::string>& obs, const std::string& text) {
  return std::find(obs.begin(), obs.end(), text) != obs.end();
}

}  // namespace

TEST_CASE("wine: Transfer delivers JobTransferred to the registered object and the last writer across apps wins "
          "and a dead app's object is a silent disconnect",
          "[wine][EVT-1][REG-3][REG-7][DISP-1][OQ-31]") {
  if (wineMissing()) return;
  withRetry([&] {
  ProtocolSut sut(wineOptions(""));
  // seed sample (a), TRANSFERRED half; J2: A2 overwrites A1's registration; J3: A1 exits first.
  Verdict v = runOnWine({"A1 CreateJob J1", "A1 SetNotifyInterface J1 o2", "A1 SetNotifyFlags J1 0x03",
                         "A1 AddFile J1", "A1 Resume J1", "Transfer J1", "A1 GetState J1",
                         "A1 CreateJob J2", "A1 SetNotifyInterface J2 o2", "A1 AddFile J2",
                         "A2 SetNotifyInterface J2 o3", "A1 Resume J2", "Transfer J2",
                         "A1 CreateJob J3", "A1 SetNotifyInterface J3 o2", "A1 AddFile J3", "A1 Resume J3",
                         "A1 Exit", "Transfer J3", "A2 GetState J3"},
                        sut);
  CHECK(v.kind == RunOutcome::Pass);
  REQUIRE(v.actualTrace.size() == 20);
  CHECK(formatObservation(v.actualTrace[5].back()) == "callback A1#1.o2 JobTransferred J1 -> S_OK");
  CHECK(formatObservation(v.actualTrace[12].back()) == "callback A2#1.o3 JobTransferred J2 -> S_OK");
  CHECK(v.actualTrace[18].size() == 1);  // only "-> S_OK": the call to the dead object is not observed
  });
}

TEST_CASE("wine: deviations with transfers are observed (reports/expectations/wine.json)",
          "[wine][EVT-3][EVT-9][FLAG-3][REG-8][CB-14][STATE-8]") {
  if (wineMissing()) return;
  withRetry([&] {
  ProtocolSut sut(wineOptions(""));
  auto t = traceOnWine(sut, {
      "A1 CreateJob J1", "A1 SetNotifyInterface J1 o2", "A1 SetNotifyFlags J1 0x03", "A1 AddFile J1",
      "A1 Resume J1", "FatalError J1", "A1 GetState J1",                                          // 0..6
      "A1 CreateJob J2", "A1 SetNotifyInterface J2 o2", "A1 SetNotifyFlags J2 0x07", "A1 AddFile J2",
      "A1 Resume J2", "Transfer J2",                                                              // 7..12
      "A1 CreateJob J3", "A1 AddFile J3", "A1 Resume J3", "Transfer J3", "A1 SetNotifyInterface J3 o2",  // 13..17
      "A1 CreateJob J4", "A1 SetNotifyInterface J4 o2", "A1 SetNotifyFlags J4 0x0B", "A1 AddFile J4",
      "A1 AddFile J4", "A1 Resume J4", "Progress J4", "Progress J4",                              // 18..25
      "A1 CreateJob J5", "A1 AddFile J5", "A1 Resume J5", "TransientError J5", "A1 GetState J5",  // 26..30
  });
  // EVT-3 / seed (a) ERROR half: the job reaches ERROR (404) but Wine never calls JobError.
  CHECK(t[5] == std::vector<std::string>{"-> S_OK"});
  CHECK(t[6] == std::vector<std::string>{"-> S_OK state=ERROR"});
  // FLAG-3: DISABLE (0x04) is ignored, JobTransferred still comes.
  CHECK(contains(t[12], "callback A1#1.o2 JobTransferred J2 -> S_OK"));
  // REG-8 / CB-14: registering after TRANSFERRED delivers nothing.
  CHECK(t[17] == std::vector<std::string>{"-> S_OK"});
  // EVT-9: no FileTransferred to an IBackgroundCopyCallback2 object, only the job-level event.
  CHECK(t[24] == std::vector<std::string>{"-> S_OK"});
  CHECK(t[25] == std::vector<std::string>{"-> S_OK", "callback A1#1.o2 JobTransferred J4 -> S_OK"});
  // STATE-8: a 503 is fatal in Wine (ERROR), not TRANSIENT_ERROR.
  CHECK(t[30] == std::vector<std::string>{"-> S_OK state=ERROR"});
  });
}

TEST_CASE("wine: late registration (REG-8) through the runner diverges where wine.json says", "[wine][REG-8]") {
  if (wineMissing()) return;
  withRetry([&] {
  ProtocolSut sut(wineOptions(""));
  Verdict v = runOnWine({"A1 CreateJob J1", "A1 AddFile J1", "A1 Resume J1", "Transfer J1", "A1 SetNotifyInterface J1 o2"}, sut);
  REQUIRE(v.kind == RunOutcome::Diverged);
  CHECK(v.divergence->step == 4);  // the model re-arms and delivers JobTransferred here; Wine does not
  });
}

// ---- The CLSID path (com_server.h): Wine has no IBackgroundCopyJob5, so BITS never activates a
// class there; what can be tested is the adapter's own server: registration, activation by
// CoCreateInstance(CLSCTX_LOCAL_SERVER), recording, and that no key survives a run or a kill.

namespace {

std::string wineEnv() {
  std::string env;
  for (const auto& [k, v] : wineOptions("").setEnv) env += k + "='" + v + "' ";
  return "env -u DISPLAY " + env;
}

std::string runWine(const std::string& args) {
  std::string cmd = wineEnv() + "timeout 60 wine '" + findWineAdapter() + "' " + args + " 2>/dev/null";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[512];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
  }
  std::cout << "$ wine adapter " << args << "\n" << out;
  return out;
}

bool classKeyExists(const std::string& hive, char letter) {
  // guidOf(ClassX) = {B17C0F00-0000-4000-8000-00000000000N}
  std::string key = hive + "\\Software\\Classes\\CLSID\\{B17C0F00-0000-4000-8000-00000000000" + std::to_string(letter - 'A' + 1) + "}";
  std::string cmd = wineEnv() + "timeout 60 wine reg query '" + key + "' >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

}  // namespace

TEST_CASE("wine: the adapter's COM server is activated out of process, records, and leaves no key",
          "[wine][CLSID]") {
  if (wineMissing()) return;
  withRetry([&] {
  std::string out = runWine("clsid-selftest");
  CHECK(out.find("register-per-user: 0") != std::string::npos);
  // Evidence kept in the report: Wine's HKEY_CLASSES_ROOT does not merge HKCU\Software\Classes.
  CHECK((out.find("activate-per-user: S_OK") != std::string::npos ||
         out.find("activate-machine: S_OK") != std::string::npos));
  CHECK(out.find("call: S_OK") != std::string::npos);
  CHECK(out.find("log: A ClsidA ") != std::string::npos);                        // the activation
  CHECK(out.find("log: C ClsidA ") != std::string::npos);                        // the call
  CHECK(out.find("identity: ClsidA #1") != std::string::npos);  // IPersist across processes (GetNotifyInterface)
  // The coordinator's parser (server_log.h) on the real server's lines; no job in a self-test: J0.
  CHECK(out.find("observed: activate ClsidA J0 -> S_OK ClsidA#1") != std::string::npos);
  CHECK(out.find("observed: callback ClsidA#1 JobTransferred J0 -> S_OK") != std::string::npos);
  CHECK(out.find("keys-left: 0") != std::string::npos);
  CHECK_FALSE(classKeyExists("HKCU", 'A'));
  CHECK_FALSE(classKeyExists("HKLM", 'A'));
  });
}

TEST_CASE("wine: class keys of a killed run are removed by the next start (marker = owner pid)", "[wine][CLSID]") {
  if (wineMissing()) return;
  withRetry([&] {
  std::string cmd = "exec " + wineEnv() + "wine '" + findWineAdapter() + "' clsid-selftest hold";
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  std::string out;
  char buf[256];
  ssize_t n;
  while (out.find("registered") == std::string::npos && (n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, n);
  kill(pid, SIGKILL);  // a crash: no cleanup of its own
  waitpid(pid, nullptr, 0);
  close(fds[0]);
  std::cout << out;
  REQUIRE(out.find("registered") != std::string::npos);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  CHECK(classKeyExists("HKCU", 'A'));  // the kill left them behind...
  CHECK(classKeyExists("HKLM", 'B'));
  std::string cleaned = runWine("cleanup");
  CHECK(cleaned.find("removed 2 leftover class registration(s)") != std::string::npos);
  CHECK_FALSE(classKeyExists("HKCU", 'A'));  // ...and the next start removed them
  CHECK_FALSE(classKeyExists("HKLM", 'B'));
  });
}

// The coordinator drives the CLSID commands itself (RegisterServer/UnregisterServer,
// Set/GetNotifyClsid). notifyClsid stays false on Wine, so the runner never sends them there:
// these steps go straight to the adapter, like traceOnWine's.
TEST_CASE("wine: RegisterServer/UnregisterServer write and remove the class keys and Set/GetNotifyClsid answer "
          "E_NOINTERFACE without IBackgroundCopyJob5 and bye leaves no key",
          "[wine][CLSID][CLSID-11][VER-4]") {
  if (wineMissing()) return;
  withRetry([&] {
  ProtocolSut sut(wineOptions(""));
  REQUIRE(sut.capabilities().evidence.at("IBackgroundCopyJob5").find("E_NOINTERFACE") != std::string::npos);
  CHECK_FALSE(sut.capabilities().notifyClsid);
  CHECK(sut.capabilities().evidence.at("notifyClsid").find("E_NOINTERFACE") != std::string::npos);
  auto t = traceOnWine(sut, {"RegisterServer ClsidA ok", "RegisterServer ClsidB ok", "A1 CreateJob J1",
                             "A1 SetNotifyClsid J1 ClsidA", "A1 GetNotifyClsid J1", "A1 SetNotifyClsid J1 GUID_NULL"});
  CHECK(t[0] == std::vector<std::string>{"-> S_OK"});
  CHECK(t[1] == std::vector<std::string>{"-> S_OK"});
  CHECK(t[3] == std::vector<std::string>{"-> E_NOINTERFACE"});  // BITS < 5.0: the QI is the answer
  CHECK(t[4] == std::vector<std::string>{"-> E_NOINTERFACE"});
  CHECK(t[5] == std::vector<std::string>{"-> E_NOINTERFACE"});
  // Per user, and (Wine only) the machine hive its HKEY_CLASSES_ROOT reads.
  CHECK(classKeyExists("HKCU", 'A'));
  CHECK(classKeyExists("HKLM", 'A'));
  CHECK(traceOnWine(sut, {"UnregisterServer ClsidA"})[0] == std::vector<std::string>{"-> S_OK"});
  CHECK_FALSE(classKeyExists("HKCU", 'A'));
  CHECK_FALSE(classKeyExists("HKLM", 'A'));
  CHECK(classKeyExists("HKCU", 'B'));  // the other class is untouched
  CHECK(sut.close() == 0);
  CHECK_FALSE(classKeyExists("HKCU", 'B'));  // bye removed the run's own keys
  CHECK_FALSE(classKeyExists("HKLM", 'B'));
  });
}

TEST_CASE("wine: a killed adapter's RegisterServer keys are removed by the next adapter's start", "[wine][CLSID]") {
  if (wineMissing()) return;
  withRetry([&] {
  {
    ProtocolSut sut(wineOptions(""));
    CHECK(traceOnWine(sut, {"RegisterServer ClsidC ok"})[0] == std::vector<std::string>{"-> S_OK"});
    REQUIRE(classKeyExists("HKCU", 'C'));
    kill(-sut.pid(), SIGKILL);  // a crash: no bye, no cleanup of its own
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));
  CHECK(classKeyExists("HKCU", 'C'));  // the kill left it behind...
  ProtocolSut next(wineOptions(""));
  auto e = next.capabilities().evidence.find("cleanup-classes-at-start");
  REQUIRE(e != next.capabilities().evidence.end());
  CHECK(e->second.find("ClsidC") != std::string::npos);
  CHECK_FALSE(classKeyExists("HKCU", 'C'));  // ...and the next start removed it (both hives)
  CHECK_FALSE(classKeyExists("HKLM", 'C'));
  CHECK(next.close() == 0);
  });
}

// ---- Issue 14: the command line judged, callback behaviours, ServiceRestart, reset.

TEST_CASE("wine: SetNotifyCmdLine's E_NOTIMPL is a CMD failure and not a missing capability", "[wine][CMD-1][CMD-14]") {
  if (wineMissing()) return;
  withRetry([&] {
  ProtocolSut sut(wineOptions(""));
  Verdict v = runOnWine({"A1 CreateJob J1", "A1 SetNotifyCmdLine J1 ok args"}, sut);
  REQUIRE(v.kind == RunOutcome::Diverged);
  CHECK(v.divergence->step == 1);
  CHECK(formatObservation(v.divergence->actual.at(0)) == "-> E_NOTIMPL");
  CHECK(v.divergence->comparison.rules.has(Rule::CMD_1));
  });
}

TEST_CASE("wine: the app's objects answer fail and failonce and sfalse as told through a real transfer",
          "[wine][CB-1][DISP-4][OQ-7]") {
  if (wineMissing()) return;
  withRetry([&] {
  ProtocolSut sut(wineOptions(""));
  Verdict v = runOnWine({"A1 CreateJob J1", "A1 Behave o2 fail", "A1 SetNotifyInterface J1 o2", "A1 AddFile J1",
                         "A1 Resume J1", "Transfer J1",                                                      // 0..5
                         "A1 CreateJob J2", "A1 Behave o3 failonce", "A1 SetNotifyInterface J2 o3", "A1 AddFile J2",
                         "A1 Resume J2", "Transfer J2",                                                      // 6..11
                         "A1 CreateJob J3", "A1 Behave o1 sfalse", "A1 SetNotifyInterface J3 o1", "A1 AddFile J3",
                         "A1 Resume J3", "Transfer J3"},                                                     // 12..17
                        sut);
  REQUIRE(v.actualTrace.size() == 18);
  CHECK(formatObservation(v.actualTrace[5].back()) == "callback A1#1.o2 JobTransferred J1 -> E_FAIL");
  CHECK(formatObservation(v.actualTrace[11].back()) == "callback A1#1.o3 JobTransferred J2 -> E_FAIL");
  CHECK(formatObservation(v.actualTrace[17].back()) == "callback A1#1.o1 JobTransferred J3 -> S_FALSE");
  CHECK(v.kind == RunOutcome::Pass);
  });
}

TEST_CASE("wine: a crash behaviour ends the app inside the call and its next command starts a new incarnation",
          "[wine][REG-7][REG-12][OQ-31]") {
  if (wineMissing()) return;
  withRetry([&] {
  ProtocolSut sut(wineOptions(""));
  Verdict v = runOnWine({"A1 CreateJob J1", "A1 Behave o3 crash", "A1 SetNotifyInterface J1 o3", "A1 AddFile J1",
                         "A1 Resume J1", "Transfer J1", "A1 CreateJob J2", "A1 SetNotifyInterface J2 o2",
                         "A2 GetNotifyInterface J2", "A2 GetNotifyInterface J1"},
                        sut);
  REQUIRE(v.actualTrace.size() == 10);
  CHECK(formatObservation(v.actualTrace[5].back()) == "callback A1#1.o3 JobTransferred J1 -> crash");
  CHECK(formatObservation(v.actualTrace[8].at(0)) == "-> S_OK iface=A1#2.o2");
  // A deviation (wine.json, REG-12): the crash was a disconnect, which empties the slot in the
  // model; qmgr keeps the dead proxy, and handing it to A2 fails.
  REQUIRE(v.kind == RunOutcome::Diverged);
  CHECK(v.divergence->step == 9);
  CHECK(formatObservation(v.divergence->actual.at(0)) == "-> RPC_S_SERVER_UNAVAILABLE");
  });
}

TEST_CASE("wine: a hung callback holds qmgr's one transfer thread until the app exits", "[wine][CB-12]") {
  if (wineMissing()) return;
  withRetry([&] {
  ProtocolSut sut(wineOptions(""));
  auto t = traceOnWine(sut, {"A1 CreateJob J1", "A1 Behave o2 hang", "A1 SetNotifyInterface J1 o2", "A1 AddFile J1",
                             "A1 Resume J1", "Transfer J1", "A2 CreateJob J2", "A2 AddFile J2", "A2 Resume J2"});
  CHECK(t[5] == std::vector<std::string>{"-> S_OK", "callback A1#1.o2 JobTransferred J1 -> hang"});
  // While the call hangs, Wine requests nothing for J2: the world's Transfer cannot happen.
  auto held = traceOnWine(sut, {"Transfer J2"});
  REQUIRE(held[0].size() == 1);
  CHECK_THAT(held[0][0], Catch::StartsWith("unsupported: ") && Catch::Contains("hangs"));
  auto after = traceOnWine(sut, {"A1 Exit", "Transfer J2", "A2 GetState J2"});  // the exit ends the hung call
  CHECK(after[1] == std::vector<std::string>{"-> S_OK"});
  CHECK(after[2] == std::vector<std::string>{"-> S_OK state=TRANSFERRED"});
  });
}

TEST_CASE("wine: ServiceRestart stops and starts qmgr which keeps no job across it", "[wine][REG-4][REG-12]") {
  if (wineMissing()) return;
  withRetry([&] {
  ProtocolSut sut(wineOptions(""));
  auto t = traceOnWine(sut, {"A1 CreateJob J1", "A1 SetNotifyFlags J1 0x0B", "A1 SetNotifyInterface J1 o2",
                             "ServiceRestart", "A1 GetNotifyFlags J1", "A2 GetState J1", "A1 CreateJob J2",
                             "A1 GetNotifyFlags J2"});
  CHECK(t[3] == std::vector<std::string>{"-> S_OK"});
  // What qmgr keeps (reports/expectations/wine.json, REG-12): nothing, the job is gone...
  CHECK(t[4] == std::vector<std::string>{"-> BG_E_NOT_FOUND"});
  CHECK(t[5] == std::vector<std::string>{"-> BG_E_NOT_FOUND"});
  // ...and the restarted service answers every app again.
  CHECK(t[6] == std::vector<std::string>{"-> S_OK"});
  CHECK(t[7] == std::vector<std::string>{"-> S_OK flags=0x03"});
  });
}

TEST_CASE("wine: reset gives the next test case a fresh world in the same adapter process", "[wine][harness]") {
  if (wineMissing()) return;
  withRetry([&] {
  ProtocolSut sut(wineOptions(""));
  pid_t pid = sut.pid();
  traceOnWine(sut, {"A1 CreateJob J1", "A1 SetNotifyFlags J1 0x0B", "A1 Behave o2 fail", "A2 Exit", "A2 CreateJob J2",
                    "A3 CreateJob J3", "A3 Behave o1 hang", "A3 SetNotifyInterface J3 o1", "A3 AddFile J3", "A3 Resume J3",
                    "Transfer J3"});
  sut.reset();
  CHECK(sut.pid() == pid);
  Verdict v = runOnWine({"A1 GetState J1", "A1 CreateJob J1", "A1 GetNotifyFlags J1", "A2 SetNotifyInterface J1 o2",
                         "A2 GetNotifyInterface J1", "A1 SetNotifyInterface J1 o2", "A1 AddFile J1", "A1 Resume J1",
                         "Transfer J1"},
                        sut);
  CHECK(v.kind == RunOutcome::Pass);  // no job, default flags, incarnation 1, objects answer ok, no hang
  REQUIRE(v.actualTrace.size() == 9);
  CHECK(formatObservation(v.actualTrace[0].at(0)) == "-> BG_E_NOT_FOUND");
  CHECK(formatObservation(v.actualTrace[4].at(0)) == "-> S_OK iface=A2#1.o2");
  CHECK(formatObservation(v.actualTrace[8].back()) == "callback A1#1.o2 JobTransferred J1 -> S_OK");
  });
}

TEST_CASE("wine: with the model's prediction an extra callback is still caught in its own step", "[wine][FLAG-3][DISP-1]") {
  if (wineMissing()) return;
  withRetry([&] {
  ProtocolSut sut(wineOptions(""));
  // DISABLE: the model predicts nothing for Transfer; Wine calls back anyway (wine.json FLAG-3).
  Verdict v = runOnWine({"A1 CreateJob J1", "A1 SetNotifyInterface J1 o2", "A1 SetNotifyFlags J1 0x07", "A1 AddFile J1",
                         "A1 Resume J1", "Transfer J1"},
                        sut);
  REQUIRE(v.kind == RunOutcome::Diverged);
  CHECK(v.divergence->step == 5);
  CHECK(formatObservation(v.divergence->actual.back()) == "callback A1#1.o2 JobTransferred J1 -> S_OK");
  CHECK(v.divergence->comparison.rules.has(Rule::FLAG_3));
  });
}
