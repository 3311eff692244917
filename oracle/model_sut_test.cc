// model_sut_test.cc: the model behind the SUT interface, run through the runner against
// itself on long random sequences: a sanity check of oracle/runner.h and of the model's
// determinism (two fresh models given the same commands must agree at every step).
#include <catch2/catch.hpp>

#include "model/model.h"
#include "sut/registry/model_sut.h"
#include "oracle/runner.h"

using namespace bc;

namespace {

// Every command kind over 3 apps, 3 jobs, 3 classes; jobs are re-created when final.
std::vector<Command> randomSequence(uint64_t seed, size_t length) {
  uint64_t s = seed;
  auto next = [&] {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  };
  Model shadow;  // to know which jobs are final
  std::vector<Command> cmds;
  Observations scratch;
  for (size_t i = 0; i < length; ++i) {
    Command c;
    c.app = static_cast<AppId>(1 + next() % 3);
    c.job = static_cast<JobId>(1 + next() % 3);
    if (!shadow.jobExists(c.job) || isFinal(shadow.jobState(c.job))) {
      c.kind = CmdKind::CreateJob;
    } else {
      c.kind = static_cast<CmdKind>(next() % kCmdKindCount);
      c.slot = static_cast<uint8_t>(c.kind == CmdKind::Behave ? 1 + next() % 4 : next() % 5);
      c.behavior = static_cast<Behavior>(next() % (c.kind == CmdKind::RegisterServer ? 7 : 6));
      c.clsid = static_cast<ClassId>(c.kind == CmdKind::SetNotifyClsid ? next() % 4 : 1 + next() % 3);
      static constexpr uint32_t kFlags[] = {0x03, 0x0B, 0x1B, 0x1F, 0x07, 0x00, 0x3F, 0x40};
      c.flags = kFlags[next() % 8];
      c.program = static_cast<Program>(next() % 4);
      c.params = static_cast<Params>(next() % 3);
      c.nullOut = next() % 6 == 0;
      static constexpr uint64_t kTicks[] = {100, 500, 1000, 600000, 1209600000};
      c.ms = kTicks[next() % 5];
    }
    scratch.clear();
    shadow.step(c, scratch);
    cmds.push_back(c);
  }
  return cmds;
}

}  // namespace

TEST_CASE("the model run as a SUT passes against itself on long random sequences", "[runner][model]") {
  for (uint64_t seed : {1ull, 2ull, 3ull, 0xC0FFEEull}) {
    for (BitsVersion v : {kNewestBits, BitsVersion::V1_5, BitsVersion::V1_0}) {
      const auto cmds = randomSequence(seed, 3000);
      ModelConfig config;
      config.version = v;
      ModelSut sut(config);
      RunOptions options;
      Verdict verdict = runSequence(cmds, config, sut, options);
      INFO("seed " << seed << ", BITS " << toString(v) << "\n" << describe(verdict, cmds));
      REQUIRE(verdict.passed());
      CHECK(verdict.stepsRun == cmds.size());
      CHECK(verdict.evidence.checked().size() > 20);
      CHECK(verdict.evidence.failures == 0);
    }
  }
}

TEST_CASE("the runner catches a SUT configured differently from the model", "[runner][model]") {
  // A policy switch changes observable behaviour, so the runner must report a divergence.
  const auto cmds = randomSequence(7, 3000);
  ModelConfig strict;
  strict.policies.jobEventOnlySOk = false;
  strict.policies.modIntervalMs = 0;
  ModelSut sut(strict);
  Verdict verdict = runSequence(cmds, ModelConfig{}, sut);
  CHECK(verdict.kind == RunOutcome::Diverged);
  REQUIRE(verdict.divergence);
  CHECK_FALSE(verdict.divergence->comparison.explanation.empty());
}
