// strength_info.cc: the coverage record's derived counts.
#include "strength/strength_info.h"

#include <algorithm>
#include <set>
#include <optional>
#include <string>

namespace bc {

void recomputeCoverage(CoverageInfo& c) {
  std::sort(c.exercised.begin(), c.exercised.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  c.exercised.erase(std::unique(c.exercised.begin(), c.exercised.end(),
                                [](const auto& a, const auto& b) { return a.key == b.key; }),
                    c.exercised.end());
  std::map<std::string, uint64_t> hit, pathHit;
  std::set<std::string> keys;
  for (const CoveredTransition& t : c.exercised) {
    keys.insert(t.key);
    for (const std::string& r : t.rules) ++hit[r];
    for (const std::string& p : t.paths) ++pathHit[p];
  }
  c.gapsByPath.clear();
  for (const auto& [path, total] : c.totalsByPath) c.gapsByPath[path] = total - std::min(total, pathHit[path]);
  c.covered = c.exercised.size();
  c.percent = c.reachable == 0 ? 100.0 : 100.0 * double(c.covered) / double(c.reachable);
  c.gapsByRule.clear();
  std::map<std::string, CoverageRuleGap> old;
  for (CoverageRuleGap& g : c.gaps) old[g.rule] = std::move(g);
  c.gaps.clear();
  for (const auto& [rule, total] : c.totalsByRule) {
    uint64_t uncovered = total - std::min(total, hit[rule]);
    if (uncovered == 0) continue;
    c.gapsByRule[rule] = uncovered;
    CoverageRuleGap g{rule, uncovered, total, {}};
    for (CoverageGapExample& e : old[rule].examples)
      if (!keys.count(e.key)) g.examples.push_back(std::move(e));
    c.gaps.push_back(std::move(g));
  }
  std::stable_sort(c.gaps.begin(), c.gaps.end(), [](const auto& a, const auto& b) { return a.uncovered > b.uncovered; });
}


std::optional<std::string> mergeCoverage(CoverageInfo& into, const CoverageInfo& shard) {
  if (!shard.present) return std::nullopt;
  if (!into.present) {
    into = shard;
    return std::nullopt;
  }
  if (!into.detail || !shard.detail)
    return "coverage of a shard lists no exercised transitions (a shard run writes them; this one was made "
           "otherwise): their union is unknown, the first shard's coverage is kept";
  if (into.source != shard.source || into.bound != shard.bound || into.reachable != shard.reachable ||
      into.totalsByRule != shard.totalsByRule || into.totalsByRule.empty())
    return "coverage of the shards was measured differently ('" + into.source + "' vs '" + shard.source +
           "'): the first shard's is kept";
  into.exercised.insert(into.exercised.end(), shard.exercised.begin(), shard.exercised.end());
  into.steps += shard.steps;
  into.exploreSeconds = std::max(into.exploreSeconds, shard.exploreSeconds);
  // Examples of either shard, for rules still with gaps (recomputeCoverage drops closed ones).
  std::map<std::string, const CoverageRuleGap*> theirs;
  for (const CoverageRuleGap& g : shard.gaps) theirs[g.rule] = &g;
  for (CoverageRuleGap& g : into.gaps) {
    auto it = theirs.find(g.rule);
    if (it == theirs.end()) continue;
    for (const CoverageGapExample& e : it->second->examples)
      if (std::none_of(g.examples.begin(), g.examples.end(), [&](const auto& x) { return x.key == e.key; }))
        g.examples.push_back(e);
  }
  for (const CoverageRuleGap& g : shard.gaps)
    if (std::none_of(into.gaps.begin(), into.gaps.end(), [&](const auto& x) { return x.rule == g.rule; }))
      into.gaps.push_back(g);
  recomputeCoverage(into);
  for (CoverageRuleGap& g : into.gaps)
    if (g.examples.size() > 3) g.examples.resize(3);
  return std::nullopt;
}

}  // namespace bc
