#include "sut/protocol/adapter_server.h"

#include <exception>
#include <istream>
#include <limits>
#include <optional>
#include <ostream>
#include <stdexcept>

#include "sut/protocol/json_line.h"
#include "vocab/command_text.h"
#include "vocab/observation_text.h"
#include "vocab/utf8.h"

namespace bc {

namespace {

using Json = nlohmann::json;
using Reply = nlohmann::ordered_json;  // replies keep their fields in PROTOCOL.md's order

Reply observationList(const Observations& obs) {
  Reply list = Reply::array();
  for (const auto& o : obs) list.push_back(formatObservation(o));
  return list;
}

void send(std::ostream& out, const Reply& reply) {
  out << protocol::writeJsonLine(reply) << '\n';
  out.flush();  // the runner waits for whole lines: never leave one in a buffer
}

Reply answer(const char* type, long long id) { return Reply{{"type", type}, {"id", id}}; }

Reply errorReply(long long id, const std::string& message) {
  Reply r = answer("error", id);
  r["message"] = message;
  return r;
}

// A request's field of the wanted JSON type, or null (absent, or of another type).
const Json* memberOf(const Json& request, const char* name, Json::value_t type) {
  auto it = request.find(name);
  if (it == request.end()) return nullptr;
  return it->type() == type ? &*it : nullptr;
}

std::string text(const Json& request, const char* name) {
  const Json* v = memberOf(request, name, Json::value_t::string);
  if (!v) throw std::runtime_error(std::string("no string '") + name + "'");
  return v->get<std::string>();
}

// The request's id: an integer, or 0 when there is none (PROTOCOL.md: every answer repeats it).
long long idOf(const Json& request) {
  auto it = request.find("id");
  return it != request.end() && it->is_number_integer() ? it->get<long long>() : 0;
}

// deadlineMs (1000 when absent), clamped to what a uint32_t holds: a number out of range is no
// undefined cast.
uint32_t deadlineOf(const Json& request) {
  auto it = request.find("deadlineMs");
  if (it == request.end()) return 1000;
  if (!it->is_number()) throw std::runtime_error("'deadlineMs' is not a number");
  const double ms = it->get<double>();
  if (!(ms > 0)) return 0;
  return ms >= std::numeric_limits<uint32_t>::max() ? std::numeric_limits<uint32_t>::max() : static_cast<uint32_t>(ms);
}

std::optional<Observations> expectOf(const Json& request) {
  if (!request.contains("expect")) return std::nullopt;
  const Json* list = memberOf(request, "expect", Json::value_t::array);
  if (!list) throw std::runtime_error("'expect' is not an array");
  Observations expected;
  for (const Json& item : *list) {
    if (!item.is_string()) throw std::runtime_error("an 'expect' item is not a string");
    const std::string& t = item.get_ref<const std::string&>();
    auto o = parseObservation(t);
    if (!o.ok()) throw std::runtime_error("bad expect '" + t + "': " + o.message());
    expected.push_back(*o);
  }
  return expected;
}

}  // namespace

std::string helloLine(const Capabilities& c, const std::vector<std::string>& features) {
  Reply hello = {{"type", "hello"},
                 {"protocol", kProtocolVersion},
                 {"implementation", c.name},
                 {"description", c.description},
                 {"bitsVersion", toString(c.version)},
                 {"capabilities",
                  {{"commandLine", c.commandLine},
                   {"notifyClsid", c.notifyClsid},
                   {"faults", c.faults},
                   {"networkControl", c.networkControl},
                   {"virtualTime", c.virtualTime},
                   {"serviceRestart", c.serviceRestart},
                   {"reboot", c.reboot},
                   {"exactModification", c.exactModification}}},
                 {"evidence", Reply::object()}};
  for (const auto& [k, v] : c.evidence) hello["evidence"][k] = v;
  if (!features.empty()) hello["features"] = features;
  return protocol::writeJsonLine(hello);
}

int serveAdapter(AdapterBackend& backend, std::istream& in, std::ostream& out) {
  std::vector<std::string> features;
  if (backend.canReset()) features.push_back("reset");
  out << helloLine(backend.capabilities(), features) << '\n';
  out.flush();
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    auto parsed = protocol::readJsonLine(line);
    const Json* msg = std::get_if<Json>(&parsed);
    const Json* type = msg ? memberOf(*msg, "type", Json::value_t::string) : nullptr;
    if (!type) {
      // PROTOCOL.md section 6: what the adapter cannot read is answered, never guessed at.
      const std::string why = msg ? "no string 'type'" : std::get<std::string>(parsed);
      send(out, errorReply(msg ? idOf(*msg) : 0, "unparseable request (" + why + "): " + clipUtf8(line, 200)));
      continue;
    }
    const std::string& kind = type->get_ref<const std::string&>();
    const long long id = idOf(*msg);
    if (kind == "bye") break;
    try {
      if (kind == "reset") {
        backend.reset();
        send(out, Reply{{"type", "ready"}});
        continue;
      }
      if (kind == "step") {
        auto command = parseCommand(text(*msg, "command"));
        if (!command.ok()) {
          send(out, errorReply(id, "bad command: " + command.message()));
          continue;
        }
        Observations obs;
        if (StepResult step = backend.step(*command, obs); step.isUnsupported()) {
          Reply r = answer("unsupported", id);
          r["message"] = step.why();
          send(out, r);
          continue;
        }
        Reply r = answer("result", id);
        r["observations"] = observationList(obs);
        send(out, r);
      } else if (kind == "settle") {
        const uint32_t deadline = deadlineOf(*msg);
        std::optional<Observations> expected = expectOf(*msg);
        Observations obs;
        bool quiet = backend.settle(deadline, expected ? &*expected : nullptr, obs);
        Reply r = answer("settled", id);
        r["quiescent"] = quiet;
        r["observations"] = observationList(obs);
        send(out, r);
      } else {
        send(out, errorReply(id, "unknown request type '" + kind + "'"));
      }
    } catch (const std::exception& e) {
      send(out, errorReply(id, e.what()));
    }
  }
  backend.shutdown();
  return 0;
}

}  // namespace bc
