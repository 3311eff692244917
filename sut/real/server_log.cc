#include "sut/real/server_log.h"

#include <algorithm>
#include <sstream>

#include "vocab/hresult.h"

namespace bc::real {

namespace {

std::optional<Method> methodNamed(const std::string& t) {
  for (int m = 0; m <= static_cast<int>(Method::FileTransferred); ++m)
    if (toString(static_cast<Method>(m)) == t) return static_cast<Method>(m);
  return std::nullopt;
}

}  // namespace

uint32_t ServerLog::worldInstance(const Key& k) {
  auto it = instances_.find(k);
  if (it != instances_.end()) return it->second;
  uint32_t n = ++count_[static_cast<int>(std::get<0>(k))];
  instances_[k] = n;
  return n;
}

std::vector<Observation> ServerLog::consume(std::string_view bytes) {
  std::vector<Observation> out;
  partial_.append(bytes);
  size_t nl;
  while ((nl = partial_.find('\n')) != std::string::npos) {
    std::string line = partial_.substr(0, nl);
    partial_.erase(0, nl + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    for (auto& o : feed(line)) out.push_back(std::move(o));
  }
  return out;
}

std::vector<unsigned long> ServerLog::processes(ClassId c) const {
  auto it = pids_.find(c);
  return it == pids_.end() ? std::vector<unsigned long>{} : it->second;
}

std::vector<Observation> ServerLog::feed(std::string_view line) {
  std::istringstream in{std::string(line)};
  std::string tag, cls;
  unsigned long pid = 0;
  in >> tag >> cls >> pid;
  auto c = parseClassId(cls);
  if (in && c && (tag == "S" || tag == "A" || tag == "C")) {
    auto& pids = pids_[*c];
    if (std::find(pids.begin(), pids.end(), pid) == pids.end()) pids.push_back(pid);
  }
  if (tag == "S" && c && in) return {};
  if (!in || !c || *c == ClassId::Null || (tag != "A" && tag != "C")) {
    ++malformed_;
    return {};
  }
  uint32_t instance = 0;
  if (!(in >> instance) || instance == 0) {
    ++malformed_;
    return {};
  }
  Key key{*c, pid, instance};
  if (tag == "A") {
    worldInstance(key);  // numbered in creation order, reported with its first call
    return {};
  }
  std::string method, guid, answer;
  unsigned file = 0;
  in >> method >> guid >> file;
  auto m = methodNamed(method);
  if (!in || !m || file > 255) {
    ++malformed_;
    return {};
  }
  Outcome outcome = Outcome::Returned;
  Hresult hr{0};
  if (in >> answer) {
    auto h = parseHresult(answer);
    if (answer == "hang") outcome = Outcome::Hung;
    else if (answer == "crash") outcome = Outcome::Crashed;
    else if (h) hr = *h;
    else {
      ++malformed_;
      return {};
    }
  }
  JobId job = guid == "-" ? 0 : jobOf_(guid);
  Receiver self = Receiver::serverObject(*c, worldInstance(key));
  std::vector<Observation> out;
  if (!announced_[key]) {
    announced_[key] = true;
    out.push_back(Observation::activation(job, *c, Hresult{0}, self));
  }
  uint8_t f = *m == Method::FileTransferred ? static_cast<uint8_t>(file) : 0;
  out.push_back(Observation::callback(self, *m, job, f, outcome, hr));
  return out;
}

}  // namespace bc::real
