// test_sut.h (test binaries only): the SUT a test binary runs against, by BITSCONFORM_SUT name.
//
//   broken:NAME          a BrokenSut (broken_sut.h): the model with one deliberate bug
//   mock, mock:mutant=N  the registry's, or the mock built directly while the registry lacks it
//   anything else        the registry (sut_registry.h)
#pragma once

#include <stdexcept>
#include <string>

#include "properties/broken_sut.h"
#include "properties/sut_registry.h"
#include "sut/mock/mock_sut.h"
#include "sut/mutants/mutant.h"

namespace bc {

inline SutFactory testSutFactory(const SutRequest& request, const ModelConfig& config) {
  const std::string broken = "broken:", mutant = "mock:mutant=";
  if (request.spec.rfind(broken, 0) == 0) {
    std::string bug = request.spec.substr(broken.size());
    if (!BrokenSut::bugs().count(bug)) throw std::invalid_argument("unknown broken SUT '" + bug + "'");
    return [bug, config] { return std::make_unique<BrokenSut>(bug, config); };
  }
  try {
    return makeSutFactory(request);
  } catch (const std::invalid_argument&) {
    bool isMock = request.spec == "mock" || request.spec.rfind(mutant, 0) == 0;
    if (!isMock) throw;
  }
  mock::MockOptions options;
  options.version = request.version;
  if (request.spec != "mock") {
    auto m = mock::parseMutant(request.spec.substr(mutant.size()));
    if (!m) throw std::invalid_argument("unknown mock mutant in '" + request.spec + "'");
    mock::applyMutant(options, *m);
  }
  return [options] { return std::make_unique<mock::MockSut>(options); };
}

}  // namespace bc
