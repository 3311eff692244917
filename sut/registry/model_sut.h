// model_sut.h: the model itself behind the SUT interface (the "model" column of a report, and
// a sanity check of the runner: the model against itself always passes).
#pragma once

#include "model/model.h"
#include "sut/sut.h"

namespace bc {

class ModelSut : public Sut {
 public:
  explicit ModelSut(ModelConfig config = {}) : model_(config) {
    caps_.name = "model";
    caps_.description = "the reference model (docs/semantics.md)";
    caps_.version = config.version;
  }
  const Capabilities& capabilities() const override { return caps_; }
  bool snapshot(WorldSnapshot& out) const override {
    model_.snapshot(out);
    return true;
  }
  // The model makes every step of the world happen.
  StepResult execute(const Command& c, Observations& out) override {
    size_t first = out.size();
    model_.step(c, out);
    for (size_t i = first; i < out.size(); ++i) out[i].rules = RuleSet{};  // a SUT explains nothing
    return StepResult::done();
  }

 private:
  Model model_;
  Capabilities caps_;
};

}  // namespace bc
