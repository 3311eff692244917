// test_util.h: helpers for the mock's tests: scripts in the scenario step syntax, traces as
// text, and a seeded random command generator (for determinism and differential tests).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sut/sut.h"
#include "vocab/command.h"

namespace bc::mock {

// One command per line ('#' comments and blank lines skipped); throws on a parse error.
std::vector<Command> parseScript(const std::string& script);
// Runs the commands and returns every observation, one line each, prefixed by its step's
// command: "A1 GetState J1 | -> S_OK state=SUSPENDED".
std::vector<std::string> runTrace(Sut& sut, const std::vector<Command>& commands);
// Only the observations, in order, as text.
std::vector<std::string> observe(Sut& sut, const std::string& script);
// A valid random sequence (CreateJob only on names not in use, etc.) of `length` commands.
std::vector<Command> randomSequence(uint64_t seed, size_t length);

}  // namespace bc::mock
