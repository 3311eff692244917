#include "properties/targeted.h"

#include <set>

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
  // A real BITS under Wine: no network control, restart, reboot, CLSID, command line, faults or
  // virtual time. Only the properties a Transfer can drive apply, and they generate nothing else.
  Universe bare;
  bare.caps.networkControl = bare.caps.serviceRestart = bare.caps.reboot = false;
  bare.caps.notifyClsid = bare.caps.commandLine = bare.caps.faults = bare.caps.virtualTime = false;
  std::set<std::string> applicable;
  for (const TargetedProperty& p : targetedProperties()) {
    if (!p.applicable(bare)) continue;
    applicable.insert(p.name);
    INFO(p.name);
    REQUIRE(rc::check(p.name, [&] {
      Scripted s = *p.gen(bare);
      for (const Command& c : s.commands) RC_ASSERT(bare.caps.supports(c));
    }));
  }
  CHECK(applicable == std::set<std::string>{"flags-and-disable", "last-writer-wins", "late-and-repeated-delivery"});
}

}  // namespace
}  // namespace bc
