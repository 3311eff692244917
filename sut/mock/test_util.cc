#include "sut/mock/test_util.h"

#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <variant>

#include "vocab/command_text.h"
#include "vocab/observation_text.h"

namespace bc::mock {

std::vector<Command> parseScript(const std::string& script) {
  std::vector<Command> out;
  std::istringstream in(script);
  std::string line;
  while (std::getline(in, line)) {
    if (auto h = line.find('#'); h != std::string::npos && (h == 0 || line[h - 1] == ' ')) line.resize(h);
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    auto parsed = parseCommand(line);
    if (!parsed.ok()) throw std::invalid_argument("'" + line + "': " + parsed.message());
    out.push_back(*parsed);
  }
  return out;
}

std::vector<std::string> runTrace(Sut& sut, const std::vector<Command>& commands) {
  std::vector<std::string> trace;
  Observations obs;
  for (const Command& c : commands) {
    obs.clear();
    if (StepResult step = sut.execute(c, obs); step.isUnsupported()) {
      trace.push_back(formatCommand(c) + " | unsupported: " + step.why());
      continue;
    }
    for (const auto& o : obs) trace.push_back(formatCommand(c) + " | " + formatObservation(o));
  }
  return trace;
}

std::vector<std::string> observe(Sut& sut, const std::string& script) {
  std::vector<std::string> out;
  Observations obs;
  for (const Command& c : parseScript(script)) {
    obs.clear();
    if (StepResult step = sut.execute(c, obs); step.isUnsupported()) {
      out.push_back("unsupported: " + step.why());
      continue;
    }
    for (const auto& o : obs) out.push_back(formatObservation(o));
  }
  return out;
}

std::vector<Command> randomSequence(uint64_t seed, size_t length) {
  std::mt19937_64 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  constexpr int kJobs = 2;
  // Weighted so that jobs get files, receivers and transfers: most steps should notify.
  static constexpr std::pair<CmdKind, int> kWeights[] = {
      {CmdKind::CreateJob, 6}, {CmdKind::AddFile, 8}, {CmdKind::Resume, 8}, {CmdKind::Suspend, 2},
      {CmdKind::Complete, 2}, {CmdKind::Cancel, 1}, {CmdKind::GetState, 1}, {CmdKind::SetNotifyInterface, 8},
      {CmdKind::GetNotifyInterface, 2}, {CmdKind::SetNotifyFlags, 6}, {CmdKind::GetNotifyFlags, 1},
      {CmdKind::SetNotifyCmdLine, 4}, {CmdKind::GetNotifyCmdLine, 1}, {CmdKind::SetNotifyClsid, 5},
      {CmdKind::GetNotifyClsid, 1}, {CmdKind::Behave, 5}, {CmdKind::AppExit, 2}, {CmdKind::RegisterServer, 4},
      {CmdKind::UnregisterServer, 1}, {CmdKind::ServerExit, 2}, {CmdKind::Connect, 3}, {CmdKind::Progress, 5},
      {CmdKind::Transfer, 8}, {CmdKind::TransientError, 3}, {CmdKind::FatalError, 3}, {CmdKind::NetDown, 1},
      {CmdKind::NetUp, 2}, {CmdKind::Tick, 6}, {CmdKind::ServiceRestart, 2}, {CmdKind::Reboot, 1}};
  int totalWeight = 0;
  for (const auto& [k, w] : kWeights) totalWeight += w;
  auto pickKind = [&] {
    int r = pick(totalWeight);
    for (const auto& [k, w] : kWeights) {
      if (r < w) return k;
      r -= w;
    }
    return CmdKind::Tick;
  };
  // Names in use by a job that is not final: CreateJob on them is not a valid step.
  std::map<JobId, bool> live;
  std::vector<Command> out;
  static constexpr Behavior kObjBehaviors[] = {Behavior::Ok, Behavior::SFalse, Behavior::Fail,
                                               Behavior::FailOnce, Behavior::Hang, Behavior::Crash};
  static constexpr Behavior kSrvBehaviors[] = {Behavior::Ok, Behavior::Fail, Behavior::FailOnce,
                                               Behavior::Hang, Behavior::Crash, Behavior::ExecFail};
  static constexpr uint32_t kFlags[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x07, 0x08, 0x0B, 0x13, 0x1B, 0x1F, 0x3F, 0x40, 0x0F};
  // A prologue that gives both jobs a file and a queue place, so that most sequences notify.
  for (JobId j = 1; j <= kJobs && out.size() + 3 <= length; ++j) {
    for (CmdKind k : {CmdKind::CreateJob, CmdKind::AddFile, CmdKind::Resume}) {
      Command c;
      c.kind = k;
      c.app = 1;
      c.job = j;
      out.push_back(c);
    }
    live[j] = true;
  }
  while (out.size() < length) {
    Command c;
    c.app = static_cast<AppId>(1 + pick(2));
    c.job = static_cast<JobId>(1 + pick(kJobs));
    c.kind = pickKind();
    switch (c.kind) {
      case CmdKind::CreateJob:
        if (live[c.job]) continue;
        live[c.job] = true;
        break;
      case CmdKind::Complete:
      case CmdKind::Cancel:
        live[c.job] = false;
        break;
      case CmdKind::SetNotifyInterface: c.slot = static_cast<uint8_t>(pick(5)); break;
      case CmdKind::GetNotifyInterface:
      case CmdKind::GetNotifyFlags: c.nullOut = pick(8) == 0; break;
      case CmdKind::SetNotifyFlags: c.flags = kFlags[pick(std::size(kFlags))]; break;
      case CmdKind::SetNotifyCmdLine:
        c.program = static_cast<Program>(pick(4));
        c.params = static_cast<Params>(pick(3));
        break;
      case CmdKind::SetNotifyClsid:
      case CmdKind::UnregisterServer:
      case CmdKind::ServerExit: c.clsid = static_cast<ClassId>(pick(kClassCount)); break;
      case CmdKind::RegisterServer:
        c.clsid = static_cast<ClassId>(1 + pick(kClassCount - 1));
        c.behavior = kSrvBehaviors[pick(std::size(kSrvBehaviors))];
        break;
      case CmdKind::Behave:
        c.slot = static_cast<uint8_t>(1 + pick(3));
        c.behavior = kObjBehaviors[pick(std::size(kObjBehaviors))];
        break;
      case CmdKind::Tick: {
        static constexpr uint64_t kTicks[] = {100, 500, 1000, 600'000, 601'000, 3'600'000, 1'209'600'000};
        c.ms = kTicks[pick(std::size(kTicks))];
        break;
      }
      default: break;
    }
    if (c.kind == CmdKind::UnregisterServer || c.kind == CmdKind::ServerExit) {
      if (c.clsid == ClassId::Null) c.clsid = ClassId::A;
    }
    // Normalise fields the command does not use, so formatting round-trips.
    out.push_back(c);
  }
  return out;
}

}  // namespace bc::mock
