// real_common.h: what the adapter's two process kinds (coordinator, app) share.
//
// The coordinator (the protocol side) starts one app process per world app; they talk over
// the app's stdin/stdout in lines: coordinator -> app "<job GUID or -> <command text>", app ->
// coordinator "G <GUID>" (a created job), "R <observation>" (the step's result) and
// "E <observation>" (a callback, asynchronously). Callback objects carry their world identity
// (app, incarnation, slot) in IPersist::GetClassID so any process can tell whose object BITS holds.
#pragma once

// vocab before windows.h: its HRESULT names (S_OK, ...) are macros there.
#include "vocab/observation_text.h"
#include "vocab/command_text.h"
#include "vocab/world.h"

#include <windows.h>
#include <objbase.h>

#include <string>

namespace bc::real {

inline constexpr const wchar_t* kJobPrefix = L"bitsconform-";  // every job the adapter makes

// The identity GUID of app object A<app>#<incarnation>.o<slot>.
inline GUID identityOf(AppId app, uint16_t incarnation, uint8_t slot) {
  GUID g{0xB17C0A00u, app, incarnation, {0x80, 0, 0, 0, 0, 0, 0, slot}};
  return g;
}
inline bool receiverOf(const GUID& g, Receiver& out) {
  if (g.Data1 != 0xB17C0A00u || g.Data4[0] != 0x80) return false;
  out = Receiver::appObject(static_cast<AppId>(g.Data2), g.Data3, g.Data4[7]);
  return true;
}

// The identity GUID of a notification-class object: class, server pid and that server's own
// instance number (the world's ClsidX#k is the coordinator's numbering: server_log.h).
inline GUID serverIdentityOf(ClassId c, unsigned long pid, uint32_t instance) {
  GUID g{0xB17C0B00u, static_cast<uint16_t>(c), static_cast<uint16_t>(instance), {0x81, 0, 0, 0, 0, 0, 0, 0}};
  for (int i = 0; i < 4; ++i) g.Data4[4 + i] = static_cast<uint8_t>(pid >> (8 * i));
  g.Data4[1] = static_cast<uint8_t>(instance >> 16);
  g.Data4[2] = static_cast<uint8_t>(instance >> 24);
  return g;
}
inline bool serverOf(const GUID& g, ClassId& c, unsigned long& pid, uint32_t& instance) {
  if (g.Data1 != 0xB17C0B00u || g.Data4[0] != 0x81 || g.Data2 == 0 || g.Data2 > 3) return false;
  c = static_cast<ClassId>(g.Data2);
  instance = g.Data3 | (uint32_t{g.Data4[1]} << 16) | (uint32_t{g.Data4[2]} << 24);
  pid = 0;
  for (int i = 0; i < 4; ++i) pid |= static_cast<unsigned long>(g.Data4[4 + i]) << (8 * i);
  return true;
}

// Whether process `pid` still runs: the owner marker of a job or class key names a live run.
inline bool processRuns(unsigned long pid) {
  HANDLE h = OpenProcess(SYNCHRONIZE, FALSE, pid);
  if (!h) return false;
  bool running = WaitForSingleObject(h, 0) == WAIT_TIMEOUT;
  CloseHandle(h);
  return running;
}

inline std::string narrow(const std::wstring& w) {
  std::string s;
  for (wchar_t c : w) s += c < 128 ? static_cast<char>(c) : '?';
  return s;
}
inline std::wstring widen(const std::string& s) { return std::wstring(s.begin(), s.end()); }

inline std::string guidText(const GUID& g) {
  wchar_t buf[64];
  StringFromGUID2(g, buf, 64);
  return narrow(buf);
}
inline GUID toGuid(const Guid& g) {
  GUID out{g.data1, g.data2, g.data3, {}};
  for (int i = 0; i < 8; ++i) out.Data4[i] = g.data4[i];
  return out;
}
// The world's class whose GUID is `g` (GUID_NULL: ClassId::Null); false if none is.
inline bool classOfGuid(const GUID& g, ClassId& out) {
  for (int i = 0; i < kClassCount; ++i)
    if (IsEqualGUID(g, toGuid(guidOf(static_cast<ClassId>(i))))) {
      out = static_cast<ClassId>(i);
      return true;
    }
  return false;
}
inline bool parseGuidText(const std::string& s, GUID& g) {
  return SUCCEEDED(CLSIDFromString(widen(s).c_str(), &g));
}

// App mode: serve the coordinator on stdin/stdout; files come from
// http://127.0.0.1:<sourcePort>/bitsconform/g<generation>/ (the coordinator's "RESET <generation>"
// line starts the next). Jobs are named bitsconform-<coordinatorPid>-J<n>, so a cleanup can tell
// a live run's jobs from a crashed run's.
int runApp(int app, int incarnation, unsigned long coordinatorPid, int sourcePort, int generation);

}  // namespace bc::real
