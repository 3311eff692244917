#include "sut/protocol/json_line.h"

namespace bc::protocol {

std::variant<nlohmann::json, std::string> readJsonLine(std::string_view line) {
  using Json = nlohmann::json;
  if (line.size() > kMaxLineBytes) return "a line longer than " + std::to_string(kMaxLineBytes) + " bytes";
  // nlohmann's parser keeps its nesting on the heap, not the stack; the callback sees each
  // object's or array's depth (0 for the outermost) and drops what is too deep, unbuilt.
  bool tooDeep = false;
  auto bound = [&tooDeep](int depth, Json::parse_event_t event, Json&) {
    if ((event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start) &&
        depth >= kMaxJsonDepth)
      tooDeep = true;
    return !tooDeep;
  };
  Json j = Json::parse(line.begin(), line.end(), bound, /*allow_exceptions=*/false);
  if (tooDeep) return "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
  if (j.is_discarded()) return std::string("not JSON");
  if (!j.is_object()) return std::string("not a JSON object");
  return j;
}

std::string writeJsonLine(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace bc::protocol
