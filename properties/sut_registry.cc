#include "properties/sut_registry.h"

#include <cstdlib>

#include "properties/model_sut.h"
#include "sut/mock/mock_sut.h"
#include "sut/protocol/protocol_sut.h"
#include "sut/protocol/wine_sut.h"

namespace bc {

namespace {
bool startsWith(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }
}  // namespace

std::vector<std::pair<std::string, std::string>> knownSutKinds() {
  return {
      {"model", "the reference model itself (always conforms; a sanity check)"},
      {"wine", "the real BITS adapter (.exe, mingw preset) under Wine: Wine's own qmgr, headless, private WINEPREFIX"},
      {"agent:COMMAND", "an out-of-process adapter speaking sut/protocol/PROTOCOL.md (COMMAND split like a shell)"},
      {"mock", "the mock BITS (sut/mock): a deterministic simulation with an in-memory SQLite store"},
      {"mock:mutant=NAME", "the mock with one deliberate deviation (names: sut/mock/mutant.cc)"},
  };
}

SutFactory makeSutFactory(const SutRequest& request) {
  const std::string& spec = request.spec;
  if (spec == "model") {
    ModelConfig config;
    config.version = request.version;
    return [config] { return std::make_unique<ModelSut>(config); };
  }
  if (spec == "mock" || startsWith(spec, "mock:mutant=")) {
    mock::MockOptions options;
    options.version = request.version;
    if (spec != "mock") {
      std::string name = spec.substr(12);
      auto m = mock::parseMutant(name);
      if (!m) {
        std::string names;
        for (auto n : mock::mutantNames()) names += " " + std::string(n);
        throw std::invalid_argument("unknown mutant '" + name + "'; known:" + names);
      }
      options.mutant = *m;
    }
    return [options] { return std::make_unique<mock::MockSut>(options); };
  }
  if (startsWith(spec, "agent:")) {
    ProtocolOptions options;
    options.argv = splitCommandLine(spec.substr(6));  // throws invalid_argument on a bad line
    return [options] { return std::make_unique<ProtocolSut>(options); };
  }
  if (spec == "wine") {
    ProtocolOptions options = wineOptions(request.workDir);  // throws naming what is missing
    return [options] { return std::make_unique<ProtocolSut>(options); };
  }
  std::string known;
  for (const auto& [name, help] : knownSutKinds()) known += "\n  " + name + ": " + help;
  throw std::invalid_argument("unknown SUT '" + spec + "'; known kinds:" + known);
}

SutRequest sutRequestFromEnvironment() {
  SutRequest r;
  if (const char* s = std::getenv("BITSCONFORM_SUT"); s && *s) r.spec = s;
  return r;
}

}  // namespace bc
