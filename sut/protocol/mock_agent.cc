// mock_agent: the mock BITS served over the adapter protocol (PROTOCOL.md), so the protocol
// path is tested end to end against a full implementation: `agent:mock_agent` must give the
// same traces as the mock in process.
//   mock_agent [--mutant NAME] [--no-reset]
// --no-reset: do not offer the reset request (a process per test case, as adapters that lack it).
#include <cstring>
#include <exception>
#include <iostream>

#include "sut/mock/mock_sut.h"
#include "sut/protocol/adapter_server.h"

int main(int argc, char** argv) {
  bc::mock::MockOptions options;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--mutant") == 0) {
      auto m = bc::mock::parseMutant(argv[i + 1]);
      if (!m) {
        std::cerr << "mock_agent: unknown mutant '" << argv[i + 1] << "'\n";
        return 2;
      }
      options.mutant = *m;
    }
  bool reset = true;
  for (int i = 1; i < argc; ++i) reset &= std::strcmp(argv[i], "--no-reset") != 0;
  try {
    bc::SutFactory factory = [options] { return std::make_unique<bc::mock::MockSut>(options); };
    bc::SutBackend backend = reset ? bc::SutBackend(factory) : bc::SutBackend(factory());
    return bc::serveAdapter(backend, std::cin, std::cout);
  } catch (const std::exception& e) {
    std::cerr << "mock_agent: " << e.what() << "\n";
    return 1;
  }
}
