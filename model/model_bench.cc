// model_bench.cc: model steps per second on a realistic random command mix.
//
// A seeded xorshift picks commands over a small universe (3 apps, 3 jobs, every command kind);
// a job in a final state is created again. Prints steps/s; the goal is >= 5 million on one core.
// Then the worst Tick the world's limits allow (docs/semantics.md section 11): 1,000 jobs in
// transient error with the network down, `Tick 14d`, stopped by the timer-work limit; the goal
// is well under a second, so a hostile scenario cannot stall a run.
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <variant>

#include "model/model.h"
#include "vocab/command_text.h"

namespace {

// xorshift64; each draw of a small number uses 8 bits of the current word (multiply-shift, no
// division), so that generating a command costs little next to the step being measured.
struct XorShift {
  uint64_t s;
  uint64_t pool = 0;
  int left = 0;
  uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  uint32_t below(uint32_t n) {
    if (left == 0) {
      pool = next();
      left = 8;
    }
    const uint32_t byte = static_cast<uint32_t>(pool & 0xFF);
    pool >>= 8;
    --left;
    return (byte * n) >> 8;
  }
};

bc::Command randomCommand(XorShift& r, const bc::Model& m) {
  using namespace bc;
  Command c;
  c.app = static_cast<AppId>(1 + r.below(3));
  c.job = static_cast<JobId>(1 + r.below(3));
  // A job that does not exist or is final is (re)created most of the time.
  if ((!m.jobExists(c.job) || isFinal(m.jobState(c.job))) && r.below(4) != 0) {
    c.kind = CmdKind::CreateJob;
    return c;
  }
  c.kind = static_cast<CmdKind>(r.below(kCmdKindCount));
  // Keep the destructive kinds rarer, as a test generator would.
  if ((c.kind == CmdKind::Complete || c.kind == CmdKind::Cancel || c.kind == CmdKind::Reboot ||
       c.kind == CmdKind::ServiceRestart) && r.below(4) != 0)
    c.kind = CmdKind::Progress;
  c.slot = static_cast<uint8_t>(r.below(5));
  // Mostly well-behaved objects, so that hung calls do not freeze the world after a while.
  c.behavior = r.below(3) == 0 ? static_cast<Behavior>(r.below(6)) : Behavior::Ok;
  c.clsid = static_cast<ClassId>(r.below(kClassCount));
  static constexpr uint32_t kFlags[] = {0x03, 0x0B, 0x1B, 0x1F, 0x07, 0x00, 0x3F, 0x19};
  c.flags = kFlags[r.below(8)];
  c.program = static_cast<Program>(r.below(3));
  c.params = r.below(2) ? Params::Ok : Params::Null;
  c.nullOut = r.below(8) == 0;
  static constexpr uint64_t kTicks[] = {100, 500, 1000, 600000, 3600000};
  c.ms = kTicks[r.below(5)];
  switch (c.kind) {
    case CmdKind::Behave: c.slot = static_cast<uint8_t>(1 + r.below(4)); break;
    case CmdKind::RegisterServer:
      c.behavior = r.below(3) == 0 ? static_cast<Behavior>(r.below(7)) : Behavior::Ok;
      [[fallthrough]];
    case CmdKind::UnregisterServer:
    case CmdKind::ServerExit:
      if (c.clsid == ClassId::Null) c.clsid = ClassId::A;
      break;
    default: break;
  }
  return c;
}

// Seconds the model takes for the Tick that hits the world's timer-work limit.
double worstTickSeconds(std::string& limit) {
  bc::Model m;
  bc::Observations out;
  auto step = [&](const std::string& text) {
    out.clear();
    auto c = bc::parseCommand(text);
    if (!c.ok()) std::abort();
    m.step(*c, out);
  };
  for (int j = 1; j <= 1000; ++j) {
    const std::string job = " J" + std::to_string(j);
    for (const char* what : {"A1 CreateJob", "A1 AddFile", "A1 Resume", "TransientError"}) step(what + job);
    step("Tick 1ms");
  }
  step("NetDown");
  const auto start = std::chrono::steady_clock::now();
  step("Tick 14d");
  limit = m.stepLimit();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t steps = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20'000'000;
  const uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 0x9E3779B97F4A7C15ull;
  XorShift rng{seed};
  bc::Model model;
  bc::Observations out;
  out.reserve(64);
  uint64_t observations = 0, hung = 0;
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpuStart = std::clock();  // CPU time too: the build machine is shared
  for (uint64_t i = 0; i < steps; ++i) {
    out.clear();
    model.step(randomCommand(rng, model), out);
    observations += out.size();
    if (model.maxJobId() == 0 && i > 1000) std::abort();  // keeps the loop honest
    hung += model.hungCallCount();
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC;
  std::printf("model_bench: %llu steps in %.3f s = %.2f million steps/s wall, %.2f million per CPU-second "
              "(%.2f observations/step, %.2f hung calls on average, seed %llu)\n",
              static_cast<unsigned long long>(steps), secs, steps / secs / 1e6, steps / cpu / 1e6,
              static_cast<double>(observations) / steps, static_cast<double>(hung) / steps,
              static_cast<unsigned long long>(seed));
  std::string limit;
  const double worst = worstTickSeconds(limit);
  std::printf("model_bench: the worst Tick (1000 jobs retrying, Tick 14d) stops at the work limit in %.3f s (%s)\n",
              worst, limit.empty() ? "NO LIMIT HIT" : "limit hit");
  return 0;
}
