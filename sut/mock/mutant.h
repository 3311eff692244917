// mutant.h: the mock's deliberate deviations, for the suite's self-check (a suite that cannot
// tell a mutant from BITS is too weak).
//
// Each mutant is one small, realistic bug at one point of the mock, selected at run time
// (MockOptions::mutant), never a copy of the mock. Mutant::None is BITS as built.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

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
};

// Every mutant but None, in declaration order.
const std::vector<MutantInfo>& allMutants();
std::vector<std::string_view> mutantNames();
std::string_view toString(Mutant m);  // "none" for Mutant::None
std::optional<Mutant> parseMutant(std::string_view name);

}  // namespace bc::mock
