#include "strength/explorer.h"

#include <chrono>
#include <unordered_map>
#include <unordered_set>

#include <rapidcheck.h>

#include "properties/generators.h"

namespace bc {

namespace {

double secondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

Command api(CmdKind kind, JobId job, AppId app = 1) {
  Command c;
  c.kind = kind;
  c.app = app;
  c.job = job;
  return c;
}

}  // namespace

// BFS nodes in discovery order (so depth never decreases with the index), and for every expanded
// node (depth < bound) the outcome of each alphabet command on its representative.
struct ExplorationGraph {
  struct Node {
    AbstractState state;
    uint32_t parent = UINT32_MAX;
    uint16_t command = 0;  // alphabet index that first reached it
    uint8_t depth = 0;
  };
  std::vector<Command> alphabet;
  std::vector<uint32_t> classes;  // commandClassId of each alphabet entry
  std::vector<Node> nodes;
  std::unordered_map<AbstractState, uint32_t, AbstractStateHash> index;
  size_t expanded = 0;                 // nodes [0, expanded) were expanded
  std::vector<uint16_t> outcomes;      // expanded * alphabet.size(), interned outcome codes
  std::vector<uint32_t> targets;       // expanded * alphabet.size(), the node reached (UINT32_MAX: none kept)
  std::vector<OutcomeCode> outcomeCodes;

  TransitionKey key(uint32_t node, size_t command) const {
    return {nodes[node].state, classes[command], outcomeCodes[outcomes[node * alphabet.size() + command]]};
  }
  std::vector<Command> pathTo(uint32_t node) const {
    std::vector<Command> path;
    for (uint32_t n = node; nodes[n].parent != UINT32_MAX; n = nodes[n].parent) path.push_back(alphabet[nodes[n].command]);
    return {path.rbegin(), path.rend()};
  }
};

std::vector<Command> explorerAlphabet(int jobs) {
  std::vector<Command> a;
  std::vector<Command> late;  // destructive: tried last
  for (JobId j = 1; j <= static_cast<JobId>(jobs); ++j) {
    a.push_back(api(CmdKind::CreateJob, j));
    a.push_back(api(CmdKind::AddFile, j));
    a.push_back(api(CmdKind::Resume, j));
    for (uint8_t slot : {2, 1, 0, 4}) {
      Command c = api(CmdKind::SetNotifyInterface, j);
      c.slot = slot;
      a.push_back(c);
    }
    Command other = api(CmdKind::SetNotifyInterface, j, 2);  // another app's object (last writer wins)
    other.slot = 2;
    a.push_back(other);
    a.push_back(api(CmdKind::GetNotifyInterface, j));
    for (uint32_t f : {0x03u, 0x0Bu, 0x13u, 0x07u, 0x00u, 0x40u}) {
      Command c = api(CmdKind::SetNotifyFlags, j);
      c.flags = f;
      a.push_back(c);
    }
    for (Program p : {Program::Ok, Program::Fail, Program::Null}) {
      Command c = api(CmdKind::SetNotifyCmdLine, j);
      c.program = p;
      c.params = p == Program::Null ? Params::Null : Params::Ok;
      a.push_back(c);
    }
    for (ClassId k : {ClassId::A, ClassId::C, ClassId::Null}) {
      Command c = api(CmdKind::SetNotifyClsid, j);
      c.clsid = k;
      a.push_back(c);
    }
    for (CmdKind k : {CmdKind::Connect, CmdKind::Progress, CmdKind::Transfer, CmdKind::TransientError,
                      CmdKind::FatalError}) {
      Command c;
      c.kind = k;
      c.job = j;
      a.push_back(c);
    }
    a.push_back(api(CmdKind::Suspend, j));
    late.push_back(api(CmdKind::Complete, j));
    late.push_back(api(CmdKind::Cancel, j));
  }
  for (Behavior b : {Behavior::Fail, Behavior::Hang, Behavior::Crash, Behavior::Ok}) {
    Command c;
    c.kind = CmdKind::Behave;
    c.app = 1;
    c.slot = 2;
    c.behavior = b;
    a.push_back(c);
  }
  for (Behavior b : {Behavior::Ok, Behavior::Fail}) {
    Command c;
    c.kind = CmdKind::RegisterServer;
    c.clsid = ClassId::A;
    c.behavior = b;
    a.push_back(c);
  }
  for (CmdKind k : {CmdKind::UnregisterServer, CmdKind::ServerExit}) {
    Command c;
    c.kind = k;
    c.clsid = ClassId::A;
    a.push_back(c);
  }
  for (uint64_t ms : {uint64_t{500}, kMinimumRetryDelayMs, kNoProgressTimeoutMs}) {
    Command c;
    c.kind = CmdKind::Tick;
    c.ms = ms;
    a.push_back(c);
  }
  for (CmdKind k : {CmdKind::NetDown, CmdKind::NetUp}) {
    Command c;
    c.kind = k;
    a.push_back(c);
  }
  Command exit;
  exit.kind = CmdKind::AppExit;
  exit.app = 1;
  late.push_back(exit);
  for (CmdKind k : {CmdKind::ServiceRestart, CmdKind::Reboot}) {
    Command c;
    c.kind = k;
    late.push_back(c);
  }
  a.insert(a.end(), late.begin(), late.end());
  return a;
}

ExplorerResult explore(const ExplorerOptions& options) {
  auto start = std::chrono::steady_clock::now();
  auto graph = std::make_shared<ExplorationGraph>();
  ExplorationGraph& g = *graph;
  g.alphabet = explorerAlphabet(options.jobs);
  for (const Command& c : g.alphabet) g.classes.push_back(commandClassId(c));
  const size_t width = g.alphabet.size();
  auto reachable = std::make_shared<TransitionTable>();
  std::unordered_map<OutcomeCode, uint16_t> outcomeIds;

  ExplorerResult result;
  result.bound = options.bound;
  std::vector<Model> level{Model(options.config)};
  g.nodes.push_back({abstractState(level.front()), UINT32_MAX, 0, 0});
  g.index.emplace(g.nodes.front().state, 0);
  result.statesByDepth.push_back(1);

  Observations out;
  for (int depth = 0; depth < options.bound && !level.empty(); ++depth) {
    std::vector<Model> next;
    size_t found = 0;
    const bool keep = depth + 1 < options.bound;  // the last level is not expanded: no models needed
    // Nodes of this level are [g.expanded, g.expanded + level.size()), in the same order as `level`.
    for (size_t n = 0; n < level.size(); ++n) {
      const uint32_t node = static_cast<uint32_t>(g.expanded + n);
      for (size_t i = 0; i < width; ++i) {
        Model m = level[n];
        out.clear();
        m.step(g.alphabet[i], out);
        ++result.steps;
        AbstractState s = abstractState(m);
        OutcomeCode oc = outcomeCode(out, g.nodes[node].state, s);
        auto [oit, newOutcome] = outcomeIds.try_emplace(oc, static_cast<uint16_t>(g.outcomeCodes.size()));
        if (newOutcome) g.outcomeCodes.push_back(oc);
        g.outcomes.push_back(oit->second);
        RuleSet& rules = (*reachable)[TransitionKey{g.nodes[node].state, g.classes[i], oc}];
        for (const Observation& o : out) rules.add(o.rules);
        if (auto known = g.index.find(s); known != g.index.end()) {
          g.targets.push_back(known->second);
          continue;
        }
        if (g.nodes.size() >= options.maxStates) {
          result.truncated = true;
          g.targets.push_back(UINT32_MAX);
          continue;
        }
        g.targets.push_back(static_cast<uint32_t>(g.nodes.size()));
        g.index.emplace(s, static_cast<uint32_t>(g.nodes.size()));
        g.nodes.push_back({s, node, static_cast<uint16_t>(i), static_cast<uint8_t>(depth + 1)});
        ++found;
        if (keep) next.push_back(std::move(m));
      }
    }
    g.expanded += level.size();
    result.statesByDepth.push_back(found);
    level = std::move(next);
  }
  result.states = g.nodes.size();
  result.reachable = reachable;
  result.graph = graph;
  result.seconds = secondsSince(start);
  return result;
}

std::vector<Command> exampleSequence(const ExplorerResult& explored, const TransitionKey& k) {
  if (!explored.graph || !explored.reachable || !explored.reachable->count(k)) return {};
  const ExplorationGraph& g = *explored.graph;
  auto it = g.index.find(k.state);
  if (it == g.index.end() || it->second >= g.expanded) return {};
  for (size_t i = 0; i < g.alphabet.size(); ++i)
    if (g.key(it->second, i) == k) {
      std::vector<Command> seq = g.pathTo(it->second);
      seq.push_back(g.alphabet[i]);
      return seq;
    }
  return {};
}

CoveringSet coverTransitions(const ExplorerResult& explored, const ExplorerOptions& options) {
  auto start = std::chrono::steady_clock::now();
  CoveringSet cover;
  const ExplorationGraph& g = *explored.graph;
  const TransitionTable& reachable = *explored.reachable;
  const size_t width = g.alphabet.size();
  std::unordered_set<TransitionKey, TransitionKeyHash> covered;
  covered.reserve(reachable.size());
  // Unexercised transitions left per expanded node (alphabet classes are distinct, so a reachable
  // triple is exactly one (node, command) pair).
  std::vector<uint32_t> remaining(g.expanded, static_cast<uint32_t>(width));

  auto pairCovered = [&](uint32_t node, size_t i) { return covered.count(g.key(node, i)) != 0; };
  auto expandedNode = [&](uint32_t n) { return n < g.expanded; };
  Observations out;
  // Runs one command on `m` and records the transition it took, if reachable.
  auto run = [&](Model& m, const Command& c) -> TransitionKey {
    TransitionKey k{abstractState(m), commandClassId(c), 0};
    out.clear();
    m.step(c, out);
    k.outcome = outcomeCode(out, k.state, abstractState(m));
    if (reachable.count(k) && covered.insert(k).second) --remaining[g.index.at(k.state)];
    return k;
  };
  // The next command at `here`: an unexercised transition, preferably one whose representative
  // leads on to more work; else the first step of a short path to a node with work left.
  auto choose = [&](uint32_t here, const std::unordered_set<uint64_t>& tried) -> size_t {
    size_t fallback = width, onward = width;
    for (size_t i = 0; i < width; ++i) {
      if (tried.count(uint64_t{here} * width + i) || pairCovered(here, i)) continue;
      uint32_t t = g.targets[here * width + i];
      if (t != UINT32_MAX && expandedNode(t) && remaining[t] > (t == here ? 1u : 0u)) return i;
      if (onward == width && t != UINT32_MAX && expandedNode(t)) onward = i;
      if (fallback == width) fallback = i;
    }
    if (onward != width) return onward;
    if (fallback != width) return fallback;
    // Nothing left here: breadth-first over known edges to the nearest node with work left.
    std::unordered_map<uint32_t, size_t> firstStep{{here, width}};
    std::vector<uint32_t> frontier{here};
    for (int hop = 0; hop < 4 && !frontier.empty() && firstStep.size() < 4096; ++hop) {
      std::vector<uint32_t> next;
      for (uint32_t n : frontier)
        for (size_t i = 0; i < width; ++i) {
          uint32_t t = g.targets[n * width + i];
          if (t == UINT32_MAX || !expandedNode(t) || firstStep.count(t)) continue;
          size_t step = n == here ? i : firstStep[n];
          if (remaining[t] > 0) return step;
          firstStep.emplace(t, step);
          next.push_back(t);
        }
      frontier = std::move(next);
    }
    return width;
  };

  for (size_t n = g.expanded; n-- > 0;) {
    const uint32_t node = static_cast<uint32_t>(n);
    while (remaining[node] > 0) {
      // A new sequence: the BFS path reproduces the representative exactly (the model is
      // deterministic), so its first unexercised transition is exercised for sure.
      std::vector<Command> seq = g.pathTo(node);
      Model m(options.config);
      for (const Command& c : seq) run(m, c);
      std::unordered_set<uint64_t> tried;  // (node, command) whose concrete outcome differed, or a detour taken
      const size_t limit = std::max<size_t>(options.maxSequenceLength, g.nodes[node].depth + 1);
      while (seq.size() < limit) {
        auto it = g.index.find(abstractState(m));
        if (it == g.index.end() || !expandedNode(it->second)) break;
        const uint32_t here = it->second;
        size_t pick = choose(here, tried);
        if (pick == width) break;
        seq.push_back(g.alphabet[pick]);
        if (!(run(m, g.alphabet[pick]) == g.key(here, pick))) tried.insert(uint64_t{here} * width + pick);
      }
      cover.commands += seq.size();
      cover.sequences.push_back(std::move(seq));
    }
  }

  // Check by replay, independently of the bookkeeping above.
  CoverageTracker check(explored.reachable);
  for (const auto& seq : cover.sequences) check.observeSequence(seq, options.config);
  cover.covered = check.covered();
  cover.reachable = check.reachable();
  cover.seconds = secondsSince(start);
  return cover;
}

RandomCoverage randomCoverage(const ExplorerResult& explored, const ExplorerOptions& options, size_t commandBudget,
                              uint64_t seed) {
  auto start = std::chrono::steady_clock::now();
  RandomCoverage rc;
  Universe u;
  u.apps = 2;
  u.jobs = options.jobs;
  u.policies = options.config.policies;
  u.caps.version = options.config.version;
  rc::Gen<std::vector<Command>> gen =
      rc::gen::mapcat(genSwarm(u), [u](const KindSet& kinds) { return genSequence(u, kinds); });
  CoverageTracker tracker(explored.reachable);
  rc.reachable = tracker.reachable();
  rc::Random random(seed);
  Model model(options.config);
  Observations out;
  while (rc.commands < commandBudget && !tracker.complete()) {
    std::vector<Command> seq = gen(random.split(), 40).value();
    ++rc.sequences;
    model = Model(options.config);
    for (const Command& c : seq) {
      if (rc.commands >= commandBudget) break;
      AbstractState before = abstractState(model);
      out.clear();
      model.step(c, out);
      ++rc.commands;
      size_t was = tracker.covered();
      tracker.observe(before, c, out, abstractState(model));
      if (tracker.covered() != was) {
        size_t n = tracker.covered();
        if (!rc.commandsToHalf && 2 * n >= rc.reachable) rc.commandsToHalf = rc.commands;
        if (!rc.commandsTo90 && 10 * n >= 9 * rc.reachable) rc.commandsTo90 = rc.commands;
        if (!rc.commandsToAll && n == rc.reachable) rc.commandsToAll = rc.commands;
      }
    }
  }
  rc.covered = tracker.covered();
  rc.seconds = secondsSince(start);
  return rc;
}

}  // namespace bc
