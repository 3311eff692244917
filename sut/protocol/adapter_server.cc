#include "sut/protocol/adapter_server.h"

#include <exception>
#include <istream>
#include <optional>
#include <stdexcept>
#include <ostream>

#include "sut/protocol/wire.h"
#include "vocab/command_text.h"
#include "vocab/observation_text.h"

namespace bc {

namespace {

std::string observationList(const Observations& obs) {
  std::vector<std::string> texts;
  texts.reserve(obs.size());
  for (const auto& o : obs) texts.push_back(formatObservation(o));
  return wire::quoteAll(texts);
}

const char* boolText(bool b) { return b ? "true" : "false"; }

void send(std::ostream& out, const std::string& line) {
  out << line << '\n';
  out.flush();  // the runner waits for whole lines: never leave one in a buffer
}

std::string errorLine(long id, const std::string& message) {
  return R"({"type":"error","id":)" + std::to_string(id) + R"(,"message":)" + wire::quote(message) + "}";
}

}  // namespace

std::string helloLine(const Capabilities& c, const std::vector<std::string>& features) {
  std::string evidence = "{";
  bool first = true;
  for (const auto& [k, v] : c.evidence) {
    evidence += (first ? "" : ",") + wire::quote(k) + ":" + wire::quote(v);
    first = false;
  }
  evidence += "}";
  return std::string(R"({"type":"hello","protocol":)") + wire::quote(kProtocolVersion) +
         R"(,"implementation":)" + wire::quote(c.name) + R"(,"description":)" + wire::quote(c.description) +
         R"(,"bitsVersion":)" + wire::quote(toString(c.version)) + R"(,"capabilities":{"commandLine":)" +
         boolText(c.commandLine) + R"(,"notifyClsid":)" + boolText(c.notifyClsid) + R"(,"faults":)" +
         boolText(c.faults) + R"(,"networkControl":)" + boolText(c.networkControl) + R"(,"virtualTime":)" +
         boolText(c.virtualTime) + R"(,"serviceRestart":)" + boolText(c.serviceRestart) + R"(,"reboot":)" +
         boolText(c.reboot) + R"(,"exactModification":)" + boolText(c.exactModification) +
         R"(},"evidence":)" + evidence + (features.empty() ? "" : R"(,"features":)" + wire::quoteAll(features)) + "}";
}

int serveAdapter(AdapterBackend& backend, std::istream& in, std::ostream& out) {
  std::vector<std::string> features;
  if (backend.canReset()) features.push_back("reset");
  send(out, helloLine(backend.capabilities(), features));
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    auto msg = wire::parseFlatObject(line);
    if (!msg || !msg->count("type")) {
      send(out, errorLine(0, "unparseable request: " + line));
      continue;
    }
    const std::string type = (*msg)["type"].text;
    long id = msg->count("id") ? static_cast<long>((*msg)["id"].number) : 0;
    if (type == "bye") break;
    try {
      if (type == "reset") {
        backend.reset();
        send(out, R"({"type":"ready"})");
        continue;
      }
      if (type == "step") {
        auto parsed = parseCommand((*msg)["command"].text);
        if (auto* err = std::get_if<ParseError>(&parsed)) {
          send(out, errorLine(id, "bad command: " + err->message));
          continue;
        }
        Observations obs;
        backend.step(std::get<Command>(parsed), obs);
        send(out, R"({"type":"result","id":)" + std::to_string(id) + R"(,"observations":)" +
                      observationList(obs) + "}");
      } else if (type == "settle") {
        double deadline = msg->count("deadlineMs") ? (*msg)["deadlineMs"].number : 1000;
        std::optional<Observations> expected;
        if (msg->count("expect")) {
          expected.emplace();
          for (const std::string& text : (*msg)["expect"].strings) {
            auto o = parseObservation(text);
            if (auto* err = std::get_if<ParseError>(&o)) throw std::runtime_error("bad expect '" + text + "': " + err->message);
            expected->push_back(std::get<Observation>(o));
          }
        }
        Observations obs;
        bool quiet = backend.settle(static_cast<uint32_t>(deadline), expected ? &*expected : nullptr, obs);
        send(out, R"({"type":"settled","id":)" + std::to_string(id) + R"(,"quiescent":)" + boolText(quiet) +
                      R"(,"observations":)" + observationList(obs) + "}");
      } else {
        send(out, errorLine(id, "unknown request type '" + type + "'"));
      }
    } catch (const SutFailure& e) {
      if (e.kind() == SutFailure::Kind::Unsupported)
        send(out, R"({"type":"unsupported","id":)" + std::to_string(id) + R"(,"message":)" + wire::quote(e.what()) + "}");
      else
        send(out, errorLine(id, e.what()));
    } catch (const std::exception& e) {
      send(out, errorLine(id, e.what()));
    }
  }
  backend.shutdown();
  return 0;
}

}  // namespace bc
