// bitsconf rules: the rule catalog, filtered, as a table or JSON.
#include <iostream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "tools/bitsconf.h"
#include "tools/bitsconf_work.h"
#include "vocab/rules.h"

namespace bc {

namespace {

struct RulesOptions { std::string group, status, format = "table"; };

int rulesCommand(const RulesOptions& o) {
  std::vector<std::string> groups;
  if (auto e = parseGroupFilter(o.group, groups)) return std::cerr << "bitsconf rules: " << *e << "\n", kExitInput;
  nlohmann::json j = nlohmann::json::array();
  for (const RuleInfo& r : allRules()) {
    if (!groups.empty() && std::find(groups.begin(), groups.end(), r.group) == groups.end()) continue;
    if (!o.status.empty() && toString(r.status) != o.status) continue;
    if (o.format == "json") {
      j.push_back({{"id", r.id}, {"group", r.group}, {"status", toString(r.status)}, {"status_note", r.statusNote},
                   {"summary", r.summary}, {"source", r.source}, {"doc_url", r.docUrl}});
    } else {
      std::cout << fmt::format("{:<9} {:<3} {}\n", r.id, toString(r.status), r.summary);
    }
  }
  if (o.format == "json") std::cout << j.dump(2) << "\n";
  return kExitOk;
}

}  // namespace

void addRulesCommand(CLI::App& app, Action& action) {
  auto o = std::make_shared<RulesOptions>();
  CLI::App* cmd = app.add_subcommand("rules", "List the rule catalog (docs/semantics.md, bits-rules.md)");
  cmd->add_option("--group", o->group, "only these groups, e.g. REG,CLSID");
  cmd->add_option("--status", o->status, "only this status")->check(CLI::IsMember({"E", "E*", "I"}));
  cmd->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}))->capture_default_str();
  cmd->callback([&action, o] { action = [o] { return rulesCommand(*o); }; });
}

}  // namespace bc
