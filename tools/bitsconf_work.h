// bitsconf_work.h: how `bitsconf run` picks and splits its work, deterministically.
//
// A work unit is a scenario (keyed by its path relative to the scenario directory) or a chunk of
// a property's cases (keyed "name#chunk"). Shard K of N runs the units whose stable FNV-1a hash
// of the key is K-1 modulo N, so the shards of one run partition the work on any machine, and
// their union (bitsconf merge) equals the unsharded run: chunk seeds do not depend on N.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vocab/rules.h"
#include "vocab/status.h"

namespace bc {

inline constexpr int kCasesPerChunk = 100;

uint64_t stableHash(std::string_view key);  // FNV-1a 64, the same everywhere

struct Shard {
  int index = 1;  // 1-based K
  int count = 1;  // N
  bool owns(std::string_view key) const { return count <= 1 || stableHash(key) % count == uint64_t(index - 1); }
};
// "K/N" with 1 <= K <= N; nullopt on a malformed value.
std::optional<Shard> parseShard(std::string_view text);

// The cases of each chunk of a property with `cases` cases (the last chunk may be smaller).
std::vector<int> chunkCases(int cases);
// The seed of a run without --seed: fixed, so two runs of the same build on the same SUT check
// the same cases and a baseline diff cannot flake (`--seed random` draws one and records it).
inline constexpr uint64_t kDefaultRunSeed = 1;
// "random" or a non-negative integer; nullopt otherwise. "random" draws a non-zero seed.
std::optional<uint64_t> parseRunSeed(std::string_view text);

// The seed of chunk `chunk`: the run's seed for chunk 0, a fixed mix of it for the others; never
// 0 (RapidCheck's runner reads 0 as "draw a fresh seed"), so every chunk's seed follows from the
// run's.
uint64_t chunkSeed(uint64_t seed, int chunk);
std::string chunkKey(std::string_view property, int chunk);

// "REG-3,CLSID-7" / "REG,CLSID" into `out`; an unknown ID or group is an error naming the option
// it came from (`option`, e.g. "--rules: unknown rule ID 'REG-99' ...").
Status parseRuleFilter(std::string_view text, std::vector<std::string>& out, const std::string& option = "--rules");
Status parseGroupFilter(std::string_view text, std::vector<std::string>& out, const std::string& option = "--groups");
// Whether a unit about `rules` is selected: no filter selects all; else any rule in `ids` or in `groups`.
bool selected(const std::vector<Rule>& rules, const std::vector<std::string>& ids, const std::vector<std::string>& groups);

}  // namespace bc
