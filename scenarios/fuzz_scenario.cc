// fuzz_scenario: libFuzzer target for the scenario parser (cmake/fuzz.cmake, tools/fuzz.sh).
//
// Whatever the bytes: parsing never crashes; diagnostics are valid UTF-8 at a line of the
// text; a scenario that parses writes back to text that parses to the same scenario
// (FORMAT.md's round trip), and runs on the model within the limits of the test world
// (docs/semantics.md section 11) without tripping the model's own asserts.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "scenarios/scenario.h"
#include "vocab/utf8.h"

namespace {
void require(bool ok) {
  if (!ok) std::abort();  // a finding: libFuzzer saves the input
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = bc::parseScenario(text, "fuzz.scenario");
  if (!parsed.ok()) {
    const int lines = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    for (const bc::Error& d : parsed.errors()) {
      require(bc::isValidUtf8(bc::toString(d)));
      require(d.line >= 1 && d.line <= lines && d.column >= 1);
    }
    return 0;
  }
  const bc::Scenario& s = *parsed;
  require(bc::isValidUtf8(s.title) && bc::isValidUtf8(s.origin));
  const std::string written = bc::formatScenario(s);
  auto again = bc::parseScenario(written, "fuzz.scenario");
  require(again.ok());
  require(bc::formatScenario(*again) == written);
  (void)bc::checkWorldLimits(s);
  return 0;
}
