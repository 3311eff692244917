#include "sut/mock/machine.h"

#include <charconv>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "sut/mock/seams.h"
#include "sut/mock/store_pool.h"

namespace bc::mock {

namespace {
uint64_t refKey(const Receiver& r) {
  // kind, app, incarnation, clsid, instance*8+slot: each field in its own bits.
  return static_cast<uint64_t>(r.kind) << 60 | static_cast<uint64_t>(r.app) << 52 |
         static_cast<uint64_t>(r.incarnation) << 36 | static_cast<uint64_t>(r.clsid) << 32 |
         static_cast<uint64_t>(r.instance * 8u + r.slot);
}
}  // namespace

Machine::Machine(const MockOptions& options)
    : options_(options), ownSeams_(options.seams ? options.seams() : nullptr), seams_(ownSeams_.get()) {
  static Seams bits;  // stateless: one for every Machine
  if (!seams_) seams_ = &bits;
  if (!options.storePath.empty() && !options.reopen) {
    // A fresh world: no leftovers of an earlier run.
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::remove((options.storePath + suffix).c_str());
  }
  if (durable()) store_ = std::make_unique<JobStore>(options.storePath);
  if (options.reopen) {
    if (store_)
      if (auto blob = store_->loadMachine()) deserialize(*blob);
    // A new OS process on an old store: nothing of the old processes runs any more.
    reboot();
  }
}

Machine::~Machine() {
  if (!durable()) releaseMemoryStore(std::move(store_));
}

JobStore& Machine::store() {
  if (!store_) store_ = acquireMemoryStore();
  return *store_;
}

void Machine::setNow(uint64_t t) {
  if (t != now_) dirty_ = true;
  now_ = t;
}

void Machine::setNetwork(bool up) {
  if (up != networkUp_) dirty_ = true;
  networkUp_ = up;
}

void Machine::ensureRunning(AppId app) {
  App& a = apps_.at(app - 1);
  if (a.running) return;
  a.running = true;
  ++a.incarnation;
  a.behavior.fill(Behavior::Ok);
  dirty_ = true;
}

Receiver Machine::appObject(AppId app, uint8_t slot) const {
  return Receiver::appObject(app, apps_.at(app - 1).incarnation, slot);
}

void Machine::setBehavior(AppId app, uint8_t slot, Behavior b) {
  ensureRunning(app);
  apps_.at(app - 1).behavior.at(slot) = b;
}

void Machine::endApp(AppId app) {
  App& a = apps_.at(app - 1);
  if (!a.running) return;
  a.running = false;
  dirty_ = true;
}

void Machine::registerServer(ClassId c, Behavior b) {
  ServerClass& s = classes_.at(static_cast<size_t>(c));
  s.registered = true;
  s.behavior = b;
  dirty_ = true;
}

void Machine::unregisterServer(ClassId c) {
  classes_.at(static_cast<size_t>(c)).registered = false;
  dirty_ = true;
}

void Machine::serverExit(ClassId c) {
  for (auto& o : classes_.at(static_cast<size_t>(c)).objects) o.second = false;
}

std::variant<Receiver, Hresult> Machine::createInstance(ClassId c) {
  ServerClass& s = classes_.at(static_cast<size_t>(c));
  if (c == ClassId::Null || !s.registered) return hr::REGDB_E_CLASSNOTREG;
  if (s.behavior == Behavior::ExecFail) return hr::CO_E_SERVER_EXEC_FAILURE;
  ++s.created;
  dirty_ = true;
  if (s.objects.size() < s.created) s.objects.resize(s.created, {Behavior::Ok, false});
  s.objects[s.created - 1] = {s.behavior, true};
  return Receiver::serverObject(c, s.created);
}

bool Machine::isLive(const Receiver& r) const {
  switch (r.kind) {
    case Receiver::Kind::None: return false;
    case Receiver::Kind::AppObject: {
      const App& a = apps_.at(r.app - 1);
      return a.running && a.incarnation == r.incarnation;
    }
    case Receiver::Kind::ServerObject: {
      const auto& objs = classes_.at(static_cast<size_t>(r.clsid)).objects;
      return r.instance >= 1 && r.instance <= objs.size() && objs[r.instance - 1].second;
    }
  }
  return false;
}

CallbackLevel Machine::levelOf(const Receiver& r) const {
  if (r.kind == Receiver::Kind::ServerObject) return CallbackLevel::V2;
  if (r.kind == Receiver::Kind::AppObject) return levelOfSlot(r.slot);
  return CallbackLevel::None;
}

Behavior Machine::behaviorOf(const Receiver& r) const {
  if (r.kind == Receiver::Kind::AppObject) return apps_.at(r.app - 1).behavior.at(r.slot);
  if (r.kind == Receiver::Kind::ServerObject)
    return classes_.at(static_cast<size_t>(r.clsid)).objects.at(r.instance - 1).first;
  return Behavior::Ok;
}

void Machine::setObjectBehavior(const Receiver& r, Behavior b) {
  if (!isLive(r)) return;
  if (r.kind == Receiver::Kind::AppObject) apps_.at(r.app - 1).behavior.at(r.slot) = b;
  if (r.kind == Receiver::Kind::ServerObject)
    classes_.at(static_cast<size_t>(r.clsid)).objects.at(r.instance - 1).first = b;
}

void Machine::killProcessOf(const Receiver& r) {
  // One process per app incarnation; one server process per class (all its objects die).
  if (r.kind == Receiver::Kind::AppObject && isLive(r)) endApp(r.app);
  if (r.kind == Receiver::Kind::ServerObject) serverExit(r.clsid);
}

void Machine::addRef(const Receiver& r) {
  if (r.isNone()) return;
  const uint64_t k = refKey(r);
  for (auto& [key, n] : refs_)
    if (key == k) {
      ++n;
      return;
    }
  refs_.emplace_back(k, 1);
}

void Machine::release(const Receiver& r) {
  if (r.isNone()) return;
  const uint64_t k = refKey(r);
  for (auto it = refs_.begin(); it != refs_.end(); ++it)
    if (it->first == k) {
      if (--it->second <= 0) refs_.erase(it);
      return;
    }
}

int Machine::refCount(const Receiver& r) const {
  const uint64_t k = refKey(r);
  for (const auto& [key, n] : refs_)
    if (key == k) return n;
  return 0;
}

void Machine::reboot() {
  for (AppId a = 1; a <= kMaxApps; ++a) endApp(a);
  for (int c = 1; c < kClassCount; ++c) serverExit(static_cast<ClassId>(c));
  refs_.clear();  // every process that held a reference is gone
}

std::string Machine::serialize() const {
  // "v1 now net inc*8 (registered behaviour created)*4", as deserialize() reads it back.
  std::string s = "v1";
  s.reserve(128);
  auto put = [&](uint64_t v) {
    char buf[24];
    buf[0] = ' ';
    s.append(buf, std::to_chars(buf + 1, buf + sizeof buf, v).ptr);
  };
  put(now_);
  put(networkUp_);
  for (const App& a : apps_) put(a.incarnation);
  for (const ServerClass& c : classes_) {
    put(c.registered);
    put(static_cast<uint64_t>(c.behavior));
    put(c.created);
  }
  return s;
}

void Machine::deserialize(const std::string& blob) {
  std::istringstream s(blob);
  std::string tag;
  s >> tag >> now_ >> networkUp_;
  if (tag != "v1") throw std::runtime_error("Machine: unknown store format '" + tag + "'");
  for (App& a : apps_) s >> a.incarnation;
  for (ServerClass& c : classes_) {
    int b = 0;
    s >> c.registered >> b >> c.created;
    c.behavior = static_cast<Behavior>(b);
    c.objects.assign(c.created, {Behavior::Ok, false});
  }
  if (!s) throw std::runtime_error("Machine: corrupt machine state '" + blob + "'");
}

void Machine::flush() {
  if (!dirty_) return;
  store_->saveMachine(serialize());
  dirty_ = false;
}

}  // namespace bc::mock
