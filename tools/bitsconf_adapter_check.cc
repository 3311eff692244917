// bitsconf adapter-check: exercises an adapter's handling of the protocol (PROTOCOL.md) and
// prints, check by check, what to fix. Not a conformance run (`bitsconf run` says which rules
// an implementation keeps): it asks whether the runner and the adapter understand each other,
// so that a conformance run can be trusted and is quick.
//
// What it does, with one adapter process where it can: the hello (valid, every capability
// field known, evidence for what is declared false), one command of every kind the adapter's
// capabilities allow, each with the model's prediction as the settle's `expect` (an adapter must
// ignore fields it does not use), reset if declared (ready, and a fresh world after it), and bye
// (a clean exit). A command may be answered `unsupported`; an `error`, a crash, a hang or a
// malformed answer is something to fix.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <set>
#include <nlohmann/json.hpp>

#include "model/model.h"
#include "sut/protocol/protocol_sut.h"
#include "sut/protocol/wine_sut.h"
#include "tools/bitsconf.h"
#include "vocab/command_text.h"
#include "vocab/observation_text.h"

namespace bc {

namespace {

struct CheckOptions {
  std::string sut;
  double timeout = 10;
};

// The hello's name of each capability field (vocab/capabilities.h).
const char* helloField(Capability c) {
  switch (c) {
    case Capability::CommandLine: return "commandLine";
    case Capability::NotifyClsid: return "notifyClsid";
    case Capability::Faults: return "faults";
    case Capability::NetworkControl: return "networkControl";
    case Capability::VirtualTime: return "virtualTime";
    case Capability::ServiceRestart: return "serviceRestart";
    case Capability::Reboot: return "reboot";
    case Capability::None: break;
  }
  return "";
}

// One command of every kind, in an order that keeps J1 alive until the final-state calls.
const char* const kCommands[] = {
    "A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2", "A1 SetNotifyFlags J1 0x03",
    "A1 GetNotifyFlags J1", "A1 GetNotifyInterface J1", "A1 GetState J1", "A1 SetNotifyCmdLine J1 ok args",
    "A1 GetNotifyCmdLine J1", "RegisterServer ClsidA ok", "A1 SetNotifyClsid J1 ClsidA", "A1 GetNotifyClsid J1",
    "A1 Behave o3 ok", "A1 Behave o3 failonce", "A1 Resume J1", "Connect J1", "Progress J1", "Transfer J1",
    "A1 CreateJob J2", "A1 AddFile J2", "A1 Resume J2", "TransientError J2", "FatalError J2", "NetDown", "NetUp",
    "Tick 1s", "A2 Exit", "ServerExit ClsidA", "UnregisterServer ClsidA", "ServiceRestart", "A1 Suspend J2",
    "A1 Complete J1", "A1 Cancel J2", "Reboot"};

class Checker {
 public:
  explicit Checker(ProtocolOptions options) : options_(std::move(options)) {}

  int run() {
    std::unique_ptr<ProtocolSut> sut = start();
    if (!sut) return finish();
    checkHello(*sut);
    ModelConfig config;
    config.version = sut->capabilities().version;
    Model model(config);
    std::vector<double> roundTrips;
    int sent = 0, unsupported = 0, failed = 0;
    for (const char* text : kCommands) {
      Command c = parseCommand(text).value();
      Capability need = requiredCapability(c);
      if (!sut->capabilities().supports(c)) {
        skipped_.insert(helloField(need));
        continue;
      }
      Observations predicted, got;
      model.step(c, predicted);
      ++sent;
      try {
        sut->expect(predicted);
        if (sut->execute(c, got).isUnsupported()) {
          ++unsupported;
          continue;  // allowed: the sequence is then not applicable to the implementation
        }
        roundTrips.push_back(sut->lastStepTiming().roundTripMs);
      } catch (const SutFailure& f) {
        ++failed;
        fix("step '" + std::string(text) + "': " + firstLine(f.what()), hintFor(f, c));
        if (sut->usable()) continue;
        if (++restarts_ > kMaxRestarts) {
          note("stopped after the adapter broke " + std::to_string(restarts_) + " times");
          return finish();
        }
        sut = start();  // a fresh adapter for the remaining commands
        if (!sut) return finish();
        model = Model(config);
        continue;
      }
    }
    std::sort(roundTrips.begin(), roundTrips.end());
    ok(std::to_string(sent) + " commands sent, " + std::to_string(sent - unsupported - failed) +
       " answered, " + std::to_string(unsupported) + " unsupported" +
       (roundTrips.empty() ? "" : "; round trip median " + ms(roundTrips[roundTrips.size() / 2])));
    if (!skipped_.empty()) {
      std::string names;
      for (const auto& n : skipped_) names += (names.empty() ? "" : ", ") + n;
      note("not sent (capability declared false): commands needing " + names);
    }
    checkReset(*sut);
    if (!sut->usable()) return finish();  // killed after a failed reset: no bye to check
    int status = sut->close();
    if (status == -1)
      fix("bye: the adapter did not exit within " + std::to_string(options_.byeTimeoutMs) + " ms and was killed",
          "on {\"type\":\"bye\"} or the end of stdin, undo what you created and exit 0 (PROTOCOL.md, section 3)");
    else if (status != 0)
      fix("bye: the adapter exited with status " + std::to_string(status), "exit 0 after bye (PROTOCOL.md, section 3)");
    else
      ok("bye: a clean exit");
    return finish();
  }

 private:
  std::unique_ptr<ProtocolSut> start() {
    auto t = std::chrono::steady_clock::now();
    try {
      auto sut = std::make_unique<ProtocolSut>(options_);
      if (!started_)
        ok("hello after " + ms(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count()) +
           ": '" + sut->capabilities().name + "', BITS " + std::string(toString(sut->capabilities().version)) +
           (sut->canReset() ? ", offers reset" : ""));
      started_ = true;
      return sut;
    } catch (const SutFailure& f) {
      fix("start: " + firstLine(f.what()),
          f.kind() == SutFailure::Kind::TimedOut
              ? "say hello first, as one line on stdout, and flush it; or give a slow start more time (--sut-timeout)"
              : "the first line on stdout must be the hello object of PROTOCOL.md section 1; diagnostics go to stderr");
      return nullptr;
    }
  }

  void checkHello(ProtocolSut& sut) {
    nlohmann::json hello = nlohmann::json::parse(sut.helloText(), nullptr, false);
    const nlohmann::json& caps = hello["capabilities"];
    for (const auto& [name, value] : caps.items()) {
      bool known = name == "exactModification";
      for (int c = 1; c <= static_cast<int>(Capability::Reboot); ++c) known |= name == helloField(static_cast<Capability>(c));
      if (!known)
        fix("hello: capability '" + name + "' is not one the runner knows (it is ignored)",
            "the fields are commandLine, notifyClsid, faults, networkControl, virtualTime, serviceRestart, reboot, "
            "exactModification (vocab/capabilities.h); a missing one is false");
      else if (!value.is_boolean())
        fix("hello: capability '" + name + "' is not true or false", "capabilities are JSON booleans");
    }
    std::vector<std::string> unexplained;
    for (int c = 1; c <= static_cast<int>(Capability::Reboot); ++c) {
      const char* field = helloField(static_cast<Capability>(c));
      if (!sut.capabilities().has(static_cast<Capability>(c)) && !sut.capabilities().evidence.count(field))
        unexplained.push_back(field);
    }
    if (!unexplained.empty()) {
      std::string names;
      for (const auto& n : unexplained) names += (names.empty() ? "" : ", ") + n;
      note("no evidence for capabilities declared false (" + names +
           "): reports show the evidence of a not-applicable rule; say why (a probe and its answer)");
    }
  }

  void checkReset(ProtocolSut& sut) {
    if (!sut.canReset()) {
      note("no reset feature: the runner starts a new adapter process for every test case and shrink step; "
           "declaring \"features\":[\"reset\"] and answering {\"type\":\"reset\"} makes a run much faster");
      return;
    }
    try {
      Observations got;
      StepResult step = sut.execute(parseCommand("A2 CreateJob J1").value(), got);  // J1 exists now
      if (step.isDone()) {
        sut.reset();
        got.clear();
        step = sut.execute(parseCommand("A1 GetState J1").value(), got);
      }
      if (step.isUnsupported()) {
        fix("reset: not checked: CreateJob or GetState answered unsupported (" + firstLine(step.why()) + ")",
            "every implementation has these methods: carry them out (an HRESULT is an answer; PROTOCOL.md, section 5)");
        return;
      }
      std::string first = got.empty() ? "" : formatObservation(got[0]);
      if (first == "-> BG_E_NOT_FOUND")
        ok("reset: ready, and the world was fresh (J1 no longer existed)");
      else
        fix("reset: after ready, 'A1 GetState J1' answered '" + first + "' (J1 was created before the reset)",
            "reset must give the world of a new process: no jobs, apps at incarnation 1, objects ok, no servers");
    } catch (const SutFailure& f) {
      fix("reset: " + firstLine(f.what()), "answer {\"type\":\"reset\"} with {\"type\":\"ready\"} once the world is "
                                           "fresh, or do not declare the feature (PROTOCOL.md, section 4)");
    }
  }

  std::string hintFor(const SutFailure& f, const Command& c) {
    switch (f.kind()) {
      case SutFailure::Kind::Internal:
        return requiredCapability(c) == Capability::None
                   ? "'" + std::string(toString(c.kind)) +
                         "' needs no capability, so the runner sends it to every adapter (PROTOCOL.md, section 5): "
                         "carry it out, or answer unsupported if your implementation cannot make it happen"
                   : "'error' means the adapter gave up (verdict: crashed); answer unsupported if the implementation "
                     "cannot make the step happen, or declare " + std::string(helloField(requiredCapability(c))) + " false";
      case SutFailure::Kind::TimedOut:
        return "answer every step with one result line and every settle with one settled line, flushed";
      case SutFailure::Kind::Crashed:
        return "the adapter died: its stderr (above) says why";
      case SutFailure::Kind::ProtocolError:
        return "see PROTOCOL.md section 2: result/settled repeat the step's id, observations are strings in the scenario "
               "syntax, and an API call's result starts with its '->' observation";
    }
    return "";
  }

  static std::string firstLine(const std::string& s) { return s.substr(0, s.find('\n')); }
  static std::string ms(double v) { return std::to_string(static_cast<long>(v + 0.5)) + " ms"; }
  void ok(const std::string& what) { std::cout << "  ok    " << what << "\n"; }
  void note(const std::string& what) { std::cout << "  note  " << what << "\n"; }
  void fix(const std::string& what, const std::string& how) {
    ++fixes_;
    std::cout << "  FIX   " << what << "\n";
    if (!how.empty() && hints_.insert(how).second) std::cout << "        -> " << how << "\n";  // each hint once
  }
  int finish() {
    std::cout << (fixes_ ? std::to_string(fixes_) + " thing(s) to fix\n" : "the adapter speaks the protocol\n");
    return fixes_ ? kExitFailures : kExitOk;
  }

  static constexpr int kMaxRestarts = 2;
  ProtocolOptions options_;
  bool started_ = false;
  int restarts_ = 0;
  size_t fixes_ = 0;
  std::set<std::string> hints_;
  std::set<std::string> skipped_;
};

}  // namespace

void addAdapterCheckCommand(CLI::App& app, Action& action) {
  auto o = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand("adapter-check", "Exercise an adapter's protocol handling and print what to fix");
  cmd->add_option("adapter", o->sut, "the adapter: a command line (agent:COMMAND also accepted) or 'wine'")->required();
  cmd->add_option("--sut-timeout", o->timeout, "seconds the adapter has for its hello and each step")->capture_default_str();
  cmd->callback([&action, o] {
    action = [o]() -> int {
      ProtocolOptions options;
      try {
        if (o->sut == "wine") {
          options = wineOptions("");
        } else {
          options.argv = splitCommandLine(o->sut.rfind("agent:", 0) == 0 ? o->sut.substr(6) : o->sut);
          options.handshakeTimeoutMs = options.stepTimeoutMs = static_cast<int>(o->timeout * 1000);
        }
      } catch (const std::exception& e) {
        std::cerr << "bitsconf adapter-check: " << e.what() << "\n";
        return kExitInput;
      }
      std::cout << "bitsconf adapter-check: " << o->sut << "\n";
      return Checker(options).run();
    };
  });
}

}  // namespace bc
