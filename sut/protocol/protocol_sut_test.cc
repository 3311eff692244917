#include "sut/protocol/protocol_sut.h"

#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sut/protocol/adapter_server.h"
#include "sut/protocol/json_line.h"
#include "sut/protocol/protocol_message.h"
#include "sut/protocol/process_group_testing.h"
#include "vocab/command_text.h"
#include "vocab/observation_text.h"
#include "vocab/utf8.h"

using namespace bc;
using bc::testing::groupAlive;
using bc::testing::groupGoneWithin;

namespace {

Command cmd(const std::string& text) { return parseCommand(text).value(); }

std::vector<std::string> run(Sut& sut, const std::vector<std::string>& steps) {
  std::vector<std::string> lines;
  for (const auto& s : steps) {
    Observations obs;
    const StepResult step = sut.execute(cmd(s), obs);  // a SutFailure goes to the caller
    REQUIRE(step.isDone());
    std::string line;
    for (const auto& o : obs) line += (line.empty() ? "" : " ; ") + formatObservation(o);
    lines.push_back(line);
  }
  return lines;
}

ProtocolOptions python(std::vector<std::string> extra = {}) {
  ProtocolOptions o;
  o.argv = {"python3", BITSCONFORM_SOURCE_DIR "/sut/protocol/examples/tiny_adapter.py"};
  o.argv.insert(o.argv.end(), extra.begin(), extra.end());
  return o;
}

ProtocolOptions fault(const std::string& mode, int at = 2) {
  ProtocolOptions o;
  o.argv = {FAULT_ADAPTER, mode, std::to_string(at)};
  o.stepTimeoutMs = 400;
  o.settleDeadlineMs = 100;
  o.settleMarginMs = 300;
  o.handshakeTimeoutMs = 1000;
  return o;
}

bool alive(pid_t pid) { return kill(pid, 0) == 0; }

// Runs three steps on a fault adapter; returns the failure it must raise.
SutFailure failureOf(ProtocolOptions options) {
  try {
    ProtocolSut sut(options);
    run(sut, {"A1 CreateJob J1", "A1 AddFile J1", "A1 GetState J1"});
  } catch (const SutFailure& f) {
    return f;
  }
  FAIL("the adapter's misbehaviour was not detected");
  return SutFailure(SutFailure::Kind::Internal, "");
}

// A fault adapter's mode, the verdict kind it must get and what the message must quote.
struct FaultCase {
  const char* mode;
  SutFailure::Kind kind;
  const char* says;
};

}  // namespace

TEST_CASE("splitCommandLine splits like a shell, without expansion", "[protocol]") {
  CHECK(splitCommandLine("a b  c") == std::vector<std::string>{"a", "b", "c"});
  CHECK(splitCommandLine(R"(x 'two words' "say \"hi\"" back\ slash)") ==
        std::vector<std::string>{"x", "two words", "say \"hi\"", "back slash"});
  CHECK_THROWS_AS(splitCommandLine("a 'open"), std::invalid_argument);
  CHECK_THROWS_AS(splitCommandLine("   "), std::invalid_argument);
}

TEST_CASE("a Python adapter speaks the protocol: handshake and capabilities", "[protocol]") {
  ProtocolSut sut(python());
  const Capabilities& c = sut.capabilities();
  CHECK(c.name == "tiny-python");
  CHECK(c.version == BitsVersion::V10_3);
  CHECK_FALSE(c.commandLine);
  CHECK_FALSE(c.notifyClsid);
  CHECK_FALSE(c.networkControl);
  CHECK_FALSE(c.exactModification);  // it never sends JobModification
  CHECK(c.evidence.at("networkControl") == "simulated world without a network");
  CHECK_FALSE(c.supports(cmd("Connect J1")));
  CHECK(c.supports(cmd("Transfer J1")));  // needs no capability: every adapter carries it out
  CHECK(sut.canReset());
  CHECK(sut.close() == 0);  // bye: a clean exit
}

TEST_CASE("a Python adapter delivers what Transfer owes to the registered object and re-arms on a late registration",
          "[protocol][EVT-1][EVT-9][REG-7][REG-8][FLAG-3]") {
  ProtocolSut sut(python());
  auto lines = run(sut, {"A1 CreateJob J1", "A1 SetNotifyFlags J1 0x13", "A1 SetNotifyInterface J1 o2", "A1 AddFile J1",
                         "A1 AddFile J1", "A1 Resume J1", "Transfer J1", "Transfer J1",                    // 0..7
                         "A1 CreateJob J2", "A1 AddFile J2", "A1 Resume J2", "Transfer J2",                  // 8..11
                         "A2 SetNotifyInterface J2 o3", "A1 SetNotifyFlags J2 0x07", "A2 SetNotifyInterface J2 o1",  // 12..14
                         "A1 CreateJob J3", "A1 SetNotifyInterface J3 o2", "A1 AddFile J3", "A1 Resume J3",  // 15..18
                         "A1 Exit", "Transfer J3", "A1 GetNotifyInterface J3"});                             // 19..21
  CHECK(lines[6] == "-> S_OK ; callback A1#1.o2 FileTransferred J1 f1 -> S_OK ; callback A1#1.o2 FileTransferred J1 f2 "
                    "-> S_OK ; callback A1#1.o2 JobTransferred J1 -> S_OK");
  CHECK(lines[7] == "-> S_FALSE");                                              // not in an active state
  CHECK(lines[11] == "-> S_OK");                                                // nobody registered: stays armed
  CHECK(lines[12] == "-> S_OK ; callback A2#1.o3 JobTransferred J2 -> S_OK");  // a late registration gets it
  CHECK(lines[14] == "-> S_OK");                                                // DISABLE: nothing
  CHECK(lines[20] == "-> S_OK");                                                // a dead object: a disconnect
  CHECK(lines[21] == "-> S_OK iface=NULL");                                     // ...that emptied the slot
}

TEST_CASE("a Python adapter's observations arrive as the world defines them", "[protocol][REG-1][REG-11][FLAG-4][FLAG-10]") {
  ProtocolSut sut(python());
  auto lines = run(sut, {"A1 GetState J1", "A1 CreateJob J1", "A1 SetNotifyFlags J1 0x0B", "A1 GetNotifyFlags J1",
                         "A1 GetNotifyFlags J1 nullout", "A1 SetNotifyFlags J1 0x40", "A1 SetNotifyInterface J1 o2",
                         "A1 GetNotifyInterface J1", "A1 Exit", "A1 SetNotifyInterface J1 o3",
                         "A2 GetNotifyInterface J1", "A1 SetNotifyInterface J1 o4", "A1 Resume J1", "A1 AddFile J1",
                         "A1 Resume J1", "A1 GetState J1", "A1 Complete J1", "A1 Cancel J1"});
  CHECK(lines == std::vector<std::string>{
                     "-> BG_E_NOT_FOUND", "-> S_OK", "-> S_OK", "-> S_OK flags=0x0B", "-> E_INVALIDARG",
                     "-> E_NOTIMPL", "-> S_OK", "-> S_OK iface=A1#1.o2", "-> S_OK", "-> S_OK",
                     "-> S_OK iface=A1#2.o3", "-> E_NOINTERFACE", "-> BG_E_EMPTY", "-> S_OK", "-> S_OK",
                     "-> S_OK state=QUEUED", "-> BG_S_PARTIAL_COMPLETE", "-> BG_E_INVALID_STATE"});
}

TEST_CASE("an adapter that exits mid-run is Crashed, with its stderr and the steps sent", "[protocol]") {
  SutFailure f = failureOf(python({"--die-after", "3"}));
  CHECK(f.kind() == SutFailure::Kind::Crashed);
  std::string m = f.what();
  CHECK_THAT(m, Catch::Contains("exited with status 3"));
  CHECK_THAT(m, Catch::Contains("dying on purpose at step 3"));
  CHECK_THAT(m, Catch::Contains("A1 CreateJob J1\n  A1 AddFile J1\n  A1 GetState J1"));
}

TEST_CASE("crash, hang and garbage each give their verdict kind, fast, and reap the adapter", "[protocol]") {
  const FaultCase cases[] = {
      {"exit", SutFailure::Kind::Crashed, "exited with status 4"},
      {"abort", SutFailure::Kind::Crashed, "killed by signal 6"},
      {"hang", SutFailure::Kind::TimedOut, "no answer within 400 ms"},
      {"hangsettle", SutFailure::Kind::TimedOut, "waiting for settled"},
      {"garbage", SutFailure::Kind::ProtocolError, "this is {not json"},
      {"badid", SutFailure::Kind::ProtocolError, "expected id 2"},
      {"badobs", SutFailure::Kind::ProtocolError, "unparseable observation '-> S_KINDA'"},
      {"noreturn", SutFailure::Kind::ProtocolError, "does not start with a '->'"},
      {"error", SutFailure::Kind::Internal, "cannot do that"},
  };
  for (const auto& c : cases) {
    SECTION(c.mode) {
      auto start = std::chrono::steady_clock::now();
      SutFailure f = failureOf(fault(c.mode));
      auto took = std::chrono::steady_clock::now() - start;
      CHECK(f.kind() == c.kind);
      std::string m = f.what();
      CHECK_THAT(m, Catch::Contains(c.says));
      CHECK_THAT(m, Catch::Contains("fault_adapter: misbehaving now"));  // its stderr is quoted
      CHECK_THAT(m, Catch::Contains("steps sent (2):\n  A1 CreateJob J1\n  A1 AddFile J1"));
      CHECK(took < std::chrono::seconds(3));
    }
  }
}

TEST_CASE("an adapter that never says hello, or says it badly, fails the handshake", "[protocol]") {
  CHECK(failureOf(fault("nohello")).kind() == SutFailure::Kind::Crashed);
  CHECK(failureOf(fault("hanghello")).kind() == SutFailure::Kind::TimedOut);
  ProtocolOptions wrong;
  wrong.argv = {"sh", "-c", R"(echo '{"type":"hello","protocol":"bitsconform-adapter/9"}')"};
  CHECK(failureOf(wrong).kind() == SutFailure::Kind::ProtocolError);
}

TEST_CASE("an adapter that cannot be executed is a usage error naming the path and the cause", "[protocol]") {
  // Nothing ran: not a verdict on an implementation (exit 2, not 3).
  ProtocolOptions missing;
  missing.argv = {"/nonexistent/adapter", "--flag"};
  CHECK_THROWS_MATCHES(ProtocolSut(missing), AdapterStartError,
                       Catch::Message("cannot execute the adapter '/nonexistent/adapter': No such file or directory"));
  ProtocolOptions notExecutable;
  notExecutable.argv = {BITSCONFORM_SOURCE_DIR "/sut/protocol/PROTOCOL.md"};
  CHECK_THROWS_WITH(ProtocolSut(notExecutable), Catch::Contains("PROTOCOL.md': Permission denied"));
  ProtocolOptions badFolder = fault("exit");
  badFolder.workDir = "/nonexistent/folder";
  CHECK_THROWS_WITH(ProtocolSut(badFolder), "cannot enter the adapter's working folder '/nonexistent/folder': No such "
                                            "file or directory");
}

TEST_CASE("hostile adapters: every misbehaviour ends in a verdict, fast, in valid UTF-8, with the group reaped",
          "[protocol][hostile]") {
  const FaultCase cases[] = {
      {"deephello", SutFailure::Kind::ProtocolError, "JSON nested deeper than 32 levels"},
      {"deepresult", SutFailure::Kind::ProtocolError, "JSON nested deeper than 32 levels"},
      {"flood", SutFailure::Kind::ProtocolError, "more than 10000 observations in one step"},
      {"slowflood", SutFailure::Kind::TimedOut, "no answer within 400 ms while waiting for settled"},
      {"badutf8", SutFailure::Kind::ProtocolError, "not JSON: not json: cr\xEF\xBF\xBDme \xEF\xBF\xBD"},
      {"errorobject", SutFailure::Kind::Internal, "(the adapter's 'message' is an object, not a string)"},
      {"wrongtypes", SutFailure::Kind::ProtocolError, "'id' is a string, not an integer"},
      {"longline", SutFailure::Kind::ProtocolError, "a line longer than 1 MiB"},
      {"blanks", SutFailure::Kind::TimedOut, "no answer within 400 ms"},
      {"stderrflood", SutFailure::Kind::TimedOut, "no answer within 400 ms"},
      {"forkbomb", SutFailure::Kind::TimedOut, "no answer within 400 ms"},
  };
  for (const auto& c : cases) {
    SECTION(c.mode) {
      auto start = std::chrono::steady_clock::now();
      std::string pidFile = (std::filesystem::temp_directory_path() /
                             ("bc-hostile-" + std::to_string(getpid()) + "-" + c.mode)).string();
      ProtocolOptions options = fault(c.mode);
      options.setEnv.push_back({"PIDFILE", pidFile});
      SutFailure f = failureOf(options);
      auto took = std::chrono::steady_clock::now() - start;
      CHECK(f.kind() == c.kind);
      std::string m = f.what();
      CHECK_THAT(m, Catch::Contains(c.says));
      CHECK(isValidUtf8(m));
      CHECK(m.size() < 64 * 1024);  // quotes are clipped: no megabyte messages
      CHECK(took < std::chrono::seconds(3));
      pid_t pid = 0;
      std::ifstream(pidFile) >> pid;
      REQUIRE(pid > 0);
      CHECK_FALSE(alive(pid));
      CHECK(groupGoneWithin(pid, std::chrono::seconds(5)));
      std::filesystem::remove(pidFile);
    }
  }
  SECTION("badutf8 stderr") {
    std::string m = failureOf(fault("badutf8")).what();
    CHECK_THAT(m, Catch::Contains("| caf\xEF\xBF\xBD \xEF\xBF\xBD and a cut emoji \xEF\xBF\xBD"));
  }
  SECTION("a non-string 'unsupported' message is still not-applicable, not an exception") {
    ProtocolSut sut(fault("unsupportedobject", 1));
    Observations out;
    StepResult step = StepResult::done();
    REQUIRE_NOTHROW(step = sut.execute(cmd("A1 CreateJob J1"), out));
    CHECK(step.isUnsupported());
    CHECK(step.why() == "(the adapter's 'message' is an integer, not a string)");
  }
}

TEST_CASE("a hostile answer to reset is a failure of the adapter, never an exception", "[protocol][hostile][pool]") {
  // An adapter that declares reset, then answers the reset request with `answer` and hangs.
  auto answering = [](const std::string& answer) {
    ProtocolOptions o;
    o.argv = {"sh", "-c",
              R"(echo '{"type":"hello","protocol":"bitsconform-adapter/1","implementation":"r","bitsVersion":"4.0",)"
              R"("capabilities":{},"features":["reset"]}'; read request; printf '%s\n' "$1"; sleep 30)",
              "sh", answer};
    o.handshakeTimeoutMs = 2000;
    return o;
  };
  struct Case {
    std::string answer;
    SutFailure::Kind kind;
    const char* says;
  } cases[] = {
      {R"({"type":"error","message":{"why":["x"]}})", SutFailure::Kind::Internal,
       "could not reset: (the adapter's 'message' is an object, not a string)"},
      {R"({"type":"ready","x":)" + std::string(1000, '[') + std::string(1000, ']') + "}", SutFailure::Kind::ProtocolError,
       "JSON nested deeper than 32 levels"},
      {"caf\xE9 is not JSON", SutFailure::Kind::ProtocolError, "not JSON: caf\xEF\xBF\xBD is not JSON"},
      {R"({"type":"result","id":1,"observations":[]})", SutFailure::Kind::ProtocolError, "expected ready after reset"},
  };
  for (const auto& c : cases) {
    ProtocolSut sut(answering(c.answer));
    REQUIRE(sut.canReset());
    try {
      sut.reset();
      FAIL("the bad answer to reset was accepted: " << c.says);
    } catch (const SutFailure& f) {
      CHECK(f.kind() == c.kind);
      CHECK_THAT(std::string(f.what()), Catch::Contains(c.says));
      CHECK(isValidUtf8(f.what()));
    }
    CHECK_FALSE(sut.usable());  // killed: the pool starts a fresh process instead
  }
}

TEST_CASE("the adapter's whole process group is killed: a hung adapter and its children", "[protocol]") {
  pid_t pid = 0;
  try {
    ProtocolSut sut(fault("hang"));
    pid = sut.pid();
    run(sut, {"A1 CreateJob J1", "A1 AddFile J1"});
  } catch (const SutFailure&) {
  }
  REQUIRE(pid > 0);
  CHECK_FALSE(alive(pid));        // reaped: not even a zombie
  CHECK(groupGoneWithin(pid, std::chrono::seconds(5)));  // no member of its group is left
  {
    ProtocolSut sut(fault("grandchild", 99));
    pid = sut.pid();
    run(sut, {"A1 CreateJob J1"});
    CHECK(groupAlive(pid));       // the sleeper runs while the adapter does
  }
  CHECK(groupGoneWithin(pid, std::chrono::seconds(5)));
}

TEST_CASE("an 'unsupported' answer is an unsupported step, no exception, and the adapter goes on", "[protocol]") {
  ProtocolSut sut(fault("unsupported", 2));
  Observations out;
  REQUIRE(sut.execute(cmd("A1 CreateJob J1"), out).isDone());
  StepResult step = StepResult::done();
  REQUIRE_NOTHROW(step = sut.execute(cmd("Transfer J1"), out));
  CHECK(step.isUnsupported());
  CHECK(step.why() == "one job at a time");
  out.clear();
  REQUIRE(sut.execute(cmd("A1 GetState J1"), out).isDone());  // still alive: not a crash
  CHECK(out.size() == 1);
}

TEST_CASE("serveAdapter answers a backend's unsupported step as 'unsupported', a throw as 'error'", "[protocol]") {
  struct Picky : AdapterBackend {
    Capabilities caps;
    const Capabilities& capabilities() const override { return caps; }
    StepResult step(const Command& c, Observations& out) override {
      if (c.kind == CmdKind::Transfer) return StepResult::unsupported("J2 holds the transfer");
      if (c.kind == CmdKind::Connect) throw std::runtime_error("broken");
      out.push_back(Observation::ret(Hresult{0}));
      return StepResult::done();
    }
    bool settle(uint32_t, const Observations*, Observations&) override { return true; }
  } backend;
  std::istringstream in(R"({"type":"step","id":1,"command":"Transfer J1"})" "\n"
                        R"({"type":"step","id":2,"command":"Connect J1"})" "\n"
                        R"({"type":"step","id":3,"command":"A1 CreateJob J1"})" "\n");
  std::ostringstream out;
  CHECK(serveAdapter(backend, in, out) == 0);
  std::string text = out.str();
  CHECK_THAT(text, Catch::Contains(R"({"type":"unsupported","id":1,"message":"J2 holds the transfer"})"));
  CHECK_THAT(text, Catch::Contains(R"({"type":"error","id":2,"message":"broken"})"));
  CHECK_THAT(text, Catch::Contains(R"({"type":"result","id":3,)"));
}

TEST_CASE("the runner's prediction goes to the adapter with the next settle only and without JobModification when "
          "the adapter is not exact", "[protocol]") {
  ProtocolSut sut(fault("echoexpect", 99));  // settled echoes the settle's "expect" (S_FALSE: none sent)
  REQUIRE_FALSE(sut.capabilities().exactModification);
  Observations predicted = {
      Observation::ret(Hresult{0}),
      Observation::callback(Receiver::appObject(1, 1, 2), Method::JobModification, 1, 0, Outcome::Returned, Hresult{0}),
      Observation::callback(Receiver::appObject(1, 1, 2), Method::JobTransferred, 1, 0, Outcome::Returned, Hresult{0}),
  };
  sut.expect(predicted);
  CHECK(run(sut, {"Transfer J1"}) == std::vector<std::string>{"-> S_OK ; callback A1#1.o2 JobTransferred J1 -> S_OK"});
  CHECK(run(sut, {"A1 GetState J1"}) == std::vector<std::string>{"-> S_OK ; -> S_FALSE"});  // no expect field
  sut.expect({Observation::ret(Hresult{0})});
  CHECK(run(sut, {"A1 GetState J1"}) == std::vector<std::string>{"-> S_OK"});  // an empty expect: nothing owed
}

TEST_CASE("serveAdapter passes the settle's expect to the backend parsed and null without one", "[protocol]") {
  struct Listening : AdapterBackend {
    Capabilities caps;
    std::vector<std::string> seen;
    const Capabilities& capabilities() const override { return caps; }
    StepResult step(const Command&, Observations& out) override {
      out.push_back(Observation::ret(Hresult{0}));
      return StepResult::done();
    }
    bool settle(uint32_t, const Observations* expected, Observations&) override {
      std::string s = expected ? "expect:" : "none";
      if (expected)
        for (const auto& o : *expected) s += " " + formatObservation(o);
      seen.push_back(s);
      return true;
    }
  } backend;
  std::istringstream in(R"({"type":"step","id":1,"command":"Transfer J1"})" "\n"
                        R"({"type":"settle","id":1,"deadlineMs":100,"expect":["callback A1#1.o2 JobTransferred J1 -> S_OK"]})" "\n"
                        R"({"type":"step","id":2,"command":"A1 GetState J1"})" "\n"
                        R"({"type":"settle","id":2,"deadlineMs":100})" "\n"
                        R"({"type":"step","id":3,"command":"A1 GetState J1"})" "\n"
                        R"({"type":"settle","id":3,"deadlineMs":100,"expect":["callback A1#1.o2 JobTransferred"]})" "\n");
  std::ostringstream out;
  CHECK(serveAdapter(backend, in, out) == 0);
  CHECK(backend.seen == std::vector<std::string>{"expect: callback A1#1.o2 JobTransferred J1 -> S_OK", "none"});
  CHECK_THAT(out.str(), Catch::Contains(R"({"type":"error","id":3,"message":"bad expect)"));
  CHECK(out.str().find(R"("features")") == std::string::npos);  // no reset offered: none declared
}

TEST_CASE("serveAdapter declares reset for a backend that can and answers it with ready", "[protocol]") {
  struct Resettable : AdapterBackend {
    Capabilities caps;
    int resets = 0;
    const Capabilities& capabilities() const override { return caps; }
    StepResult step(const Command&, Observations& out) override {
      out.push_back(Observation::ret(Hresult{0}));
      return StepResult::done();
    }
    bool settle(uint32_t, const Observations*, Observations&) override { return true; }
    bool canReset() const override { return true; }
    void reset() override {
      if (++resets == 2) throw std::runtime_error("jobs left behind");
    }
  } backend;
  std::istringstream in(R"({"type":"reset"})" "\n" R"({"type":"reset"})" "\n");
  std::ostringstream out;
  CHECK(serveAdapter(backend, in, out) == 0);
  std::string text = out.str();
  CHECK_THAT(text, Catch::Contains(R"("features":["reset"])"));
  CHECK_THAT(text, Catch::Contains("{\"type\":\"ready\"}\n{\"type\":\"error\",\"id\":0,\"message\":\"jobs left behind\"}"));
}

namespace {
// A backend that answers every command with S_OK; its unsupported message is set by the test.
struct PlainBackend : AdapterBackend {
  Capabilities caps;
  std::string unsupported;  // Transfer's unsupported reason, when not empty
  std::vector<uint32_t> deadlines;  // of every settle
  const Capabilities& capabilities() const override { return caps; }
  StepResult step(const Command& c, Observations& out) override {
    if (c.kind == CmdKind::Transfer && !unsupported.empty()) return StepResult::unsupported(unsupported);
    out.push_back(Observation::ret(Hresult{0}));
    return StepResult::done();
  }
  bool settle(uint32_t deadlineMs, const Observations*, Observations&) override {
    deadlines.push_back(deadlineMs);
    return true;
  }
};

// The adapter side's answers to `requests`, each decoded as the runner decodes it (the hello
// line left out).
std::vector<protocol::AdapterMessage> answers(AdapterBackend& backend, const std::string& requests) {
  std::istringstream in(requests);
  std::ostringstream out;
  REQUIRE(serveAdapter(backend, in, out) == 0);
  std::istringstream lines(out.str());
  std::string line;
  std::getline(lines, line);
  REQUIRE(std::holds_alternative<protocol::Hello>(protocol::decodeHello(line)));
  std::vector<protocol::AdapterMessage> decoded;
  while (std::getline(lines, line)) {
    auto m = protocol::decodeMessage(line);
    if (auto* e = std::get_if<std::string>(&m)) FAIL("the runner cannot read " << *e);
    decoded.push_back(std::get<protocol::AdapterMessage>(m));
  }
  return decoded;
}
}  // namespace

TEST_CASE("a character outside the BMP goes runner -> adapter -> runner intact, as UTF-8 or as a surrogate pair",
          "[protocol]") {
  const std::string grin = "\xF0\x9F\x98\x80";  // U+1F600
  for (bool asciiOnly : {false, true}) {  // this runner writes UTF-8; another (Python's json) writes \ud83d\ude00
    CAPTURE(asciiOnly);
    const std::string request =
        nlohmann::json{{"type", "step"}, {"id", 1}, {"command", "A1 CreateJob J" + grin}}.dump(-1, ' ', asciiOnly);
    CHECK((request.find("\\ud83d\\ude00") != std::string::npos) == asciiOnly);
    PlainBackend backend;
    auto replies = answers(backend, request + "\n");
    REQUIRE(replies.size() == 1);
    CHECK(replies[0].type == "error");
    CHECK(replies[0].id == 1);
    CHECK(replies[0].message == "bad command: column 14: bad job 'J" + grin + "' (expected J1, J2, ...)");
  }
  // And the backend's own text (an unsupported's reason, the hello) on its way to the runner.
  PlainBackend backend;
  backend.unsupported = "J2 " + grin + " holds the transfer";
  backend.caps.description = "Wine " + grin;
  auto replies = answers(backend, R"({"type":"step","id":4,"command":"Transfer J1"})" "\n");
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].type == "unsupported");
  CHECK(replies[0].message == backend.unsupported);
  auto hello = protocol::decodeHello(helloLine(backend.caps));
  CHECK(std::get<protocol::Hello>(hello).capabilities.description == "Wine " + grin);
}

TEST_CASE("serveAdapter answers a line it cannot read with an error naming why, and reads the next", "[protocol]") {
  const std::string deep = R"({"type":"step","id":2,"x":)" + std::string(40, '[') + std::string(40, ']') + "}";
  const std::string tooLong =
      R"({"type":"step","id":3,"command":")" + std::string(protocol::kMaxLineBytes, 'x') + "\"}";
  PlainBackend backend;
  auto replies = answers(backend, std::string(R"({"type":"step","id":1,"command":"A1 CreateJob J\ud800"})") + "\n" +
                                      deep + "\n" + tooLong + "\n" + R"({"id":4})" + "\n" +
                                      R"({"type":"step","id":5,"command":"A1 CreateJob J1"})" + "\n");
  REQUIRE(replies.size() == 5);
  // A lone surrogate is no character: the line is not JSON (PROTOCOL.md section 6), on this side
  // as on the runner's; nothing of it is guessed, not even its id.
  CHECK(replies[0].type == "error");
  CHECK(replies[0].id == 0);
  CHECK_THAT(replies[0].message, Catch::StartsWith("unparseable request (not JSON): {\"type\""));
  CHECK_THAT(replies[1].message, Catch::StartsWith("unparseable request (JSON nested deeper than 32 levels)"));
  CHECK_THAT(replies[2].message, Catch::StartsWith("unparseable request (a line longer than 1048576 bytes)"));
  CHECK(replies[2].message.size() < 300);  // the line is quoted clipped, not echoed whole
  CHECK(replies[3].id == 4);
  CHECK_THAT(replies[3].message, Catch::StartsWith("unparseable request (no string 'type')"));
  CHECK(replies[4].type == "result");
  CHECK(replies[4].id == 5);
}

TEST_CASE("serveAdapter refuses fields of the wrong type and clamps a settle's deadline", "[protocol]") {
  PlainBackend backend;
  auto replies = answers(backend, R"({"type":"step","id":1})" "\n"
                                  R"({"type":"settle","id":1,"deadlineMs":"soon"})" "\n"
                                  R"({"type":"settle","id":1,"expect":"-> S_OK"})" "\n"
                                  R"({"type":"settle","id":1,"deadlineMs":-5})" "\n"
                                  R"({"type":"settle","id":1,"deadlineMs":1e300})" "\n"
                                  R"({"type":"settle","id":1,"deadlineMs":250.7})" "\n"
                                  R"({"type":"settle","id":1})" "\n");
  REQUIRE(replies.size() == 7);
  CHECK(replies[0].message == "no string 'command'");
  CHECK(replies[1].message == "'deadlineMs' is not a number");
  CHECK(replies[2].message == "'expect' is not an array");
  for (size_t k = 3; k < 7; ++k) CHECK(replies[k].type == "settled");
  CHECK(backend.deadlines == std::vector<uint32_t>{0, 4294967295u, 250, 1000});
}
