// bitsconform-adapter.exe: the real BITS adapter (sut/protocol/PROTOCOL.md on stdin/stdout).
//
//   bitsconform-adapter            serve the protocol (the coordinator)
//   bitsconform-adapter app N I PID PORT   an app process of the world (started by the coordinator)
//   bitsconform-adapter cleanup    cancel every job and class key a crashed run left behind, and exit
//   bitsconform-adapter server C PID          LocalServer32 of notification class C (com_server.h)
//   bitsconform-adapter clsid-selftest [hold] register, activate, call, identify and unregister ClsidA (tests)
#include "sut/real/coordinator.h"
#include "sut/real/real_common.h"
#include "sut/real/com_server.h"
#include "sut/real/cmdline.h"

#include <windows.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>

#include "sut/real/coordinator.h"
#include "sut/real/real_common.h"

int main(int argc, char** argv) {
  int launchedExit = 0;  // started by BITS as a job's notify program (cmdline.h)?
  if (bc::real::runLaunchedProgram(launchedExit)) return launchedExit;
  if (argc >= 4 && std::strcmp(argv[1], "app") == 0)
    return bc::real::runApp(std::atoi(argv[2]), std::atoi(argv[3]), argc > 4 ? std::strtoul(argv[4], nullptr, 10) : 0,
                            argc > 5 ? std::atoi(argv[5]) : 9, argc > 6 ? std::atoi(argv[6]) : 1);
  if (argc >= 4 && std::strcmp(argv[1], "server") == 0)  // COM appends -Embedding: ignored
    return bc::real::runServer(static_cast<bc::ClassId>(std::atoi(argv[2])), std::strtoul(argv[3], nullptr, 10));
  if (FAILED(CoInitializeEx(nullptr, COINIT_MULTITHREADED))) return 2;
  CoInitializeSecurity(nullptr, -1, nullptr, nullptr, RPC_C_AUTHN_LEVEL_DEFAULT, RPC_C_IMP_LEVEL_IMPERSONATE,
                       nullptr, EOAC_NONE, nullptr);
  int rc = 0;
  try {
    if (argc >= 2 && std::strcmp(argv[1], "cleanup") == 0) {
      std::string log;
      int n = bc::real::Coordinator::cleanLeftovers(&log, false);
      std::printf("cancelled %d leftover job(s) %s\n", n, log.c_str());
      log.clear();
      n = bc::real::cleanServerKeys(false, &log);
      std::printf("removed %d leftover class registration(s) %s\n", n, log.c_str());
    } else if (argc >= 2 && std::strcmp(argv[1], "clsid-selftest") == 0) {
      rc = bc::real::clsidSelfTest(argc >= 3 && std::strcmp(argv[2], "hold") == 0);
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
