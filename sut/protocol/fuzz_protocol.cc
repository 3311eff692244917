// fuzz_protocol: libFuzzer target for both ends of the adapter protocol (cmake/fuzz.cmake,
// tools/fuzz.sh): the runner's decoder of adapter lines (protocol_message.h) and the adapter
// side (adapter_server.h) given the same bytes as a request.
//
// Whatever the bytes: nothing crashes or recurses out of the stack; every error message is
// valid UTF-8 and short; what a hello yields is bounded; and every line the adapter side writes
// back is a protocol message the runner reads (valid JSON, valid UTF-8, a string "type").
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

#include "sut/protocol/adapter_server.h"
#include "sut/protocol/json_line.h"
#include "sut/protocol/protocol_message.h"
#include "vocab/observation_text.h"
#include "vocab/utf8.h"

namespace {
void require(bool ok) {
  if (!ok) std::abort();  // a finding: libFuzzer saves the input
}
void requireMessage(const std::string& m) { require(bc::isValidUtf8(m) && m.size() < 4096); }

// A backend that answers every command with S_OK and echoes the settle's expectation, so that
// the adapter side parses and writes back whatever the request carried.
struct EchoBackend : bc::AdapterBackend {
  bc::Capabilities caps;
  const bc::Capabilities& capabilities() const override { return caps; }
  bc::StepResult step(const bc::Command&, bc::Observations& out) override {
    out.push_back(bc::Observation::ret(bc::Hresult{0}));
    return bc::StepResult::done();
  }
  bool settle(uint32_t, const bc::Observations* expected, bc::Observations& out) override {
    if (expected) out = *expected;
    return true;
  }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  namespace p = bc::protocol;

  auto hello = p::decodeHello(line);
  if (auto* e = std::get_if<std::string>(&hello)) {
    requireMessage(*e);
  } else {
    const bc::Capabilities& c = std::get<p::Hello>(hello).capabilities;
    require(c.name.size() <= p::kMaxNameBytes + 3 && c.description.size() <= p::kMaxTextBytes + 3);
    require(c.evidence.size() <= p::kMaxEvidence);
  }

  auto message = p::decodeMessage(line);
  if (auto* e = std::get_if<std::string>(&message)) {
    requireMessage(*e);
  } else {
    const p::AdapterMessage& m = std::get<p::AdapterMessage>(message);
    requireMessage(m.message);
    if (m.observations)
      for (const std::string& o : *m.observations) (void)bc::parseObservation(o);
    if (m.observation) (void)bc::parseObservation(*m.observation);
  }

  // What either end writes, the other reads back: the same text, or with U+FFFD where the bytes
  // were not UTF-8.
  auto echoed = p::readJsonLine(p::writeJsonLine({{"s", line}}));
  require(std::holds_alternative<nlohmann::json>(echoed));
  const std::string back = std::get<nlohmann::json>(echoed)["s"].get<std::string>();
  require(bc::isValidUtf8(back) && (!bc::isValidUtf8(line) || back == line));

  // The adapter side: the bytes as requests (split at '\n' as a pipe would), then its answers
  // as the runner reads them. The first answer is the hello.
  EchoBackend backend;
  std::istringstream in{std::string(line)};
  std::ostringstream out;
  require(bc::serveAdapter(backend, in, out) == 0);
  std::istringstream answers(out.str());
  std::string answer;
  require(std::getline(answers, answer) && std::holds_alternative<p::Hello>(p::decodeHello(answer)));
  while (std::getline(answers, answer)) {
    require(bc::isValidUtf8(answer));
    require(std::holds_alternative<p::AdapterMessage>(p::decodeMessage(answer)));
  }
  return 0;
}
