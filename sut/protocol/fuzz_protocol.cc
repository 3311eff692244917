// fuzz_protocol: libFuzzer target for both ends of the adapter protocol (cmake/fuzz.cmake,
// tools/fuzz.sh): the runner's decoder of adapter lines (protocol_message.h) and the adapter
// side's codec (wire.h).
//
// Whatever the bytes: nothing crashes or recurses out of the stack; every error message is
// valid UTF-8 and short; what a hello yields is bounded; and what wire::quote writes is JSON the
// runner reads back as the same text (made valid UTF-8).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sut/protocol/protocol_message.h"
#include "sut/protocol/wire.h"
#include "vocab/observation_text.h"
#include "vocab/utf8.h"

namespace {
void require(bool ok) {
  if (!ok) std::abort();  // a finding: libFuzzer saves the input
}
void requireMessage(const std::string& m) { require(bc::isValidUtf8(m) && m.size() < 4096); }
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

  if (auto flat = bc::wire::parseFlatObject(line)) {
    for (const auto& [key, value] : *flat) {
      // The adapter's answer quotes what it read: the runner must read the same text back.
      const std::string quoted = bc::wire::quote(value.text);
      nlohmann::json back = nlohmann::json::parse(quoted, nullptr, false);
      require(back.is_string() && back.get<std::string>() == bc::sanitizeUtf8(value.text));
      (void)key;
    }
  }
  // Quoting arbitrary bytes always gives JSON that nlohmann reads (no exception, no garbage).
  nlohmann::json any = nlohmann::json::parse(bc::wire::quote(line), nullptr, false);
  require(any.is_string() && any.get<std::string>() == bc::sanitizeUtf8(line));
  return 0;
}
