// wine_bench: per-command latency through the real adapter under Wine (step + settle, as the
// runner sees it: with the model's prediction as the settle's expect), the handshake, a reset
// (what a test case costs to start once the adapter runs), and the wall time of the whole run.
// Prints a table; exits 0 with a note when wine or the adapter .exe is missing.
// Usage: wine_bench [rounds=10]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "model/model.h"
#include "sut/protocol/wine_sut.h"
#include "vocab/command_text.h"

using Clock = std::chrono::steady_clock;

static double msSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

int main(int argc, char** argv) {
  if (std::string why = bc::wineUnavailableReason(); !why.empty()) {
    std::printf("wine_bench skipped: %s\n", why.c_str());
    return 0;
  }
  int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 10;
  auto start = Clock::now();
  bc::ProtocolSut sut(bc::wineOptions(""));
  double handshake = msSince(start);
  // By command kind (first word after the app): the whole step as the runner sees it, and its
  // round trip alone (request to result, without the settle's quiet window).
  std::map<std::string, std::vector<double>> samples, roundTrips;
  std::vector<double> resets;
  bc::ModelConfig config;
  config.version = sut.capabilities().version;
  for (int r = 1; r <= rounds; ++r) {
    bc::Model model(config);  // each round is a test case of its own, after a reset
    std::string j = "J" + std::to_string(r);
    const std::vector<std::string> steps = {
        "A1 CreateJob " + j, "A1 SetNotifyInterface " + j + " o2", "A1 SetNotifyFlags " + j + " 0x03",
        "A1 GetNotifyFlags " + j, "A2 GetNotifyInterface " + j, "A1 AddFile " + j, "A1 Resume " + j,
        "Transfer " + j, "A1 GetState " + j, "A1 Complete " + j};
    for (const auto& s : steps) {
      bc::Command c = bc::parseCommand(s).value();
      bc::Observations out, predicted;
      model.step(c, predicted);
      auto t = Clock::now();
      sut.expect(predicted);
      if (bc::StepResult step = sut.execute(c, out); step.isUnsupported()) {
        std::printf("wine_bench: round %d: '%s' is unsupported (%s): the round's remaining steps are not timed\n", r,
                    s.c_str(), step.why().c_str());
        break;
      }
      double ms = msSince(t);
      std::string kind = s.rfind("A", 0) == 0 ? s.substr(3, s.find(' ', 3) - 3) : s.substr(0, s.find(' '));
      samples[kind].push_back(ms);
      roundTrips[kind].push_back(sut.lastStepTiming().roundTripMs);
    }
    auto t = Clock::now();
    sut.reset();
    resets.push_back(msSince(t));
  }
  std::sort(resets.begin(), resets.end());
  auto closeStart = Clock::now();
  int rc = sut.close();
  double bye = msSince(closeStart);
  std::printf("wine_bench: %d rounds, handshake %.0f ms, reset p50 %.0f ms (max %.0f), bye %.0f ms (exit %d), wall %.0f ms\n",
              rounds, handshake, resets[resets.size() / 2], resets.back(), bye, rc, msSince(start));
  std::printf("%-20s %6s %9s %9s %9s %14s %13s\n", "command", "n", "mean ms", "p50 ms", "max ms", "round-trip p50",
              "round-trip max");
  for (auto& [kind, v] : samples) {
    std::sort(v.begin(), v.end());
    auto& rt = roundTrips[kind];
    std::sort(rt.begin(), rt.end());
    double sum = 0;
    for (double x : v) sum += x;
    std::printf("%-20s %6zu %9.1f %9.1f %9.1f %14.1f %13.1f\n", kind.c_str(), v.size(), sum / v.size(), v[v.size() / 2],
                v.back(), rt[rt.size() / 2], rt.back());
  }
  std::printf("(a step = its round trip + the settle: once the predicted callbacks came, a grace of 10 ms after an API\n"
              " call, 250 ms after an environment command; the round trip is what BITS and the adapter cost)\n");
  return 0;
}
