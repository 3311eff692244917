// The server log -> observation mapping of the notification-CLSID path: tested here because
// Wine (no IBackgroundCopyJob5) never activates a class, so only Windows would exercise it.
#include "sut/real/server_log.h"

#include <catch2/catch.hpp>

#include "vocab/observation_text.h"

using namespace bc;
using bc::real::ServerLog;

namespace {

const std::string kJ1 = "{11111111-2222-3333-4444-555555555555}";
const std::string kJ2 = "{AAAAAAAA-2222-3333-4444-555555555555}";

JobId jobOf(const std::string& guid) { return guid == kJ1 ? 1 : guid == kJ2 ? 2 : 0; }

std::vector<std::string> text(const std::vector<Observation>& obs) {
  std::vector<std::string> out;
  for (const auto& o : obs) out.push_back(formatObservation(o));
  return out;
}

}  // namespace

TEST_CASE("server log: an activation is reported with its first call's job, before that call", "[CLSID-7][CLSID-8]") {
  ServerLog log(jobOf);
  CHECK(log.feed("S ClsidA 900 0").empty());
  CHECK(log.feed("A ClsidA 900 1").empty());  // no job yet: CreateInstance does not see one
  CHECK(text(log.feed("C ClsidA 900 1 JobTransferred " + kJ1 + " 0")) ==
        std::vector<std::string>{"activate ClsidA J1 -> S_OK ClsidA#1", "callback ClsidA#1 JobTransferred J1 -> S_OK"});
  // A later call on the same object is only a callback.
  CHECK(text(log.feed("C ClsidA 900 1 JobModification " + kJ1 + " 0")) ==
        std::vector<std::string>{"callback ClsidA#1 JobModification J1 -> S_OK"});
  CHECK(log.malformed() == 0);
}

TEST_CASE("server log: objects are numbered per class over the run, across server processes", "[CLSID-8]") {
  ServerLog log(jobOf);
  log.feed("A ClsidA 900 1");
  log.feed("A ClsidB 901 1");
  log.feed("A ClsidA 900 2");
  log.feed("A ClsidA 902 1");  // a new server process of ClsidA restarts its own count at 1
  CHECK(text(log.feed("C ClsidA 902 1 JobTransferred " + kJ2 + " 0")).front() == "activate ClsidA J2 -> S_OK ClsidA#3");
  CHECK(text(log.feed("C ClsidB 901 1 JobError " + kJ1 + " 0")) ==
        std::vector<std::string>{"activate ClsidB J1 -> S_OK ClsidB#1", "callback ClsidB#1 JobError J1 -> S_OK"});
  CHECK(text(log.feed("C ClsidA 900 2 FileTransferred " + kJ1 + " 2")).back() ==
        "callback ClsidA#2 FileTransferred J1 f2 -> S_OK");
  // GetNotifyInterface's object (class, server pid, its instance) -> the world's number.
  CHECK(log.objectNumber(ClassId::A, 902, 1) == 3);
  CHECK(log.objectNumber(ClassId::A, 900, 1) == 1);
  // A call whose activation line was not seen still gets the next number.
  CHECK(text(log.feed("C ClsidC 903 7 JobTransferred " + kJ1 + " 0")).front() == "activate ClsidC J1 -> S_OK ClsidC#1");
}

TEST_CASE("server log: bytes split across reads make whole lines, and bad lines are counted, not guessed", "[CLSID]") {
  ServerLog log(jobOf);
  std::string all = "A ClsidA 900 1\r\nC ClsidA 900 1 JobTransferred " + kJ1 + " 0\n";
  std::vector<std::string> got;
  for (char ch : all)  // one byte at a time: the worst split a tail can see
    for (auto& s : text(log.consume(std::string_view(&ch, 1)))) got.push_back(s);
  CHECK(got == std::vector<std::string>{"activate ClsidA J1 -> S_OK ClsidA#1", "callback ClsidA#1 JobTransferred J1 -> S_OK"});
  CHECK(log.consume("C ClsidA 900 1 JobTransferred").empty());  // incomplete: kept for the next read
  CHECK(log.malformed() == 0);
  for (const char* bad : {"A GUID_NULL 900 1", "A ClsidZ 900 1", "C ClsidA 900 1 Frobnicate " , "C ClsidA 900 0 JobError - 0",
                          "Q ClsidA 900 1", "C ClsidA 900 1 JobError"})
    CHECK(log.feed(bad).empty());
  CHECK(log.malformed() == 6);
  // An unknown GUID (not a job of this run) is job 0, never another job's name.
  CHECK(text(log.feed("C ClsidB 900 1 JobTransferred {00000000-0000-0000-0000-000000000009} 0")).back() ==
        "callback ClsidB#1 JobTransferred J0 -> S_OK");
}

TEST_CASE("server log: a call's answer follows the class's behaviour and the processes of a class are known",
          "[CLSID][DISP-4][CB-12]") {
  ServerLog log(jobOf);
  CHECK(log.feed("S ClsidA 900 0").empty());
  CHECK(log.feed("A ClsidA 900 1").empty());
  CHECK(text(log.feed("C ClsidA 900 1 JobTransferred " + kJ1 + " 0 E_FAIL")) ==
        std::vector<std::string>{"activate ClsidA J1 -> S_OK ClsidA#1", "callback ClsidA#1 JobTransferred J1 -> E_FAIL"});
  CHECK(text(log.feed("C ClsidA 900 1 JobTransferred " + kJ1 + " 0 S_FALSE")) ==
        std::vector<std::string>{"callback ClsidA#1 JobTransferred J1 -> S_FALSE"});
  CHECK(text(log.feed("C ClsidA 900 1 JobError " + kJ2 + " 0 hang")) ==
        std::vector<std::string>{"callback ClsidA#1 JobError J2 -> hang"});
  CHECK(log.feed("S ClsidA 901 0").empty());
  CHECK(log.feed("A ClsidA 901 1").empty());
  CHECK(text(log.feed("C ClsidA 901 1 JobTransferred " + kJ1 + " 0 crash")) ==
        std::vector<std::string>{"activate ClsidA J1 -> S_OK ClsidA#2", "callback ClsidA#2 JobTransferred J1 -> crash"});
  CHECK(log.feed("C ClsidA 901 1 JobTransferred " + kJ1 + " 0 maybe").empty());
  CHECK(log.malformed() == 1);
  CHECK(log.processes(ClassId::A) == std::vector<unsigned long>{900, 901});
  CHECK(log.processes(ClassId::B).empty());
}
