#include "results/manifest.h"

#include <nlohmann/json.hpp>

#include "results/json_input.h"
#include "vocab/rules.h"

namespace bc {

std::string ManifestEntry::subject() const {
  if (!rule.empty()) return "rule " + rule;
  if (!scenario.empty()) return "scenario " + scenario;
  return "property " + property;
}

const ManifestEntry* Manifest::find(std::string_view rule) const {
  for (const auto& e : entries)
    if (!e.rule.empty() && e.rule == rule) return &e;
  return nullptr;
}

const ManifestEntry* Manifest::findScenario(std::string_view path) const {
  for (const auto& e : entries)
    if (!e.scenario.empty() && e.scenario == path) return &e;
  return nullptr;
}

const ManifestEntry* Manifest::findProperty(std::string_view name) const {
  for (const auto& e : entries)
    if (!e.property.empty() && e.property == name) return &e;
  return nullptr;
}

Expected<Manifest> parseManifest(const std::string& text, const std::string& path) {
  auto fail = [&](const std::string& what) { return Error{path, 0, 0, what}; };
  auto parsed = parseJsonInput(text, path);
  if (!parsed.ok()) return parsed.status();
  const nlohmann::json& j = *parsed;
  if (!j.is_object() || !j.contains("expected_failures") || !j["expected_failures"].is_array())
    return fail("expected an object with an \"expected_failures\" array");
  Manifest m;
  m.path = path;
  m.implementation = j.value("implementation", "");
  for (const auto& e : j["expected_failures"]) {
    if (!e.is_object()) return fail("every expected failure is an object");
    int keys = 0;
    for (const char* k : {"rule", "scenario", "property"}) {
      if (!e.contains(k)) continue;
      if (!e[k].is_string() || e[k].get<std::string>().empty()) return fail(std::string("\"") + k + "\" must be a non-empty string");
      ++keys;
    }
    if (keys != 1) return fail("every expected failure names exactly one \"rule\", \"scenario\" or \"property\"");
    ManifestEntry entry{e.value("rule", ""), e.value("reason", ""), e.value("link", ""), e.value("scenario", ""),
                        e.value("property", "")};
    if (!entry.rule.empty() && !parseRule(entry.rule)) return fail("unknown rule ID '" + entry.rule + "'");
    const std::string subject = entry.rule.empty() ? entry.subject() : entry.rule;
    if (entry.reason.empty()) return fail("expected failure " + subject + " has no \"reason\"");
    if (m.find(entry.rule) || m.findScenario(entry.scenario) || m.findProperty(entry.property))
      return fail((entry.rule.empty() ? entry.subject() : "rule " + entry.rule) + " is listed twice");
    m.entries.push_back(std::move(entry));
  }
  return m;
}

Expected<Manifest> loadManifest(const std::string& path) {
  auto text = readInputFile(path);
  if (!text.ok()) return text.status();
  return parseManifest(*text, path);
}

}  // namespace bc
