// The bigger worlds (worlds.h): what they build, and a bug of the kind only they find.
#include "properties/worlds.h"

#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "model/model.h"
#include "sut/registry/model_sut.h"
#include "properties/suite.h"

namespace bc {
namespace {

bool restartLike(CmdKind k) { return k == CmdKind::ServiceRestart || k == CmdKind::Reboot; }

TEST_CASE("worlds: several jobs share objects and servers, fan-out events and restarts between setters", "[worlds]") {
  Universe u;
  std::set<JobId> jobs;
  int sharedObject = 0, sharedClass = 0, restartBetweenSetters = 0, fanOutCases = 0, cases = 0;
  // A fixed draw (seeds 1..200, sizes 0..99 as RapidCheck ramps them): the counts below are
  // statistics of the generator, so they must not depend on a random seed.
  for (int i = 0; i < 200; ++i) {
    const std::vector<Command> seq = genWorld(u)(rc::Random(static_cast<uint64_t>(i) + 1), i % 100).value();
    ++cases;
    Model m;
    Observations out;
    bool restarted = false, setterSince = false;
    bool counted = false, sharedObjectSeen = false, sharedClassSeen = false, fanOutSeen = false;
    for (const Command& c : seq) {
      REQUIRE(u.caps.supports(c));
      if (isApiCall(c.kind)) REQUIRE((c.job >= 1 && c.job <= 8));
      if (c.app) REQUIRE(c.app <= 4);
      jobs.insert(c.job);
      if (restartLike(c.kind)) {
        if (restarted && setterSince && !counted) ++restartBetweenSetters, counted = true;
        restarted = true, setterSince = false;
      }
      if (c.kind == CmdKind::SetNotifyFlags || c.kind == CmdKind::SetNotifyClsid || c.kind == CmdKind::SetNotifyCmdLine)
        setterSince = true;
      std::map<JobId, JobState> before;
      for (JobId j = 1; j <= m.maxJobId(); ++j)
        if (m.jobExists(j)) before[j] = m.jobState(j);
      out.clear();
      m.step(c, out);
      REQUIRE(m.stepLimit().empty());  // within the test world: every step can be judged
      // The jobs the step touched: a delivery names them, or their state changed (NetDown, a restart).
      std::set<JobId> touched;
      for (const Observation& o : out)
        if (o.kind != ObsKind::Return) touched.insert(o.job);
      for (const auto& [j, state] : before)
        if (m.jobExists(j) && m.jobState(j) != state) touched.insert(j);
      fanOutSeen |= touched.size() >= 2;
      // The same object or class registered on two jobs at once (one process serves both).
      std::map<std::pair<AppId, uint8_t>, int> objects;
      std::map<ClassId, int> classes;
      for (JobId j = 1; j <= m.maxJobId(); ++j) {
        if (!m.jobExists(j)) continue;
        Receiver r = m.slot(j);
        if (r.kind == Receiver::Kind::AppObject) sharedObjectSeen |= ++objects[{r.app, r.slot}] >= 2;
        if (m.clsid(j) != ClassId::Null) sharedClassSeen |= ++classes[m.clsid(j)] >= 2;
      }
    }
    sharedObject += sharedObjectSeen;
    sharedClass += sharedClassSeen;
    fanOutCases += fanOutSeen;
  }
  CHECK(jobs.count(8) == 1);
  CHECK(sharedObject > cases / 10);
  CHECK(sharedClass > cases / 10);
  CHECK(restartBetweenSetters > cases / 10);
  CHECK(fanOutCases > cases / 3);
}

// The model as a SUT whose store keeps a job's notify flags only when they were written before
// the job's first save: a setter after a restart is lost at the next one (a store written from a
// "dirty" list that is not reset). Only a sequence with two restarts around a setter shows it.
class ForgetfulStoreSut : public Sut {
 public:
  const Capabilities& capabilities() const override { return inner_.capabilities(); }
  StepResult execute(const Command& c, Observations& out) override {
    StepResult r = inner_.execute(c, out);
    if (c.kind == CmdKind::SetNotifyFlags && restarted_ && !out.empty() && out.front().hr == hr::S_OK)
      lost_[c.job] = saved_.count(c.job) ? saved_[c.job] : notify::kDefault;
    if (c.kind == CmdKind::CreateJob) saved_.erase(c.job);
    if (!restartLike(c.kind)) return r;
    for (const auto& [job, flags] : lost_) {  // back to the value the store kept
      Command put;
      put.kind = CmdKind::SetNotifyFlags;
      put.app = 1;
      put.job = job;
      put.flags = flags;
      Observations hidden;
      (void)inner_.execute(put, hidden);
    }
    lost_.clear();
    restarted_ = true;
    WorldSnapshot w;
    inner_.snapshot(w);
    for (const JobSnapshot& j : w.jobs) saved_[j.job] = j.flags;
    return r;
  }
  bool snapshot(WorldSnapshot& out) const override { return inner_.snapshot(out); }

 private:
  ModelSut inner_;
  bool restarted_ = false;
  std::map<JobId, uint32_t> saved_, lost_;
};

// deep-worlds on the SUT `S`, which it must find broken.
template <class S>
PropertyRun deepWorldsOn(uint64_t seed, int cases) {
  PropertyOptions o;
  o.seed = seed;
  o.cases = cases;
  return runProperty("deep-worlds", [] { return std::make_unique<S>(); }, ModelConfig{}, o);
}

TEST_CASE("worlds: a setter lost at the second restart is found, with both restarts in the counterexample", "[worlds][property]") {
  PropertyRun r = deepWorldsOn<ForgetfulStoreSut>(17, 200);
  INFO(r.failure);
  REQUIRE_FALSE(r.passed());
  int restarts = 0;
  for (const Command& c : r.counterexample) restarts += restartLike(c.kind);
  CHECK(restarts >= 2);
  CHECK(r.counterexample.size() <= 6);  // CreateJob, a restart, the setter, a restart (and a little noise)
}

TEST_CASE("named worlds: half the cases spread their apps and jobs to the test world's last ids", "[worlds]") {
  Universe u;
  int spread = 0, lastApp = 0, lastJob = 0, cases = 0;
  std::set<JobId> jobs;
  for (int i = 0; i < 200; ++i) {
    const std::vector<Command> seq = genNamedWorld(u)(rc::Random(static_cast<uint64_t>(i) + 1), i % 100).value();
    ++cases;
    std::set<AppId> appsSeen;
    std::set<JobId> jobsSeen;
    for (const Command& c : seq) {
      if (c.app) appsSeen.insert(c.app);
      if (isApiCall(c.kind)) jobsSeen.insert(c.job);
    }
    REQUIRE(appsSeen.size() <= 4);  // renamed one to one: never more names than the world has
    REQUIRE(jobsSeen.size() <= 8);
    for (AppId a : appsSeen) REQUIRE((a >= 1 && a <= kMaxApps));
    for (JobId j : jobsSeen) REQUIRE((j >= 1 && j <= kMaxJobId));
    spread += (!appsSeen.empty() && *appsSeen.rbegin() > 4) || (!jobsSeen.empty() && *jobsSeen.rbegin() > 8);
    lastApp += appsSeen.count(static_cast<AppId>(kMaxApps));
    lastJob += jobsSeen.count(kMaxJobId);
    jobs.insert(jobsSeen.begin(), jobsSeen.end());
  }
  CHECK(spread > cases / 4);
  CHECK(spread < cases * 3 / 4);
  CHECK(lastApp > cases / 10);  // A8 and J1000, the edges, come up often
  CHECK(lastJob > cases / 20);
  CHECK(jobs.size() > 100);  // the spread ones are drawn over J1..J999, not a fixed few
}

// The model as a SUT whose job table has 100 entries: a job named beyond them is not found.
// Only worlds named over the whole test world reach it.
class SmallJobTableSut : public Sut {
 public:
  const Capabilities& capabilities() const override { return inner_.capabilities(); }
  StepResult execute(const Command& c, Observations& out) override {
    if (isApiCall(c.kind) && c.job > 100) {
      out.push_back(Observation::ret(hr::BG_E_NOT_FOUND));
      return StepResult::done();
    }
    return inner_.execute(c, out);
  }
  bool snapshot(WorldSnapshot& out) const override { return inner_.snapshot(out); }

 private:
  ModelSut inner_;
};

TEST_CASE("named worlds: a job table sized for the first ids is found, and the counterexample keeps a high name", "[worlds][property]") {
  PropertyRun r = deepWorldsOn<SmallJobTableSut>(5, 100);
  INFO(r.failure);
  REQUIRE_FALSE(r.passed());
  bool high = false;
  for (const Command& c : r.counterexample) high |= c.job > 100;
  CHECK(high);
}

}  // namespace
}  // namespace bc
