// json_line.h: one line of the adapter protocol as JSON (PROTOCOL.md), for both ends: the
// runner's decoder (protocol_message.h) and the adapter side (adapter_server.h, also built by
// MinGW and MSVC for the real adapter).
//
// nlohmann-json does the parsing and the escaping; this layer only holds what the protocol adds,
// once for both ends: the bounds on a line, and that neither end throws on what the other sends.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

namespace bc::protocol {

inline constexpr size_t kMaxLineBytes = 1 << 20;  // no line longer than 1 MiB
inline constexpr int kMaxJsonDepth = 32;          // objects and arrays nested at most 32 deep

// The JSON object on `line`, or why there is none: longer than kMaxLineBytes, nested deeper than
// kMaxJsonDepth, not JSON, or not an object. JSON as RFC 8259 defines it and nlohmann-json reads
// it: strings are UTF-8, and a \u escape of a lone surrogate (no character) makes the line not
// JSON; a surrogate pair is one character. Never throws; its stack does not grow with the
// nesting. The reason never quotes the line.
std::variant<nlohmann::json, std::string> readJsonLine(std::string_view line);

// `value` as one line (no '\n'): compact, UTF-8, never throws. A string that is not UTF-8 is
// written with U+FFFD for its bad bytes, so the other end always reads valid JSON.
std::string writeJsonLine(const nlohmann::ordered_json& value);

}  // namespace bc::protocol
