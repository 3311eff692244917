// The catalog, and every mutant: each must change what is observed on a sequence written for
// it (none is dead code), and only through the seams it overrides.
#include "sut/mutants/mutant.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>

#include "sut/mock/mock_sut.h"
#include "sut/mock/seams.h"
#include "sut/mock/test_util.h"

using namespace bc;
using namespace bc::mock;

namespace {

std::vector<std::string> run(const std::string& script, Mutant m = Mutant::None) {
  MockOptions o;
  applyMutant(o, m);
  MockSut sut(o);
  return observe(sut, script);
}

// A script per mutant on which the mutant must be observably different from the mock.
const std::map<Mutant, std::string>& killers() {
  static const std::string kJob = "A1 CreateJob J1\nA1 AddFile J1\nA1 Resume J1\n";
  static const std::map<Mutant, std::string> k = {
      {Mutant::ObjectNotPreferred, kJob + "RegisterServer ClsidA ok\nA1 SetNotifyClsid J1 ClsidA\nA1 SetNotifyInterface J1 o2\nTransfer J1\n"},
      {Mutant::NoClsidFallback, kJob + "RegisterServer ClsidA ok\nA1 SetNotifyClsid J1 ClsidA\nA1 SetNotifyInterface J1 o2\nA1 Exit\nTransfer J1\n"},
      {Mutant::ActivatedNotReused, kJob + "RegisterServer ClsidA ok\nA1 SetNotifyClsid J1 ClsidA\nA1 SetNotifyFlags J1 0x0B\nA1 AddFile J1\nA1 GetNotifyInterface J1\n"},
      {Mutant::ActivatedNotReplaced, kJob + "RegisterServer ClsidA ok\nA1 SetNotifyClsid J1 ClsidA\nTransfer J1\nA1 SetNotifyInterface J1 o2\nA1 GetNotifyInterface J1\n"},
      {Mutant::ClsidLostOnRestart, kJob + "A1 SetNotifyClsid J1 ClsidA\nServiceRestart\nA1 GetNotifyClsid J1\n"},
      {Mutant::ClsidLostOnRebootOnly, kJob + "A1 SetNotifyClsid J1 ClsidA\nReboot\nA1 GetNotifyClsid J1\n"},
      {Mutant::ObjectPersisted, kJob + "A1 SetNotifyInterface J1 o2\nServiceRestart\nA1 GetNotifyInterface J1\n"},
      {Mutant::GuidNullNoClear, kJob + "A1 SetNotifyClsid J1 ClsidA\nA1 SetNotifyClsid J1 GUID_NULL\nA1 GetNotifyClsid J1\n"},
      {Mutant::FirstWriterWinsObject, kJob + "A1 SetNotifyInterface J1 o2\nA1 SetNotifyInterface J1 o3\nA1 GetNotifyInterface J1\n"},
      {Mutant::FirstWriterWinsClsid, kJob + "A1 SetNotifyClsid J1 ClsidA\nA1 SetNotifyClsid J1 ClsidB\nA1 GetNotifyClsid J1\n"},
      {Mutant::DisableIgnored, kJob + "A1 SetNotifyInterface J1 o2\nA1 SetNotifyFlags J1 0x07\nTransfer J1\n"},
      {Mutant::FlagBitIgnored, kJob + "A1 SetNotifyInterface J1 o2\nA1 SetNotifyFlags J1 0x01\nFatalError J1\n"},
      {Mutant::InvalidFlagsAccepted, "A1 CreateJob J1\nA1 SetNotifyFlags J1 0x40\n"},
      {Mutant::SettersInFinalStates, "A1 CreateJob J1\nA1 Cancel J1\nA1 SetNotifyFlags J1 0x01\n"},
      {Mutant::LateRegistrationNotDelivered, kJob + "RegisterServer ClsidA ok\nTransfer J1\nA1 SetNotifyClsid J1 ClsidA\n"},
      {Mutant::ReregistrationNotRedelivered, kJob + "A1 SetNotifyInterface J1 o2\nTransfer J1\nA1 SetNotifyInterface J1 o3\n"},
      {Mutant::TransferredNotRetried, kJob + "A1 Behave o2 failonce\nA1 SetNotifyInterface J1 o2\nTransfer J1\nTick 600s\n"},
      {Mutant::JobErrorOnTransient, kJob + "A1 SetNotifyInterface J1 o2\nTransientError J1\n"},
      {Mutant::FileAfterJob, kJob + "A1 SetNotifyFlags J1 0x13\nA1 SetNotifyInterface J1 o2\nTransfer J1\n"},
      {Mutant::CmdlineDespiteSuccess, kJob + "A1 SetNotifyCmdLine J1 ok args\nA1 SetNotifyInterface J1 o2\nTransfer J1\n"},
      {Mutant::NoCmdlineOnFailure, kJob + "A1 SetNotifyCmdLine J1 ok args\nA1 Behave o2 fail\nA1 SetNotifyInterface J1 o2\nTransfer J1\n"},
      {Mutant::DisconnectAsFailure, kJob + "RegisterServer ClsidA ok\nA1 SetNotifyClsid J1 ClsidA\nA1 SetNotifyInterface J1 o2\nA1 Exit\nTransfer J1\n"},
      {Mutant::EfailAsDisconnect, kJob + "RegisterServer ClsidA ok\nA1 SetNotifyClsid J1 ClsidA\nA1 Behave o2 fail\nA1 SetNotifyInterface J1 o2\nTransfer J1\n"},
      {Mutant::ModificationIntoTransferred, kJob + "A1 SetNotifyFlags J1 0x09\nA1 SetNotifyInterface J1 o2\nTick 1s\nTransfer J1\n"},
      {Mutant::DefaultFlagsWrong, "A1 CreateJob J1\nA1 GetNotifyFlags J1\n"},
  };
  return k;
}

}  // namespace

TEST_CASE("Mutants: at least 25, unique names that parse back, each described", "[mutant]") {
  const auto& all = allMutants();
  CHECK(all.size() >= 25);
  std::set<std::string_view> names;
  for (const auto& m : all) {
    CHECK(names.insert(m.name).second);
    CHECK(parseMutant(m.name) == m.mutant);
    CHECK(toString(m.mutant) == m.name);
    CHECK_FALSE(m.description.empty());
    CHECK(m.make != nullptr);
  }
  CHECK(parseMutant("none") == Mutant::None);
  CHECK_FALSE(parseMutant("no-such-mutant").has_value());
  CHECK(mutantNames().size() == all.size());
}

TEST_CASE("Every mutant changes behaviour on a sequence written for it", "[mutant]") {
  for (const auto& info : allMutants()) {
    INFO("mutant " << info.name);
    auto it = killers().find(info.mutant);
    REQUIRE(it != killers().end());
    auto plain = run(it->second);
    auto mutated = run(it->second, info.mutant);
    CHECK(plain != mutated);
  }
}

TEST_CASE("A mutant names itself in the mock's capabilities, and none leaves the mock as it is", "[mutant]") {
  MockOptions o;
  applyMutant(o, Mutant::None);
  CHECK(MockSut(o).capabilities().name == "mock");
  CHECK_FALSE(o.seams);
  applyMutant(o, Mutant::FileAfterJob);
  CHECK(MockSut(o).capabilities().name == "mock:mutant=file-after-job");
  REQUIRE(o.seams);
  CHECK_FALSE(o.seams()->filesBeforeJobEvent());
}

