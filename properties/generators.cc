#include "properties/generators.h"

#include <ostream>
#include <utility>

#include "vocab/command_text.h"

namespace bc {

void showValue(const Command& c, std::ostream& os) { os << formatCommand(c); }

namespace {

using rc::Gen;
namespace gen = rc::gen;


}  // namespace

Command makeCommand(CmdKind k, AppId app, JobId job) {
  Command c;
  c.kind = k;
  c.app = app;
  c.job = job;
  return c;
}

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

Gen<uint32_t> genFlags() {
  return gen::weightedOneOf<uint32_t>({
      {6, uniform<uint32_t>(0, 0x40)},                                   // every valid combination
      {3, choose<uint32_t>(0x03, 0x0B, 0x13, 0x1B, 0x07, 0x04, 0x01, 0x02)},  // the usual words, DISABLE
      {1, choose<uint32_t>(0x40, 0x43, 0x80, 0x100, 0x8000'0000u, 0xFFFF'FFFFu)},  // invalid bits (FLAG-4)
  });
}

// One command of kind k from a single random stream: no nested generators, so a command costs
// one Shrinkable (the hot path of model-equals-sut). The distributions are those the text of
// genCommand promises; shrinking goes toward A1, J1, o2, ClsidA, ok, flags 0x03.
struct Draw {
  rc::Random& r;
  size_t below(size_t n) { return static_cast<size_t>(r.next() % n); }
  template <typename T>
  T weighted(std::initializer_list<std::pair<size_t, T>> pairs) {
    size_t total = 0;
    for (const auto& p : pairs) total += p.first;
    size_t x = below(total);
    for (const auto& p : pairs) {
      if (x < p.first) return p.second;
      x -= p.first;
    }
    return pairs.begin()->second;
  }
};

uint32_t drawFlags(Draw& d) {
  static constexpr uint32_t kUsual[] = {0x03, 0x0B, 0x13, 0x1B, 0x07, 0x04, 0x01, 0x02};
  static constexpr uint32_t kInvalid[] = {0x40, 0x43, 0x80, 0x100, 0x8000'0000u, 0xFFFF'FFFFu};
  switch (d.weighted<int>({{6, 0}, {3, 1}, {1, 2}})) {
    case 0: return static_cast<uint32_t>(d.below(0x40));
    case 1: return kUsual[d.below(std::size(kUsual))];
    default: return kInvalid[d.below(std::size(kInvalid))];
  }
}

Behavior drawBehavior(Draw& d, bool faults, bool server) {
  if (!faults) return Behavior::Ok;
  if (server)
    return d.weighted<Behavior>({{6, Behavior::Ok}, {1, Behavior::SFalse}, {2, Behavior::Fail}, {2, Behavior::FailOnce},
                                 {1, Behavior::Hang}, {1, Behavior::Crash}, {1, Behavior::ExecFail}});
  return d.weighted<Behavior>({{3, Behavior::Ok}, {1, Behavior::SFalse}, {2, Behavior::Fail}, {2, Behavior::FailOnce},
                               {1, Behavior::Hang}, {1, Behavior::Crash}});
}

// The job of a command: J1 6, J2 3, J3 1 in the small world (the most collisions on J1); in a
// bigger one (more than three jobs) every job alike, so events fan out over all of them.
JobId drawJob(const Universe& u, Draw& d) {
  if (u.jobs > 3) return static_cast<JobId>(1 + d.below(static_cast<size_t>(u.jobs)));
  size_t jw = u.jobs >= 3 ? 10 : u.jobs == 2 ? 9 : 6;
  size_t jx = d.below(jw);
  return static_cast<JobId>(jx < 6 ? 1 : jx < 9 ? 2 : 3);
}

Command drawOfKind(const Universe& u, CmdKind k, Draw& d) {
  Command c = makeCommand(k);
  c.app = static_cast<AppId>(1 + d.below(static_cast<size_t>(u.apps)));
  c.job = drawJob(u, d);
  const JobId job = c.job;
  if (!isApiCall(k)) c.job = 0;
  if (!isApiCall(k) && k != CmdKind::Behave && k != CmdKind::AppExit) c.app = 0;
  switch (k) {
    case CmdKind::GetNotifyInterface:
    case CmdKind::GetNotifyFlags: c.nullOut = d.below(10) == 0; break;
    case CmdKind::SetNotifyInterface:
      c.slot = d.weighted<uint8_t>({{3, 2}, {2, 3}, {2, 1}, {2, 0}, {1, 4}});
      break;
    case CmdKind::SetNotifyFlags: c.flags = drawFlags(d); break;
    case CmdKind::SetNotifyCmdLine: {
      auto pa = d.weighted<std::pair<Program, Params>>(
          {{4, {Program::Ok, Params::Ok}}, {3, {Program::Fail, Params::Ok}}, {2, {Program::Null, Params::Null}},
           {1, {Program::Ok, Params::Null}}, {1, {Program::Null, Params::Ok}}, {1, {Program::TooLong, Params::Ok}},
           {1, {Program::Ok, Params::TooLong}}});
      c.program = pa.first;
      c.params = pa.second;
      break;
    }
    case CmdKind::SetNotifyClsid:
      c.clsid = d.weighted<ClassId>({{4, ClassId::A}, {3, ClassId::B}, {1, ClassId::C}, {2, ClassId::Null}});
      break;
    case CmdKind::Behave:
      c.slot = static_cast<uint8_t>(1 + d.below(kObjectSlots));
      c.behavior = drawBehavior(d, u.caps.faults, false);
      break;
    case CmdKind::RegisterServer:
      c.clsid = d.weighted<ClassId>({{3, ClassId::A}, {2, ClassId::B}});  // ClsidC is never registered (OQ-13)
      c.behavior = drawBehavior(d, u.caps.faults, true);
      break;
    case CmdKind::UnregisterServer:
    case CmdKind::ServerExit: c.clsid = d.weighted<ClassId>({{3, ClassId::A}, {2, ClassId::B}}); break;
    case CmdKind::Connect:
    case CmdKind::Progress:
    case CmdKind::Transfer:
    case CmdKind::TransientError:
    case CmdKind::FatalError: c.job = job; break;
    case CmdKind::Tick: c.ms = tickDurations()[d.below(tickDurations().size())]; break;
    default: break;
  }
  return c;
}

// Simpler variants of c, most drastic first; each is again shrunk (shrinkRecur).
std::vector<Command> simpler(const Command& c) {
  std::vector<Command> out;
  auto with = [&](auto set) {
    Command d = c;
    set(d);
    if (!(d == c)) out.push_back(d);
  };
  if (c.app > 1) with([](Command& d) { d.app = 1; });
  if (c.job > 1) with([](Command& d) { d.job = 1; });
  if (c.job > 2) with([](Command& d) { d.job = 2; });
  if (c.kind == CmdKind::SetNotifyInterface && c.slot != 2) with([](Command& d) { d.slot = 2; });
  if (c.kind == CmdKind::Behave && c.slot != 2) with([](Command& d) { d.slot = 2; });
  if (c.behavior != Behavior::Ok) with([](Command& d) { d.behavior = Behavior::Ok; });
  if (c.behavior == Behavior::FailOnce || c.behavior == Behavior::SFalse) with([](Command& d) { d.behavior = Behavior::Fail; });
  if (c.kind == CmdKind::SetNotifyFlags && c.flags != 0x03) with([](Command& d) { d.flags = 0x03; });
  if (c.kind == CmdKind::SetNotifyClsid && c.clsid != ClassId::A && c.clsid != ClassId::Null)
    with([](Command& d) { d.clsid = ClassId::A; });
  if ((c.kind == CmdKind::RegisterServer || c.kind == CmdKind::UnregisterServer || c.kind == CmdKind::ServerExit) &&
      c.clsid != ClassId::A)
    with([](Command& d) { d.clsid = ClassId::A; });
  if (c.kind == CmdKind::SetNotifyCmdLine && c.program != Program::Ok)
    with([](Command& d) { d.program = Program::Ok, d.params = Params::Ok; });
  if (c.nullOut) with([](Command& d) { d.nullOut = false; });
  if (c.kind == CmdKind::Tick && c.ms != 600'000 && c.ms != 500) with([](Command& d) { d.ms = d.ms > 600'000 ? 600'000 : 500; });
  return out;
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
  Command c = makeCommand(k);
  if (k == CmdKind::Behave) c.behavior = Behavior::Ok;
  return caps.supports(c);
}

}  // namespace

Command drawCommand(const Universe& u, CmdKind k, rc::Random& random) {
  Draw d{random};
  return drawOfKind(u, k, d);
}

std::vector<Command> simplerCommands(const Command& c) { return simpler(c); }

bool supportsKind(const Universe& u, CmdKind k) { return kindSupported(u.caps, k); }

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
  std::vector<std::pair<CmdKind, size_t>> table;  // enabled kinds and their weights
  size_t total = 0;
  for (int i = 0; i < kCmdKindCount; ++i) {
    if (!kinds[i]) continue;
    table.push_back({static_cast<CmdKind>(i), weightOf(static_cast<CmdKind>(i))});
    total += table.back().second;
  }
  if (table.empty()) table.push_back({CmdKind::Tick, total = 1});
  return [u, table, total](const rc::Random& random, int) {
    rc::Random r = random;
    Draw d{r};
    size_t x = d.below(total);
    CmdKind k = table.back().first;
    for (const auto& [kind, w] : table) {
      if (x < w) {
        k = kind;
        break;
      }
      x -= w;
    }
    return rc::shrinkable::shrinkRecur(drawOfKind(u, k, d),
                                       [](const Command& c) { return rc::seq::fromContainer(simpler(c)); });
  };
}

Gen<std::vector<Command>> genSequence(const Universe& u, const KindSet& kinds) {
  // A chunk is one command of `kinds` (5 in 6) or a job set-up: CreateJob, 1-2 AddFile, mostly
  // a Resume; without set-ups a swarm lacking CreateJob would test nothing. Drawn from one
  // random stream; a chunk shrinks by dropping one of its commands or simplifying the single one.
  Gen<Command> one = genCommand(u, kinds);
  Gen<std::vector<Command>> chunk = [u, one](const rc::Random& random, int size) {
    rc::Random r = random;
    rc::Random forOne = r.split();  // split before any next(): RapidCheck's rule
    Draw d{r};
    if (d.below(6) != 0) {
      return rc::shrinkable::map(one(forOne, size), [](Command c) { return std::vector<Command>{c}; });
    }
    Command c = drawOfKind(u, CmdKind::CreateJob, d);
    std::vector<Command> v{c};
    size_t files = 1 + d.below(2);
    for (size_t i = 0; i < files; ++i) v.push_back(makeCommand(CmdKind::AddFile, c.app, c.job));
    if (d.below(4) != 0) v.push_back(makeCommand(CmdKind::Resume, c.app, c.job));
    return rc::shrinkable::shrinkRecur(std::move(v), [](const std::vector<Command>& w) {
      std::vector<std::vector<Command>> out;
      for (size_t i = 0; w.size() > 1 && i < w.size(); ++i) {
        std::vector<Command> x = w;
        x.erase(x.begin() + static_cast<long>(i));
        out.push_back(std::move(x));
      }
      for (const Command& s : simpler(w.front())) {  // the set-up's app and job toward A1, J1
        std::vector<Command> x = w;
        for (Command& y : x) y.app = s.app, y.job = s.job;
        out.push_back(std::move(x));
      }
      return rc::seq::fromContainer(std::move(out));
    });
  };
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
      Command c = makeCommand(k, std::get<0>(t), std::get<1>(t));
      if (k == CmdKind::SetNotifyFlags) c.flags = std::get<2>(t);
      return c;
    }));
  }
  // Getters on the job under test: they must not change anything.
  for (CmdKind k : {CmdKind::GetState, CmdKind::GetNotifyInterface, CmdKind::GetNotifyFlags, CmdKind::GetNotifyClsid,
                    CmdKind::GetNotifyCmdLine}) {
    Command c = makeCommand(k, 0, avoid);
    if (!u.caps.supports(c)) continue;
    gens.push_back(gen::map(genApp(u), [c](AppId a) {
      Command d = c;
      d.app = a;
      return d;
    }));
  }
  if (u.caps.networkControl) {
    for (CmdKind k : {CmdKind::Connect, CmdKind::Progress, CmdKind::Transfer, CmdKind::TransientError, CmdKind::FatalError})
      gens.push_back(gen::map(otherJob, [k](JobId j) { return makeCommand(k, 0, j); }));
  }
  if (maxTickMs > 0 && u.caps.virtualTime) {
    gens.push_back(gen::map(uniform<uint64_t>(1, maxTickMs + 1), [](uint64_t ms) {
      Command c = makeCommand(CmdKind::Tick);
      c.ms = ms;
      return c;
    }));
  }
  return gen::mapcat(uniform<size_t>(0, gens.size()), [gens](size_t i) { return gens[i]; });
}

}  // namespace bc
