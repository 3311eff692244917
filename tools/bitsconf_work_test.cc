#include "tools/bitsconf_work.h"

#include <set>

#include <catch2/catch.hpp>

using namespace bc;

TEST_CASE("the shard hash is stable across builds and machines", "[cli]") {
  CHECK(stableHash("") == 14695981039346656037ull);
  CHECK(stableHash("a") == 0xaf63dc4c8601ec8cull);  // FNV-1a 64 reference value
}

TEST_CASE("shards partition the work", "[cli]") {
  std::vector<std::string> keys;
  for (int i = 0; i < 200; ++i) keys.push_back("REG/case" + std::to_string(i) + ".scenario");
  for (int n : {1, 2, 3, 7}) {
    std::multiset<std::string> seen;
    for (int k = 1; k <= n; ++k) {
      Shard s{k, n};
      int owned = 0;
      for (const auto& key : keys)
        if (s.owns(key)) seen.insert(key), ++owned;
      if (n > 1) CHECK(owned > 0);
    }
    CHECK(seen.size() == keys.size());
    for (const auto& key : keys) CHECK(seen.count(key) == 1);
  }
}

TEST_CASE("the shard option is K/N", "[cli]") {
  CHECK(parseShard("2/4")->index == 2);
  CHECK(parseShard("2/4")->count == 4);
  CHECK_FALSE(parseShard("0/4"));
  CHECK_FALSE(parseShard("5/4"));
  CHECK_FALSE(parseShard("2"));
  CHECK_FALSE(parseShard("a/b"));
  CHECK_FALSE(parseShard("1/"));
  // Out of range: from_chars leaves the value as it was (1/N would have been 1/1, the whole run).
  CHECK_FALSE(parseShard("1/99999999999999999999"));
  CHECK_FALSE(parseShard("99999999999999999999/1"));
  CHECK_FALSE(parseShard("-1/4"));
}

TEST_CASE("property cases are split into fixed chunks with fixed seeds", "[cli]") {
  CHECK(chunkCases(100) == std::vector<int>{100});
  CHECK(chunkCases(250) == std::vector<int>{100, 100, 50});
  CHECK(chunkCases(0).empty());
  CHECK(chunkSeed(42, 0) == 42);
  CHECK(chunkSeed(42, 1) != chunkSeed(42, 2));
  CHECK(chunkSeed(42, 1) == chunkSeed(42, 1));
  // 0 would make RapidCheck draw a fresh seed: every chunk's seed must follow from the run's.
  CHECK(chunkSeed(0, 0) != 0);
  CHECK(chunkSeed(0, 0) == chunkSeed(0, 0));
  for (int c = 0; c < 1000; ++c) CHECK(chunkSeed(0, c) != 0);
}

TEST_CASE("a run's seed is a number or 'random', which draws one", "[cli]") {
  CHECK(parseRunSeed("0") == 0u);
  CHECK(parseRunSeed("18446744073709551615") == 18446744073709551615u);
  CHECK_FALSE(parseRunSeed("-1"));
  CHECK_FALSE(parseRunSeed("12x"));
  CHECK_FALSE(parseRunSeed(""));
  CHECK_FALSE(parseRunSeed("18446744073709551616"));
  auto a = parseRunSeed("random"), b = parseRunSeed("random");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*a != 0);
  CHECK(*a != *b);  // 2^-64 to collide
  CHECK(chunkKey("precedence", 3) == "precedence#3");
}

TEST_CASE("rule and group filters select work", "[cli]") {
  std::vector<std::string> ids, groups;
  CHECK(parseRuleFilter("REG-3, CLSID-7", ids).ok());
  CHECK(ids == std::vector<std::string>{"REG-3", "CLSID-7"});
  CHECK(parseRuleFilter("REG-99", ids).message() == "--rules: unknown rule ID 'REG-99' (see `bitsconf rules`)");
  CHECK(parseGroupFilter("CMD", groups).ok());
  CHECK(parseGroupFilter("NOPE", groups, "--group").message() == "--group: unknown rule group 'NOPE'");
  CHECK(selected({Rule::REG_3}, ids, {}));
  CHECK_FALSE(selected({Rule::REG_4}, ids, {}));
  CHECK(selected({Rule::CMD_1}, {}, groups));
  CHECK(selected({Rule::REG_4}, {}, {}));
}
