#include "reports/manifest.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "vocab/rules.h"

namespace bc {

const ManifestEntry* Manifest::find(std::string_view rule) const {
  for (const auto& e : entries)
    if (e.rule == rule) return &e;
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
    if (!e.is_object() || !e.contains("rule") || !e["rule"].is_string())
      throw fail("every expected failure needs a \"rule\" string");
    ManifestEntry entry{e["rule"].get<std::string>(), e.value("reason", ""), e.value("link", "")};
    if (!parseRule(entry.rule)) throw fail("unknown rule ID '" + entry.rule + "'");
    if (entry.reason.empty()) throw fail("expected failure " + entry.rule + " has no \"reason\"");
    if (m.find(entry.rule)) throw fail("rule " + entry.rule + " is listed twice");
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
