// explorer.h: exhaustive bounded exploration of the model over abstract states (TLC-style BFS).
//
// From the initial world, every command of a representative alphabet (explorerAlphabet) is
// applied to one concrete representative of every abstract state (coverage.h) found so far,
// breadth first, deduplicated, up to depth `bound`. Every (abstract state, command, outcome)
// transition found from a state at depth < bound is reachable; the set is the denominator of
// transition coverage. A greedy cover then emits command sequences from the initial world that
// together exercise every reachable transition; they run against any SUT like scenarios.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "model/model.h"
#include "strength/coverage.h"
#include "vocab/command.h"

namespace bc {

struct ExplorerOptions {
  int bound = 6;  // depth k: transitions from states first reached within k-1 steps
  int jobs = 2;   // 1 or 2 (J1, J2); the universe is A1, A2, ClsidA (registrable), ClsidC (never)
  ModelConfig config;
  size_t maxStates = 3'000'000;    // a safety stop; the result says truncated
  size_t maxSequenceLength = 48;   // a covering sequence is cut here (then a new one starts)
};

// The commands the explorer applies, in the order it tries them (state-changing and destructive
// ones late, so greedy covering walks go far before they end a job).
std::vector<Command> explorerAlphabet(int jobs);

struct ExplorationGraph;  // the explored states with their BFS parents (explorer.cc)

struct ExplorerResult {
  int bound = 0;
  size_t states = 0;                  // distinct abstract states at depth <= bound
  std::vector<size_t> statesByDepth;  // new states per depth 0..bound
  size_t steps = 0;                   // model steps executed
  std::shared_ptr<const TransitionTable> reachable;
  bool truncated = false;             // maxStates reached: the set is incomplete
  double seconds = 0;
  std::shared_ptr<const ExplorationGraph> graph;
};

ExplorerResult explore(const ExplorerOptions& options);

// A command sequence from the initial world that exercises reachable transition `k` (the BFS path
// to its state's representative, then the alphabet command of its class); empty if `k` is not in
// `explored`'s reachable set.
std::vector<Command> exampleSequence(const ExplorerResult& explored, const TransitionKey& k);

struct CoveringSet {
  std::vector<std::vector<Command>> sequences;
  size_t commands = 0;   // total over the sequences
  size_t covered = 0;    // reachable transitions they exercise (replayed on the model)
  size_t reachable = 0;
  double seconds = 0;
  bool complete() const { return covered == reachable; }
};

// Greedy cover: deepest states first, each sequence is the BFS path to a state with an
// unexercised transition, then extended while the current state has one. Checked by replay.
CoveringSet coverTransitions(const ExplorerResult& explored, const ExplorerOptions& options);

// Random property testing's coverage of the same reachable set, for comparison: swarm-generated
// sequences (properties/generators.h, 2 apps, `options.jobs` jobs) replayed on the model until
// `commandBudget` commands ran or every reachable transition was exercised.
struct RandomCoverage {
  size_t commands = 0;
  size_t sequences = 0;
  size_t covered = 0;
  size_t reachable = 0;
  size_t commandsToHalf = 0;  // commands run when coverage first reached 50% (0: never)
  size_t commandsTo90 = 0;
  size_t commandsToAll = 0;
  double seconds = 0;
};
RandomCoverage randomCoverage(const ExplorerResult& explored, const ExplorerOptions& options, size_t commandBudget,
                              uint64_t seed);

}  // namespace bc
