// oracle_testing.h (test binaries only): command sequences for the oracle's tests.
#pragma once

#include <initializer_list>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "vocab/command_text.h"

namespace bc::testing {

// The commands of scenario-syntax lines; a line that does not parse fails the test.
inline std::vector<Command> commands(std::initializer_list<std::string_view> lines) {
  std::vector<Command> out;
  for (auto l : lines) {
    auto c = parseCommand(l);
    REQUIRE(c.ok());
    out.push_back(*c);
  }
  return out;
}

}  // namespace bc::testing
