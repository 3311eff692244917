#include "properties/targeted.h"

#include <catch2/catch.hpp>

#include "model/model.h"

namespace bc {
namespace {

Trace modelTrace(const std::vector<Command>& commands) {
  Model m;
  Trace t;
  for (const Command& c : commands) {
    t.emplace_back();
    m.step(c, t.back());
  }
  return t;
}

TEST_CASE("every targeted property's complete skeleton shows its rule on the model", "[targeted]") {
  Universe u;
  for (const TargetedProperty& p : targetedProperties()) {
    INFO(p.name);
    REQUIRE(p.applicable(u));
    int complete = 0;
    REQUIRE(rc::check(p.name, [&] {
      Scripted s = *p.gen(u);
      RC_ASSERT(s.at.size() > 0u);
      if (!s.complete) return;
      ++complete;
      RC_ASSERT(s.witness(modelTrace(s.commands), s.at) == std::string());
    }));
    CHECK(complete > 10);
  }
}

TEST_CASE("a witness notices when a skeleton step is missing", "[targeted]") {
  Universe u;
  for (const TargetedProperty& p : targetedProperties()) {
    INFO(p.name);
    int noticed = 0;
    rc::check(p.name, [&] {
      Scripted s = *p.gen(u);
      if (!s.complete) return;
      // Drop each skeleton step in turn: some drop must make the rule's observation go away.
      for (size_t i = 0; i < s.at.size(); ++i) {
        std::vector<Command> cmds = s.commands;
        cmds.erase(cmds.begin() + s.at[i]);
        std::vector<int> at = s.at;
        at[i] = -1;
        for (size_t j = i + 1; j < at.size(); ++j) at[j] -= 1;
        noticed += !s.witness(modelTrace(cmds), at).empty();
      }
    });
    CHECK(noticed > 0);
  }
}

TEST_CASE("targeted properties respect the SUT's capabilities", "[targeted]") {
  Universe u;
  u.caps.faults = false;
  u.caps.commandLine = false;
  for (const TargetedProperty& p : targetedProperties()) {
    if (!p.applicable(u)) continue;
    INFO(p.name);
    REQUIRE(rc::check(p.name, [&] {
      Scripted s = *p.gen(u);
      for (const Command& c : s.commands) RC_ASSERT(u.caps.supports(c));
    }));
  }
  Universe none;
  none.caps.networkControl = none.caps.serviceRestart = none.caps.reboot = false;
  for (const TargetedProperty& p : targetedProperties()) CHECK(!p.applicable(none));
}

}  // namespace
}  // namespace bc
