// generators.h: RapidCheck generators of command sequences over a small, collision-prone world.
//
// A Universe is the world a test case draws from: 2-3 apps, 2-3 jobs, slots o1..o4 and NULL,
// ClsidA/ClsidB (registrable), ClsidC (never registered) and GUID_NULL, every flag word
// including invalid bits. Only commands the SUT's capabilities support are generated. Swarm
// testing (Groce et al.): a case first draws a non-empty subset of command kinds and generates
// only those, so long runs of one rule happen. Every value shrinks toward the simplest form
// (A1, J1, o1, ClsidA, ok) so counterexamples read well.
#pragma once

#include <bitset>
#include <cstdint>
#include <vector>

#include <rapidcheck.h>

#include "model/policy.h"
#include "vocab/capabilities.h"
#include "vocab/command.h"

namespace bc {

struct Universe {
  int apps = 3;  // A1..A<apps>
  int jobs = 3;  // J1..J<jobs>
  Capabilities caps;
  Policies policies;  // the model's settings, for targeted witnesses that depend on them
};

// A subset of command kinds (the swarm).
using KindSet = std::bitset<kCmdKindCount>;

// The kinds `u.caps` supports at all (Behave is always possible: `ok` needs no capability).
KindSet supportedKinds(const Universe& u);

// A non-empty random subset of supportedKinds(u); shrinks toward the full set (so a shrunk
// counterexample is not bound to an odd swarm).
rc::Gen<KindSet> genSwarm(const Universe& u);

// A command of kind `k` by `app` on `job`, every other field at its default.
Command makeCommand(CmdKind k, AppId app = 0, JobId job = 0);

// One command whose kind is in `kinds` (non-empty, all supported), arguments over `u`.
// Weighted so that sequences mostly act on existing jobs: AddFile, Resume and Transfer are
// common, faults and restarts rare.
rc::Gen<Command> genCommand(const Universe& u, const KindSet& kinds);

// A command sequence of about `size` commands: "chunks" that are either a job set-up (CreateJob,
// AddFile, maybe Resume; always available, whatever the swarm) or one command of `kinds`.
// Shrinking removes whole chunks first, then single commands.
rc::Gen<std::vector<Command>> genSequence(const Universe& u, const KindSet& kinds);

// An integer in [min, max), uniformly, whatever the size (gen::inRange narrows with the size:
// at small sizes it would give only the first app, job or kind).
template <typename T>
rc::Gen<T> uniform(T min, T max) {
  return rc::gen::resize(rc::kNominalSize, rc::gen::inRange<T>(min, max));
}

// An index drawn by weight, shrinking toward 0 (the first, simplest choice).
rc::Gen<size_t> weightedIndex(std::vector<size_t> weights);

// One of the given values, uniformly; shrinks toward the first (gen::element does not shrink).
template <typename T, typename... Ts>
rc::Gen<T> choose(T first, Ts... rest) {
  std::vector<T> v{first, static_cast<T>(rest)...};
  return rc::gen::map(uniform<size_t>(0, v.size()), [v](size_t i) { return v[i]; });
}
template <typename T>
rc::Gen<T> chooseFrom(std::vector<T> v) {
  return rc::gen::map(uniform<size_t>(0, v.size()), [v](size_t i) { return v[i]; });
}
// One of the values by weight; shrinks toward the first.
template <typename T>
rc::Gen<T> chooseWeighted(std::vector<std::pair<size_t, T>> pairs) {
  std::vector<size_t> w;
  for (const auto& p : pairs) w.push_back(p.first);
  return rc::gen::map(weightedIndex(w), [pairs](size_t i) { return pairs[i].second; });
}

// One command of kind k with arguments over `u`, drawn from `random` with the distributions of
// genCommand (for generators that draw whole chunks from one stream: worlds.h), and the simpler
// variants a command shrinks to, most drastic first. supportsKind: whether `u.caps` supports k
// at all.
Command drawCommand(const Universe& u, CmdKind k, rc::Random& random);
std::vector<Command> simplerCommands(const Command& c);
bool supportsKind(const Universe& u, CmdKind k);

// The durations a Tick is drawn from: around 500 ms (EVT-11), 600 s (LIFE-4), 14 d (LIFE-3).
const std::vector<uint64_t>& tickDurations();

// Commands that never touch job `avoid` nor any app object, server or world-wide state (API
// calls on other jobs, getters on `avoid`, short Ticks): noise for targeted properties that
// must not disturb the rule under test. `maxTickMs` bounds the Ticks (0: no Tick).
rc::Gen<Command> genHarmlessNoise(const Universe& u, JobId avoid, uint64_t maxTickMs);

}  // namespace bc

namespace bc {
// RapidCheck prints picked values with this (scenario syntax).
void showValue(const Command& c, std::ostream& os);
}  // namespace bc
