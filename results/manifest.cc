#include "results/manifest.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

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

Manifest parseManifest(const std::string& text, const std::string& path) {
  auto fail = [&](const std::string& what) { return std::runtime_error(path + ": " + what); };
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw fail(std::string("not JSON: ") + e.what());
  }
  if (!j.is_object() || !j.contains("expected_failures") || !j["expected_failures"].is_array())
    throw fail("expected an object with an \"expected_failures\" array");
  Manifest m;
  m.path = path;
  m.implementation = j.value("implementation", "");
  for (const auto& e : j["expected_failures"]) {
    if (!e.is_object()) throw fail("every expected failure is an object");
    int keys = 0;
    for (const char* k : {"rule", "scenario", "property"}) {
      if (!e.contains(k)) continue;
      if (!e[k].is_string() || e[k].get<std::string>().empty()) throw fail(std::string("\"") + k + "\" must be a non-empty string");
      ++keys;
    }
    if (keys != 1) throw fail("every expected failure names exactly one \"rule\", \"scenario\" or \"property\"");
    ManifestEntry entry{e.value("rule", ""), e.value("reason", ""), e.value("link", ""), e.value("scenario", ""),
                        e.value("property", "")};
    if (!entry.rule.empty() && !parseRule(entry.rule)) throw fail("unknown rule ID '" + entry.rule + "'");
    const std::string subject = entry.rule.empty() ? entry.subject() : entry.rule;
    if (entry.reason.empty()) throw fail("expected failure " + subject + " has no \"reason\"");
    if (m.find(entry.rule) || m.findScenario(entry.scenario) || m.findProperty(entry.property))
      throw fail((entry.rule.empty() ? entry.subject() : "rule " + entry.rule) + " is listed twice");
    m.entries.push_back(std::move(entry));
  }
  return m;
}

Manifest loadManifest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open");
  std::stringstream ss;
  ss << in.rdbuf();
  return parseManifest(ss.str(), path);
}

}  // namespace bc
