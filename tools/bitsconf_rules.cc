// bitsconf rules: the rule catalog, filtered, as a table or JSON.
#include <iostream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "tools/bitsconf.h"
#include "tools/bitsconf_work.h"
#include "model/checkable.h"
#include "vocab/rules.h"

namespace bc {

namespace {

struct RulesOptions {
  std::string group, status, format = "table";
  bool notCheckable = false;
};

int rulesCommand(const RulesOptions& o) {
  std::vector<std::string> groups;
  if (Status e = parseGroupFilter(o.group, groups, "--group"); !e.ok())
    return std::cerr << "bitsconf rules: " << e.message() << "\n", kExitInput;
  nlohmann::json j = nlohmann::json::array();
  for (const RuleInfo& r : allRules()) {
    if (!groups.empty() && std::find(groups.begin(), groups.end(), r.group) == groups.end()) continue;
    if (!o.status.empty() && toString(r.status) != o.status) continue;
    // A rule no check of this world can blame never passes: it is listed with the reason.
    const auto why = notCheckableReason(r.rule);
    if (o.notCheckable && !why) continue;
    if (o.format == "json") {
      j.push_back({{"id", r.id}, {"group", r.group}, {"status", toString(r.status)}, {"status_note", r.statusNote},
                   {"summary", r.summary}, {"source", r.source}, {"doc_url", r.docUrl},
                   {"not_checkable", why ? nlohmann::json(std::string(*why)) : nlohmann::json(nullptr)}});
    } else {
      std::cout << fmt::format("{:<9} {:<3} {}\n", r.id, toString(r.status), r.summary);
      if (why) std::cout << fmt::format("{:<13} not checkable here: {}\n", "", *why);
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
  cmd->add_flag("--not-checkable", o->notCheckable, "only the rules no check of this test world can blame, and why");
  cmd->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}))->capture_default_str();
  cmd->callback([&action, o] { action = [o] { return rulesCommand(*o); }; });
}

}  // namespace bc
