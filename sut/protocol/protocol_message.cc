#include "sut/protocol/protocol_message.h"

#include <climits>

#include "sut/protocol/adapter_server.h"
#include "sut/protocol/json_line.h"
#include "vocab/utf8.h"

namespace bc::protocol {

namespace {

using Json = nlohmann::json;

// A JSON value's kind, for messages that must not print the value itself.
std::string kindOf(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "an integer";
    case Json::value_t::number_float: return "a number";
    default: return "a value";
  }
}

// Parses one line as a JSON object, within the protocol's bounds; an error message otherwise.
std::variant<Json, std::string> parseObject(std::string_view line) {
  auto parsed = readJsonLine(line);
  if (auto* reason = std::get_if<std::string>(&parsed)) return *reason + ": " + quote(line);
  return std::move(std::get<Json>(parsed));
}

}  // namespace

std::string quote(std::string_view text, size_t maxBytes) { return clipUtf8(text, maxBytes); }

std::variant<Hello, std::string> decodeHello(std::string_view line) {
  auto parsed = parseObject(line);
  if (auto* e = std::get_if<std::string>(&parsed)) return "the hello line is " + *e;
  const Json& j = std::get<Json>(parsed);
  auto field = [&](const char* name) -> const Json* {
    auto it = j.find(name);
    return it == j.end() ? nullptr : &*it;
  };
  // A string field's value ("" when absent and optional); sets `problem` when it is not one.
  std::string problem;
  auto text = [&](const char* name, bool required) -> std::string {
    const Json* v = field(name);
    if (!v) {
      if (required && problem.empty()) problem = std::string("no '") + name + "'";
      return "";
    }
    if (!v->is_string()) {
      if (problem.empty()) problem = std::string("'") + name + "' is " + kindOf(*v) + ", not a string";
      return "";
    }
    return v->get<std::string>();
  };
  const std::string where = ": " + quote(line);
  const Json* type = field("type");
  if (!type || !type->is_string() || *type != "hello") return "expected a hello line, got" + where;
  const Json* protocol = field("protocol");
  if (!protocol || !protocol->is_string())
    return std::string("malformed hello: 'protocol' is ") + (protocol ? kindOf(*protocol) : "missing") + where;
  if (*protocol != kProtocolVersion)
    return "unsupported protocol '" + quote(protocol->get<std::string>(), kMaxNameBytes) + "' (this runner speaks " +
           kProtocolVersion + ")";
  Hello hello;
  Capabilities& caps = hello.capabilities;
  caps.name = quote(text("implementation", true), kMaxNameBytes);
  caps.description = quote(text("description", false), kMaxTextBytes);
  const std::string version = text("bitsVersion", true);
  if (!problem.empty()) return "malformed hello: " + problem + where;
  auto v = parseBitsVersion(version);
  if (!v) return "unknown bitsVersion '" + quote(version, kMaxNameBytes) + "'";
  caps.version = *v;
  const Json* c = field("capabilities");
  if (!c || !c->is_object())
    return std::string("malformed hello: 'capabilities' is ") + (c ? kindOf(*c) : "missing") + where;
  auto flag = [&](const char* key) {
    auto it = c->find(key);
    if (it == c->end()) return false;  // a missing field is false: never a claim by omission
    if (!it->is_boolean()) {
      if (problem.empty()) problem = std::string("capability '") + key + "' is " + kindOf(*it) + ", not a boolean";
      return false;
    }
    return it->get<bool>();
  };
  caps.commandLine = flag("commandLine");
  caps.notifyClsid = flag("notifyClsid");
  caps.faults = flag("faults");
  caps.networkControl = flag("networkControl");
  caps.virtualTime = flag("virtualTime");
  caps.serviceRestart = flag("serviceRestart");
  caps.reboot = flag("reboot");
  caps.exactModification = flag("exactModification");
  if (!problem.empty()) return "malformed hello: " + problem + where;
  if (const Json* e = field("evidence")) {
    if (!e->is_object()) return "malformed hello: 'evidence' is " + kindOf(*e) + ", not an object" + where;
    for (const auto& [k, val] : e->items()) {
      if (!val.is_string()) return "malformed hello: evidence '" + quote(k, kMaxNameBytes) + "' is " + kindOf(val) + where;
      if (caps.evidence.size() >= kMaxEvidence) break;
      caps.evidence[quote(k, kMaxNameBytes)] = quote(val.get<std::string>(), kMaxTextBytes);
    }
  }
  if (const Json* f = field("features")) {
    if (!f->is_array()) return "malformed hello: 'features' is " + kindOf(*f) + ", not an array" + where;
    for (const Json& name : *f) {
      if (!name.is_string()) return "malformed hello: a feature is " + kindOf(name) + ", not a string" + where;
      hello.canReset |= name == "reset";
    }
  }
  return hello;
}

std::variant<AdapterMessage, std::string> decodeMessage(std::string_view line) {
  auto parsed = parseObject(line);
  if (auto* e = std::get_if<std::string>(&parsed)) return "not a protocol message: " + *e;
  const Json& j = std::get<Json>(parsed);
  const std::string where = " in: " + quote(line);
  AdapterMessage m;
  auto type = j.find("type");
  if (type == j.end() || !type->is_string()) return "not a protocol message (no string 'type')" + where;
  m.type = quote(type->get<std::string>(), kMaxNameBytes);
  if (auto id = j.find("id"); id != j.end()) {
    if (id->is_number_integer() && (!id->is_number_unsigned() || id->get<unsigned long long>() <= LLONG_MAX))
      m.id = id->get<long long>();
    else if (!id->is_null())
      return "'id' is " + kindOf(*id) + ", not an integer" + where;
  }
  if (auto obs = j.find("observations"); obs != j.end()) {
    if (!obs->is_array()) return "'observations' is " + kindOf(*obs) + ", not an array" + where;
    m.observations.emplace();
    m.observations->reserve(obs->size());
    for (const Json& item : *obs) {
      if (!item.is_string()) return "an observation is " + kindOf(item) + ", not a string" + where;
      m.observations->push_back(item.get<std::string>());
    }
  }
  if (auto obs = j.find("observation"); obs != j.end()) {
    if (!obs->is_string()) return "'observation' is " + kindOf(*obs) + ", not a string" + where;
    m.observation = obs->get<std::string>();
  }
  if (auto msg = j.find("message"); msg != j.end())
    m.message = msg->is_string() ? quote(msg->get<std::string>(), kMaxTextBytes)
                                 : "(the adapter's 'message' is " + kindOf(*msg) + ", not a string)";
  return m;
}

}  // namespace bc::protocol
