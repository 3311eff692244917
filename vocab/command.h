// command.h: one step of a test: an API call by an app, an environment event, or a fault.
//
// Commands are small, trivially copyable values; a sequence of them is a test case. The text
// form (command_text.h) is the scenario-file syntax, e.g. "A1 SetNotifyFlags J1 0x03".
#pragma once

#include <cstdint>
#include <string_view>

#include "vocab/bits_types.h"
#include "vocab/world.h"

namespace bc {

enum class CmdKind : uint8_t {
  // API calls made by app `app` on job `job` (the app holds the job's interface pointer).
  CreateJob,           // a new download job named `job`, owned by `app`; starts SUSPENDED
  AddFile,             // one more file (remote -> local)
  Resume,
  Suspend,
  Complete,
  Cancel,
  GetState,
  SetNotifyInterface,  // `slot` 0 = NULL, else the app's object o<slot>
  GetNotifyInterface,  // `nullOut`: pass a NULL out-pointer
  SetNotifyFlags,      // `flags`
  GetNotifyFlags,      // `nullOut`
  SetNotifyCmdLine,    // `program`, `params` (IBackgroundCopyJob2)
  GetNotifyCmdLine,
  SetNotifyClsid,      // SetProperty(BITS_JOB_PROPERTY_NOTIFICATION_CLSID, `clsid`) (IBackgroundCopyJob5)
  GetNotifyClsid,      // GetProperty(BITS_JOB_PROPERTY_NOTIFICATION_CLSID)
  // The app process itself.
  Behave,              // app `app` sets how its object o<slot> answers calls: `behavior`
  AppExit,             // app `app`'s process ends (exit or crash: COM sees the same)
  // The per-user registry of out-of-process COM servers (LocalServer32).
  RegisterServer,      // `clsid` becomes creatable; its objects behave as `behavior`
  UnregisterServer,    // `clsid` is no longer registered (REGDB_E_CLASSNOTREG)
  ServerExit,          // the server process of `clsid` dies; its objects disconnect
  // The network and the scheduler, driven by the test.
  Connect,             // the scheduler picks `job`: QUEUED -> CONNECTING
  Progress,            // the next unfinished file of `job` arrives (-> TRANSFERRING; last one -> TRANSFERRED)
  Transfer,            // every remaining file of `job` arrives (-> TRANSFERRED)
  TransientError,      // a recoverable error on `job` (-> TRANSIENT_ERROR)
  FatalError,          // a fatal error on `job` (-> ERROR)
  NetDown,             // the network is lost (STATE-9)
  NetUp,               // the network is back (STATE-9)
  Tick,                // the virtual clock advances by `ms`
  // The BITS service and the machine.
  ServiceRestart,      // the service stops and starts; only persisted state survives
  Reboot,              // the machine restarts: a service restart, and every process ends
};
inline constexpr int kCmdKindCount = static_cast<int>(CmdKind::Reboot) + 1;
std::string_view toString(CmdKind k);  // "SetNotifyFlags"
bool isApiCall(CmdKind k);             // made by an app on a job (CreateJob .. GetNotifyClsid)

struct Command {
  CmdKind kind = CmdKind::Tick;
  AppId app = 0;
  JobId job = 0;
  uint8_t slot = 0;
  Behavior behavior = Behavior::Ok;
  ClassId clsid = ClassId::Null;
  uint32_t flags = 0;
  Program program = Program::Null;
  Params params = Params::Null;
  bool nullOut = false;
  uint64_t ms = 0;

  friend bool operator==(const Command&, const Command&) = default;
};

// What a SUT must be able to do for a command to be exercised on it. A command that needs a
// capability the SUT lacks makes the rules that depend on it "not applicable", never "passed".
enum class Capability : uint8_t {
  None,
  CommandLine,     // observe command-line launches
  NotifyClsid,     // register out-of-process servers and observe activations
  Faults,          // object behaviours other than ok (fail, hang, crash), server exits
  NetworkControl,  // Connect / Progress / TransientError / FatalError / NetDown / NetUp
  VirtualTime,     // Tick: time can be advanced without waiting
  ServiceRestart,
  Reboot,
};
std::string_view toString(Capability c);
Capability requiredCapability(const Command& c);

}  // namespace bc
