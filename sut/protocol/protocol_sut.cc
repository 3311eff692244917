#include "sut/protocol/protocol_sut.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <thread>

#include "sut/protocol/adapter_processes.h"
#include "sut/protocol/adapter_server.h"
#include "sut/protocol/json_line.h"
#include "sut/protocol/protocol_message.h"
#include "vocab/command_text.h"
#include "vocab/observation_text.h"
#include "vocab/utf8.h"

extern char** environ;

namespace bc {

namespace {

constexpr size_t kStderrLines = 20;
using Clock = std::chrono::steady_clock;

int msLeft(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

// The adapter's text in a message: valid UTF-8, never cut inside a character.
std::string clip(const std::string& s, size_t n = 200) { return clipUtf8(s, n); }

}  // namespace

std::vector<std::string> splitCommandLine(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool inWord = false;
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else if (c == '\\' && quote == '"' && i + 1 < line.size()) {
        word += line[++i];
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c, inWord = true;
    } else if (c == '\\' && i + 1 < line.size()) {
      word += line[++i], inWord = true;
    } else if (c == ' ' || c == '\t') {
      if (inWord) words.push_back(word), word.clear(), inWord = false;
    } else {
      word += c, inWord = true;
    }
  }
  if (quote) throw std::invalid_argument("unterminated quote in adapter command line: " + line);
  if (inWord) words.push_back(word);
  if (words.empty()) throw std::invalid_argument("empty adapter command line");
  return words;
}

ProtocolSut::ProtocolSut(ProtocolOptions options) : options_(std::move(options)) {
  if (options_.argv.empty()) throw std::invalid_argument("ProtocolSut: no adapter command");
  // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    std::string key = kv.substr(0, kv.find('='));
    bool drop = false;
    for (const auto& u : options_.unsetEnv) drop |= key == u;
    for (const auto& [k, v] : options_.setEnv) drop |= key == k;
    if (!drop) env.push_back(kv);
  }
  for (const auto& [k, v] : options_.setEnv) env.push_back(k + "=" + v);
  std::vector<char*> envp, argv;
  for (auto& s : env) envp.push_back(s.data());
  envp.push_back(nullptr);
  for (auto& s : options_.argv) argv.push_back(s.data());
  argv.push_back(nullptr);

  // pexec is closed by a successful exec; a child that cannot exec writes {stage, errno} to it.
  int pin[2], pout[2], perr[2], pexec[2];
  if (pipe2(pin, O_CLOEXEC) || pipe2(pout, O_CLOEXEC) || pipe2(perr, O_CLOEXEC) || pipe2(pexec, O_CLOEXEC))
    throw SutFailure(SutFailure::Kind::Internal, std::string("pipe: ") + std::strerror(errno));
  pid_ = AdapterProcesses::fork();
  if (pid_ < 0) {
    const int e = errno;
    for (int fd : {pin[0], pin[1], pout[0], pout[1], perr[0], perr[1], pexec[0], pexec[1]}) ::close(fd);
    throw SutFailure(SutFailure::Kind::Internal, std::string("fork: ") + std::strerror(e));
  }
  if (pid_ == 0) {
    setpgid(0, 0);  // its own group: the adapter's children are killed with it
    sigset_t none;  // the runner blocks signals for its signal thread; the adapter starts clean
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    dup2(pin[0], 0);
    dup2(pout[1], 1);
    dup2(perr[1], 2);
    int report[2] = {1, 0};
    if (!options_.workDir.empty() && chdir(options_.workDir.c_str()) != 0) {
      report[1] = errno;
      (void)!write(pexec[1], report, sizeof report);
      _exit(126);
    }
    execvpe(argv[0], argv.data(), envp.data());
    report[0] = 2, report[1] = errno;
    (void)!write(pexec[1], report, sizeof report);
    _exit(127);
  }
  setpgid(pid_, pid_);  // also from here, so the group exists before any kill
  ::close(pin[0]);
  ::close(pout[1]);
  ::close(perr[1]);
  ::close(pexec[1]);
  int report[2] = {0, 0};
  ssize_t got;
  while ((got = read(pexec[0], report, sizeof report)) < 0 && errno == EINTR) {
  }
  ::close(pexec[0]);
  if (got == static_cast<ssize_t>(sizeof report)) {
    // Nothing ran: a usage error of whoever named the adapter, not a verdict on it.
    killAndReap();
    ::close(pin[1]), ::close(pout[0]), ::close(perr[0]);
    throw AdapterStartError(report[0] == 1 ? "cannot enter the adapter's working folder '" + options_.workDir +
                                                 "': " + std::strerror(report[1])
                                           : "cannot execute the adapter '" + options_.argv[0] +
                                                 "': " + std::strerror(report[1]));
  }
  in_ = pin[1], out_ = pout[0], err_ = perr[0];
  for (int fd : {in_, out_, err_}) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);

  std::string hello = readLine(options_.handshakeTimeoutMs, "the hello line");
  hello_ = hello;
  auto decoded = protocol::decodeHello(hello);
  if (auto* e = std::get_if<std::string>(&decoded)) fail(SutFailure::Kind::ProtocolError, *e);
  caps_ = std::get<protocol::Hello>(decoded).capabilities;
  canReset_ = std::get<protocol::Hello>(decoded).canReset;
}

ProtocolSut::~ProtocolSut() { close(); }

int ProtocolSut::close() {
  if (reaped_) return WIFEXITED(status_) || WIFSIGNALED(status_) ? status_ : -1;
  try {
    sendLine(R"({"type":"bye"})");
  } catch (const SutFailure&) {
    // already gone: reaped below
  }
  if (in_ >= 0) ::close(in_), in_ = -1;
  auto deadline = Clock::now() + std::chrono::milliseconds(options_.byeTimeoutMs);
  char buf[4096];
  while (Clock::now() < deadline) {
    if (AdapterProcesses::reap(pid_, &status_, WNOHANG) == pid_) {
      reaped_ = true;
      kill(-pid_, SIGKILL);  // leftovers of its group, if any (the group id is not reused while they live)
      break;
    }
    // Keep its pipes empty so it cannot block writing while it cleans up.
    if (out_ >= 0) (void)!read(out_, buf, sizeof buf);
    if (err_ >= 0) {
      ssize_t n = read(err_, buf, sizeof buf);
      if (n > 0) consumeStderr(buf, static_cast<size_t>(n));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  bool clean = reaped_;
  killAndReap();
  return clean ? status_ : -1;
}

void ProtocolSut::killAndReap() {
  if (!reaped_ && pid_ > 0) {
    kill(-pid_, SIGKILL);
    kill(pid_, SIGKILL);
    AdapterProcesses::reap(pid_, &status_, 0);
    reaped_ = true;
  }
  for (int* fd : {&in_, &out_, &err_})
    if (*fd >= 0) ::close(*fd), *fd = -1;
}

void ProtocolSut::consumeStderr(const char* data, size_t n) {
  errBuf_.append(data, n);
  size_t nl;
  while ((nl = errBuf_.find('\n')) != std::string::npos) {
    errTail_.push_back(clip(errBuf_.substr(0, nl), 500));
    errBuf_.erase(0, nl + 1);
    if (errTail_.size() > kStderrLines) errTail_.pop_front();
  }
  if (errBuf_.size() > 4096) errBuf_.erase(0, errBuf_.size() - 4096);
}

void ProtocolSut::drainStderr(int timeoutMs) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
  char buf[4096];
  while (err_ >= 0) {
    pollfd p{err_, POLLIN, 0};
    if (poll(&p, 1, msLeft(deadline)) <= 0) break;
    ssize_t n = read(err_, buf, sizeof buf);
    if (n > 0) {
      consumeStderr(buf, static_cast<size_t>(n));
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
      ::close(err_), err_ = -1;
    }
  }
}

std::string ProtocolSut::exitText() {
  auto deadline = Clock::now() + std::chrono::milliseconds(1000);
  while (!reaped_ && Clock::now() < deadline) {
    if (AdapterProcesses::reap(pid_, &status_, WNOHANG) == pid_) {
      reaped_ = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!reaped_) return "the adapter was still running (killed)";
  if (WIFEXITED(status_)) return "the adapter exited with status " + std::to_string(WEXITSTATUS(status_));
  if (WIFSIGNALED(status_))
    return "the adapter was killed by signal " + std::to_string(WTERMSIG(status_)) + " (" + strsignal(WTERMSIG(status_)) + ")";
  return "the adapter ended";
}

void ProtocolSut::fail(SutFailure::Kind kind, const std::string& what) {
  std::string msg = what;
  if (kind != SutFailure::Kind::Crashed && !reaped_) {
    kill(-pid_, SIGKILL);  // first, so a hung adapter's stderr reaches its end
    kill(pid_, SIGKILL);
  }
  drainStderr(500);
  if (kind == SutFailure::Kind::Crashed) msg += "; " + exitText();
  killAndReap();
  if (!errBuf_.empty()) errTail_.push_back(clip(errBuf_, 500)), errBuf_.clear();
  msg += "\nsteps sent (" + std::to_string(sent_.size()) + "):";
  for (const auto& s : sent_) msg += "\n  " + s;
  msg += "\nadapter stderr (last " + std::to_string(errTail_.size()) + " lines):";
  for (const auto& l : errTail_) msg += "\n  | " + l;
  throw SutFailure(kind, sanitizeUtf8(msg));
}

void ProtocolSut::sendLine(const std::string& text) {
  if (in_ < 0) fail(SutFailure::Kind::Crashed, "the adapter's stdin is closed");
  std::string line = text + "\n";
  // A dead reader must give EPIPE here, not kill the runner with SIGPIPE.
  sigset_t pipeSet, old;
  sigemptyset(&pipeSet);
  sigaddset(&pipeSet, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipeSet, &old);
  size_t done = 0;
  int err = 0;
  auto deadline = Clock::now() + std::chrono::milliseconds(options_.stepTimeoutMs);
  while (done < line.size()) {
    ssize_t n = write(in_, line.data() + done, line.size() - done);
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      pollfd p{in_, POLLOUT, 0};
      if (poll(&p, 1, msLeft(deadline)) > 0) continue;
      err = ETIMEDOUT;
      break;
    }
    err = errno;
    break;
  }
  if (err == EPIPE) {
    timespec zero{0, 0};
    sigtimedwait(&pipeSet, nullptr, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (err == ETIMEDOUT) fail(SutFailure::Kind::TimedOut, "the adapter does not read its stdin");
  if (err) fail(SutFailure::Kind::Crashed, std::string("cannot write to the adapter: ") + std::strerror(err));
}

std::string ProtocolSut::readLine(int timeoutMs, const char* waitingFor) {
  return readLineBy(Clock::now() + std::chrono::milliseconds(timeoutMs), timeoutMs, waitingFor);
}

std::string ProtocolSut::readLineBy(Clock::time_point deadline, int totalMs, const char* waitingFor) {
  char buf[8192];
  for (;;) {
    if (size_t nl = outBuf_.find('\n'); nl != std::string::npos) {
      std::string line = outBuf_.substr(0, nl);
      outBuf_.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) continue;
      return line;
    }
    if (outBuf_.size() > protocol::kMaxLineBytes)
      fail(SutFailure::Kind::ProtocolError, "a line longer than 1 MiB while waiting for " + std::string(waitingFor));
    int left = msLeft(deadline);
    if (left == 0)
      fail(SutFailure::Kind::TimedOut,
           "no answer within " + std::to_string(totalMs) + " ms while waiting for " + waitingFor);
    pollfd fds[2] = {{out_, POLLIN, 0}, {err_, POLLIN, 0}};
    int r = poll(fds, err_ >= 0 ? 2 : 1, left);
    if (r < 0 && errno != EINTR)
      fail(SutFailure::Kind::Internal, std::string("poll: ") + std::strerror(errno));
    if (r <= 0) continue;
    if (err_ >= 0 && fds[1].revents) {
      ssize_t n = read(err_, buf, sizeof buf);
      if (n > 0) consumeStderr(buf, static_cast<size_t>(n));
      else if (n == 0 || (errno != EAGAIN && errno != EINTR)) ::close(err_), err_ = -1;
    }
    if (fds[0].revents) {
      ssize_t n = read(out_, buf, sizeof buf);
      if (n > 0) {
        outBuf_.append(buf, static_cast<size_t>(n));
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        if (!outBuf_.empty())
          fail(SutFailure::Kind::Crashed, "the adapter ended in the middle of a line (" + clip(outBuf_) +
                                              ") while waiting for " + waitingFor);
        fail(SutFailure::Kind::Crashed, "the adapter closed its stdout while waiting for " + std::string(waitingFor));
      }
    }
  }
}

void ProtocolSut::expect(const Observations& predicted) {
  expected_.emplace();
  for (const Observation& o : predicted) {
    if (o.kind == ObsKind::Return) continue;
    // A real BITS paces JobModification as it likes (EVT-8, OQ-6): no adapter should wait for one.
    if (!caps_.exactModification && o.kind == ObsKind::Callback && o.method == Method::JobModification) continue;
    expected_->push_back(formatObservation(o));
  }
}

void ProtocolSut::reset() {
  if (!canReset_) throw SutFailure(SutFailure::Kind::ProtocolError, "the adapter did not declare the reset feature");
  sendLine(R"({"type":"reset"})");
  std::string line = readLine(options_.handshakeTimeoutMs, "ready (the answer to reset)");
  auto decoded = protocol::decodeMessage(line);
  if (auto* e = std::get_if<std::string>(&decoded))
    fail(SutFailure::Kind::ProtocolError, *e + " (waiting for ready, the answer to reset)");
  const auto& m = std::get<protocol::AdapterMessage>(decoded);
  if (m.type == "error")
    fail(SutFailure::Kind::Internal, "the adapter could not reset: " + (m.message.empty() ? "(no message)" : m.message));
  if (m.type != "ready") fail(SutFailure::Kind::ProtocolError, "expected ready after reset, got: " + clip(line));
  nextId_ = 1;
  sent_.clear();
  expected_.reset();
}

StepResult ProtocolSut::execute(const Command& command, Observations& out) {
  const long id = nextId_++;
  const std::string text = formatCommand(command);
  sent_.push_back(text);
  const std::string idText = std::to_string(id);
  nlohmann::ordered_json settle = {{"type", "settle"}, {"id", id}, {"deadlineMs", options_.settleDeadlineMs}};
  if (expected_) settle["expect"] = *expected_;  // the hint given by expect() is for this step only
  expected_.reset();

  // One deadline for a whole wait: an adapter that keeps talking cannot keep the runner waiting.
  auto readMessage = [&](Clock::time_point deadline, int totalMs, const char* waitingFor) {
    std::string line = readLineBy(deadline, totalMs, waitingFor);
    auto decoded = protocol::decodeMessage(line);
    if (auto* e = std::get_if<std::string>(&decoded))
      fail(SutFailure::Kind::ProtocolError, *e + " (waiting for " + waitingFor + ")");
    protocol::AdapterMessage m = std::move(std::get<protocol::AdapterMessage>(decoded));
    if (m.type == "error")
      fail(SutFailure::Kind::Internal, "the adapter reported an error: " + (m.message.empty() ? "(no message)" : m.message));
    // "unsupported" (the adapter is fine; this step cannot happen on its implementation) is
    // returned to the caller, whatever its id.
    if (m.id != id && m.type != "unsupported")
      fail(SutFailure::Kind::ProtocolError, "expected id " + idText + " in: " + clip(line));
    return std::make_pair(std::move(m), line);
  };
  size_t first = out.size();
  auto addObservation = [&](const std::string& item) {
    if (out.size() - first >= kMaxStepObservations)
      fail(SutFailure::Kind::ProtocolError, "more than " + std::to_string(kMaxStepObservations) +
                                                " observations in one step (the limit of the test world)");
    auto parsed = parseObservation(item);
    if (!parsed.ok())
      fail(SutFailure::Kind::ProtocolError, "unparseable observation '" + clip(item) + "': " + parsed.message());
    out.push_back(*parsed);
  };
  auto addList = [&](const protocol::AdapterMessage& m, const std::string& line) {
    if (!m.observations) fail(SutFailure::Kind::ProtocolError, "no observations array in: " + clip(line));
    for (const auto& item : *m.observations) addObservation(item);
  };

  using Clock = std::chrono::steady_clock;
  auto msSince = [](Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); };
  const auto stepStart = Clock::now();
  sendLine(protocol::writeJsonLine({{"type", "step"}, {"id", id}, {"command", text}}));
  auto [result, resultLine] = readMessage(stepStart + std::chrono::milliseconds(options_.stepTimeoutMs),
                                          options_.stepTimeoutMs, "the result of a step");
  if (result.type == "unsupported") return StepResult::unsupported(result.message);
  if (result.type != "result") fail(SutFailure::Kind::ProtocolError, "expected a result, got: " + clip(resultLine));
  addList(result, resultLine);
  if (out.size() == first || out[first].kind != ObsKind::Return)
    fail(SutFailure::Kind::ProtocolError, "the result of '" + text + "' does not start with a '->' observation: " + clip(resultLine));

  timing_.roundTripMs = msSince(stepStart);
  const auto settleStart = Clock::now();
  sendLine(protocol::writeJsonLine(settle));
  const int settleMs = options_.settleDeadlineMs + options_.settleMarginMs;
  const auto settleEnd = settleStart + std::chrono::milliseconds(settleMs);
  for (;;) {
    auto [msg, line] = readMessage(settleEnd, settleMs, "settled");
    if (msg.type == "event") {
      if (!msg.observation) fail(SutFailure::Kind::ProtocolError, "an event without observation: " + clip(line));
      addObservation(*msg.observation);
    } else if (msg.type == "settled") {
      addList(msg, line);
      timing_.settleMs = msSince(settleStart);
      return StepResult::done();
    } else if (msg.type == "unsupported") {  // PROTOCOL.md wants it for the step; a late one is taken as one
      return StepResult::unsupported(msg.message);
    } else {
      fail(SutFailure::Kind::ProtocolError, "expected an event or settled, got: " + clip(line));
    }
  }
}

}  // namespace bc
