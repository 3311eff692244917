#include "model/checkable.h"

#include <utility>

namespace bc {

namespace {

using R = Rule;

constexpr std::string_view kOneUser = "the test world has one user and no administrator: no access control to observe";
constexpr std::string_view kNoUpload = "the test world has download jobs only";
constexpr std::string_view kNoValidation = "the test world has no file validation or peer caching";
constexpr std::string_view kNoRanges = "the test world has no byte-range requests (FileRangesTransferred)";
constexpr std::string_view kAppSide = "a requirement on the app's callback objects, which the test world implements itself";

constexpr std::pair<Rule, std::string_view> kNotCheckable[] = {
    {R::REG_5, "advice to apps (clear the pointer before exiting); BITS behaves the same either way"},
    {R::REG_14, kOneUser},
    {R::FLAG_12, "documents the bitsadmin tool, which the test world does not run"},
    {R::EVT_2, kNoUpload},
    {R::EVT_8, "a permission (BITS may lose JobModification calls), not an obligation: nothing can break it"},
    {R::EVT_10, kNoRanges},
    {R::EVT_12, kNoValidation},
    {R::CB_8, kNoRanges},
    {R::CB_9, kAppSide},
    {R::CB_10, kAppSide},
    {R::CB_11, "a permission (callbacks in any order), not an obligation: the comparison grants it"},
    {R::CB_13, "the test world's objects are not single-threaded apartments; re-entrancy is not observable"},
    {R::CB_16, "the error context of a job is not observable in the test world"},
    {R::VAL_1, kNoValidation},
    {R::VAL_2, kNoValidation},
    {R::VAL_3, kNoValidation},
    {R::VAL_4, kNoValidation},
    {R::VAL_5, kNoValidation},
    {R::VAL_6, kNoValidation},
    {R::VAL_7, kNoValidation},
    {R::VAL_8, kNoValidation},
    {R::CMD_5, "the test world's programs and parameters are fixed; how BITS parses them is not observable"},
    {R::CMD_7, kOneUser},
    {R::CMD_10, "the test world has no service-account jobs"},
    {R::CMD_13, "the test world has no TakeOwnership"},
    {R::CMD_15, "a requirement on the notification program, which the test world provides"},
    {R::STATE_2, "a classification of the states with no behaviour of its own (the behaviours are STATE-3..14)"},
    {R::STATE_6, "the test world has no scheduler time slices and no logoff"},
    {R::STATE_14, "advice to apps on what to do in ERROR"},
    {R::LIFE_1, "the test world does not model the 90-day JobInactivityTimeout policy"},
    {R::LIFE_2, "the test world does not model the 90-day JobInactivityTimeout policy"},
    {R::LIFE_5, "the test world's clock is virtual and never changes"},
    {R::LIFE_6, "the test world does not model the per-user and per-machine job limits"},
    {R::SEC_1, kOneUser},
    {R::SEC_2, kOneUser},
    {R::SEC_3, kOneUser},
    {R::SEC_4, kOneUser},
    {R::SEC_5, kOneUser},
    {R::SEC_6, kOneUser},
    {R::SEC_7, kOneUser},
    {R::SEC_8, kOneUser},
    {R::SEC_9, kOneUser},
    {R::SEC_10, kOneUser},
    {R::VER_6, "BITS 10.2 and 10.3 add nothing to the notification rules"},
};

}  // namespace

std::optional<std::string_view> notCheckableReason(Rule r) {
  for (const auto& [rule, why] : kNotCheckable)
    if (rule == r) return why;
  return std::nullopt;
}

std::vector<Rule> notCheckableRules() {
  std::vector<Rule> out;
  for (const RuleInfo& i : allRules())
    if (notCheckableReason(i.rule)) out.push_back(i.rule);
  return out;
}

}  // namespace bc
