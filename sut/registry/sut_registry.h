// sut_registry.h: choose the system under test at run time, by name.
//
//   model                  the reference model itself (a sanity check: always conforms)
//   mock                   the mock BITS (the embedded default)
//   mock:mutant=NAME       the mock with one deliberate deviation (see `bitsconf mutants`)
//   agent:COMMAND LINE     an out-of-process adapter speaking the protocol of sut/protocol
//   wine                   the real BITS adapter under Wine (Wine's own qmgr)
// Properties, scenarios and the CLI all take their SUT from here, so every one of them runs
// against any implementation.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/policy.h"
#include "sut/sut.h"
#include "vocab/bits_types.h"

namespace bc {

struct SutRequest {
  std::string spec = "mock";
  BitsVersion version = kNewestBits;  // the version a simulated SUT emulates
  std::string workDir;                // scratch space (stores, logs); "" = a temp directory
  // The model policies a simulated SUT is set to: the model follows every one, the mock those it
  // has a reading for (sut/mock/README.md). A real implementation cannot be set: it ignores them.
  Policies policies;
  int timeoutMs = 0;  // an adapter's handshake and step timeout; 0 = the kind's default
};

// Throws std::invalid_argument with a message naming the spec and the known kinds, or naming
// the policies the mock has no reading for. Adapters (agent:, wine) come from a pool: one that
// declares `reset` serves many cases (adapter_pool.h).
SutFactory makeSutFactory(const SutRequest& request);

// Why the SUT of `request` does not follow request.policies (nullopt: it does). The model
// follows any; the mock and its mutants the policies it has a reading for; a real
// implementation (agent, wine) only the defaults: it is judged by the documented behaviour, so
// a scenario that pins another policy setting is not applicable to it.
std::optional<std::string> policiesNotFollowed(const SutRequest& request);

// "model", "mock", "mock:mutant=NAME", "agent:COMMAND", "wine", with a line of help each.
std::vector<std::pair<std::string, std::string>> knownSutKinds();

// The SUT named by the environment variable BITSCONFORM_SUT (default "mock"), for test
// binaries: `BITSCONFORM_SUT=agent:./my-adapter ctest` runs every property against it;
// BITSCONFORM_SUT_TIMEOUT (seconds) is its timeoutMs.
SutRequest sutRequestFromEnvironment();

}  // namespace bc
