#include "sut/registry/sut_registry.h"

#include <cstdlib>

#include "sut/registry/model_sut.h"
#include "sut/mock/mock_sut.h"
#include "sut/mutants/mutant.h"
#include "sut/protocol/adapter_pool.h"
#include "sut/protocol/protocol_sut.h"
#include "sut/protocol/wine_sut.h"

namespace bc {

namespace {
bool startsWith(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

bool isMock(const std::string& spec) { return spec == "mock" || startsWith(spec, "mock:mutant="); }

// The mock's reading for each switchable policy it follows (sut/mock/README.md).
struct MockReading {
  std::string_view id;
  void (*apply)(const Policies&, mock::MockReadings&);
};
constexpr MockReading kMockReadings[] = {
    {"OQ-7a", [](const Policies& p, mock::MockReadings& r) { r.fileSFalseDelivers = p.fileSucceededDelivers; }},
    {"OQ-7b", [](const Policies& p, mock::MockReadings& r) { r.jobEventNeedsSOk = p.jobEventOnlySOk; }},
    {"OQ-7c", [](const Policies& p, mock::MockReadings& r) { r.cmdLineOnFailureCodeOnly = p.cmdLineOnlyOnFailureCode; }},
    {"MP-1", [](const Policies& p, mock::MockReadings& r) { r.setCallModifies = p.setCallModifies; }},
    {"MP-2", [](const Policies& p, mock::MockReadings& r) { r.deadObjectInvalidFirst = p.deadObjectInvalidForFiles; }},
    {"MP-3", [](const Policies& p, mock::MockReadings& r) { r.lateFileFlagDelivers = p.lateFileFlagDelivers; }},
    {"MP-4", [](const Policies& p, mock::MockReadings& r) { r.clsidWaitsForActivationRetry = p.clsidWaitsForActivationRetry; }},
    {"OQ-27", [](const Policies& p, mock::MockReadings& r) { r.cmdLineSparedByHungLimit = p.cmdLineSparedByHungLimit; }},
};

const MockReading* mockReading(std::string_view id) {
  for (const MockReading& m : kMockReadings)
    if (m.id == id) return &m;
  return nullptr;
}

// The non-default policy settings in `p` that `follows` rejects, "OQ-4=alt, OQ-6=0ms".
std::string unfollowed(const Policies& p, bool (*follows)(std::string_view id)) {
  std::string out;
  for (const std::string& d : describeNonDefault(p)) {
    std::string key = d.substr(0, d.find(' '));
    if (follows(key.substr(0, key.find('=')))) continue;
    out += (out.empty() ? "" : ", ") + key;
  }
  return out;
}
}  // namespace

std::optional<std::string> policiesNotFollowed(const SutRequest& request) {
  if (request.spec == "model") return std::nullopt;
  if (isMock(request.spec)) {
    std::string missing = unfollowed(request.policies, [](std::string_view id) { return mockReading(id) != nullptr; });
    if (missing.empty()) return std::nullopt;
    return "the mock has no reading for " + missing + " (it follows the documented defaults and the policies listed in sut/mock/README.md)";
  }
  std::string pinned = unfollowed(request.policies, [](std::string_view) { return false; });
  if (pinned.empty()) return std::nullopt;
  return "'" + request.spec + "' is a real implementation, judged by the documented defaults: it cannot be set to " + pinned;
}

std::vector<std::pair<std::string, std::string>> knownSutKinds() {
  return {
      {"model", "the reference model itself (always conforms; a sanity check)"},
      {"wine", "the real BITS adapter (.exe, mingw preset) under Wine: Wine's own qmgr, headless, private WINEPREFIX"},
      {"agent:COMMAND", "an out-of-process adapter speaking sut/protocol/PROTOCOL.md (COMMAND split like a shell)"},
      {"mock", "the mock BITS (sut/mock): a deterministic simulation with an in-memory SQLite store"},
      {"mock:mutant=NAME", "the mock with one deliberate deviation (names: sut/mutants/mutant.cc)"},
  };
}

SutFactory makeSutFactory(const SutRequest& request) {
  const std::string& spec = request.spec;
  if (spec == "model") {
    ModelConfig config;
    config.version = request.version;
    config.policies = request.policies;
    return [config] { return std::make_unique<ModelSut>(config); };
  }
  if (isMock(spec)) {
    if (auto why = policiesNotFollowed(request)) throw std::invalid_argument(*why);
    mock::MockOptions options;
    options.version = request.version;
    for (const MockReading& m : kMockReadings) m.apply(request.policies, options.readings);
    if (spec != "mock") {
      std::string name = spec.substr(12);
      auto m = mock::parseMutant(name);
      if (!m) {
        std::string names;
        for (auto n : mock::mutantNames()) names += " " + std::string(n);
        throw std::invalid_argument("unknown mutant '" + name + "'; known:" + names);
      }
      mock::applyMutant(options, *m);
    }
    return [options] { return std::make_unique<mock::MockSut>(options); };
  }
  auto withTimeout = [&](ProtocolOptions o) {
    if (request.timeoutMs > 0) o.handshakeTimeoutMs = o.stepTimeoutMs = request.timeoutMs;
    return o;
  };
  if (startsWith(spec, "agent:")) {
    ProtocolOptions options;
    options.argv = splitCommandLine(spec.substr(6));  // throws invalid_argument on a bad line
    return pooledFactory(withTimeout(options));
  }
  if (spec == "wine") return pooledFactory(withTimeout(wineOptions(request.workDir)));  // throws naming what is missing
  std::string known;
  for (const auto& [name, help] : knownSutKinds()) known += "\n  " + name + ": " + help;
  throw std::invalid_argument("unknown SUT '" + spec + "'; known kinds:" + known);
}

SutRequest sutRequestFromEnvironment() {
  SutRequest r;
  if (const char* s = std::getenv("BITSCONFORM_SUT"); s && *s) r.spec = s;
  if (const char* t = std::getenv("BITSCONFORM_SUT_TIMEOUT"); t && *t) r.timeoutMs = static_cast<int>(std::atof(t) * 1000);
  return r;
}

}  // namespace bc
