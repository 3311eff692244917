#include "vocab/rules.h"

#include <array>

namespace bc {

namespace {
constexpr RuleStatus statusOf(std::string_view s) {
  return s == "I" ? RuleStatus::I : s == "E*" ? RuleStatus::EStar : RuleStatus::E;
}
constexpr std::array<RuleInfo, kRuleCount> kRules = {{
#define RULE(e, id, group, status, note, summary, source, url) \
  {Rule::e, id, group, statusOf(status), note, summary, source, url},
#include "vocab/rule_catalog.inc"
#undef RULE
}};
}  // namespace

std::string_view toString(RuleStatus s) {
  switch (s) {
    case RuleStatus::E: return "E";
    case RuleStatus::EStar: return "E*";
    case RuleStatus::I: return "I";
  }
  return "?";
}

std::span<const RuleInfo> allRules() { return kRules; }
const RuleInfo& info(Rule r) { return kRules[static_cast<size_t>(r)]; }
std::string_view idOf(Rule r) { return info(r).id; }

std::optional<Rule> parseRule(std::string_view id) {
  for (const auto& r : kRules)
    if (r.id == id) return r.rule;
  return std::nullopt;
}

std::vector<std::string_view> ruleGroups() {
  std::vector<std::string_view> groups;
  for (const auto& r : kRules)
    if (groups.empty() || groups.back() != r.group) groups.push_back(r.group);
  return groups;
}

std::vector<Rule> RuleSet::list() const {
  std::vector<Rule> out;
  for (size_t i = 0; i < kRuleCount; ++i)
    if (bits_.test(i)) out.push_back(static_cast<Rule>(i));
  return out;
}

std::string RuleSet::toString() const {
  std::string out;
  for (Rule r : list()) {
    if (!out.empty()) out += ' ';
    out += idOf(r);
  }
  return out;
}

}  // namespace bc
