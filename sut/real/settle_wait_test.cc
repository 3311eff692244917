// The real adapter's settle (settle_wait.h): a short grace once the predicted events came, the
// full quiet window whenever the step may diverge.
#include "sut/real/settle_wait.h"

#include <catch2/catch.hpp>

using namespace bc;
using namespace bc::real;
using namespace std::chrono_literals;

namespace {
Observation callback(Method m, uint8_t slot = 2, JobId job = 1) {
  return Observation::callback(Receiver::appObject(1, 1, slot), m, job, 0, Outcome::Returned, Hresult{0});
}
}  // namespace

TEST_CASE("settle wait: without a prediction the quiet window applies as before", "[adapter]") {
  SettleWait w(nullptr, 2000ms, 100ms, false);
  CHECK(w.quiet() == 2000ms);
  w.seen(callback(Method::JobTransferred));
  CHECK(w.quiet() == 2000ms);
}

TEST_CASE("settle wait: the grace follows the last predicted event and JobModification is free", "[adapter][EVT-8]") {
  Observations expected = {Observation::ret(Hresult{0}), callback(Method::JobModification),
                           callback(Method::FileTransferred), callback(Method::JobTransferred)};
  SettleWait w(&expected, 2000ms, 100ms, true);
  CHECK(w.quiet() == 2000ms);  // waiting for them
  w.seen(callback(Method::FileTransferred));
  CHECK(w.quiet() == 2000ms);
  w.seen(callback(Method::JobModification));  // not predicted as an extra, not waited for either
  w.seen(callback(Method::JobTransferred));
  CHECK(w.quiet() == 100ms);
  CHECK_FALSE(w.diverged());
}

TEST_CASE("settle wait: an extra or different event falls back to the quiet window", "[adapter]") {
  Observations expected = {Observation::ret(Hresult{0}), callback(Method::JobTransferred)};
  SECTION("another receiver") {
    SettleWait w(&expected, 2000ms, 100ms, false);
    w.seen(callback(Method::JobTransferred, 3));
    CHECK(w.diverged());
    CHECK(w.quiet() == 2000ms);
  }
  SECTION("a second delivery after the predicted one") {
    SettleWait w(&expected, 2000ms, 100ms, false);
    w.seen(callback(Method::JobTransferred));
    CHECK(w.quiet() == 100ms);
    w.seen(callback(Method::JobTransferred));
    CHECK(w.quiet() == 2000ms);
  }
}

TEST_CASE("settle wait: nothing predicted is a grace unless BITS could still call someone", "[adapter][FLAG-3]") {
  Observations none = {Observation::ret(Hresult{0})};
  CHECK(SettleWait(&none, 2000ms, 30ms, false).quiet() == 30ms);
  CHECK(SettleWait(&none, 2000ms, 30ms, true).quiet() == 2000ms);  // e.g. DISABLE set, an object registered
}
