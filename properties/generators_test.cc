#include "properties/generators.h"

#include <catch2/catch.hpp>

#include <set>

namespace bc {
namespace {

bool isNetwork(CmdKind k) {
  return k == CmdKind::Connect || k == CmdKind::Progress || k == CmdKind::TransientError ||
         k == CmdKind::FatalError || k == CmdKind::NetDown || k == CmdKind::NetUp;
}

TEST_CASE("swarm subsets are non-empty and within the SUT's capabilities", "[generators]") {
  Universe u;
  u.caps.networkControl = false;
  u.caps.reboot = false;
  REQUIRE(rc::check("swarm", [&] {
    KindSet s = *genSwarm(u);
    RC_ASSERT(s.any());
    RC_ASSERT((s & ~supportedKinds(u)).none());
    RC_ASSERT(!s[static_cast<int>(CmdKind::Reboot)]);
  }));
}

TEST_CASE("sequences only hold commands the SUT supports", "[generators]") {
  Universe u;
  u.caps.faults = false;
  u.caps.notifyClsid = false;
  u.caps.networkControl = false;
  REQUIRE(rc::check("capabilities", [&] {
    auto seq = *genSequence(u, *genSwarm(u));
    for (const Command& c : seq) {
      RC_ASSERT(u.caps.supports(c));
      RC_ASSERT(!isNetwork(c.kind));
      RC_ASSERT(c.kind != CmdKind::SetNotifyClsid);
    }
  }));
}

TEST_CASE("generated commands stay in the small universe and reach every kind", "[generators]") {
  Universe u;
  std::set<int> kinds;
  std::set<uint32_t> invalidFlags;
  REQUIRE(rc::check("universe", [&] {
    auto seq = *genSequence(u, supportedKinds(u));
    for (const Command& c : seq) {
      kinds.insert(static_cast<int>(c.kind));
      if (isApiCall(c.kind) || c.kind == CmdKind::Behave || c.kind == CmdKind::AppExit) RC_ASSERT(c.app >= 1 && c.app <= 3);
      if (isApiCall(c.kind)) RC_ASSERT(c.job >= 1 && c.job <= 3);
      RC_ASSERT(c.slot <= kObjectSlots);
      if (c.kind == CmdKind::RegisterServer) RC_ASSERT(c.clsid != ClassId::C);  // ClsidC stays unregistered
      if (c.kind == CmdKind::Behave) RC_ASSERT(c.behavior != Behavior::ExecFail);
      if (c.kind == CmdKind::SetNotifyFlags && (c.flags & ~0x3Fu)) invalidFlags.insert(c.flags);
    }
  }));
  CHECK(kinds.size() == static_cast<size_t>(kCmdKindCount));
  CHECK(!invalidFlags.empty());
}

TEST_CASE("sequences mostly act on jobs that exist", "[generators]") {
  Universe u;
  size_t onJobs = 0, onExisting = 0;
  REQUIRE(rc::check("bias", [&] {
    auto seq = *genSequence(u, *genSwarm(u));
    std::set<JobId> created;
    for (const Command& c : seq) {
      if (c.kind == CmdKind::CreateJob) created.insert(c.job);
      else if (isApiCall(c.kind)) {
        ++onJobs;
        onExisting += created.count(c.job);
      }
    }
  }));
  REQUIRE(onJobs > 100);
  CHECK(onExisting * 2 > onJobs);
}

TEST_CASE("ticks cover the three timers of the world", "[generators][EVT-11][LIFE-4][LIFE-3]") {
  const auto& d = tickDurations();
  for (uint64_t ms : {500ull, 600'000ull, 1'209'600'000ull}) CHECK(std::count(d.begin(), d.end(), ms) == 1);
}

TEST_CASE("harmless noise leaves the job under test alone", "[generators]") {
  Universe u;
  REQUIRE(rc::check("noise", [&] {
    Command c = *genHarmlessNoise(u, 1, 1000);
    bool getter = c.kind == CmdKind::GetState || c.kind == CmdKind::GetNotifyInterface ||
                  c.kind == CmdKind::GetNotifyFlags || c.kind == CmdKind::GetNotifyClsid ||
                  c.kind == CmdKind::GetNotifyCmdLine;
    RC_ASSERT(c.job != 1 || getter);
    RC_ASSERT(c.kind != CmdKind::SetNotifyInterface && c.kind != CmdKind::SetNotifyClsid);
    RC_ASSERT(c.kind != CmdKind::Behave && c.kind != CmdKind::AppExit && c.kind != CmdKind::Reboot);
    if (c.kind == CmdKind::Tick) RC_ASSERT(c.ms <= 1000u);
  }));
}

}  // namespace
}  // namespace bc
