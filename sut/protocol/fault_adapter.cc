// fault_adapter: a test adapter that misbehaves on purpose, to prove the runner survives it.
//
//   fault_adapter MODE [STEP]
// Answers every step with "-> S_OK" until step STEP (default 2), where MODE happens:
//   exit (exit 4)  abort (SIGABRT)  hang (stops answering)  garbage (not JSON)
//   badid (wrong id)  badobs (an observation that does not parse)  noreturn (no "->" first)
//   error (an error answer)  hangsettle (answers the step, never the settle)
//   unsupported (says this step cannot happen on its implementation, then goes on normally)
//   nohello (exits before the hello)  hanghello (never says hello)
//   grandchild (forks a long sleeper first, then behaves: its group must be killed at the end)
//   echoexpect (every settled carries the settle's "expect" observations back, or "-> S_FALSE"
//               when the settle had no expect field)
//   resetfails (declares the reset feature, and answers every reset with an error)
// Hostile modes (issue 16: every one must end in a verdict, fast, with bounded memory):
//   deephello (a hello whose protocol value nests 100,000 deep)  deepresult (a result nesting so)
//   flood (answers the settle with events, forever, as fast as it can)
//   slowflood (one event every 20 ms, forever: each alone is within the settle deadline)
//   badutf8 (stderr and a non-JSON line that are not UTF-8, or UTF-8 cut in half)
//   errorobject / unsupportedobject (an error / unsupported whose message is an object)
//   wrongtypes (a result whose id is a string and observations an object)
//   longline (a line of 2 MiB)  blanks (empty lines, forever)  stderrflood (stderr, forever)
//   forkbomb (8 children, each sleeping in the adapter's group, then it hangs)
// With PIDFILE in the environment it first writes its pid there (signal tests find its group).
#include <signal.h>
#include <unistd.h>

#include <fstream>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

#include "sut/protocol/adapter_server.h"
#include "sut/protocol/json_line.h"

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  long at = argc > 2 ? std::atol(argv[2]) : 2;
  std::cerr << "fault_adapter: mode " << mode << " at step " << at << std::endl;
  auto forever = [] {
    for (;;) std::this_thread::sleep_for(std::chrono::seconds(60));
  };
  if (const char* pidFile = std::getenv("PIDFILE")) std::ofstream(pidFile) << getpid() << "\n";
  if (mode == "nohello") return 5;
  if (mode == "deephello") {
    std::string deep = std::string(100000, '[') + std::string(100000, ']');
    std::cout << R"({"type":"hello","protocol":)" << deep << R"(,"implementation":"deep"})" << std::endl;
    forever();
  }
  if (mode == "hanghello") forever();
  if (mode == "grandchild" && fork() == 0) {
    execlp("sleep", "sleep", "1000", static_cast<char*>(nullptr));
    _exit(1);
  }
  bc::Capabilities caps;
  caps.name = "fault-" + mode;
  caps.exactModification = mode != "echoexpect";  // like a real BITS: JobModification is not predicted to it
  std::cout << bc::helloLine(caps, mode == "resetfails" ? std::vector<std::string>{"reset"} : std::vector<std::string>{})
            << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
    auto parsed = bc::protocol::readJsonLine(line);
    if (!std::holds_alternative<nlohmann::json>(parsed)) return 9;
    const nlohmann::json& msg = std::get<nlohmann::json>(parsed);
    std::string type = msg.value("type", "");
    if (type == "bye") return 0;
    if (type == "reset") {
      std::cout << R"({"type":"error","id":0,"message":"cannot reset"})" << std::endl;
      continue;
    }
    long id = msg.value("id", 0L);
    std::string ids = std::to_string(id);
    if (type == "step") {
      if (id == at) {
        std::cerr << "fault_adapter: misbehaving now (" << mode << ")" << std::endl;
        if (mode == "exit") return 4;
        if (mode == "abort") abort();
        if (mode == "hang") forever();
        if (mode == "garbage") std::cout << "this is {not json" << std::endl;
        if (mode == "badid") std::cout << R"({"type":"result","id":)" << id + 7 << R"(,"observations":["-> S_OK"]})" << std::endl;
        if (mode == "badobs") std::cout << R"({"type":"result","id":)" << ids << R"(,"observations":["-> S_KINDA"]})" << std::endl;
        if (mode == "noreturn") std::cout << R"({"type":"result","id":)" << ids << R"(,"observations":[]})" << std::endl;
        if (mode == "error") std::cout << R"({"type":"error","id":)" << ids << R"(,"message":"cannot do that"})" << std::endl;
        if (mode == "unsupported")
          std::cout << R"({"type":"unsupported","id":)" << ids << R"(,"message":"one job at a time"})" << std::endl;
        if (mode == "deepresult")
          std::cout << R"({"type":"result","id":)" << ids << R"(,"observations":)" << std::string(100000, '[')
                    << std::string(100000, ']') << "}" << std::endl;
        if (mode == "badutf8") {
          std::cerr << "caf\xE9 \xE2\x82 and a cut emoji \xF0\x9F\x98" << std::endl;
          std::cout << "not json: cr\xE8me \xC3" << std::endl;
        }
        if (mode == "errorobject")
          std::cout << R"({"type":"error","id":)" << ids << R"(,"message":{"nested":["x"]}})" << std::endl;
        if (mode == "unsupportedobject")
          std::cout << R"({"type":"unsupported","id":)" << ids << R"(,"message":42})" << std::endl;
        if (mode == "wrongtypes") std::cout << R"({"type":"result","id":")" << ids << R"(","observations":{}})" << std::endl;
        if (mode == "longline") std::cout << std::string(2 << 20, 'x') << std::endl;
        if (mode == "blanks")
          for (;;) std::cout << "\n\n\n\n" << std::flush;
        if (mode == "stderrflood")
          for (;;) std::cerr << "noise \xFF " << std::string(1000, 'n') << "\n";
        if (mode == "forkbomb") {
          for (int k = 0; k < 8; ++k)
            if (fork() == 0) {
              execlp("sleep", "sleep", "1000", static_cast<char*>(nullptr));
              _exit(1);
            }
          forever();
        }
        if (mode != "hangsettle" && mode != "grandchild" && mode != "flood" && mode != "slowflood") continue;
      }
      std::cout << R"({"type":"result","id":)" << ids << R"(,"observations":["-> S_OK"]})" << std::endl;
    } else if (type == "settle") {
      if (mode == "hangsettle" && id == at) forever();
      if ((mode == "flood" || mode == "slowflood") && id == at)
        for (;;) {
          std::cout << R"({"type":"event","id":)" << ids << R"(,"observation":"callback A1#1.o2 JobModification J1 -> S_OK"})"
                    << std::endl;
          if (mode == "slowflood") std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
      std::string observations = "[]";
      if (mode == "echoexpect")
        observations = msg.contains("expect") ? msg["expect"].dump() : R"(["-> S_FALSE"])";
      std::cout << R"({"type":"settled","id":)" << ids << R"(,"quiescent":true,"observations":)" << observations << "}"
                << std::endl;
    }
  }
  return 0;
}
