#include "properties/worlds.h"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "properties/generators.h"

namespace bc {

namespace {

using rc::Gen;
namespace gen = rc::gen;

enum Family : int { kFanOut, kRegistration, kTransfer, kTime, kLife, kPersistence, kFamilies };

constexpr uint64_t kMaxTickInWorld = 86'400'000;  // one day

// The kinds of each family (kPersistence: the setters, each followed by a restart or reboot).
const std::array<std::vector<CmdKind>, kFamilies>& familyKinds() {
  static const std::array<std::vector<CmdKind>, kFamilies> k = {{
      {CmdKind::NetDown, CmdKind::NetUp, CmdKind::ServiceRestart, CmdKind::Reboot, CmdKind::AppExit,
       CmdKind::ServerExit, CmdKind::Behave},
      {CmdKind::SetNotifyInterface, CmdKind::SetNotifyFlags, CmdKind::SetNotifyClsid, CmdKind::SetNotifyCmdLine,
       CmdKind::RegisterServer, CmdKind::UnregisterServer, CmdKind::Behave},
      {CmdKind::Connect, CmdKind::Progress, CmdKind::Transfer, CmdKind::TransientError, CmdKind::FatalError},
      {CmdKind::Tick},
      {CmdKind::CreateJob, CmdKind::AddFile, CmdKind::Resume, CmdKind::Suspend, CmdKind::Complete, CmdKind::Cancel,
       CmdKind::GetState, CmdKind::GetNotifyInterface, CmdKind::GetNotifyFlags, CmdKind::GetNotifyClsid,
       CmdKind::GetNotifyCmdLine},
      {CmdKind::SetNotifyInterface, CmdKind::SetNotifyFlags, CmdKind::SetNotifyClsid, CmdKind::SetNotifyCmdLine},
  }};
  return k;
}

// The kinds of each family that the SUT supports.
std::array<std::vector<CmdKind>, kFamilies> supported(const Universe& u) {
  std::array<std::vector<CmdKind>, kFamilies> out;
  for (int f = 0; f < kFamilies; ++f)
    for (CmdKind k : familyKinds()[f])
      if (supportsKind(u, k)) out[f].push_back(k);
  return out;
}

size_t below(rc::Random& r, size_t n) { return static_cast<size_t>(r.next() % n); }


// A chunk of commands that shrinks by dropping one command (a set-up's, down to nothing: a job
// the failure does not need goes entirely), or by simplifying the first one's arguments (not in
// a job's set-up: the set-up numbers its job).
rc::Shrinkable<std::vector<Command>> shrinkableChunk(std::vector<Command> v, bool setUp) {
  return rc::shrinkable::shrinkRecur(std::move(v), [setUp](const std::vector<Command>& w) {
    std::vector<std::vector<Command>> out;
    for (size_t i = 0; (w.size() > 1 || setUp) && i < w.size(); ++i) {
      std::vector<Command> x = w;
      x.erase(x.begin() + static_cast<long>(i));
      out.push_back(std::move(x));
    }
    if (!w.empty() && !setUp)
      for (const Command& s : simplerCommands(w.front())) {
        std::vector<Command> x = w;
        x.front() = s;
        out.push_back(std::move(x));
      }
    return rc::seq::fromContainer(std::move(out));
  });
}

// One job of the set-up (its commands name job 0 until the set-up numbers the jobs): created by
// some app, one to three files, registrations that share processes with the other jobs (a pool
// of three objects, two classes), flags, a command line, and mostly queued.
Gen<std::vector<Command>> genJobSetUp(const Universe& u) {
  return [u](const rc::Random& random, int) {
    rc::Random r = random;
    const AppId owner = static_cast<AppId>(1 + below(r, static_cast<size_t>(u.apps)));
    std::vector<Command> v{makeCommand(CmdKind::CreateJob, owner)};
    for (size_t i = 0, n = 1 + below(r, 3); i < n; ++i) v.push_back(makeCommand(CmdKind::AddFile, owner));
    static constexpr std::pair<AppId, uint8_t> kShared[] = {{1, 2}, {1, 3}, {2, 2}, {1, 1}};
    if (below(r, 4) != 0 && supportsKind(u, CmdKind::SetNotifyInterface)) {
      auto [app, slot] = kShared[below(r, std::size(kShared))];
      Command c = makeCommand(CmdKind::SetNotifyInterface, app);
      c.slot = slot;
      v.push_back(c);
    }
    if (below(r, 2) == 0 && supportsKind(u, CmdKind::SetNotifyClsid)) {
      Command c = makeCommand(CmdKind::SetNotifyClsid, owner);
      static constexpr ClassId kClasses[] = {ClassId::A, ClassId::A, ClassId::B, ClassId::C};
      c.clsid = kClasses[below(r, std::size(kClasses))];
      v.push_back(c);
    }
    if (below(r, 2) == 0) {
      Command c = drawCommand(u, CmdKind::SetNotifyFlags, r);
      c.app = owner;
      v.push_back(c);
    }
    if (below(r, 3) == 0 && supportsKind(u, CmdKind::SetNotifyCmdLine)) {
      Command c = makeCommand(CmdKind::SetNotifyCmdLine, owner);
      c.program = below(r, 2) == 0 ? Program::Ok : Program::Fail;
      c.params = Params::Ok;
      v.push_back(c);
    }
    if (below(r, 5) != 0) v.push_back(makeCommand(CmdKind::Resume, owner));
    return shrinkableChunk(std::move(v), true);
  };
}

// The servers of the world: ClsidA and ClsidB registered (mostly), with drawn behaviours.
Gen<std::vector<Command>> genServers(const Universe& u) {
  return [u](const rc::Random& random, int) {
    rc::Random r = random;
    std::vector<Command> v;
    if (supportsKind(u, CmdKind::RegisterServer))
      for (ClassId c : {ClassId::A, ClassId::B}) {
        if (below(r, 3) == 0) continue;
        Command reg = drawCommand(u, CmdKind::RegisterServer, r);
        reg.clsid = c;
        v.push_back(reg);
      }
    return shrinkableChunk(std::move(v), true);
  };
}

// The world's set-up: the servers, then J1..Jn (n from 2 to u.jobs), numbered in order.
Gen<std::vector<Command>> genSetUp(const Universe& u) {
  Gen<std::vector<std::vector<Command>>> jobs = gen::mapcat(uniform<int>(2, u.jobs + 1), [u](int n) {
    return gen::container<std::vector<std::vector<Command>>>(static_cast<size_t>(n), genJobSetUp(u));
  });
  return gen::map(gen::pair(genServers(u), jobs),
                  [](const std::pair<std::vector<Command>, std::vector<std::vector<Command>>>& p) {
                    std::vector<Command> out = p.first;
                    for (size_t i = 0; i < p.second.size(); ++i)
                      for (Command c : p.second[i]) {
                        c.job = static_cast<JobId>(i + 1);
                        out.push_back(c);
                      }
                    return out;
                  });
}

// One chunk of the body: a command of a family drawn by this case's weights, or a persistence
// pair (a setter, then a ServiceRestart or Reboot).
Gen<std::vector<Command>> genBodyChunk(const Universe& u, std::array<size_t, kFamilies> weights) {
  const auto kinds = supported(u);
  size_t total = 0;
  for (int f = 0; f < kFamilies; ++f) {
    if (kinds[f].empty()) weights[f] = 0;
    total += weights[f];
  }
  if (total == 0) weights[kLife] = total = 1;
  return [u, kinds, weights, total](const rc::Random& random, int) {
    rc::Random r = random;
    size_t x = below(r, total);
    int f = 0;
    while (x >= weights[f]) x -= weights[f++];
    const CmdKind k = kinds[f][below(r, kinds[f].size())];
    Command c = drawCommand(u, k, r);
    // Time in steps of at most a day: eight jobs whose calls fail are retried every ten minutes,
    // and a 14-day Tick of them goes beyond the model's test world (kMaxStepObservations), where
    // nothing can be judged; the 14-day timeouts come from several such steps.
    if (k == CmdKind::Tick) c.ms = std::min<uint64_t>(c.ms, kMaxTickInWorld);
    // An object that serves several jobs dies or blocks mid-call: every job it serves is touched.
    if (f == kFanOut && k == CmdKind::Behave && below(r, 2) == 0)
      c.behavior = below(r, 2) == 0 ? Behavior::Crash : Behavior::Hang;
    std::vector<Command> v{c};
    if (f == kPersistence) {
      const bool restart = supportsKind(u, CmdKind::ServiceRestart), reboot = supportsKind(u, CmdKind::Reboot);
      if (restart || reboot) v.push_back(makeCommand(restart && (!reboot || below(r, 3) != 0) ? CmdKind::ServiceRestart : CmdKind::Reboot));
    }
    return shrinkableChunk(std::move(v), false);
  };
}

// The world's ids: name[logical] for its apps 1..u.apps and jobs 1..u.jobs (index 0 unused).
struct Names {
  std::vector<AppId> app;
  std::vector<JobId> job;
};

template <class Id>
std::vector<Id> identity(int count) {
  std::vector<Id> out(static_cast<size_t>(count) + 1);
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<Id>(i);
  return out;
}

// `count` distinct ids: the last is `top`, the others drawn from 1..top-1 (count >= 1).
template <class Id>
std::vector<Id> spread(rc::Random& r, int count, Id top) {
  std::vector<Id> pool;
  for (Id i = 1; i < top; ++i) pool.push_back(i);
  std::vector<Id> out{Id{0}};
  for (int k = 1; k < count; ++k) {
    const size_t at = below(r, pool.size());
    out.push_back(pool[at]);
    pool.erase(pool.begin() + static_cast<long>(at));
  }
  out.push_back(top);
  return out;
}

// The identity (what it shrinks to), or the world's apps and jobs spread over the whole test
// world: the last app on A8 and the last job on J1000.
Gen<Names> genNames(const Universe& u) {
  return gen::mapcat(choose<bool>(false, true), [u](bool spreadOut) -> Gen<Names> {
    if (!spreadOut) return gen::just(Names{identity<AppId>(u.apps), identity<JobId>(u.jobs)});
    return [u](const rc::Random& random, int) {
      rc::Random r = random;
      std::vector<AppId> apps = spread<AppId>(r, u.apps, static_cast<AppId>(kMaxApps));
      return rc::shrinkable::just(Names{std::move(apps), spread<JobId>(r, u.jobs, kMaxJobId)});
    };
  });
}

}  // namespace

Universe worldUniverse(const Universe& u) {
  Universe w = u;
  w.apps = 4;
  w.jobs = 8;
  return w;
}

Gen<std::vector<Command>> genWorld(const Universe& small) {
  const Universe u = worldUniverse(small);
  // The swarm over families: each weighs 0, 1, 2 or 4 in this case (shrinks toward 1: all alike).
  Gen<std::array<size_t, kFamilies>> swarm = gen::map(
      gen::container<std::vector<size_t>>(kFamilies, choose<size_t>(1, 0, 2, 4)), [](const std::vector<size_t>& w) {
        std::array<size_t, kFamilies> a{};
        for (int f = 0; f < kFamilies; ++f) a[f] = w[f];
        return a;
      });
  return gen::mapcat(swarm, [u](std::array<size_t, kFamilies> weights) {
    return gen::map(gen::pair(genSetUp(u), gen::scale(3.0, gen::container<std::vector<std::vector<Command>>>(
                                                               genBodyChunk(u, weights)))),
                    [](const std::pair<std::vector<Command>, std::vector<std::vector<Command>>>& p) {
                      std::vector<Command> out = p.first;
                      for (const auto& chunk : p.second) out.insert(out.end(), chunk.begin(), chunk.end());
                      return out;
                    });
  });
}

Gen<std::vector<Command>> genNamedWorld(const Universe& small) {
  const Universe u = worldUniverse(small);
  return gen::map(gen::pair(genWorld(small), genNames(u)), [u](const std::pair<std::vector<Command>, Names>& p) {
    std::vector<Command> out = p.first;
    for (Command& c : out) {
      if (c.app >= 1 && c.app <= u.apps) c.app = p.second.app[c.app];
      if (c.job >= 1 && c.job <= static_cast<JobId>(u.jobs)) c.job = p.second.job[c.job];
    }
    return out;
  });
}

}  // namespace bc
