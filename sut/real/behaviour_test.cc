// The real adapter's objects answer as their behaviour says (behaviour.h).
#include "sut/real/behaviour.h"

#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include "vocab/hresult.h"

using namespace bc;
using namespace bc::real;

TEST_CASE("object behaviour: each behaviour's answer and failonce fails once", "[adapter][CB-1][DISP-4]") {
  ObjectBehaviour o;
  CHECK(o.answer().hr == hr::S_OK);
  o.set(Behavior::SFalse);
  CHECK(o.answer().hr == hr::S_FALSE);
  o.set(Behavior::Fail);
  CHECK(o.answer().hr == hr::E_FAIL);
  CHECK(o.answer().hr == hr::E_FAIL);
  o.set(Behavior::FailOnce);
  CHECK(o.answer().hr == hr::E_FAIL);
  CHECK(o.answer().hr == hr::S_OK);
  CHECK(o.get() == Behavior::Ok);
  o.set(Behavior::Hang);
  CHECK(o.answer().outcome == Outcome::Hung);
  o.set(Behavior::Crash);
  CHECK(o.answer().outcome == Outcome::Crashed);
}

TEST_CASE("object behaviour: failonce fails exactly one of many racing calls", "[adapter]") {
  for (int round = 0; round < 50; ++round) {
    ObjectBehaviour o(Behavior::FailOnce);
    std::vector<Answer> answers(8);
    std::vector<std::thread> callers;
    for (auto& a : answers) callers.emplace_back([&o, &a] { a = o.answer(); });
    for (auto& t : callers) t.join();
    int failed = 0;
    for (const auto& a : answers) failed += a.hr == hr::E_FAIL;
    REQUIRE(failed == 1);
  }
}
