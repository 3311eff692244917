#include "vocab/observation_text.h"

#include <catch2/catch.hpp>

using namespace bc;

namespace {
Observation parsed(std::string_view text) {
  auto r = parseObservation(text);
  if (!r.ok()) FAIL("'" << text << "': " << r.message());
  return *r;
}
}  // namespace

TEST_CASE("every observation form round-trips", "[vocab][scenario-format]") {
  const char* lines[] = {"-> S_OK",
                         "-> BG_E_INVALID_STATE",
                         "-> S_OK flags=0x0B",
                         "-> S_OK iface=A1#1.o2",
                         "-> S_OK iface=NULL",
                         "-> S_OK iface=ClsidA#3",
                         "-> S_OK clsid=GUID_NULL",
                         "-> S_OK cmdline=ok args",
                         "-> S_OK state=TRANSIENT_ERROR",
                         "callback A1#2.o3 JobTransferred J1 -> S_OK",
                         "callback ClsidA#1 FileTransferred J2 f3 -> E_FAIL",
                         "callback A1#1.o2 JobError J1 -> hang",
                         "callback A2#1.o1 JobModification J1 -> crash",
                         "activate ClsidA J1 -> S_OK ClsidA#1",
                         "activate ClsidC J1 -> REGDB_E_CLASSNOTREG",
                         "cmdline J1 fail args -> exit 1"};
  for (const char* s : lines) {
    INFO(s);
    CHECK(formatObservation(parsed(s)) == s);
  }
}

TEST_CASE("observations compare exactly, rules aside", "[vocab]") {
  Observation a = Observation::callback(Receiver::appObject(1, 1, 2), Method::JobTransferred, 1, 0,
                                        Outcome::Returned, hr::S_OK);
  Observation b = a;
  b.because({Rule::REG_1});
  CHECK(a == b);
  b.hr = hr::S_FALSE;
  CHECK_FALSE(a == b);
  CHECK_FALSE(Observation::ret(hr::S_OK) == Observation::retFlags(hr::S_OK, 0));
}

TEST_CASE("bad observations name the column", "[vocab][scenario-format]") {
  auto r = parseObservation("callback A1#1.o2 JobTransfered J1 -> S_OK");
  REQUIRE_FALSE(r.ok());
  CHECK(r.errors().front().column == 18);
  CHECK(r.message() == "column 18: unknown method 'JobTransfered'");
  r = parseObservation("-> S_OK flagz=3");
  REQUIRE_FALSE(r.ok());
  CHECK(r.errors().front().column == 9);
}
