// model_bench.cc: model steps per second on a realistic random command mix.
//
// A seeded xorshift picks commands over a small universe (3 apps, 3 jobs, every command kind);
// a job in a final state is created again. Prints steps/s; the goal is >= 5 million on one core.
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "model/model.h"

namespace {

struct XorShift {
  uint64_t s;
  uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(next() % n); }
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
  c.behavior = static_cast<Behavior>(r.below(6));
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
      c.behavior = static_cast<Behavior>(r.below(7));
      [[fallthrough]];
    case CmdKind::UnregisterServer:
    case CmdKind::ServerExit:
      if (c.clsid == ClassId::Null) c.clsid = ClassId::A;
      break;
    default: break;
  }
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t steps = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20'000'000;
  const uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 0x9E3779B97F4A7C15ull;
  XorShift rng{seed};
  bc::Model model;
  bc::Observations out;
  out.reserve(64);
  uint64_t observations = 0;
  const auto start = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < steps; ++i) {
    out.clear();
    model.step(randomCommand(rng, model), out);
    observations += out.size();
    if (model.maxJobId() == 0 && i > 1000) std::abort();  // keeps the loop honest
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("model_bench: %llu steps in %.3f s = %.2f million steps/s (%.2f observations/step, seed %llu)\n",
              static_cast<unsigned long long>(steps), secs, steps / secs / 1e6,
              static_cast<double>(observations) / steps, static_cast<unsigned long long>(seed));
  return 0;
}
