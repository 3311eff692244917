// bitsconform-adapter.exe: the real BITS adapter (sut/protocol/PROTOCOL.md on stdin/stdout).
//
//   bitsconform-adapter            serve the protocol (the coordinator)
//   bitsconform-adapter app N I    an app process of the world (started by the coordinator)
//   bitsconform-adapter cleanup    cancel every job a crashed run left behind, and exit
#include "sut/real/coordinator.h"
#include "sut/real/real_common.h"

#include <windows.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>

#include "sut/real/coordinator.h"
#include "sut/real/real_common.h"

int main(int argc, char** argv) {
  if (argc >= 4 && std::strcmp(argv[1], "app") == 0) return bc::real::runApp(std::atoi(argv[2]), std::atoi(argv[3]), argc > 4 ? std::strtoul(argv[4], nullptr, 10) : 0);
  if (FAILED(CoInitializeEx(nullptr, COINIT_MULTITHREADED))) return 2;
  CoInitializeSecurity(nullptr, -1, nullptr, nullptr, RPC_C_AUTHN_LEVEL_DEFAULT, RPC_C_IMP_LEVEL_IMPERSONATE,
                       nullptr, EOAC_NONE, nullptr);
  int rc = 0;
  try {
    if (argc >= 2 && std::strcmp(argv[1], "cleanup") == 0) {
      std::string log;
      int n = bc::real::Coordinator::cleanLeftovers(&log, false);
      std::printf("cancelled %d leftover job(s) %s\n", n, log.c_str());
    } else {
      bc::real::Coordinator coordinator;
      rc = bc::serveAdapter(coordinator, std::cin, std::cout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bitsconform-adapter: %s\n", e.what());
    rc = 1;
  }
  CoUninitialize();
  return rc;
}
