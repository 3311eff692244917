// machine.h: the simulated computer under the BITS service: virtual clock, network, app
// processes (with incarnations) and their callback objects, the per-user COM class registry
// (LocalServer32: CLSID -> server behaviour) with the server objects it created, and the store.
//
// The Machine outlives every BitsService instance (a service restart rebuilds only the
// service); reboot() ends every process. Its own state (clock, network, incarnations, registry,
// instance counters) is kept in the store too, so a store reopened by a new OS process
// continues the same world as after a reboot. A fast (in-memory) store is taken from the
// per-thread pool (store_pool.h) only when first needed, and goes back to it with the Machine.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "sut/mock/job_store.h"
#include "vocab/bits_types.h"
#include "vocab/hresult.h"
#include "vocab/world.h"

namespace bc::mock {

class Seams;  // seams.h

// The mock's own reading of what the docs answer per method or leave open (docs/semantics.md
// calls these policies; README.md lists them). Each default is the mock author's reading of the
// doc text; the other setting exists so that the mock can be checked against the model's
// alternative too.
struct MockReadings {
  // FileTransferred is called again only "if negative": S_FALSE ends it. false: only S_OK does.
  bool fileSFalseDelivers = true;
  // JobTransferred/JobError "should return S_OK; otherwise, BITS continues to call this method".
  // false: any success code ends them.
  bool jobEventNeedsSOk = true;
  // The command line runs when the method "returns a failure code". false: also when a success
  // code other than S_OK left the event undelivered.
  bool cmdLineOnFailureCodeOnly = true;
  // Setting a notification property (interface, flags, command line, CLSID) modifies the job,
  // and a JobModification follows: BG_JOB_TIMES says "calling any of the set methods" changes the
  // modification time, so a call that writes the same value counts. false: only a new value.
  bool setCallModifies = true;
  // "The notification interface is no longer valid when your application terminates": a dead
  // object is a disconnect before BITS asks which interfaces it has, so a FileTransferred owed to
  // a dead IBackgroundCopyCallback-only object goes to the CLSID's object if a CLSID is set.
  // false: the interfaces are known from the registration, and the FileTransferred is dropped.
  bool deadObjectInvalidFirst = true;
  // "BITS guarantees to call your callback at least once, even if the registration occurs after
  // the event": FILE_TRANSFERRED set after a file arrived owes its FileTransferred. false: only
  // files that arrive while the bit is on.
  bool lateFileFlagDelivers = true;
  // A failed activation is retried after the retry delay; setting a CLSID then does not cut the
  // wait short. false: a non-NULL CLSID ends the wait and is tried at once.
  bool clsidWaitsForActivationRetry = true;
  // The four simultaneous notifications per user are callbacks: a command line that needs no
  // call still runs while four hang. false: it waits too.
  bool cmdLineSparedByHungLimit = true;
  friend bool operator==(const MockReadings&, const MockReadings&) = default;
};

struct MockOptions {
  BitsVersion version = kNewestBits;
  std::string name = "mock";  // Capabilities::name: a variant built on other seams names itself
  // The answers at the rule points (seams.h); empty: BITS as documented. Called once per
  // Machine, so what it returns may keep state across service restarts.
  std::function<std::unique_ptr<Seams>()> seams;
  MockReadings readings;
  std::string storePath;  // "" = fast in-memory store; else a durable SQLite file
  bool reopen = false;    // keep an existing store file (the world continues as after a reboot)
};

class Machine {
 public:
  explicit Machine(const MockOptions& options);
  ~Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  BitsVersion version() const { return options_.version; }
  const MockReadings& readings() const { return options_.readings; }
  Seams& seams() const { return *seams_; }
  bool durable() const { return !options_.storePath.empty(); }
  JobStore& store();                               // opened (fast: from the pool) on first use
  JobStore* openStore() { return store_.get(); }   // null while a fast store was never needed

  uint64_t now() const { return now_; }
  void setNow(uint64_t t);
  bool networkUp() const { return networkUp_; }
  void setNetwork(bool up);

  // App processes. Any command of an app first starts it if it is not running.
  void ensureRunning(AppId app);
  bool running(AppId app) const { return apps_[app - 1].running; }
  uint16_t incarnation(AppId app) const { return apps_[app - 1].incarnation; }
  Receiver appObject(AppId app, uint8_t slot) const;
  void setBehavior(AppId app, uint8_t slot, Behavior b);
  void endApp(AppId app);  // exit or crash: every object of the incarnation dies

  // The COM class registry and the server processes.
  void registerServer(ClassId c, Behavior b);
  void unregisterServer(ClassId c);
  void serverExit(ClassId c);  // every live object of the class dies
  // CoCreateInstance(CLSCTX_LOCAL_SERVER): the new object, or REGDB_E_CLASSNOTREG /
  // CO_E_SERVER_EXEC_FAILURE.
  std::variant<Receiver, Hresult> createInstance(ClassId c);

  // Objects, by identity.
  bool isLive(const Receiver& r) const;
  CallbackLevel levelOf(const Receiver& r) const;
  Behavior behaviorOf(const Receiver& r) const;
  void setObjectBehavior(const Receiver& r, Behavior b);
  void killProcessOf(const Receiver& r);  // a crash during a call
  // COM reference counts held by BITS (the job's slot holds one reference).
  void addRef(const Receiver& r);
  void release(const Receiver& r);
  int refCount(const Receiver& r) const;

  void reboot();  // every app process and every server object ends

  // Persisting the machine's own state, when it changed, inside the current transaction.
  void flush();

 private:
  struct App {
    uint16_t incarnation = 1;
    bool running = true;
    std::array<Behavior, kObjectSlots + 1> behavior{};
  };
  struct ServerClass {
    bool registered = false;
    Behavior behavior = Behavior::Ok;
    uint32_t created = 0;
    std::vector<std::pair<Behavior, bool>> objects;  // per instance-1: behaviour, live
  };
  std::string serialize() const;
  void deserialize(const std::string& blob);

  MockOptions options_;
  std::unique_ptr<Seams> ownSeams_;  // a variant's; BITS's are shared
  Seams* seams_;
  std::unique_ptr<JobStore> store_;
  uint64_t now_ = 0;
  bool networkUp_ = true;
  std::array<App, kMaxApps> apps_{};
  std::array<ServerClass, kClassCount> classes_{};
  // (object identity, references): a handful at most, so a flat vector (no node per addRef).
  std::vector<std::pair<uint64_t, int>> refs_;
  bool dirty_ = true;
};

}  // namespace bc::mock
