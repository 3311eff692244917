#include "strength/explorer.h"

#include <map>
#include <set>

#include <catch2/catch.hpp>

#include "oracle/runner.h"
#include "sut/mock/mock_sut.h"
#include "vocab/command_text.h"

namespace bc {
namespace {

TEST_CASE("the explorer's alphabet is valid scenario syntax with distinct classes", "[explorer]") {
  for (int jobs : {1, 2}) {
    std::vector<Command> a = explorerAlphabet(jobs);
    std::set<uint32_t> classes;
    for (const Command& c : a) {
      auto parsed = parseCommand(formatCommand(c));
      REQUIRE(parsed.ok());
      CHECK(*parsed == c);
      classes.insert(commandClassId(c));
    }
    CHECK(classes.size() == a.size());  // the cover relies on one triple per (state, command)
  }
}

TEST_CASE("exploration is breadth first, deduplicated and deterministic", "[explorer]") {
  ExplorerOptions o;
  o.bound = 3;
  ExplorerResult a = explore(o), b = explore(o);
  CHECK(a.states == b.states);
  CHECK(a.reachable->size() == b.reachable->size());
  size_t sum = 0;
  for (size_t n : a.statesByDepth) sum += n;
  CHECK(sum == a.states);
  CHECK(a.statesByDepth.size() == 4);
  CHECK(!a.truncated);
  // Every state found before the bound was expanded with the whole alphabet.
  size_t expanded = a.states - a.statesByDepth.back();
  CHECK(a.reachable->size() == expanded * explorerAlphabet(2).size());
  CHECK(a.steps == a.reachable->size());
}

TEST_CASE("every first step from the initial world is a reachable transition", "[explorer]") {
  ExplorerOptions o;
  o.bound = 1;
  ExplorerResult r = explore(o);
  for (const Command& c : explorerAlphabet(2)) {
    CoverageTracker t(r.reachable);
    t.observeSequence({c});
    CHECK(t.covered() == 1);
  }
}

TEST_CASE("the explored transitions carry the rules of the model's observations", "[explorer][EVT-1][REG-6]") {
  ExplorerOptions o;
  o.bound = 4;
  ExplorerResult r = explore(o);
  RuleSet all;
  for (const auto& [k, rules] : *r.reachable) all.add(rules);
  CHECK(all.has(Rule::EVT_1));    // CreateJob, AddFile, Resume, Transfer: JobTransferred is owed
  CHECK(all.has(Rule::REG_6));    // SetNotifyInterface on a cancelled job
  CHECK(all.has(Rule::REG_1));
}

TEST_CASE("the covering set exercises every transition up to bound 4 and passes on the mock",
          "[explorer][EVT-1][REG-1][CLSID-7][CB-1]") {
  ExplorerOptions o;
  o.bound = 4;
  ExplorerResult r = explore(o);
  CoveringSet cover = coverTransitions(r, o);
  CHECK(cover.complete());
  CHECK(cover.covered == r.reachable->size());
  CHECK(cover.commands < 3 * r.reachable->size());  // compact: about two commands per transition
  // The covering set takes the path classes too: a write between two restarts, an event on both jobs.
  std::map<std::string_view, size_t> paths;
  for (const auto& [k, rules] : *r.reachable)
    for (std::string_view p : pathClasses(k)) ++paths[p];
  CHECK(paths["written-since-restart"] > 0);
  CHECK(paths["restart-after-write"] > 0);
  CHECK(paths["event-on-2-jobs"] > 0);
  CoverageTracker tracker(r.reachable);
  for (const auto& seq : cover.sequences) tracker.observeSequence(seq, o.config);
  for (const PathGap& p : tracker.summary().paths) CHECK(p.uncovered == 0);
  CHECK(tracker.summary().paths.size() == 3);
  size_t failures = 0;
  for (const auto& seq : cover.sequences) {
    mock::MockSut sut;
    Verdict v = runSequence(seq, o.config, sut);
    if (!v.passed() && ++failures <= 3) FAIL_CHECK(describe(v, seq));
  }
  CHECK(failures == 0);
}

}  // namespace
}  // namespace bc
