#include "properties/generators.h"

#include <ostream>
#include <utility>

#include "vocab/command_text.h"

namespace bc {

void showValue(const Command& c, std::ostream& os) { os << formatCommand(c); }

namespace {

using rc::Gen;
namespace gen = rc::gen;

Command make(CmdKind k, AppId app = 0, JobId job = 0) {
  Command c;
  c.kind = k;
  c.app = app;
  c.job = job;
  return c;
}

}  // namespace

Gen<size_t> weightedIndex(std::vector<size_t> weights) {
  size_t total = 0;
  for (size_t w : weights) total += w;
  return gen::map(uniform<size_t>(0, total), [weights](size_t r) {
    for (size_t i = 0; i < weights.size(); ++i) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return weights.size() - 1;
  });
}

namespace {

Gen<AppId> genApp(const Universe& u) {
  return gen::map(uniform<int>(1, u.apps + 1), [](int a) { return static_cast<AppId>(a); });
}

// J1 most often: collisions on one job are where the rules interact.
Gen<JobId> genJob(const Universe& u) {
  std::vector<size_t> w;
  for (int j = 1; j <= u.jobs; ++j) w.push_back(j == 1 ? 6 : j == 2 ? 3 : 1);
  return gen::map(weightedIndex(w), [](size_t i) { return static_cast<JobId>(i + 1); });
}

Gen<uint32_t> genFlags() {
  return gen::weightedOneOf<uint32_t>({
      {6, uniform<uint32_t>(0, 0x40)},                                   // every valid combination
      {3, choose<uint32_t>(0x03, 0x0B, 0x13, 0x1B, 0x07, 0x04, 0x01, 0x02)},  // the usual words, DISABLE
      {1, choose<uint32_t>(0x40, 0x43, 0x80, 0x100, 0x8000'0000u, 0xFFFF'FFFFu)},  // invalid bits (FLAG-4)
  });
}

Gen<ClassId> genClsid() {
  return chooseWeighted<ClassId>({{4, ClassId::A}, {3, ClassId::B}, {1, ClassId::C}, {2, ClassId::Null}});
}

// ClsidC is never registered: activations of it fail with REGDB_E_CLASSNOTREG (OQ-13).
Gen<ClassId> genRegistrable() { return chooseWeighted<ClassId>({{3, ClassId::A}, {2, ClassId::B}}); }

Gen<Behavior> genBehavior(bool faults, bool server) {
  if (!faults) return gen::just(Behavior::Ok);
  if (server)
    return chooseWeighted<Behavior>({{6, Behavior::Ok}, {1, Behavior::SFalse}, {2, Behavior::Fail},
                                           {2, Behavior::FailOnce}, {1, Behavior::Hang}, {1, Behavior::Crash},
                                           {1, Behavior::ExecFail}});
  return chooseWeighted<Behavior>({{3, Behavior::Ok}, {1, Behavior::SFalse}, {2, Behavior::Fail},
                                         {2, Behavior::FailOnce}, {1, Behavior::Hang}, {1, Behavior::Crash}});
}

Gen<Command> genTick() {
  return gen::map(chooseFrom(tickDurations()), [](uint64_t ms) {
    Command c = make(CmdKind::Tick);
    c.ms = ms;
    return c;
  });
}

// The generator of one command kind, arguments over `u`.
Gen<Command> genOfKind(const Universe& u, CmdKind k) {
  auto appJob = [u, k] {
    return gen::map(gen::pair(genApp(u), genJob(u)), [k](std::pair<AppId, JobId> aj) { return make(k, aj.first, aj.second); });
  };
  auto onJob = [u, k] { return gen::map(genJob(u), [k](JobId j) { return make(k, 0, j); }); };
  auto nullOut = [u, k] {
    return gen::map(gen::tuple(genApp(u), genJob(u), chooseWeighted<bool>({{9, false}, {1, true}})),
                    [k](std::tuple<AppId, JobId, bool> t) {
                      Command c = make(k, std::get<0>(t), std::get<1>(t));
                      c.nullOut = std::get<2>(t);
                      return c;
                    });
  };
  switch (k) {
    case CmdKind::CreateJob:
    case CmdKind::AddFile:
    case CmdKind::Resume:
    case CmdKind::Suspend:
    case CmdKind::Complete:
    case CmdKind::Cancel:
    case CmdKind::GetState:
    case CmdKind::GetNotifyCmdLine:
    case CmdKind::GetNotifyClsid: return appJob();
    case CmdKind::GetNotifyInterface:
    case CmdKind::GetNotifyFlags: return nullOut();
    case CmdKind::SetNotifyInterface:
      return gen::map(gen::tuple(genApp(u), genJob(u), chooseWeighted<int>({{3, 2}, {2, 3}, {2, 1}, {2, 0}, {1, 4}})),
                      [](std::tuple<AppId, JobId, int> t) {
                        Command c = make(CmdKind::SetNotifyInterface, std::get<0>(t), std::get<1>(t));
                        c.slot = static_cast<uint8_t>(std::get<2>(t));
                        return c;
                      });
    case CmdKind::SetNotifyFlags:
      return gen::map(gen::tuple(genApp(u), genJob(u), genFlags()), [](std::tuple<AppId, JobId, uint32_t> t) {
        Command c = make(CmdKind::SetNotifyFlags, std::get<0>(t), std::get<1>(t));
        c.flags = std::get<2>(t);
        return c;
      });
    case CmdKind::SetNotifyCmdLine:
      return gen::map(
          gen::tuple(genApp(u), genJob(u),
                     chooseWeighted<std::pair<Program, Params>>(
                         {{4, {Program::Ok, Params::Ok}}, {3, {Program::Fail, Params::Ok}}, {2, {Program::Null, Params::Null}},
                          {1, {Program::Ok, Params::Null}}, {1, {Program::Null, Params::Ok}}, {1, {Program::TooLong, Params::Ok}},
                          {1, {Program::Ok, Params::TooLong}}})),
          [](std::tuple<AppId, JobId, std::pair<Program, Params>> t) {
            Command c = make(CmdKind::SetNotifyCmdLine, std::get<0>(t), std::get<1>(t));
            c.program = std::get<2>(t).first;
            c.params = std::get<2>(t).second;
            return c;
          });
    case CmdKind::SetNotifyClsid:
      return gen::map(gen::tuple(genApp(u), genJob(u), genClsid()), [](std::tuple<AppId, JobId, ClassId> t) {
        Command c = make(CmdKind::SetNotifyClsid, std::get<0>(t), std::get<1>(t));
        c.clsid = std::get<2>(t);
        return c;
      });
    case CmdKind::Behave:
      return gen::map(gen::tuple(genApp(u), uniform<int>(1, kObjectSlots + 1), genBehavior(u.caps.faults, false)),
                      [](std::tuple<AppId, int, Behavior> t) {
                        Command c = make(CmdKind::Behave, std::get<0>(t));
                        c.slot = static_cast<uint8_t>(std::get<1>(t));
                        c.behavior = std::get<2>(t);
                        return c;
                      });
    case CmdKind::AppExit: return gen::map(genApp(u), [](AppId a) { return make(CmdKind::AppExit, a); });
    case CmdKind::RegisterServer:
      return gen::map(gen::pair(genRegistrable(), genBehavior(u.caps.faults, true)), [](std::pair<ClassId, Behavior> p) {
        Command c = make(CmdKind::RegisterServer);
        c.clsid = p.first;
        c.behavior = p.second;
        return c;
      });
    case CmdKind::UnregisterServer:
    case CmdKind::ServerExit:
      return gen::map(genRegistrable(), [k](ClassId id) {
        Command c = make(k);
        c.clsid = id;
        return c;
      });
    case CmdKind::Connect:
    case CmdKind::Progress:
    case CmdKind::Transfer:
    case CmdKind::TransientError:
    case CmdKind::FatalError: return onJob();
    case CmdKind::Tick: return genTick();
    case CmdKind::NetDown:
    case CmdKind::NetUp:
    case CmdKind::ServiceRestart:
    case CmdKind::Reboot: return gen::just(make(k));
  }
  return gen::just(make(CmdKind::Tick));
}

size_t weightOf(CmdKind k) {
  switch (k) {
    case CmdKind::AddFile:
    case CmdKind::Resume:
    case CmdKind::SetNotifyInterface:
    case CmdKind::Transfer: return 6;
    case CmdKind::SetNotifyClsid: return 5;
    case CmdKind::CreateJob:
    case CmdKind::SetNotifyFlags:
    case CmdKind::RegisterServer:
    case CmdKind::Tick: return 4;
    case CmdKind::SetNotifyCmdLine:
    case CmdKind::Behave:
    case CmdKind::Progress:
    case CmdKind::FatalError: return 3;
    case CmdKind::Suspend:
    case CmdKind::GetState:
    case CmdKind::GetNotifyInterface:
    case CmdKind::AppExit:
    case CmdKind::Connect:
    case CmdKind::TransientError: return 2;
    default: return 1;
  }
}

// A representative command of kind k, for the capability check.
bool kindSupported(const Capabilities& caps, CmdKind k) {
  Command c = make(k);
  if (k == CmdKind::Behave) c.behavior = Behavior::Ok;
  return caps.supports(c);
}

}  // namespace

const std::vector<uint64_t>& tickDurations() {
  static const std::vector<uint64_t> d = {
      500,       1,         499,       501,       100,       250,                     // MINIMUM_NOTIFICATION_INTERVAL_MS
      600'000,   599'999,   600'001,   300'000,   1'200'000,                          // MinimumRetryDelay
      1'209'600'000, 1'209'599'999, 1'209'600'001, 86'400'000, 2'419'200'000,  // NoProgressTimeout (14 d)
  };
  return d;
}

KindSet supportedKinds(const Universe& u) {
  KindSet s;
  for (int i = 0; i < kCmdKindCount; ++i) s[i] = kindSupported(u.caps, static_cast<CmdKind>(i));
  return s;
}

Gen<KindSet> genSwarm(const Universe& u) {
  KindSet all = supportedKinds(u);
  return gen::map(gen::pair(gen::container<std::vector<bool>>(kCmdKindCount, choose(true, false)),
                            uniform<int>(0, kCmdKindCount)),
                  [all](std::pair<std::vector<bool>, int> p) {
                    KindSet s;
                    for (int i = 0; i < kCmdKindCount; ++i) s[i] = all[i] && p.first[i];
                    if (s.none()) {  // never empty: fall back to one supported kind
                      for (int i = 0; i < kCmdKindCount; ++i) {
                        int k = (p.second + i) % kCmdKindCount;
                        if (all[k]) {
                          s[k] = true;
                          break;
                        }
                      }
                    }
                    return s;
                  });
}

Gen<Command> genCommand(const Universe& u, const KindSet& kinds) {
  std::vector<size_t> weights;
  std::vector<Gen<Command>> gens;
  for (int i = 0; i < kCmdKindCount; ++i) {
    if (!kinds[i]) continue;
    weights.push_back(weightOf(static_cast<CmdKind>(i)));
    gens.push_back(genOfKind(u, static_cast<CmdKind>(i)));
  }
  if (gens.empty()) return genTick();
  return gen::mapcat(weightedIndex(weights), [gens](size_t i) { return gens[i]; });
}

Gen<std::vector<Command>> genSequence(const Universe& u, const KindSet& kinds) {
  // A job set-up chunk: without it a swarm lacking CreateJob would test nothing.
  Gen<std::vector<Command>> setup = gen::exec([u] {
    AppId a = *genApp(u);
    JobId j = *genJob(u);
    std::vector<Command> v{make(CmdKind::CreateJob, a, j)};
    int files = *uniform(1, 3);
    for (int i = 0; i < files; ++i) v.push_back(make(CmdKind::AddFile, a, j));
    if (*chooseWeighted<bool>({{1, false}, {3, true}})) v.push_back(make(CmdKind::Resume, a, j));
    return v;
  });
  Gen<std::vector<Command>> single = gen::map(genCommand(u, kinds), [](Command c) { return std::vector<Command>{c}; });
  Gen<std::vector<Command>> chunk = gen::weightedOneOf<std::vector<Command>>({{5, single}, {1, setup}});
  return gen::map(gen::scale(0.8, gen::container<std::vector<std::vector<Command>>>(chunk)),
                  [](const std::vector<std::vector<Command>>& chunks) {
                    std::vector<Command> out;
                    for (const auto& ch : chunks) out.insert(out.end(), ch.begin(), ch.end());
                    return out;
                  });
}

Gen<Command> genHarmlessNoise(const Universe& u, JobId avoid, uint64_t maxTickMs) {
  std::vector<JobId> others;
  for (int j = 1; j <= u.jobs; ++j)
    if (j != avoid) others.push_back(static_cast<JobId>(j));
  if (others.empty()) others.push_back(static_cast<JobId>(u.jobs + 1));
  Gen<JobId> otherJob = chooseFrom(others);
  std::vector<Gen<Command>> gens;
  // API calls on other jobs that give them no receiver of their own: no SetNotifyInterface or
  // SetNotifyClsid, so no shared object or server instance is called (or crashed) through them.
  for (CmdKind k : {CmdKind::CreateJob, CmdKind::AddFile, CmdKind::Resume, CmdKind::Suspend, CmdKind::Complete,
                    CmdKind::Cancel, CmdKind::GetState, CmdKind::GetNotifyFlags, CmdKind::SetNotifyFlags}) {
    gens.push_back(gen::map(gen::tuple(genApp(u), otherJob, genFlags()), [k](std::tuple<AppId, JobId, uint32_t> t) {
      Command c = make(k, std::get<0>(t), std::get<1>(t));
      if (k == CmdKind::SetNotifyFlags) c.flags = std::get<2>(t);
      return c;
    }));
  }
  // Getters on the job under test: they must not change anything.
  for (CmdKind k : {CmdKind::GetState, CmdKind::GetNotifyInterface, CmdKind::GetNotifyFlags, CmdKind::GetNotifyClsid,
                    CmdKind::GetNotifyCmdLine}) {
    Command c = make(k, 0, avoid);
    if (!u.caps.supports(c)) continue;
    gens.push_back(gen::map(genApp(u), [c](AppId a) {
      Command d = c;
      d.app = a;
      return d;
    }));
  }
  if (u.caps.networkControl) {
    for (CmdKind k : {CmdKind::Connect, CmdKind::Progress, CmdKind::Transfer, CmdKind::TransientError, CmdKind::FatalError})
      gens.push_back(gen::map(otherJob, [k](JobId j) { return make(k, 0, j); }));
  }
  if (maxTickMs > 0 && u.caps.virtualTime) {
    gens.push_back(gen::map(uniform<uint64_t>(1, maxTickMs + 1), [](uint64_t ms) {
      Command c = make(CmdKind::Tick);
      c.ms = ms;
      return c;
    }));
  }
  return gen::mapcat(uniform<size_t>(0, gens.size()), [gens](size_t i) { return gens[i]; });
}

}  // namespace bc
