#include "properties/sut_registry.h"

#include <cstdlib>

#include "properties/model_sut.h"
#include "sut/protocol/protocol_sut.h"

namespace bc {

namespace {
bool startsWith(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }
}  // namespace

std::vector<std::pair<std::string, std::string>> knownSutKinds() {
  return {
      {"model", "the reference model itself (always conforms; a sanity check)"},
      {"agent:COMMAND", "an out-of-process adapter speaking sut/protocol/PROTOCOL.md (COMMAND split like a shell)"},
  };
}

SutFactory makeSutFactory(const SutRequest& request) {
  const std::string& spec = request.spec;
  if (spec == "model") {
    ModelConfig config;
    config.version = request.version;
    return [config] { return std::make_unique<ModelSut>(config); };
  }
  if (startsWith(spec, "agent:")) {
    ProtocolOptions options;
    options.argv = splitCommandLine(spec.substr(6));  // throws invalid_argument on a bad line
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
