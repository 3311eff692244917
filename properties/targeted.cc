#include "properties/targeted.h"

#include <ostream>

#include "vocab/command_text.h"

namespace bc {

void showValue(const Scripted& s, std::ostream& os) {
  for (const Command& c : s.commands) os << "\n  " << formatCommand(c);
}

namespace {

using rc::Gen;
namespace gen = rc::gen;
using Witness = std::function<std::string(const Trace&, const std::vector<int>&)>;

constexpr JobId kJ = 1;  // the job every skeleton is about

struct Step {
  Command command;
  bool optional = false;
};

struct Skeleton {
  std::vector<Step> steps;
  Witness witness;
  uint64_t maxNoiseTickMs = 0;  // 0: no Tick in the noise (timers are what the rule is about)
};

Command cmd(CmdKind k, AppId app = 0, JobId job = kJ) {
  Command c;
  c.kind = k;
  c.app = app;
  c.job = job;
  return c;
}
Command setIface(AppId a, uint8_t slot) {
  Command c = cmd(CmdKind::SetNotifyInterface, a);
  c.slot = slot;
  return c;
}
Command setClsid(AppId a, ClassId id) {
  Command c = cmd(CmdKind::SetNotifyClsid, a);
  c.clsid = id;
  return c;
}
Command setFlags(AppId a, uint32_t f) {
  Command c = cmd(CmdKind::SetNotifyFlags, a);
  c.flags = f;
  return c;
}
Command setCmdLine(AppId a, Program p, Params args = Params::Ok) {
  Command c = cmd(CmdKind::SetNotifyCmdLine, a);
  c.program = p;
  c.params = args;
  return c;
}
Command behave(AppId a, uint8_t slot, Behavior b) {
  Command c = cmd(CmdKind::Behave, a, 0);
  c.slot = slot;
  c.behavior = b;
  return c;
}
Command registerServer(ClassId id, Behavior b = Behavior::Ok) {
  Command c = cmd(CmdKind::RegisterServer, 0, 0);
  c.clsid = id;
  c.behavior = b;
  return c;
}
Command tick(uint64_t ms) {
  Command c = cmd(CmdKind::Tick, 0, 0);
  c.ms = ms;
  return c;
}
Command env(CmdKind k) { return cmd(k, 0, kJ); }
Command world(CmdKind k) { return cmd(k, 0, 0); }

AppId pickApp(const Universe& u) { return static_cast<AppId>(*uniform<int>(1, u.apps + 1)); }
template <typename T>
T pickOf(const std::vector<T>& v) {
  return *chooseFrom(v);
}

// The job set-up every skeleton starts from: a job with one file, QUEUED.
void queuedJob(std::vector<Step>& s, AppId a) {
  s.push_back({cmd(CmdKind::CreateJob, a)});
  s.push_back({cmd(CmdKind::AddFile, a)});
  s.push_back({cmd(CmdKind::Resume, a)});
}

// Draws noise around the skeleton's steps and whether each optional step is kept (shrinks
// toward "dropped": a minimal counterexample keeps only the steps the failure needs).
Scripted realize(const Universe& u, const Skeleton& s) {
  Scripted out;
  Gen<Command> noise = genHarmlessNoise(u, kJ, s.maxNoiseTickMs);
  double share = 1.0 / static_cast<double>(s.steps.size() + 1);
  auto gap = [&] {
    auto v = *gen::scale(share, gen::container<std::vector<Command>>(noise));
    out.commands.insert(out.commands.end(), v.begin(), v.end());
  };
  for (const Step& st : s.steps) {
    gap();
    bool keep = !st.optional || *gen::map(uniform<int>(0, 10), [](int x) { return x != 0; });
    if (!keep) {
      out.complete = false;
      out.at.push_back(-1);
      continue;
    }
    out.at.push_back(static_cast<int>(out.commands.size()));
    out.commands.push_back(st.command);
  }
  gap();
  out.witness = s.witness;
  return out;
}

// --- witness helpers: what one step of the model's trace shows about job J1 -------------------

const Observations& stepAt(const Trace& t, const std::vector<int>& at, size_t i) {
  static const Observations kNone;
  return at[i] < 0 || static_cast<size_t>(at[i]) >= t.size() ? kNone : t[at[i]];
}
bool isCallback(const Observation& o, Method m) {
  return o.kind == ObsKind::Callback && o.job == kJ && o.method == m;
}
bool calledApp(const Observations& obs, Method m, AppId app, uint8_t slot, bool* succeeded = nullptr) {
  for (const auto& o : obs)
    if (isCallback(o, m) && o.receiver.kind == Receiver::Kind::AppObject && o.receiver.app == app &&
        o.receiver.slot == slot) {
      if (succeeded) *succeeded = o.outcome == Outcome::Returned && o.hr.succeeded();
      return true;
    }
  return false;
}
const Observation* serverCall(const Observations& obs, Method m) {
  for (const auto& o : obs)
    if (isCallback(o, m) && o.receiver.kind == Receiver::Kind::ServerObject) return &o;
  return nullptr;
}
const Observation* activation(const Observations& obs) {
  for (const auto& o : obs)
    if (o.kind == ObsKind::Activation && o.job == kJ) return &o;
  return nullptr;
}
const Observation* cmdLineRun(const Observations& obs) {
  for (const auto& o : obs)
    if (o.kind == ObsKind::CmdLine && o.job == kJ) return &o;
  return nullptr;
}
bool anyActivation(const Trace& t) {
  for (const auto& obs : t)
    if (activation(obs)) return true;
  return false;
}
bool anyDelivery(const Observations& obs, Method m) {
  for (const auto& o : obs)
    if (isCallback(o, m) || (o.kind == ObsKind::CmdLine && o.job == kJ)) return true;
  return false;
}
// Anything at all about J1 beyond the Return.
bool anythingFor(const Observations& obs) {
  for (const auto& o : obs)
    if (o.kind != ObsKind::Return && o.job == kJ) return true;
  return false;
}
std::string need(bool ok, const std::string& what) { return ok ? "" : what; }

Method methodOf(CmdKind event) { return event == CmdKind::FatalError ? Method::JobError : Method::JobTransferred; }
// The job-level event: TRANSFERRED or ERROR. Without network control (a real BITS: a failure
// is the test server's doing, on the implementation's own clock) only Transfer is driven.
CmdKind pickEvent(const Universe& u) {
  return u.caps.networkControl ? *choose(CmdKind::Transfer, CmdKind::FatalError) : CmdKind::Transfer;
}

// --- the properties ------------------------------------------------------------------------

Skeleton precedence(const Universe& u) {
  AppId a = pickApp(u), b = pickApp(u), c = pickApp(u);
  uint8_t slot = *choose<uint8_t>(2, 3, 1);
  ClassId x = *choose(ClassId::A, ClassId::B, ClassId::C);
  bool clsidFirst = *choose(true, false);
  Skeleton s;
  if (x != ClassId::C) s.steps.push_back({registerServer(x), true});
  queuedJob(s.steps, a);
  if (clsidFirst) s.steps.push_back({setClsid(b, x)});
  s.steps.push_back({setIface(c, slot)});
  if (!clsidFirst) s.steps.push_back({setClsid(b, x)});
  s.steps.push_back({env(CmdKind::Transfer)});
  size_t transfer = s.steps.size() - 1;
  s.maxNoiseTickMs = 1000;
  s.witness = [=](const Trace& t, const std::vector<int>& at) {
    return need(calledApp(stepAt(t, at, transfer), Method::JobTransferred, c, slot),
                "no JobTransferred to the live object A" + std::to_string(c) + ".o" + std::to_string(slot)) +
           need(!anyActivation(t), " the CLSID was activated although a live object was registered");
  };
  return s;
}

Skeleton disconnect(const Universe& u) {
  AppId a = pickApp(u), b = pickApp(u);
  ClassId x = *choose(ClassId::A, ClassId::B);
  bool crash = u.caps.faults && *choose(false, true);
  Skeleton s;
  s.steps.push_back({registerServer(x), true});
  queuedJob(s.steps, a);
  s.steps.push_back({setClsid(a, x)});
  if (crash) s.steps.push_back({behave(a, 2, Behavior::Crash), true});
  s.steps.push_back({setIface(a, 2), true});
  if (!crash) s.steps.push_back({cmd(CmdKind::AppExit, a, 0), true});
  s.steps.push_back({env(CmdKind::Transfer)});
  size_t first = s.steps.size() - 1;
  // Reuse: the activated object stays in the slot and gets the next event.
  s.steps.push_back({cmd(CmdKind::AddFile, a), true});
  s.steps.push_back({cmd(CmdKind::Resume, a), true});
  s.steps.push_back({env(CmdKind::Transfer), true});
  size_t second = s.steps.size() - 1;
  // Replacement: a new registration beats the activated object (REG-10).
  s.steps.push_back({setIface(b, 3), true});
  s.steps.push_back({cmd(CmdKind::AddFile, b), true});
  s.steps.push_back({cmd(CmdKind::Resume, b), true});
  s.steps.push_back({env(CmdKind::Transfer), true});
  size_t third = s.steps.size() - 1;
  s.maxNoiseTickMs = 1000;
  s.witness = [=](const Trace& t, const std::vector<int>& at) {
    const Observation* act = activation(stepAt(t, at, first));
    const Observation* cb1 = serverCall(stepAt(t, at, first), Method::JobTransferred);
    const Observation* cb2 = serverCall(stepAt(t, at, second), Method::JobTransferred);
    return need(act && act->hr == hr::S_OK, "no successful activation after the disconnect") +
           need(cb1 != nullptr, " no JobTransferred to the activated object") +
           need(cb2 && cb1 && cb2->receiver == cb1->receiver && !activation(stepAt(t, at, second)),
                " the activated object was not reused") +
           need(calledApp(stepAt(t, at, third), Method::JobTransferred, b, 3) && !activation(stepAt(t, at, third)),
                " the new registration did not replace the activated object");
  };
  return s;
}

Skeleton restartPersistence(const Universe& u) {
  std::vector<CmdKind> restarts;
  if (u.caps.serviceRestart) restarts.push_back(CmdKind::ServiceRestart);
  if (u.caps.reboot) restarts.push_back(CmdKind::Reboot);
  Command restart = world(pickOf(restarts));
  std::vector<int> variants;  // 0 clsid, 1 flags, 2 cmdline, 3 state, 4 object
  if (u.caps.notifyClsid && u.caps.networkControl) variants.push_back(0);
  variants.push_back(1);
  if (u.caps.commandLine) variants.push_back(2);
  variants.push_back(3);
  if (u.caps.networkControl) variants.push_back(4);
  int variant = pickOf(variants);
  AppId a = pickApp(u), b = pickApp(u);
  Skeleton s;
  s.maxNoiseTickMs = 1000;
  switch (variant) {
    case 0: {
      ClassId x = *choose(ClassId::A, ClassId::B);
      s.steps.push_back({registerServer(x), true});
      queuedJob(s.steps, a);
      s.steps.push_back({setClsid(a, x)});
      s.steps.push_back({restart});
      s.steps.push_back({env(CmdKind::Transfer)});
      size_t last = s.steps.size() - 1;
      bool hasJob5 = u.caps.version >= BitsVersion::V5_0;
      s.witness = [=](const Trace& t, const std::vector<int>& at) {
        const Observation* act = activation(stepAt(t, at, last));
        return need(!hasJob5 || (act && act->clsid == x), "the CLSID did not survive the restart (no activation)");
      };
      break;
    }
    case 1: {
      uint32_t f = *uniform<uint32_t>(0, validFlagMask(u.caps.version) + 1);
      s.steps.push_back({cmd(CmdKind::CreateJob, a)});
      s.steps.push_back({setFlags(a, f)});
      s.steps.push_back({restart});
      s.steps.push_back({cmd(CmdKind::GetNotifyFlags, b)});
      size_t last = s.steps.size() - 1;
      s.witness = [=](const Trace& t, const std::vector<int>& at) {
        const Observations& o = stepAt(t, at, last);
        return need(!o.empty() && o[0].hr == hr::S_OK && o[0].flags == f, "the flags did not survive the restart");
      };
      break;
    }
    case 2: {
      Program p = *choose(Program::Ok, Program::Fail);
      s.steps.push_back({cmd(CmdKind::CreateJob, a)});
      s.steps.push_back({setCmdLine(a, p)});
      s.steps.push_back({restart});
      s.steps.push_back({cmd(CmdKind::GetNotifyCmdLine, b)});
      size_t last = s.steps.size() - 1;
      bool hasJob2 = u.caps.version >= BitsVersion::V1_5;
      s.witness = [=](const Trace& t, const std::vector<int>& at) {
        const Observations& o = stepAt(t, at, last);
        return need(!hasJob2 || (!o.empty() && o[0].hr == hr::S_OK && o[0].program == p),
                    "the command line did not survive the restart");
      };
      break;
    }
    case 3: {
      std::vector<std::pair<CmdKind, JobState>> events = {{CmdKind::GetState, JobState::Queued}};
      if (u.caps.networkControl) {
        events.push_back({CmdKind::Transfer, JobState::Transferred});
        events.push_back({CmdKind::FatalError, JobState::Error});
        events.push_back({CmdKind::Connect, JobState::Queued});  // CONNECTING is back in QUEUED (section 8)
      }
      auto [event, expected] = pickOf(events);
      queuedJob(s.steps, a);
      if (event != CmdKind::GetState) s.steps.push_back({env(event)});
      s.steps.push_back({restart});
      s.steps.push_back({cmd(CmdKind::GetState, b)});
      size_t last = s.steps.size() - 1;
      s.witness = [=](const Trace& t, const std::vector<int>& at) {
        const Observations& o = stepAt(t, at, last);
        return need(!o.empty() && o[0].hr == hr::S_OK && o[0].state == expected,
                    "the job state after the restart is not " + std::string(toString(expected)));
      };
      break;
    }
    default: {
      queuedJob(s.steps, a);
      s.steps.push_back({setIface(a, 2)});
      size_t restartAt = s.steps.size();
      s.steps.push_back({restart});
      s.steps.push_back({env(CmdKind::Transfer)});
      s.steps.push_back({cmd(CmdKind::GetNotifyInterface, b), true});
      size_t last = s.steps.size() - 1;
      s.witness = [=](const Trace& t, const std::vector<int>& at) {
        bool called = false;
        for (size_t i = restartAt; i < at.size(); ++i) called |= anythingFor(stepAt(t, at, i));
        const Observations& o = stepAt(t, at, last);
        return need(!called, "the callback object was called after the restart") +
               need(!o.empty() && o[0].receiver.isNone(), " GetNotifyInterface is not NULL after the restart");
      };
    }
  }
  return s;
}

Skeleton guidNullClears(const Universe& u) {
  AppId a = pickApp(u), b = pickApp(u), c = pickApp(u), d = pickApp(u);
  ClassId x = *choose(ClassId::A, ClassId::B, ClassId::C);
  Skeleton s;
  if (x != ClassId::C) s.steps.push_back({registerServer(x), true});
  queuedJob(s.steps, a);
  s.steps.push_back({setClsid(b, x)});
  s.steps.push_back({setClsid(c, ClassId::Null)});
  s.steps.push_back({env(CmdKind::Transfer)});
  s.steps.push_back({cmd(CmdKind::GetNotifyClsid, d), true});
  size_t last = s.steps.size() - 1;
  bool hasJob5 = u.caps.version >= BitsVersion::V5_0;
  s.maxNoiseTickMs = 700'000;
  s.witness = [=](const Trace& t, const std::vector<int>& at) {
    const Observations& o = stepAt(t, at, last);
    return need(!anyActivation(t), "the cleared CLSID was activated") +
           need(!hasJob5 || (!o.empty() && o[0].hr == hr::S_OK && o[0].clsid == ClassId::Null),
                " GetNotifyClsid is not GUID_NULL after clearing");
  };
  return s;
}

Skeleton lastWriterWins(const Universe& u) {
  AppId a = pickApp(u), b = pickApp(u), c = pickApp(u);
  bool clsid = u.caps.notifyClsid && *choose(false, true);
  Skeleton s;
  s.maxNoiseTickMs = 1000;
  if (!clsid) {
    uint8_t s1 = *choose<uint8_t>(2, 3, 1), s2 = *choose<uint8_t>(3, 2, 1);
    if (b == c && s1 == s2) s2 = s1 == 2 ? 3 : 2;
    queuedJob(s.steps, a);
    s.steps.push_back({setIface(b, s1)});
    s.steps.push_back({setIface(c, s2)});
    s.steps.push_back({env(CmdKind::Transfer)});
    size_t last = s.steps.size() - 1;
    s.witness = [=](const Trace& t, const std::vector<int>& at) {
      const Observations& o = stepAt(t, at, last);
      return need(calledApp(o, Method::JobTransferred, c, s2), "the last object written got no JobTransferred") +
             need(!calledApp(o, Method::JobTransferred, b, s1), " the first object written was called");
    };
  } else {
    ClassId y = *choose(ClassId::A, ClassId::B);
    ClassId x = *choose(ClassId::B, ClassId::C, ClassId::A);
    if (x == y) x = ClassId::C;
    s.steps.push_back({registerServer(y), true});
    queuedJob(s.steps, a);
    s.steps.push_back({setClsid(b, x)});
    s.steps.push_back({setClsid(c, y)});
    s.steps.push_back({env(CmdKind::Transfer)});
    size_t last = s.steps.size() - 1;
    bool hasJob5 = u.caps.version >= BitsVersion::V5_0;
    s.witness = [=](const Trace& t, const std::vector<int>& at) {
      const Observation* act = activation(stepAt(t, at, last));
      return need(!hasJob5 || (act && act->clsid == y), "the last CLSID written was not the one activated");
    };
  }
  return s;
}

Skeleton flagsAndDisable(const Universe& u) {
  AppId a = pickApp(u), b = pickApp(u), c = pickApp(u);
  std::vector<int> mechs = {0};  // 0 object, 1 CLSID, 2 command line
  if (u.caps.notifyClsid) mechs.push_back(1);
  if (u.caps.commandLine) mechs.push_back(2);
  int mech = pickOf(mechs);
  uint32_t mask = validFlagMask(u.caps.version);
  uint32_t f = *uniform<uint32_t>(0, mask + 1);
  if (*chooseWeighted<bool>({{7, true}, {3, false}})) f |= notify::kDisable;
  bool flagsFirst = *choose(false, true);
  // Each event has its own bit: JobTransferred (EVT-2), JobError on ERROR (EVT-3, so a bit
  // ignored for JobError shows), and a transient error fires nothing whatever the flags (EVT-4).
  CmdKind event = u.caps.networkControl ? *choose(CmdKind::Transfer, CmdKind::FatalError, CmdKind::TransientError)
                                        : CmdKind::Transfer;
  Skeleton s;
  s.maxNoiseTickMs = 1000;
  ClassId x = *choose(ClassId::A, ClassId::B);
  if (mech == 1) s.steps.push_back({registerServer(x), true});
  queuedJob(s.steps, a);
  Command reg = mech == 0 ? setIface(b, 2) : mech == 1 ? setClsid(b, x) : setCmdLine(b, Program::Ok);
  if (flagsFirst) s.steps.push_back({setFlags(c, f)});
  s.steps.push_back({reg});
  if (!flagsFirst) s.steps.push_back({setFlags(c, f)});
  s.steps.push_back({env(event)});
  size_t last = s.steps.size() - 1;
  const Method m = event == CmdKind::Transfer ? Method::JobTransferred : Method::JobError;
  const uint32_t bit = event == CmdKind::FatalError ? notify::kJobError : notify::kJobTransferred;
  const std::string what(toString(m));
  bool disabled = (f & notify::kDisable) != 0;
  bool rawBit = event != CmdKind::TransientError && (f & bit) != 0;
  bool deliver = !disabled && rawBit;
  if (mech == 2 && !u.policies.disableStopsCmdLine) deliver = rawBit;  // OQ-4 alternative
  bool applies = (mech != 1 || u.caps.version >= BitsVersion::V5_0) && (mech != 2 || u.caps.version >= BitsVersion::V1_5);
  s.witness = [=](const Trace& t, const std::vector<int>& at) {
    if (!applies) return std::string();
    const Observations& o = stepAt(t, at, last);
    std::string why = need(anyDelivery(o, m) == deliver, deliver ? what + " not delivered with flags " + flagsToString(f)
                                                                 : what + " delivered with flags " + flagsToString(f));
    if (disabled && (mech != 2 || u.policies.disableStopsCmdLine))
      why += need(!anythingFor(o), " something was delivered although DISABLE is set");
    return why;
  };
  return s;
}

Skeleton lateAndRepeated(const Universe& u) {
  AppId a = pickApp(u), b = pickApp(u), c = pickApp(u);
  CmdKind event = pickEvent(u);
  Method m = methodOf(event);
  std::vector<int> mechs = {0};  // 0 object, 1 CLSID, 2 command line
  if (u.caps.notifyClsid) mechs.push_back(1);
  if (u.caps.commandLine) mechs.push_back(2);
  int mech = pickOf(mechs);
  ClassId x = *choose(ClassId::A, ClassId::B);
  Skeleton s;
  s.maxNoiseTickMs = 1000;
  if (mech == 1) s.steps.push_back({registerServer(x), true});
  queuedJob(s.steps, a);
  s.steps.push_back({env(event)});
  size_t eventAt = s.steps.size() - 1;
  s.steps.push_back({mech == 0 ? setIface(b, 2) : mech == 1 ? setClsid(b, x) : setCmdLine(b, Program::Ok)});
  size_t late = s.steps.size() - 1;
  // Re-registration re-arms (REG-9): a different object, so OQ-21 does not matter.
  uint8_t again = mech == 0 ? 3 : 2;
  s.steps.push_back({setIface(c, again), true});
  size_t repeat = s.steps.size() - 1;
  bool applies = (mech != 1 || u.caps.version >= BitsVersion::V5_0) && (mech != 2 || u.caps.version >= BitsVersion::V1_5);
  s.witness = [=](const Trace& t, const std::vector<int>& at) {
    if (!applies) return std::string();
    const Observations& l = stepAt(t, at, late);
    return need(!anythingFor(stepAt(t, at, eventAt)), "something was delivered without a receiver") +
           need(anyDelivery(l, m), " the late registration got no " + std::string(toString(m))) +
           need(calledApp(stepAt(t, at, repeat), m, c, again), " re-registration did not re-deliver " + std::string(toString(m)));
  };
  return s;
}

Skeleton retries(const Universe& u) {
  std::vector<int> variants;  // 0 activation fails, 1 command line fails, 2 object fails, 3 server object fails
  if (u.caps.notifyClsid) variants.push_back(0);
  if (u.caps.commandLine && u.caps.version >= BitsVersion::V2_0) variants.push_back(1);
  if (u.caps.faults) variants.push_back(2);
  if (u.caps.faults && u.caps.notifyClsid) variants.push_back(3);
  int variant = pickOf(variants);
  AppId a = pickApp(u);
  CmdKind event = pickEvent(u);
  Method m = methodOf(event);
  Behavior fails = *choose(Behavior::FailOnce, Behavior::Fail);
  uint64_t d = *choose<uint64_t>(600'000, 599'999, 600'001, 1'200'000, 300'000);
  Skeleton s;
  if (variant == 2) s.steps.push_back({behave(a, 2, fails)});
  if (variant == 3) s.steps.push_back({registerServer(ClassId::A, fails)});
  queuedJob(s.steps, a);
  s.steps.push_back({variant == 0   ? setClsid(a, ClassId::C)
                     : variant == 1 ? setCmdLine(a, Program::Fail)
                     : variant == 2 ? setIface(a, 2)
                                    : setClsid(a, ClassId::A)});
  s.steps.push_back({env(event)});
  size_t eventAt = s.steps.size() - 1;
  s.steps.push_back({tick(d)});
  size_t tickAt = s.steps.size() - 1;
  bool retry = d >= 600'000 && (variant != 0 || u.policies.activationFailureRetries);
  bool applies = (variant != 0 && variant != 3) || u.caps.version >= BitsVersion::V5_0;
  auto attempted = [m](const Observations& o) {
    for (const auto& x : o)
      if (x.job == kJ && (isCallback(x, m) || x.kind == ObsKind::Activation || x.kind == ObsKind::CmdLine)) return true;
    return false;
  };
  s.witness = [=](const Trace& t, const std::vector<int>& at) {
    if (!applies) return std::string();
    return need(attempted(stepAt(t, at, eventAt)), "no first attempt at " + std::string(toString(m))) +
           need(attempted(stepAt(t, at, tickAt)) == retry,
                retry ? " no retry after MinimumRetryDelay" : " a retry before MinimumRetryDelay");
  };
  return s;
}

Skeleton cmdlineLastResort(const Universe& u) {
  std::vector<int> variants = {0, 1, 4};  // 0 alone, 1 object ok, 2 object fails, 3 activation fails, 4 object gone
  if (u.caps.faults) variants.push_back(2);
  if (u.caps.notifyClsid) variants.push_back(3);
  int variant = pickOf(variants);
  AppId a = pickApp(u), b = pickApp(u), c = pickApp(u);
  CmdKind event = pickEvent(u);
  Method m = methodOf(event);
  bool cmdFirst = *choose(true, false);
  Skeleton s;
  s.maxNoiseTickMs = 1000;
  if (variant == 2) s.steps.push_back({behave(c, 2, Behavior::Fail)});
  queuedJob(s.steps, a);
  std::vector<Step> regs;
  if (variant == 1 || variant == 2 || variant == 4) regs.push_back({setIface(c, 2)});
  if (variant == 3) regs.push_back({setClsid(c, ClassId::C)});
  regs.insert(cmdFirst ? regs.begin() : regs.end(), Step{setCmdLine(b, Program::Ok)});
  s.steps.insert(s.steps.end(), regs.begin(), regs.end());
  if (variant == 4) s.steps.push_back({cmd(CmdKind::AppExit, c, 0)});
  s.steps.push_back({env(event)});
  size_t last = s.steps.size() - 1;
  bool applies = u.caps.version >= BitsVersion::V1_5 && (variant != 3 || u.caps.version >= BitsVersion::V5_0);
  s.witness = [=](const Trace& t, const std::vector<int>& at) {
    if (!applies) return std::string();
    const Observations& o = stepAt(t, at, last);
    bool ran = cmdLineRun(o) != nullptr;
    switch (variant) {
      case 1: return need(calledApp(o, m, c, 2) && !ran, "the command line ran although the callback succeeded");
      case 2: {
        bool ok = true;
        return need(calledApp(o, m, c, 2, &ok) && !ok && ran, "the command line did not run after the callback failed");
      }
      case 3: return need(activation(o) && ran, "the command line did not run after the activation failed");
      default: return need(ran, "the command line did not run without a receiver");
    }
  };
  return s;
}

// EVT-6: setting a notification property (every successful setter call, MP-1), a file added and a
// state change each raise a JobModification; EVT-7: the move into TRANSFERRED or ERROR raises
// none (JobTransferred/JobError cover it). Ticks of 1 s keep each change outside the 500 ms
// pacing of the one before (OQ-6), and the noise has no Tick of its own.
Skeleton modification(const Universe& u) {
  AppId a = pickApp(u), b = pickApp(u);
  std::vector<int> mechs = {0};  // 0 object, 1 CLSID
  if (u.caps.notifyClsid) mechs.push_back(1);
  int mech = pickOf(mechs);
  ClassId x = *choose(ClassId::A, ClassId::B);
  CmdKind event = pickEvent(u);
  uint32_t flags = notify::kJobModification | *choose<uint32_t>(0, notify::kJobTransferred, notify::kJobError,
                                                                notify::kJobTransferred | notify::kJobError);
  // The property set again: the same value (a modification under MP-1's default) or a new one.
  std::vector<int> setters = {0, 1};  // 0 the flags again, 1 the registration again
  if (u.caps.commandLine && u.caps.version >= BitsVersion::V1_5) setters.push_back(2);  // 2 a command line (new)
  int setter = pickOf(setters);
  Command reg = mech == 0 ? setIface(b, 2) : setClsid(b, x);
  Skeleton s;
  if (mech == 1) s.steps.push_back({registerServer(x), true});
  queuedJob(s.steps, a);
  s.steps.push_back({reg});
  s.steps.push_back({setFlags(b, flags)});
  s.steps.push_back({tick(1000), true});
  s.steps.push_back({setter == 0 ? setFlags(b, flags) : setter == 1 ? reg : setCmdLine(b, Program::Ok), true});
  size_t property = s.steps.size() - 1;
  s.steps.push_back({tick(1000)});
  s.steps.push_back({env(event)});
  size_t eventAt = s.steps.size() - 1;
  s.steps.push_back({tick(1000), true});
  size_t after = s.steps.size() - 1;
  const bool propertyModifies = setter == 2 || u.policies.setCallModifies;
  const bool appliesToCaps = mech == 0 || u.caps.version >= BitsVersion::V5_0;
  s.witness = [=](const Trace& t, const std::vector<int>& at) {
    if (!appliesToCaps) return std::string();
    auto modified = [&](size_t i) {
      for (const auto& o : stepAt(t, at, i))
        if (isCallback(o, Method::JobModification)) return true;
      return false;
    };
    return need(modified(property) == propertyModifies,
                propertyModifies ? "no JobModification for a property set" : "a JobModification for a property set to its value") +
           need(!modified(eventAt),
                " a JobModification for the move into " + std::string(event == CmdKind::FatalError ? "ERROR" : "TRANSFERRED")) +
           need(!modified(after), " a JobModification after the move");
  };
  return s;
}

TargetedProperty make(std::string name, std::string description, std::vector<Rule> rules,
                      Skeleton (*build)(const Universe&), std::function<bool(const Universe&)> applicable) {
  TargetedProperty p;
  p.name = std::move(name);
  p.description = std::move(description);
  p.rules = std::move(rules);
  p.applicable = std::move(applicable);
  p.gen = [build](const Universe& u) { return gen::exec([u, build] { return realize(u, build(u)); }); };
  return p;
}

}  // namespace

const std::vector<TargetedProperty>& targetedProperties() {
  using R = Rule;
  static const std::vector<TargetedProperty> all = {
      make("precedence", "a live callback object always beats the notification CLSID, across apps",
           {R::CLSID_7, R::DISP_2, R::CLSID_12, R::REG_1},
           precedence, [](const Universe& u) { return u.caps.notifyClsid && u.caps.networkControl; }),
      make("disconnect",
           "app exit or crash -> CLSID fallback; the activated object is reused until it disconnects or is replaced",
           {R::DISP_3, R::CLSID_8, R::REG_7, R::REG_10, R::DISP_4},
           disconnect,
           [](const Universe& u) {  // the fallback is a CLSID feature: nothing to fall back to before 5.0
             return u.caps.notifyClsid && u.caps.networkControl && u.caps.version >= BitsVersion::V5_0;
           }),
      make("restart-persistence",
           "CLSID, flags, command line and state survive service restart and reboot; the object never does",
           {R::CLSID_5, R::REG_4, R::FLAG_10, R::CMD_14, R::STATE_3},
           restartPersistence, [](const Universe& u) { return u.caps.serviceRestart || u.caps.reboot; }),
      make("guid-null-clears", "SetNotifyClsid GUID_NULL clears the CLSID: nothing is activated",
           {R::CLSID_4, R::CLSID_10, R::CLSID_9},
           guidNullClears, [](const Universe& u) { return u.caps.notifyClsid && u.caps.networkControl; }),
      make("last-writer-wins", "the last SetNotifyInterface and the last SetNotifyClsid win, across apps",
           {R::REG_3, R::CLSID_6, R::REG_1},
           lastWriterWins, [](const Universe&) { return true; }),  // Transfer alone suffices
      make("flags-and-disable",
           "one flag word gates the object, the CLSID and the command line, each event by its own bit; DISABLE "
           "silences all of them; a transient error fires nothing",
           {R::FLAG_3, R::DISP_1, R::FLAG_6, R::FLAG_7, R::CLSID_2, R::EVT_3, R::EVT_4},
           flagsAndDisable, [](const Universe&) { return true; }),  // Transfer alone suffices
      make("late-and-repeated-delivery",
           "an event without a receiver is delivered on late registration, and again on re-registration",
           {R::REG_8, R::REG_9, R::CB_14, R::CMD_9},
           lateAndRepeated, [](const Universe&) { return true; }),  // Transfer alone suffices
      make("retries", "a failed JobTransferred/JobError is retried after MinimumRetryDelay, not before",
           {R::CB_1, R::CB_2, R::DISP_7, R::LIFE_4, R::CMD_8, R::LIFE_7},
           retries,
           [](const Universe& u) {
             return u.caps.virtualTime && u.caps.networkControl &&
                    (u.caps.notifyClsid || u.caps.faults || (u.caps.commandLine && u.caps.version >= BitsVersion::V2_0));
           }),
      make("cmdline-last-resort",
           "the command line runs only when no callback succeeded: no receiver, a failure, a failed activation",
           {R::DISP_5, R::CMD_11, R::CB_3, R::DISP_6, R::CMD_1},
           cmdlineLastResort, [](const Universe& u) { return u.caps.commandLine; }),
      make("modification",
           "a property set, a file or a state change raises JobModification; the move into TRANSFERRED or ERROR "
           "raises none",
           {R::EVT_6, R::EVT_7, R::EVT_13},
           modification, [](const Universe& u) { return u.caps.virtualTime; }),
  };
  return all;
}

}  // namespace bc
