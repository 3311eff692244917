// The command-line launch log (launch_log.h): what a launched notify program writes, as the
// coordinator reads it.
#include "sut/real/launch_log.h"

#include <catch2/catch.hpp>

#include "vocab/observation_text.h"

using namespace bc;
using namespace bc::real;

TEST_CASE("launch log: a launch line becomes the world's cmdline observation", "[adapter][CMD-1][CMD-8]") {
  auto o = parseLaunchLine(launchLine(3, Program::Ok, "args", 0));
  REQUIRE(o);
  CHECK(formatObservation(*o) == "cmdline J3 ok args -> exit 0");
  o = parseLaunchLine(launchLine(12, Program::Fail, "NULL", 1));
  REQUIRE(o);
  CHECK(formatObservation(*o) == "cmdline J12 fail NULL -> exit 1");
}

TEST_CASE("launch log: anything else is not a launch", "[adapter]") {
  for (const char* bad : {"", "L", "L J3 ok args", "X J3 ok args 0", "L 3 ok args 0", "L J0 ok args 0",
                          "L J3 maybe args 0", "L J3 ok \"C:\\other.exe\" 0", "L J3 ok args 0 more", "L Jx ok args 0"})
    CHECK_FALSE(parseLaunchLine(bad));
}
