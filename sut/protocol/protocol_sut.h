// protocol_sut.h: an out-of-process adapter (PROTOCOL.md) behind the SUT interface.
//
// Spawns the adapter with fork/exec in its own process group, with pipes for stdin, stdout and
// stderr, reads the hello line, then turns each execute() into a step + settle exchange, every
// read bounded by poll() timeouts. Crash, hang and garbage become SutFailure (Crashed,
// TimedOut, ProtocolError) naming the steps sent so far and the adapter's last stderr lines; an
// `unsupported` answer is StepResult::unsupported (the adapter is fine and goes on);
// the adapter's process group is always killed and reaped (destructor included). POSIX only.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <deque>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sut/sut.h"

namespace bc {

struct ProtocolOptions {
  std::vector<std::string> argv;  // the adapter and its arguments (argv[0] is looked up in PATH)
  std::vector<std::pair<std::string, std::string>> setEnv;  // added to / overriding the environment
  std::vector<std::string> unsetEnv;
  std::string workDir;            // the adapter's working directory ("" = inherit)
  int handshakeTimeoutMs = 10000;
  int stepTimeoutMs = 10000;
  int settleDeadlineMs = 1000;    // sent to the adapter in every settle request
  int settleMarginMs = 5000;      // how much longer than the deadline the runner waits
  int byeTimeoutMs = 3000;        // after bye, how long the adapter has to clean up and exit
};

// Splits "path --flag 'two words'" like a POSIX shell would (quotes and backslashes, no
// expansion). Throws std::invalid_argument on an unterminated quote or an empty line.
std::vector<std::string> splitCommandLine(const std::string& line);

// The adapter could not be started at all (no such file, not executable, a working folder that
// cannot be entered): nothing ran, so it is a usage error (exit 2), not a verdict on anything.
class AdapterStartError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

class ProtocolSut : public Sut {
 public:
  // Starts the adapter and completes the handshake; throws AdapterStartError if it cannot be
  // executed, SutFailure if it does not complete the handshake.
  explicit ProtocolSut(ProtocolOptions options);
  ~ProtocolSut() override;
  ProtocolSut(const ProtocolSut&) = delete;
  ProtocolSut& operator=(const ProtocolSut&) = delete;

  const Capabilities& capabilities() const override { return caps_; }
  StepResult execute(const Command& command, Observations& out) override;
  // Sent with the next settle as "expect": the predicted callbacks, activations and command
  // lines (no Return; no JobModification unless the adapter claims exactModification).
  void expect(const Observations& predicted) override;

  // The adapter declared the optional `reset` request in its hello ("features":["reset"]).
  bool canReset() const { return canReset_; }
  const std::string& helloText() const { return hello_; }  // the hello line as received
  // Makes the adapter's world fresh again (reset -> ready); step ids start over at 1. Throws
  // SutFailure (the adapter is then killed) when it cannot.
  void reset();
  // False once a failure killed the adapter, or after close(): such a SUT cannot be reused.
  bool usable() const { return !reaped_ && in_ >= 0; }

  // Sends bye, waits for a clean exit (then kills). Returns the adapter's exit status as
  // waitpid reports it, or -1 if it had to be killed. Idempotent.
  int close();
  pid_t pid() const { return pid_; }

  // The last execute()'s two halves, in milliseconds: the step's round trip (request to
  // result: what the implementation costs) and the settle (the adapter's wait for callbacks).
  struct StepTiming {
    double roundTripMs = 0, settleMs = 0;
  };
  StepTiming lastStepTiming() const { return timing_; }

 private:
  [[noreturn]] void fail(SutFailure::Kind kind, const std::string& what);
  void sendLine(const std::string& line);
  std::string readLine(int timeoutMs, const char* waitingFor);
  // The next line, by `deadline` (the wait began `totalMs` before it, for the message).
  std::string readLineBy(std::chrono::steady_clock::time_point deadline, int totalMs, const char* waitingFor);
  void drainStderr(int timeoutMs);
  void consumeStderr(const char* data, size_t n);
  std::string exitText();
  void killAndReap();

  ProtocolOptions options_;
  Capabilities caps_;
  pid_t pid_ = -1;
  int in_ = -1, out_ = -1, err_ = -1;  // our ends: child's stdin, stdout, stderr
  std::string outBuf_, errBuf_;
  std::deque<std::string> errTail_;    // the adapter's last stderr lines
  std::vector<std::string> sent_;      // the commands sent, in scenario syntax
  int status_ = 0;
  bool reaped_ = false;
  StepTiming timing_;
  long nextId_ = 1;
  bool canReset_ = false;
  std::string hello_;
  std::optional<std::vector<std::string>> expected_;  // for the next settle, once
};

}  // namespace bc
