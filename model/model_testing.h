// model_testing.h: scenario-text helpers for the model's Catch2 tests.
//
// `run(model, script)` executes a script in the scenario syntax: a command line, optionally
// followed by its expected observations (lines starting with "->", "callback", "activate" or
// "cmdline"). A command with expectations must produce exactly those observations, in order;
// a command without is a setup step and is not checked. '#' starts a comment line.
// Returns the observations of the last command (for checks of the rules they carry).
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "model/model.h"
#include "vocab/command_text.h"
#include "vocab/observation_text.h"

namespace bc::testing {

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

inline bool isObservationLine(std::string_view s) {
  return s.rfind("->", 0) == 0 || s.rfind("callback ", 0) == 0 || s.rfind("activate ", 0) == 0 ||
         s.rfind("cmdline ", 0) == 0;
}

inline std::string listing(const Observations& obs) {
  std::string s;
  for (const auto& o : obs) s += "\n    " + formatObservation(o);
  return s.empty() ? "\n    (nothing)" : s;
}

inline Command command(std::string_view text) {
  auto parsed = parseCommand(text);
  if (!parsed.ok()) FAIL("bad command '" << text << "': " << parsed.message());
  return *parsed;
}

inline Observation observation(std::string_view text) {
  auto parsed = parseObservation(text);
  if (!parsed.ok()) FAIL("bad observation '" << text << "': " << parsed.message());
  return *parsed;
}

// Runs one command and checks its observations exactly (unless `expected` is null).
inline Observations step(Model& m, std::string_view cmd, const Observations* expected) {
  Observations out;
  m.step(command(cmd), out);
  if (expected && !(out == *expected)) {
    FAIL("step '" << cmd << "'\n  expected:" << listing(*expected) << "\n  actual:" << listing(out) << "\n"
                  << m.dump());
  }
  return out;
}

inline Observations run(Model& m, std::string_view script) {
  Observations last;
  std::string pending;
  Observations expected;
  bool checked = false;
  auto flush = [&] {
    if (pending.empty()) return;
    last = step(m, pending, checked ? &expected : nullptr);
    pending.clear();
    expected.clear();
    checked = false;
  };
  size_t pos = 0;
  while (pos <= script.size()) {
    size_t nl = script.find('\n', pos);
    if (nl == std::string_view::npos) nl = script.size();
    std::string_view line = trim(script.substr(pos, nl - pos));
    pos = nl + 1;
    if (line.empty() || line.front() == '#') continue;
    if (isObservationLine(line)) {
      REQUIRE_FALSE(pending.empty());
      expected.push_back(observation(line));
      checked = true;
    } else {
      flush();
      pending = std::string(line);
    }
  }
  flush();
  return last;
}

// The rules the step's Return observation names (every rule consulted in the step).
inline RuleSet stepRules(const Observations& obs) { return obs.empty() ? RuleSet{} : obs.front().rules; }

// The rules an observation of the step carries, found by its text.
inline RuleSet rulesOf(const Observations& obs, std::string_view text) {
  Observation want = observation(text);
  for (const auto& o : obs)
    if (o == want) return o.rules;
  FAIL("no observation '" << text << "' in" << listing(obs));
  return {};
}

inline ModelConfig withVersion(BitsVersion v) {
  ModelConfig c;
  c.version = v;
  return c;
}

}  // namespace bc::testing
