#include "vocab/command_text.h"

#include <catch2/catch.hpp>

using namespace bc;

namespace {
Command parsed(std::string_view text) {
  auto r = parseCommand(text);
  if (!r.ok()) FAIL("'" << text << "': " << r.message());
  return *r;
}
Error failure(std::string_view text) {
  auto r = parseCommand(text);
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.errors().size() == 1);
  return r.errors().front();
}
}  // namespace

TEST_CASE("every command kind round-trips through its text form", "[vocab][scenario-format]") {
  const char* steps[] = {
      "A1 CreateJob J1",          "A2 AddFile J3",           "A1 Resume J1",
      "A1 Suspend J1",            "A1 Complete J2",          "A3 Cancel J1",
      "A1 GetState J1",           "A1 SetNotifyInterface J1 o2", "A1 SetNotifyInterface J1 NULL",
      "A1 GetNotifyInterface J1", "A1 GetNotifyInterface J1 nullout", "A1 SetNotifyFlags J1 0x0B",
      "A1 GetNotifyFlags J1 nullout", "A1 SetNotifyCmdLine J1 ok args", "A1 SetNotifyCmdLine J1 NULL NULL",
      "A1 GetNotifyCmdLine J1",   "A1 SetNotifyClsid J1 ClsidA", "A1 SetNotifyClsid J1 GUID_NULL",
      "A1 GetNotifyClsid J1",     "A2 Behave o3 hang",       "A1 Exit",
      "RegisterServer ClsidB execfail", "UnregisterServer ClsidA", "ServerExit ClsidC",
      "Connect J1",               "Progress J1",             "Transfer J2",
      "TransientError J1",        "FatalError J1",           "NetDown",
      "NetUp",                    "Tick 600s",               "Tick 500ms",
      "Tick 14d",                 "ServiceRestart",          "Reboot"};
  for (const char* s : steps) {
    INFO(s);
    CHECK(formatCommand(parsed(s)) == s);
  }
}

TEST_CASE("command fields are decoded", "[vocab][scenario-format]") {
  Command c = parsed("  A3 SetNotifyFlags J12 0x1F  ");
  CHECK(c.kind == CmdKind::SetNotifyFlags);
  CHECK(c.app == 3);
  CHECK(c.job == 12);
  CHECK(c.flags == 0x1F);
  CHECK(parsed("Tick 10min").ms == 600000);
  CHECK(parsed("A1 SetNotifyFlags J1 3").flags == 3);
}

TEST_CASE("bad steps name the column and the cause", "[vocab][scenario-format]") {
  auto e = failure("A1 SetNotifyFlag J1 0x3");
  CHECK(e.column == 4);
  CHECK(e.cause == "unknown app command 'SetNotifyFlag'");
  e = failure("A1 SetNotifyFlags J1");
  CHECK(e.column == 21);
  CHECK(e.cause == "missing flags (e.g. 0x03)");
  e = failure("A1 SetNotifyInterface J1 o9");
  CHECK(e.column == 26);
  e = failure("A9 Resume J1");
  CHECK(e.column == 1);
  e = failure("SetNotifyFlags J1 3");
  CHECK(e.cause.find("write the app first") != std::string::npos);
  e = failure("Tick 5 s");
  CHECK(e.column == 6);
  e = failure("NetUp now");
  CHECK(e.column == 7);
  CHECK(failure("RegisterServer GUID_NULL ok").column == 16);
}

TEST_CASE("a Tick is at most 365 days, and never wraps around", "[vocab][scenario-format]") {
  CHECK(parsed("Tick 365d").ms == kMaxTickMs);
  CHECK(parsed("Tick 8760h").ms == kMaxTickMs);
  CHECK(parsed("Tick 31536000000ms").ms == kMaxTickMs);
  for (const char* longer : {"Tick 366d", "Tick 31536000001ms", "Tick 18446744073709551615ms", "Tick 213503982335d",
                             "Tick 9999999999999999999s"}) {
    INFO(longer);
    Error e = failure(longer);
    CHECK(e.column == 6);
    CHECK_THAT(e.cause, Catch::Contains("is longer than 365d, the longest Tick of the test world"));
  }
  CHECK_THAT(failure("Tick 99999999999999999999ms").cause, Catch::Contains("bad duration"));
}

TEST_CASE("jobs are J1..J1000: the test world's limit", "[vocab][scenario-format]") {
  CHECK(parsed("A1 CreateJob J1000").job == kMaxJobId);
  Error e = failure("A1 CreateJob J1001");
  CHECK(e.column == 14);
  CHECK(e.cause == "job 'J1001' is above J1000, the last job of the test world (docs/semantics.md section 11)");
  CHECK_THAT(failure("Transfer J65536").cause, Catch::Contains("is above J1000"));
}
