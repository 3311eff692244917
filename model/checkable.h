// checkable.h: the catalog rules no check of this test world can blame, and why.
//
// A rule is checkable when some comparison of a SUT's step with the model would blame it on a
// mismatch (an observation's primary or route rules, a Withheld record, Model::whyNot). The
// others are listed here with the reason (the world has no upload jobs, one user, no peers; or
// the rule is advice to apps, or a permission that nothing can break). Reports show them as
// "not checkable here", never as passed; a test keeps this list and the model's checks in
// step (scenarios/checkable_test.cc): every rule is either blamed by some check the scenario
// library and the covering set run, or listed here.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "vocab/rules.h"

namespace bc {

// The reason `r` cannot be checked here, or nullopt if some check can blame it.
std::optional<std::string_view> notCheckableReason(Rule r);
// Every rule with a reason, in catalog order.
std::vector<Rule> notCheckableRules();

}  // namespace bc
