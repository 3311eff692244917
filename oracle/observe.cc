#include "oracle/observe.h"

#include <string>

namespace bc {

namespace {

std::string timeText(uint64_t t) { return t == kNoTime ? "unset" : std::to_string(t) + " ms"; }
std::string boolText(bool b) { return b ? "yes" : "no"; }
std::string filesText(const std::bitset<256>& b, uint16_t files) {
  std::string s;
  for (uint16_t f = 0; f < files && f < b.size(); ++f)
    if (b.test(f)) s += (s.empty() ? "f" : " f") + std::to_string(f + 1);
  return s.empty() ? "none" : s;
}

class Comparer {
 public:
  Comparer(const Model& model, uint32_t step, StepComparison& out) : model_(model), step_(step), out_(out) {}

  // One field group of one job (0: the world): whether both sides hold the same, and the text
  // of each side (text(true): the model's), made only for a difference.
  template <class Text>
  void check(JobId job, const char* name, bool equal, const RuleSet& rules, Text text) {
    if (!out_.match) return;  // after the first difference nothing is evidence
    Check c;
    c.kind = Check::Kind::Snapshot;
    c.step = step_;
    c.rules = rules;
    c.matched = equal;
    out_.checks.push_back(c);
    if (equal) return;
    out_.match = false;
    out_.rules = rules;
    out_.blame = Suspicion{rules, {}, 0, 0, job};
    out_.consulted = rules;
    out_.explanation = std::string("after the step, ") + (job ? "J" + std::to_string(job) + "'s " : "the world's ") +
                       name + ": expected " + text(true) + ", the SUT holds " + text(false) + " (" +
                       (rules.empty() ? std::string("no rule decides it") : "decided by " + rules.toString()) + ")";
  }

  void job(const JobSnapshot& e, const JobSnapshot& a) {
    const Model::Provenance& p = model_.provenance(e.job);
    auto side = [&](bool exp) -> const JobSnapshot& { return exp ? e : a; };
    check(e.job, "state", e.state == a.state && e.files == a.files && e.filesDone == a.filesDone, p.state.by,
          [&](bool x) {
            const JobSnapshot& s = side(x);
            return std::string(toString(s.state)) + ", " + std::to_string(s.filesDone) + "/" +
                   std::to_string(s.files) + " files done";
          });
    check(e.job, "notify flags", e.flags == a.flags, p.flags.by, [&](bool x) { return flagsToString(side(x).flags); });
    check(e.job, "notify interface", e.slot == a.slot, p.slot.by, [&](bool x) { return toString(side(x).slot); });
    check(e.job, "notification CLSID", e.clsid == a.clsid, p.clsid.by,
          [&](bool x) { return std::string(toString(side(x).clsid)); });
    check(e.job, "command line", e.program == a.program && e.params == a.params, p.cmdLine.by, [&](bool x) {
      return std::string(toString(side(x).program)) + " " + std::string(toString(side(x).params));
    });
    // A final state clears the job's bookkeeping (docs/semantics.md section 3, "Entering a final
    // state": armed, fileOwed, modOwed and all timers are cleared; STATE-3 "final states are
    // absorbing", EVT-13 "nothing" for the move). No later step reads it through BITS, but what a
    // final job still holds is what a re-created name or a stray timer would act on: it is
    // compared, and a leftover is blamed on the rules that clear it, not on its last writer.
    static const RuleSet kFinal{Rule::STATE_3, Rule::EVT_13};
    const bool final = isFinal(e.state);
    auto by = [&](const RuleSet& writer) -> const RuleSet& { return final ? kFinal : writer; };
    // Who owns the event matters only while it is owed.
    check(e.job, "job-level event", e.armed == a.armed && (!e.armed || e.cmdOwned == a.cmdOwned), by(p.event.by),
          [&](bool x) {
            const JobSnapshot& s = side(x);
            return !s.armed ? std::string("not owed") : s.cmdOwned ? std::string("owed, the command line's") : "owed";
          });
    check(e.job, "FileTransferred", e.fileOwed == a.fileOwed && e.fileAnnounced == a.fileAnnounced, by(p.files.by),
          [&](bool x) {
            const JobSnapshot& s = side(x);
            return "owed " + filesText(s.fileOwed, s.files) + ", announced " + filesText(s.fileAnnounced, s.files);
          });
    // A pacing time already past constrains nothing (EVT-11): only one still ahead is compared.
    const uint64_t interval = model_.config().policies.modIntervalMs;
    auto pacing = [&](const JobSnapshot& s) {
      return s.lastModAt != kNoTime && s.lastModAt + interval > now_ ? s.lastModAt : kNoTime;
    };
    check(e.job, "JobModification", e.modOwed == a.modOwed && pacing(e) == pacing(a), by(p.modification.by),
          [&](bool x) {
            const JobSnapshot& s = side(x);
            return std::string(s.modOwed ? "owed" : "not owed") +
                   (pacing(s) != kNoTime ? ", last attempt at " + timeText(s.lastModAt) : "");
          });
    // Whether a retry follows a failed activation matters only while it waits (MP-4).
    check(e.job, "retry timer",
          e.retryAt == a.retryAt && (e.retryAt == kNoTime || e.retryAfterActivation == a.retryAfterActivation),
          by(p.retry.by), [&](bool x) {
            const JobSnapshot& s = side(x);
            return timeText(s.retryAt) + (s.retryAt != kNoTime && s.retryAfterActivation ? " (after an activation)" : "");
          });
    check(e.job, "requeue timer", e.requeueAt == a.requeueAt && e.noProgressSince == a.noProgressSince, by(p.requeue.by),
          [&](bool x) {
            const JobSnapshot& s = side(x);
            return timeText(s.requeueAt) + ", no progress since " + timeText(s.noProgressSince);
          });
    check(e.job, "call in flight", e.hung == a.hung, by(p.call.by), [&](bool x) { return boolText(side(x).hung); });
  }

  void world(const WorldSnapshot& e, const WorldSnapshot& a) {
    now_ = e.now;
    static const RuleSet kNetwork{Rule::STATE_9}, kHung{Rule::CB_12}, kNoRule{};
    auto side = [&](bool exp) -> const WorldSnapshot& { return exp ? e : a; };
    check(0, "network", e.networkUp == a.networkUp, kNetwork,
          [&](bool x) { return std::string(side(x).networkUp ? "up" : "down"); });
    check(0, "hung calls", e.hungCalls == a.hungCalls, kHung, [&](bool x) { return std::to_string(side(x).hungCalls); });
    bool sameJobs = e.jobs.size() == a.jobs.size();
    for (size_t i = 0; sameJobs && i < e.jobs.size(); ++i) sameJobs = e.jobs[i].job == a.jobs[i].job;
    // Which names exist: CreateJob is the test's handle on a job, no rule of the catalog.
    check(0, "jobs", sameJobs, kNoRule, [&](bool x) {
      std::string out;
      for (const JobSnapshot& j : side(x).jobs) out += (out.empty() ? "J" : " J") + std::to_string(j.job);
      return out.empty() ? std::string("none") : out;
    });
    for (size_t i = 0; sameJobs && i < e.jobs.size() && out_.match; ++i) job(e.jobs[i], a.jobs[i]);
  }

 private:
  const Model& model_;
  uint32_t step_;
  StepComparison& out_;
  uint64_t now_ = 0;
};

}  // namespace

void compareSnapshots(const Model& model, const WorldSnapshot& expected, const WorldSnapshot& actual, uint32_t step,
                      StepComparison& out) {
  Comparer(model, step, out).world(expected, actual);
}

std::vector<Command> observationGetters(const Model& model) {
  std::vector<Command> out;
  AppId reader = 0;
  for (AppId a = 1; a <= kMaxApps && !reader; ++a)
    if (model.appRunning(a)) reader = a;
  if (!reader) return out;
  const BitsVersion v = model.config().version;
  for (JobId j = 1; j <= model.maxJobId(); ++j) {
    if (!model.jobExists(j)) continue;
    for (CmdKind k : {CmdKind::GetState, CmdKind::GetNotifyFlags, CmdKind::GetNotifyInterface, CmdKind::GetNotifyClsid,
                      CmdKind::GetNotifyCmdLine}) {
      if (k == CmdKind::GetNotifyClsid && v < BitsVersion::V5_0) continue;
      if (k == CmdKind::GetNotifyCmdLine && v < BitsVersion::V1_5) continue;
      Command c;
      c.kind = k;
      c.app = reader;
      c.job = j;
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace bc
