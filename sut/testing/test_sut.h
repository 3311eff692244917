// test_sut.h (test binaries only): the SUT a test binary runs against, by BITSCONFORM_SUT name.
//
//   broken:NAME          a BrokenSut (broken_sut.h): the model with one deliberate bug
//   anything else        the registry's (sut/registry/sut_registry.h): mock, mock:mutant=N, model, ...
#pragma once

#include <stdexcept>
#include <string>

#include "sut/testing/broken_sut.h"
#include "sut/registry/sut_registry.h"

namespace bc {

inline SutFactory testSutFactory(const SutRequest& request, const ModelConfig& config) {
  const std::string broken = "broken:";
  if (request.spec.rfind(broken, 0) == 0) {
    std::string bug = request.spec.substr(broken.size());
    if (!BrokenSut::bugs().count(bug)) throw std::invalid_argument("unknown broken SUT '" + bug + "'");
    return [bug, config] { return std::make_unique<BrokenSut>(bug, config); };
  }
  return makeSutFactory(request);
}

}  // namespace bc
