// broken_sut.h (tests only): the model behind the SUT interface with one deliberate bug.
//
// The property tests must catch a broken implementation; these wrappers perturb one behaviour of
// ModelSut each (a swallowed call, a dropped observation), so that check works with or without
// the mock's own mutants. Selected in the test binary as BITSCONFORM_SUT=broken:NAME, so a
// failure's replay line works from a shell.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sut/registry/model_sut.h"

namespace bc {

class BrokenSut : public Sut {
 public:
  // The names of the bugs, each with the property meant to catch it.
  static const std::map<std::string, std::string>& bugs() {
    static const std::map<std::string, std::string> m = {
        {"drop-first-transferred", "model-equals-sut"},
        {"object-not-preferred", "precedence"},
        {"no-clsid-fallback", "disconnect"},
        {"clsid-lost-on-restart", "restart-persistence"},
        {"guid-null-no-clear", "guid-null-clears"},
        {"first-writer-wins-object", "last-writer-wins"},
        {"disable-ignored", "flags-and-disable"},
        {"late-registration-not-delivered", "late-and-repeated-delivery"},
        {"transferred-not-retried", "retries"},
        {"no-cmdline-on-failure", "cmdline-last-resort"},
        {"modification-into-transferred", "modification"},
        {"nondeterministic", "determinism"},
    };
    return m;
  }

  BrokenSut(std::string bug, ModelConfig config) : bug_(std::move(bug)), inner_(config) {
    caps_ = inner_.capabilities();
    caps_.name = "broken:" + bug_;
    static int instances = 0;  // "nondeterministic": every second SUT made in this process differs
    odd_ = (instances++ % 2) == 1;
  }
  const Capabilities& capabilities() const override { return caps_; }

  StepResult execute(const Command& c, Observations& out) override {
    size_t first = out.size();
    Command d = c;
    bool swallow = false;  // run a harmless getter instead and report a plain S_OK-style Return
    if (bug_ == "object-not-preferred" && c.kind == CmdKind::SetNotifyInterface && clsidSet_.count(c.job)) swallow = true;
    if (bug_ == "first-writer-wins-object" && c.kind == CmdKind::SetNotifyInterface && c.slot != 0) {
      if (objectSet_.count(c.job)) swallow = true;
    }
    if (bug_ == "guid-null-no-clear" && c.kind == CmdKind::SetNotifyClsid && c.clsid == ClassId::Null) swallow = true;
    if (bug_ == "disable-ignored" && c.kind == CmdKind::SetNotifyFlags) d.flags &= ~notify::kDisable;
    if (swallow) d.kind = CmdKind::GetState;
    if (StepResult step = inner_.execute(d, out); step.isUnsupported()) return step;
    if (swallow && out.size() > first) out[first] = Observation::ret(out[first].hr);

    // Bookkeeping of what the app asked for (only as a broken BITS would keep it).
    if (c.kind == CmdKind::SetNotifyClsid && out.size() > first && out[first].hr == hr::S_OK) {
      if (c.clsid == ClassId::Null) clsidSet_.erase(c.job); else clsidSet_.insert(c.job);
    }
    if (c.kind == CmdKind::SetNotifyInterface && c.slot != 0 && out.size() > first && out[first].hr == hr::S_OK)
      objectSet_.insert(c.job);
    if (c.kind == CmdKind::CreateJob && out.size() > first && out[first].hr == hr::S_OK) jobs_.insert(c.job);
    if (c.kind == CmdKind::ServiceRestart || c.kind == CmdKind::Reboot) {
      objectSet_.clear();
      if (bug_ == "clsid-lost-on-restart") {
        Observations ignored;
        for (JobId j : jobs_) {
          Command clear;
          clear.kind = CmdKind::SetNotifyClsid;
          clear.app = 1;
          clear.job = j;
          clear.clsid = ClassId::Null;
          (void)inner_.execute(clear, ignored);  // the model makes every step happen
        }
        clsidSet_.clear();
      }
    }

    auto drop = [&](auto pred) {
      Observations kept(out.begin(), out.begin() + static_cast<long>(first));
      for (size_t i = first; i < out.size(); ++i)
        if (!pred(out[i])) kept.push_back(out[i]);
      out.swap(kept);
    };
    auto isTransferred = [](const Observation& o) {
      return o.kind == ObsKind::Callback && o.method == Method::JobTransferred;
    };
    if (bug_ == "drop-first-transferred" || (bug_ == "nondeterministic" && odd_)) {
      if (!droppedOnce_) {
        for (size_t i = first; i < out.size(); ++i)
          if (isTransferred(out[i])) {
            out.erase(out.begin() + static_cast<long>(i));
            droppedOnce_ = true;
            break;
          }
      }
    }
    if (bug_ == "no-clsid-fallback")
      drop([](const Observation& o) {
        return o.kind == ObsKind::Activation || (o.kind == ObsKind::Callback && o.receiver.kind == Receiver::Kind::ServerObject);
      });
    if (bug_ == "late-registration-not-delivered" &&
        (c.kind == CmdKind::SetNotifyInterface || c.kind == CmdKind::SetNotifyClsid || c.kind == CmdKind::SetNotifyCmdLine))
      drop([](const Observation& o) { return o.kind != ObsKind::Return; });
    if (bug_ == "transferred-not-retried" && c.kind == CmdKind::Tick)
      drop([](const Observation& o) { return o.kind != ObsKind::Return; });
    if (bug_ == "no-cmdline-on-failure") drop([](const Observation& o) { return o.kind == ObsKind::CmdLine; });
    return StepResult::done();
  }

 private:
  std::string bug_;
  ModelSut inner_;
  Capabilities caps_;
  bool odd_ = false;
  bool droppedOnce_ = false;
  std::set<JobId> clsidSet_, objectSet_, jobs_;
};

}  // namespace bc

