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

#include "sut/protocol/adapter_server.h"
#include "vocab/command_text.h"
#include "vocab/observation_text.h"

extern char** environ;

namespace bc {

namespace {

constexpr size_t kMaxLine = 1 << 20;
constexpr size_t kStderrLines = 20;
using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

int msLeft(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

std::string clip(const std::string& s, size_t n = 200) { return s.size() <= n ? s : s.substr(0, n) + "..."; }

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

  int pin[2], pout[2], perr[2];
  if (pipe2(pin, O_CLOEXEC) || pipe2(pout, O_CLOEXEC) || pipe2(perr, O_CLOEXEC))
    throw SutFailure(SutFailure::Kind::Internal, std::string("pipe: ") + std::strerror(errno));
  pid_ = fork();
  if (pid_ < 0) throw SutFailure(SutFailure::Kind::Internal, std::string("fork: ") + std::strerror(errno));
  if (pid_ == 0) {
    setpgid(0, 0);  // its own group: the adapter's children are killed with it
    dup2(pin[0], 0);
    dup2(pout[1], 1);
    dup2(perr[1], 2);
    if (!options_.workDir.empty() && chdir(options_.workDir.c_str()) != 0) _exit(126);
    execvpe(argv[0], argv.data(), envp.data());
    const char msg[] = "bitsconform: cannot execute the adapter\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(127);
  }
  setpgid(pid_, pid_);  // also from here, so the group exists before any kill
  ::close(pin[0]);
  ::close(pout[1]);
  ::close(perr[1]);
  in_ = pin[1], out_ = pout[0], err_ = perr[0];
  for (int fd : {in_, out_, err_}) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);

  std::string hello = readLine(options_.handshakeTimeoutMs, "the hello line");
  hello_ = hello;
  Json j = Json::parse(hello, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    fail(SutFailure::Kind::ProtocolError, "hello is not a JSON object: " + clip(hello));
  try {
    if (j.at("type") != "hello") fail(SutFailure::Kind::ProtocolError, "expected a hello line, got: " + clip(hello));
    if (j.at("protocol") != kProtocolVersion)
      fail(SutFailure::Kind::ProtocolError, "unsupported protocol " + j.at("protocol").dump() + " (this runner speaks " +
                                                kProtocolVersion + ")");
    caps_.name = j.at("implementation").get<std::string>();
    caps_.description = j.value("description", "");
    auto version = parseBitsVersion(j.at("bitsVersion").get<std::string>());
    if (!version) fail(SutFailure::Kind::ProtocolError, "unknown bitsVersion " + j.at("bitsVersion").dump());
    caps_.version = *version;
    const Json& c = j.at("capabilities");
    auto flag = [&](const char* name) { return c.contains(name) && c.at(name).get<bool>(); };
    caps_.commandLine = flag("commandLine");
    caps_.notifyClsid = flag("notifyClsid");
    caps_.faults = flag("faults");
    caps_.networkControl = flag("networkControl");
    caps_.virtualTime = flag("virtualTime");
    caps_.serviceRestart = flag("serviceRestart");
    caps_.reboot = flag("reboot");
    caps_.exactModification = flag("exactModification");
    if (j.contains("evidence"))
      for (const auto& [k, v] : j.at("evidence").items()) caps_.evidence[k] = v.get<std::string>();
    if (j.contains("features"))  // optional protocol features (PROTOCOL.md): unknown ones are ignored
      for (const auto& f : j.at("features")) canReset_ |= f.get<std::string>() == "reset";
  } catch (const Json::exception& e) {
    fail(SutFailure::Kind::ProtocolError, std::string("malformed hello (") + e.what() + "): " + clip(hello));
  }
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
    if (waitpid(pid_, &status_, WNOHANG) == pid_) {
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
    while (waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
    }
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
    if (waitpid(pid_, &status_, WNOHANG) == pid_) {
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
  throw SutFailure(kind, msg);
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
  auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
  char buf[8192];
  for (;;) {
    if (size_t nl = outBuf_.find('\n'); nl != std::string::npos) {
      std::string line = outBuf_.substr(0, nl);
      outBuf_.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) continue;
      return line;
    }
    if (outBuf_.size() > kMaxLine)
      fail(SutFailure::Kind::ProtocolError, "a line longer than 1 MiB while waiting for " + std::string(waitingFor));
    int left = msLeft(deadline);
    if (left == 0)
      fail(SutFailure::Kind::TimedOut,
           "no answer within " + std::to_string(timeoutMs) + " ms while waiting for " + waitingFor);
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
  Json j = Json::parse(line, nullptr, false);
  if (j.is_object() && j.value("type", "") == "error")
    fail(SutFailure::Kind::Internal, "the adapter could not reset: " + j.value("message", std::string("(no message)")));
  if (!j.is_object() || j.value("type", "") != "ready")
    fail(SutFailure::Kind::ProtocolError, "expected ready after reset, got: " + clip(line));
  nextId_ = 1;
  sent_.clear();
  expected_.reset();
}

void ProtocolSut::execute(const Command& command, Observations& out) {
  const long id = nextId_++;
  const std::string text = formatCommand(command);
  sent_.push_back(text);
  const std::string idText = std::to_string(id);
  std::string expectField;  // the hint given by expect() is for this step only
  if (expected_) expectField = R"(,"expect":)" + Json(*expected_).dump();
  expected_.reset();

  auto readMessage = [&](int timeoutMs, const char* waitingFor) {
    std::string line = readLine(timeoutMs, waitingFor);
    Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("type") || !j["type"].is_string())
      fail(SutFailure::Kind::ProtocolError, "not a protocol message (waiting for " + std::string(waitingFor) + "): " + clip(line));
    if (j["type"] == "error")
      fail(SutFailure::Kind::Internal, "the adapter reported an error: " + j.value("message", std::string("(no message)")));
    if (j["type"] == "unsupported")  // the adapter is fine; this sequence cannot happen on its implementation
      throw SutFailure(SutFailure::Kind::Unsupported, j.value("message", std::string("(no reason given)")));
    if (!j.contains("id") || !j["id"].is_number_integer() || j["id"].get<long>() != id)
      fail(SutFailure::Kind::ProtocolError, "expected id " + idText + " in: " + clip(line));
    return std::make_pair(j, line);
  };
  auto addObservation = [&](const Json& item, const std::string& line) {
    if (!item.is_string()) fail(SutFailure::Kind::ProtocolError, "an observation is not a string in: " + clip(line));
    auto parsed = parseObservation(item.get<std::string>());
    if (auto* e = std::get_if<ParseError>(&parsed))
      fail(SutFailure::Kind::ProtocolError, "unparseable observation '" + item.get<std::string>() + "': " + e->message);
    out.push_back(std::get<Observation>(parsed));
  };
  auto addList = [&](const Json& j, const std::string& line) {
    if (!j.contains("observations") || !j["observations"].is_array())
      fail(SutFailure::Kind::ProtocolError, "no observations array in: " + clip(line));
    for (const auto& item : j["observations"]) addObservation(item, line);
  };

  size_t first = out.size();
  using Clock = std::chrono::steady_clock;
  auto msSince = [](Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); };
  const auto stepStart = Clock::now();
  sendLine(R"({"type":"step","id":)" + idText + R"(,"command":)" + Json(text).dump() + "}");
  auto [result, resultLine] = readMessage(options_.stepTimeoutMs, "the result of a step");
  if (result["type"] != "result") fail(SutFailure::Kind::ProtocolError, "expected a result, got: " + clip(resultLine));
  addList(result, resultLine);
  if (out.size() == first || out[first].kind != ObsKind::Return)
    fail(SutFailure::Kind::ProtocolError, "the result of '" + text + "' does not start with a '->' observation: " + clip(resultLine));

  timing_.roundTripMs = msSince(stepStart);
  const auto settleStart = Clock::now();
  sendLine(R"({"type":"settle","id":)" + idText + R"(,"deadlineMs":)" + std::to_string(options_.settleDeadlineMs) +
           expectField + "}");
  for (;;) {
    auto [msg, line] = readMessage(options_.settleDeadlineMs + options_.settleMarginMs, "settled");
    if (msg["type"] == "event") {
      if (!msg.contains("observation")) fail(SutFailure::Kind::ProtocolError, "an event without observation: " + clip(line));
      addObservation(msg["observation"], line);
    } else if (msg["type"] == "settled") {
      addList(msg, line);
      timing_.settleMs = msSince(settleStart);
      return;
    } else {
      fail(SutFailure::Kind::ProtocolError, "expected an event or settled, got: " + clip(line));
    }
  }
}

}  // namespace bc
