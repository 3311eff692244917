#include "sut/mock/mutant.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

using namespace bc::mock;

TEST_CASE("Mutants: at least 25, unique names that parse back, each described", "[mutant]") {
  const auto& all = allMutants();
  CHECK(all.size() >= 25);
  std::set<std::string_view> names;
  for (const auto& m : all) {
    CHECK(names.insert(m.name).second);
    CHECK(parseMutant(m.name) == m.mutant);
    CHECK(toString(m.mutant) == m.name);
    CHECK_FALSE(m.description.empty());
  }
  CHECK(parseMutant("none") == Mutant::None);
  CHECK_FALSE(parseMutant("no-such-mutant").has_value());
  CHECK(mutantNames().size() == all.size());
}
