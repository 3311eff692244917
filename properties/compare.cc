#include "properties/compare.h"

#include "vocab/observation_text.h"

namespace bc {

namespace {
bool isModification(const Observation& o) {
  return o.kind == ObsKind::Callback && o.method == Method::JobModification;
}

Observations withoutModification(const Observations& in) {
  Observations out;
  out.reserve(in.size());
  for (const auto& o : in)
    if (!isModification(o)) out.push_back(o);
  return out;
}

// Which rules a difference breaks, by what differs (see compare.h).
RuleSet blame(const Observations& expected, const Observations& actual, size_t i) {
  if (i >= expected.size()) return expected.empty() ? RuleSet{} : expected[0].withheld.empty() ? expected[0].rules
                                                                                               : expected[0].withheld;
  const Observation& e = expected[i];
  if (i < actual.size() && e.kind == ObsKind::Callback && actual[i].kind == ObsKind::Callback &&
      e.job == actual[i].job && e.method == actual[i].method) {
    // The right call reached the wrong object, or the right object answered differently.
    static const RuleSet kRouting{Rule::DISP_2, Rule::DISP_3, Rule::CLSID_7, Rule::CLSID_8, Rule::REG_3, Rule::REG_7};
    static const RuleSet kAnswer{Rule::DISP_4, Rule::CB_12, Rule::REG_7};
    RuleSet r = e.rules.intersect(e.receiver == actual[i].receiver ? kAnswer : kRouting);
    if (!r.empty()) return r;
  }
  return e.blamed();
}

std::string list(const Observations& obs) {
  std::string s;
  for (const auto& o : obs) s += "\n      " + formatObservation(o);
  return s.empty() ? "\n      (nothing)" : s;
}
}  // namespace

StepComparison compareStep(const Observations& expectedIn, const Observations& actualIn, bool exactModification) {
  const Observations* expected = &expectedIn;
  const Observations* actual = &actualIn;
  Observations e2, a2;
  if (!exactModification) {
    e2 = withoutModification(expectedIn);
    a2 = withoutModification(actualIn);
    expected = &e2;
    actual = &a2;
  }
  StepComparison c;
  size_t n = std::min(expected->size(), actual->size());
  size_t i = 0;
  while (i < n && (*expected)[i] == (*actual)[i]) ++i;
  if (i == expected->size() && i == actual->size()) return c;
  c.match = false;
  c.index = i;
  c.rules = blame(*expected, *actual, i);
  if (i < expected->size()) c.consulted = (*expected)[i].rules;
  else if (!expected->empty()) c.consulted = (*expected)[0].rules;
  if (i < expected->size() && i < actual->size()) {
    c.explanation = "observation " + std::to_string(i + 1) + " differs: expected '" +
                    formatObservation((*expected)[i]) + "', got '" + formatObservation((*actual)[i]) + "'";
  } else if (i < expected->size()) {
    c.explanation = "missing observation " + std::to_string(i + 1) + ": expected '" +
                    formatObservation((*expected)[i]) + "'";
  } else {
    c.explanation = "unexpected observation " + std::to_string(i + 1) + ": '" + formatObservation((*actual)[i]) + "'";
  }
  c.explanation += "\n    expected:" + list(expectedIn) + "\n    actual:" + list(actualIn);
  return c;
}

}  // namespace bc
