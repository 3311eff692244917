// model.h: the executable reference model of the BITS notification rules.
//
// The model executes docs/semantics.md: for any command sequence it says which HRESULT each
// call returns, which callbacks each receiver gets, which servers are activated and which
// command lines run, each observation tagged with the catalog rules that produced it.
// Pure and deterministic: no I/O, no clock, no randomness. Copyable (RapidCheck keeps copies).
// Depends on vocab/ only.
#pragma once

#include <cstdint>
#include <vector>

#include "model/policy.h"
#include "vocab/bits_types.h"
#include "vocab/command.h"
#include "vocab/observation.h"

namespace bc {

struct ModelConfig {
  BitsVersion version = kNewestBits;
  Policies policies;
  friend bool operator==(const ModelConfig&, const ModelConfig&) = default;
};

class Model {
 public:
  explicit Model(ModelConfig config = {});

  // Runs one command to quiescence and appends its observations to `out` (a Return first).
  void step(const Command& command, Observations& out);

  const ModelConfig& config() const { return config_; }

  // Read-only views for generators, scenario checks and coverage.
  uint64_t now() const;
  bool jobExists(JobId job) const;       // created (final jobs included)
  JobState jobState(JobId job) const;    // precondition: jobExists
  size_t fileCount(JobId job) const;     // precondition: jobExists
  bool appRunning(AppId app) const;
  JobId maxJobId() const;                // highest job name ever created (0 if none)

  // (the private section holds the state; see model.cc)
 private:
  ModelConfig config_;
};

}  // namespace bc
