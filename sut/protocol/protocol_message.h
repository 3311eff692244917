// protocol_message.h: the runner's reading of an adapter's lines (PROTOCOL.md), apart from the
// pipes so that it can be tested and fuzzed alone (fuzz_protocol.cc).
//
// An adapter is untrusted input. Every function here returns a value or an error message for
// any bytes at all: none throws, none accepts JSON nested deeper than kMaxJsonDepth levels
// (json_line.h; a line of 1 MiB could nest 500,000 deep), and no message re-serialises the adapter's JSON: quoted text is
// valid UTF-8, clipped at a character boundary.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "vocab/capabilities.h"

namespace bc::protocol {

inline constexpr size_t kQuoteBytes = 200;    // how much of a bad line a message quotes
inline constexpr size_t kMaxNameBytes = 100;  // hello: implementation, evidence keys
inline constexpr size_t kMaxTextBytes = 1000; // hello: description, evidence values; error messages
inline constexpr size_t kMaxEvidence = 100;   // hello: evidence entries kept

// `text` as a message may quote it: valid UTF-8, at most `maxBytes` (then "...").
std::string quote(std::string_view text, size_t maxBytes = kQuoteBytes);

// The hello line, decoded.
struct Hello {
  Capabilities capabilities;
  bool canReset = false;  // "features" lists "reset" (PROTOCOL.md section 4; unknown ones are ignored)
};
// The hello line: the adapter's capabilities and features, or what is wrong with it.
std::variant<Hello, std::string> decodeHello(std::string_view line);

// One line the adapter sends while a step runs.
struct AdapterMessage {
  std::string type;                                      // "result", "event", "settled", "error", ...
  std::optional<long long> id;
  std::optional<std::vector<std::string>> observations;  // "observations": an array of strings
  std::optional<std::string> observation;                // "observation": a string (event)
  std::string message;                                   // "message" (error, unsupported), clipped
};
// A JSON object with a string "type"; "id" an integer, "observations" an array of strings,
// "observation" a string, when present. A "message" that is not a string is described instead.
std::variant<AdapterMessage, std::string> decodeMessage(std::string_view line);

}  // namespace bc::protocol
