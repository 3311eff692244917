// world.h: the actors of a test world (apps, their callback objects, servers, programs).
//
// A world has apps A1..A8 (simulated or real processes of one user), jobs J1..Jn, and the
// notification classes of bits_types.h. Everything is named by small integers so commands stay
// trivially copyable; the text forms ("A1#2.o3", "ClsidA#1") are what people read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vocab/bits_types.h"

namespace bc {

using AppId = uint8_t;   // 1..kMaxApps; printed "A1"
using JobId = uint16_t;  // 1..; printed "J1". A harness handle, not the BITS job GUID.
inline constexpr int kMaxApps = 8;

// Limits of the test world (docs/semantics.md section 11): what one scenario and one step may take.
inline constexpr JobId kMaxJobId = 1000;                     // jobs J1..J1000
inline constexpr uint64_t kMaxTickMs = 365ull * 86'400'000;  // Tick 365d
inline constexpr size_t kMaxStepObservations = 10'000;       // a step's observations, the '->' included

// Each running app process exposes four COM objects, fixed by slot, so that every case the
// rules need exists without a "create object" step:
//   o1 implements IBackgroundCopyCallback          (no FileTransferred: CB-15)
//   o2 implements IBackgroundCopyCallback2
//   o3 implements IBackgroundCopyCallback2         (a second object: last-writer-wins in one app)
//   o4 implements only IUnknown                    (SetNotifyInterface gives E_NOINTERFACE: OQ-29)
// Slot 0 means NULL. An object belongs to one process incarnation: when the app exits and is
// started again, "o2" is a new object and the old one stays disconnected (OQ-31).
inline constexpr uint8_t kObjectSlots = 4;
enum class CallbackLevel : uint8_t { None = 0, V1 = 1, V2 = 2, V3 = 3 };
constexpr CallbackLevel levelOfSlot(uint8_t slot) {
  return slot == 1 ? CallbackLevel::V1 : (slot == 2 || slot == 3) ? CallbackLevel::V2 : CallbackLevel::None;
}

// How a callback object (or every object a server class hands out) answers a call.
//   Ok        returns S_OK
//   SFalse    returns S_FALSE (a success code that is not S_OK: OQ-7)
//   Fail      returns E_FAIL on every call
//   FailOnce  returns E_FAIL on its next call, then behaves as Ok
//   Hang      never returns while its process lives (holds one of the user's four slots: CB-12)
//   Crash     its process dies during the call (a disconnect mid-call)
//   ExecFail  servers only: CoCreateInstance fails with CO_E_SERVER_EXEC_FAILURE
enum class Behavior : uint8_t { Ok, SFalse, Fail, FailOnce, Hang, Crash, ExecFail };
std::string_view toString(Behavior b);  // "ok", "sfalse", "fail", "failonce", "hang", "crash", "execfail"
std::optional<Behavior> parseBehavior(std::string_view text);

// Command-line notification programs and parameters come from fixed tables (CMD-*):
//   Program::Ok      C:\bitsconform\notify-ok.exe, exits 0
//   Program::Fail    C:\bitsconform\notify-fail.exe, exits 1
//   Program::TooLong a 261-character path (over MAX_PATH: BG_E_STRING_TOO_LONG)
//   Params::Ok       "\"<program>\" /job"          Params::TooLong  4,001 characters
enum class Program : uint8_t { Null, Ok, Fail, TooLong };
enum class Params : uint8_t { Null, Ok, TooLong };
std::string_view toString(Program p);  // "NULL", "ok", "fail", "long"
std::string_view toString(Params p);   // "NULL", "args", "longargs"
std::optional<Program> parseProgram(std::string_view text);
std::optional<Params> parseParams(std::string_view text);
std::string programPath(Program p);    // the real path the program stands for ("" for Null)
std::string paramsText(Program p, Params a);
constexpr int exitCodeOf(Program p) { return p == Program::Ok ? 0 : 1; }

// Who a callback was delivered to: an app's object, or an object BITS created from a
// notification CLSID (the n-th object ever created from that class in this world).
struct Receiver {
  enum class Kind : uint8_t { None, AppObject, ServerObject };
  Kind kind = Kind::None;
  AppId app = 0;
  uint16_t incarnation = 0;  // process incarnation of the app, from 1
  uint8_t slot = 0;
  ClassId clsid = ClassId::Null;
  uint32_t instance = 0;  // from 1

  static Receiver none() { return {}; }
  static Receiver appObject(AppId app, uint16_t incarnation, uint8_t slot) {
    Receiver r;
    r.kind = Kind::AppObject;
    r.app = app;
    r.incarnation = incarnation;
    r.slot = slot;
    return r;
  }
  static Receiver serverObject(ClassId clsid, uint32_t instance) {
    Receiver r;
    r.kind = Kind::ServerObject;
    r.clsid = clsid;
    r.instance = instance;
    return r;
  }
  bool isNone() const { return kind == Kind::None; }
  friend bool operator==(const Receiver&, const Receiver&) = default;
};
std::string toString(const Receiver& r);  // "NULL", "A1#2.o3", "ClsidA#1"
std::optional<Receiver> parseReceiver(std::string_view text);

}  // namespace bc
