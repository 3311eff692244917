// rules.h: the rule catalog of bits-rules.md section 1, as data.
//
// One place for every rule's ID, group, status, one-line summary and source page; the model
// tags its observations with these, the tests tag themselves with the IDs and the reports print
// them. The table is generated (tools/gen_rule_catalog.py) into rule_catalog.inc.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bc {

enum class Rule : uint16_t {
#define RULE(e, id, group, status, note, summary, source, url) e,
#include "vocab/rule_catalog.inc"
#undef RULE
  Count
};
inline constexpr size_t kRuleCount = static_cast<size_t>(Rule::Count);

// E: a page states it. E*: stated, but loosely or in conflict (an open question names why).
// I: inferred; not a strict Windows guarantee.
enum class RuleStatus : uint8_t { E, EStar, I };
std::string_view toString(RuleStatus s);  // "E", "E*", "I"

struct RuleInfo {
  Rule rule;
  std::string_view id;          // "REG-3"
  std::string_view group;       // "REG"
  RuleStatus status;
  std::string_view statusNote;  // the catalog's status cell, e.g. "E (conflicts with CMD-12: OQ-9)"
  std::string_view summary;     // first sentence of the rule, markdown stripped
  std::string_view source;      // the catalog's source cell ("S:bits/...md; W:...")
  std::string_view docUrl;      // learn.microsoft.com page of the first source, or ""
};

std::span<const RuleInfo> allRules();
const RuleInfo& info(Rule r);
std::string_view idOf(Rule r);
std::optional<Rule> parseRule(std::string_view id);  // "REG-3" -> Rule::REG_3
// The groups in catalog order: REG, FLAG, EVT, CB, VAL, CLSID, DISP, CMD, STATE, LIFE, SEC, VER.
std::vector<std::string_view> ruleGroups();

// A set of rules, e.g. the rules that explain one observation.
class RuleSet {
 public:
  RuleSet() = default;
  RuleSet(std::initializer_list<Rule> rules) {
    for (Rule r : rules) add(r);
  }
  RuleSet& add(Rule r) {
    bits_.set(static_cast<size_t>(r));
    return *this;
  }
  RuleSet& add(const RuleSet& o) {
    bits_ |= o.bits_;
    return *this;
  }
  // A copy with `r` (or `o`) added.
  RuleSet with(Rule r) const { return RuleSet(*this).add(r); }
  RuleSet with(const RuleSet& o) const { return RuleSet(*this).add(o); }
  bool has(Rule r) const { return bits_.test(static_cast<size_t>(r)); }
  RuleSet without(const RuleSet& o) const {
    RuleSet out;
    out.bits_ = bits_ & ~o.bits_;
    return out;
  }
  RuleSet intersect(const RuleSet& o) const {
    RuleSet out;
    out.bits_ = bits_ & o.bits_;
    return out;
  }
  bool empty() const { return bits_.none(); }
  size_t size() const { return bits_.count(); }
  std::vector<Rule> list() const;
  std::string toString() const;  // "REG-3 CLSID-7"
  friend bool operator==(const RuleSet&, const RuleSet&) = default;

 private:
  std::bitset<kRuleCount> bits_;
};

}  // namespace bc
