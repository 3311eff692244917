#include "sut/real/hold_server.h"

// winsock2 before windows.h (which real_common.h pulls in elsewhere): nothing of vocab here.
#include <winsock2.h>
#include <ws2tcpip.h>

#include <chrono>
#include <cstdio>
#include <cstring>

namespace bc::real {

namespace {

SOCKET sock(uintptr_t s) { return static_cast<SOCKET>(s); }

// "GET /bitsconform/g1/J3-f2 HTTP/1.1" -> generation 1, job 3, file 2.
bool parseRequest(const std::string& head, int& generation, int& job, int& file, bool& isHead) {
  isHead = head.rfind("HEAD ", 0) == 0;
  if (!isHead && head.rfind("GET ", 0) != 0) return false;
  auto at = head.find("/bitsconform/g");
  if (at == std::string::npos) return false;
  return std::sscanf(head.c_str() + at, "/bitsconform/g%d/J%d-f%d", &generation, &job, &file) == 3;
}

}  // namespace

int HoldServer::start() {
  WSADATA data;
  if (WSAStartup(MAKEWORD(2, 2), &data) != 0) return 0;
  SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (s == INVALID_SOCKET) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // never reachable from outside the machine
  addr.sin_port = 0;
  int len = sizeof addr;
  if (bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(s, 16) != 0 ||
      getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    closesocket(s);
    return 0;
  }
  listener_ = static_cast<uintptr_t>(s);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { acceptLoop(); });
  return port_;
}

void HoldServer::stop() {
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || listener_ == ~uintptr_t(0)) return;
    stopping_ = true;
    for (auto& p : held_) closesocket(sock(p.socket));  // BITS sees a dropped connection
    held_.clear();
  }
  // Wake accept() with a connection of our own: closing a listener does not wake it under Wine.
  SOCKET wake = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<u_short>(port_));
  connect(wake, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  closesocket(wake);
  if (acceptor_.joinable()) acceptor_.join();
  closesocket(sock(listener_));
  {
    std::lock_guard<std::mutex> lock(mutex_);
    workers.swap(workers_);
  }
  for (auto& t : workers) t.join();
  WSACleanup();
}

void HoldServer::acceptLoop() {
  for (;;) {
    SOCKET c = accept(sock(listener_), nullptr, nullptr);
    std::lock_guard<std::mutex> lock(mutex_);
    if (c == INVALID_SOCKET || stopping_) {
      if (c != INVALID_SOCKET) closesocket(c);
      return;
    }
    if (open_ >= kMaxConnections) {  // bounded: a runaway client cannot pile up sockets
      closesocket(c);
      continue;
    }
    ++open_;
    workers_.emplace_back([this, c] { handle(static_cast<uintptr_t>(c)); });
  }
}

void HoldServer::handle(uintptr_t s) {
  DWORD timeout = 5000;  // a client that never finishes its headers is not held
  setsockopt(sock(s), SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<const char*>(&timeout), sizeof timeout);
  std::string head;
  char buf[1024];
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < 8192) {
    int n = recv(sock(s), buf, sizeof buf, 0);
    if (n <= 0) break;
    head.append(buf, n);
  }
  Pending p{s, 0, 0, false};
  int generation = 0;
  if (head.find("\r\n\r\n") == std::string::npos || !parseRequest(head, generation, p.job, p.file, p.head)) {
    answer(p, Fate::NotFound);
    std::lock_guard<std::mutex> lock(mutex_);
    --open_;
    return;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  if (generation != generation_) {  // a former test case's job, requested late: not this world's
    --open_;
    lock.unlock();
    answer(p, Fate::Drop);
    return;
  }
  ++seenCount_[p.job];
  seen_.notify_all();
  Fate fate = Fate::Hold;
  if (stopping_) fate = Fate::Drop;
  if (fate == Fate::Drop || decideLocked(p, fate)) {
    --open_;
    lock.unlock();
    answer(p, fate);
    return;
  }
  held_.push_back(p);  // answered later by grant/failNext/setNetwork/stop
}

bool HoldServer::decideLocked(Pending& p, Fate& fate) {
  if (!networkUp_) return fate = Fate::Drop, true;
  if (served_.count({p.job, p.file})) return fate = Fate::Serve, true;
  if (auto f = failNext_.find(p.job); f != failNext_.end()) {
    fate = f->second;
    failNext_.erase(f);
    return true;
  }
  if (credits_[p.job] > 0) {
    --credits_[p.job];
    served_.insert({p.job, p.file});
    return fate = Fate::Serve, true;
  }
  return false;
}

void HoldServer::answer(const Pending& p, Fate fate) {
  SOCKET s = sock(p.socket);
  std::string body, status;
  switch (fate) {
    case Fate::Serve: {
      status = "200 OK";
      for (int i = 0; i < 16; ++i) body += "bitsconform J" + std::to_string(p.job) + " f" + std::to_string(p.file) + "\n";
      break;
    }
    case Fate::NotFound: status = "404 Not Found"; break;
    case Fate::Unavailable: status = "503 Service Unavailable"; break;
    case Fate::Drop:
    case Fate::Hold: {
      linger hard{1, 0};  // a reset, as a dead network looks to the client
      setsockopt(s, SOL_SOCKET, SO_LINGER, reinterpret_cast<const char*>(&hard), sizeof hard);
      closesocket(s);
      return;
    }
  }
  std::string reply = "HTTP/1.1 " + status + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + (p.head ? "" : body);
  send(s, reply.data(), static_cast<int>(reply.size()), 0);
  shutdown(s, SD_SEND);
  closesocket(s);
}

void HoldServer::grant(int job, int files) {
  std::vector<std::pair<Pending, Fate>> now;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    credits_[job] = files > (1 << 20) - credits_[job] ? (1 << 20) : credits_[job] + files;
    for (auto it = held_.begin(); it != held_.end();) {
      Fate fate;
      if (it->job == job && decideLocked(*it, fate)) {
        now.push_back({*it, fate});
        it = held_.erase(it);
        --open_;
      } else {
        ++it;
      }
    }
  }
  for (auto& [p, fate] : now) answer(p, fate);
}

void HoldServer::failNext(int job, Fate fate) {
  std::vector<std::pair<Pending, Fate>> now;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    failNext_[job] = fate;
    for (auto it = held_.begin(); it != held_.end();) {
      Fate f;
      if (it->job == job && decideLocked(*it, f)) {
        now.push_back({*it, f});
        it = held_.erase(it);
        --open_;
        break;  // one request fails; BITS gives up the job on it
      }
      ++it;
    }
  }
  for (auto& [p, f] : now) answer(p, f);
}

void HoldServer::setNetwork(bool up) {
  std::vector<Pending> drop;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    networkUp_ = up;
    if (!up) {
      drop.swap(held_);
      open_ -= static_cast<int>(drop.size());
    }
  }
  for (auto& p : drop) answer(p, Fate::Drop);
}

void HoldServer::dropHeld() {
  std::vector<Pending> drop;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    drop.swap(held_);
    open_ -= static_cast<int>(drop.size());
  }
  for (auto& p : drop) answer(p, Fate::Drop);
}

void HoldServer::reset() {
  dropHeld();
  std::lock_guard<std::mutex> lock(mutex_);
  networkUp_ = true;
  credits_.clear();
  failNext_.clear();
  served_.clear();
  seenCount_.clear();
  ++generation_;
}

int HoldServer::generation() {
  std::lock_guard<std::mutex> lock(mutex_);
  return generation_;
}

int HoldServer::requestsSeen(int job) {
  std::lock_guard<std::mutex> lock(mutex_);
  return seenCount_[job];
}

std::set<int> HoldServer::jobsHeld() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::set<int> jobs;
  for (const Pending& p : held_) jobs.insert(p.job);
  return jobs;
}

bool HoldServer::awaitRequest(int job, int ms) {
  std::unique_lock<std::mutex> lock(mutex_);
  return seen_.wait_for(lock, std::chrono::milliseconds(ms), [&] { return seenCount_[job] > 0; });
}

}  // namespace bc::real
