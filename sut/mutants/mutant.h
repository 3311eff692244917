// mutant.h: the catalog of the mock's deliberate deviations, for the suite's self-check (a
// suite that cannot tell a mutant from BITS is too weak).
//
// Each mutant is one small, realistic bug at one rule point of the mock: a class overriding one
// of the mock's seams (sut/mock/seams.h; the classes: deviations.h), selected at run time by
// name (applyMutant), never a copy of the mock and never a branch in it. Mutant::None is BITS
// as built.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "sut/mock/machine.h"
#include "vocab/rules.h"

namespace bc::mock {

enum class Mutant : uint8_t {
  None,
  ObjectNotPreferred,
  NoClsidFallback,
  ActivatedNotReused,
  ActivatedNotReplaced,
  ClsidLostOnRestart,
  ClsidLostOnRebootOnly,
  ObjectPersisted,
  GuidNullNoClear,
  FirstWriterWinsObject,
  FirstWriterWinsClsid,
  DisableIgnored,
  FlagBitIgnored,
  InvalidFlagsAccepted,
  SettersInFinalStates,
  LateRegistrationNotDelivered,
  ReregistrationNotRedelivered,
  TransferredNotRetried,
  JobErrorOnTransient,
  FileAfterJob,
  CmdlineDespiteSuccess,
  NoCmdlineOnFailure,
  DisconnectAsFailure,
  EfailAsDisconnect,
  ModificationIntoTransferred,
  DefaultFlagsWrong,
};

struct MutantInfo {
  Mutant mutant;
  std::string_view name;         // "object-not-preferred"
  std::string_view description;  // one line
  std::vector<Rule> breaks;      // the catalog rules it breaks: the suite must report them failing
  std::unique_ptr<Seams> (*make)();  // the mock's seams with this mutant's answer
};

// Every mutant but None, in declaration order.
const std::vector<MutantInfo>& allMutants();
std::vector<std::string_view> mutantNames();
std::string_view toString(Mutant m);  // "none" for Mutant::None
std::optional<Mutant> parseMutant(std::string_view name);

// The mock with `m` in place: its seams, and the name "mock:mutant=NAME" in its capabilities.
// Mutant::None leaves the options as they are.
void applyMutant(MockOptions& options, Mutant m);

}  // namespace bc::mock
