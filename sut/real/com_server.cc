#include "sut/real/com_server.h"

#include <bits.h>
#include <bits1_5.h>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <sstream>

namespace bc::real {

namespace {

GUID toGuid(const Guid& g) {
  GUID out{g.data1, g.data2, g.data3, {}};
  for (int i = 0; i < 8; ++i) out.Data4[i] = g.data4[i];
  return out;
}
std::wstring classKey(ClassId c) { return L"Software\\Classes\\CLSID\\" + widen(toString(guidOf(c))); }
const wchar_t* kMarker = L"bitsconform-owner";

std::mutex logMutex;
void logLine(unsigned long owner, const std::string& line) {
  std::lock_guard<std::mutex> lock(logMutex);
  FILE* f = _wfopen(serverLogPath(owner).c_str(), L"ab");
  if (!f) return;
  std::fprintf(f, "%s\n", line.c_str());
  std::fclose(f);
}

bool processRuns(unsigned long pid) {
  HANDLE h = OpenProcess(SYNCHRONIZE, FALSE, pid);
  if (!h) return false;
  bool running = WaitForSingleObject(h, 0) == WAIT_TIMEOUT;
  CloseHandle(h);
  return running;
}

// The world's job name from BITS's display name "bitsconform-<pid>-J<n>" (0 if not ours).
JobId jobOf(IBackgroundCopyJob* job) {
  LPWSTR name = nullptr;
  JobId id = 0;
  if (job && SUCCEEDED(job->GetDisplayName(&name)) && name) {
    const wchar_t* j = wcsstr(name, L"-J");
    if (j) id = static_cast<JobId>(_wtoi(j + 2));
    CoTaskMemFree(name);
  }
  return id;
}

// An object BITS creates from the class: records each call, answers S_OK.
class ServerObject : public IBackgroundCopyCallback2 {
 public:
  ServerObject(ClassId c, uint32_t instance, unsigned long owner) : self_(Receiver::serverObject(c, instance)), owner_(owner) {}
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
    if (!out) return E_POINTER;
    *out = nullptr;
    if (!IsEqualIID(riid, IID_IUnknown) && !IsEqualIID(riid, IID_IBackgroundCopyCallback) &&
        !IsEqualIID(riid, IID_IBackgroundCopyCallback2))
      return E_NOINTERFACE;
    *out = static_cast<IBackgroundCopyCallback2*>(this);
    AddRef();
    return S_OK;
  }
  ULONG STDMETHODCALLTYPE AddRef() override { return ++refs_; }
  ULONG STDMETHODCALLTYPE Release() override {
    ULONG r = --refs_;
    if (r == 0) delete this;
    return r;
  }
  HRESULT STDMETHODCALLTYPE JobTransferred(IBackgroundCopyJob* job) override { return record(Method::JobTransferred, job); }
  HRESULT STDMETHODCALLTYPE JobError(IBackgroundCopyJob* job, IBackgroundCopyError*) override { return record(Method::JobError, job); }
  HRESULT STDMETHODCALLTYPE JobModification(IBackgroundCopyJob* job, DWORD) override { return record(Method::JobModification, job); }
  HRESULT STDMETHODCALLTYPE FileTransferred(IBackgroundCopyJob* job, IBackgroundCopyFile*) override {
    return record(Method::FileTransferred, job);
  }

 private:
  HRESULT record(Method m, IBackgroundCopyJob* job) {
    logLine(owner_, "E " + formatObservation(Observation::callback(self_, m, jobOf(job), 0, Outcome::Returned, Hresult{0})));
    return S_OK;
  }
  Receiver self_;
  unsigned long owner_;
  std::atomic<ULONG> refs_{1};
};

class Factory : public IClassFactory {
 public:
  Factory(ClassId c, unsigned long owner) : class_(c), owner_(owner) {}
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
    if (!out) return E_POINTER;
    *out = nullptr;
    if (!IsEqualIID(riid, IID_IUnknown) && !IsEqualIID(riid, IID_IClassFactory)) return E_NOINTERFACE;
    *out = static_cast<IClassFactory*>(this);
    return S_OK;
  }
  ULONG STDMETHODCALLTYPE AddRef() override { return 2; }
  ULONG STDMETHODCALLTYPE Release() override { return 1; }  // static lifetime
  HRESULT STDMETHODCALLTYPE CreateInstance(IUnknown* outer, REFIID riid, void** out) override {
    if (outer) return CLASS_E_NOAGGREGATION;
    uint32_t n = ++instances_;
    auto* o = new ServerObject(class_, n, owner_);
    HRESULT hr = o->QueryInterface(riid, out);
    o->Release();
    logLine(owner_, "A " + std::string(toString(class_)) + " #" + std::to_string(n) + " pid " + std::to_string(GetCurrentProcessId()));
    return hr;
  }
  HRESULT STDMETHODCALLTYPE LockServer(BOOL) override { return S_OK; }

 private:
  ClassId class_;
  unsigned long owner_;
  std::atomic<uint32_t> instances_{0};
};

}  // namespace

std::wstring serverLogPath(unsigned long ownerPid) {
  wchar_t temp[MAX_PATH];
  GetTempPathW(MAX_PATH, temp);
  return std::wstring(temp) + L"bitsconform-" + std::to_wstring(ownerPid) + L"-server.log";
}

long registerServerClass(ClassId c, const std::wstring& exe, unsigned long ownerPid, bool machine) {
  std::wstring key = classKey(c);
  HKEY k = nullptr, server = nullptr;
  LONG rc = RegCreateKeyExW(machine ? HKEY_LOCAL_MACHINE : HKEY_CURRENT_USER, key.c_str(), 0, nullptr, 0, KEY_WRITE, nullptr, &k, nullptr);
  if (rc != ERROR_SUCCESS) return rc;
  std::wstring marker = std::to_wstring(ownerPid);
  RegSetValueExW(k, kMarker, 0, REG_SZ, reinterpret_cast<const BYTE*>(marker.c_str()), DWORD((marker.size() + 1) * 2));
  rc = RegCreateKeyExW(k, L"LocalServer32", 0, nullptr, 0, KEY_WRITE, nullptr, &server, nullptr);
  if (rc == ERROR_SUCCESS) {
    std::wstring cmd = L"\"" + exe + L"\" server " + std::to_wstring(static_cast<int>(c)) + L" " + marker;
    rc = RegSetValueExW(server, nullptr, 0, REG_SZ, reinterpret_cast<const BYTE*>(cmd.c_str()), DWORD((cmd.size() + 1) * 2));
    RegCloseKey(server);
  }
  RegCloseKey(k);
  return rc;
}

void unregisterServerClass(ClassId c) {
  RegDeleteTreeW(HKEY_CURRENT_USER, classKey(c).c_str());
  RegDeleteTreeW(HKEY_LOCAL_MACHINE, classKey(c).c_str());  // the Wine fallback, if it was used
}

bool serverClassRegistered(ClassId c) {
  for (HKEY root : {HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE}) {
    HKEY k = nullptr;
    if (RegOpenKeyExW(root, classKey(c).c_str(), 0, KEY_READ, &k) != ERROR_SUCCESS) continue;
    RegCloseKey(k);
    return true;
  }
  return false;
}

int cleanServerKeys(bool ownOnly, std::string* log) {
  int removed = 0;
  for (HKEY root : {HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE})
  for (int i = 1; i < kClassCount; ++i) {
    ClassId c = static_cast<ClassId>(i);
    HKEY k = nullptr;
    if (RegOpenKeyExW(root, classKey(c).c_str(), 0, KEY_READ, &k) != ERROR_SUCCESS) continue;
    wchar_t value[32] = {};
    DWORD size = sizeof value - sizeof(wchar_t);
    bool ours = RegQueryValueExW(k, kMarker, nullptr, nullptr, reinterpret_cast<BYTE*>(value), &size) == ERROR_SUCCESS;
    RegCloseKey(k);
    if (!ours) continue;  // a key without our marker is not ours to delete
    unsigned long pid = wcstoul(value, nullptr, 10);
    bool mine = pid == GetCurrentProcessId();
    if (ownOnly ? mine : (mine || !processRuns(pid))) {
      RegDeleteTreeW(root, classKey(c).c_str());
      ++removed;
      if (log) *log += std::string(toString(c)) + " (owner " + std::to_string(pid) + "); ";
    }
  }
  return removed;
}

int runServer(ClassId c, unsigned long ownerPid) {
  if (FAILED(CoInitializeEx(nullptr, COINIT_MULTITHREADED))) return 2;
  static Factory* factory = new Factory(c, ownerPid);
  DWORD cookie = 0;
  GUID clsid = toGuid(guidOf(c));
  HRESULT hr = CoRegisterClassObject(clsid, factory, CLSCTX_LOCAL_SERVER, REGCLS_MULTIPLEUSE, &cookie);
  logLine(ownerPid, "S " + std::string(toString(c)) + " CoRegisterClassObject " + std::to_string(static_cast<unsigned long>(hr)));
  if (FAILED(hr)) return 3;
  HANDLE owner = OpenProcess(SYNCHRONIZE, FALSE, ownerPid);
  // Lives while the run that registered it does (bounded: an hour at most).
  if (owner) {
    WaitForSingleObject(owner, 3600 * 1000);
    CloseHandle(owner);
  }
  CoRevokeClassObject(cookie);
  CoUninitialize();
  return 0;
}

int clsidSelfTest(bool hold) {
  wchar_t path[MAX_PATH];
  GetModuleFileNameW(nullptr, path, MAX_PATH);
  std::string cleaned;
  int n = cleanServerKeys(false, &cleaned);
  std::printf("cleanup-at-start: %d %s\n", n, cleaned.c_str());
  unsigned long me = GetCurrentProcessId();
  DeleteFileW(serverLogPath(me).c_str());
  long rc = registerServerClass(ClassId::A, path, me, false);
  std::printf("register-per-user: %ld\n", rc);
  std::fflush(stdout);
  if (hold) {
    registerServerClass(ClassId::B, path, me, true);  // both hives, so a cleanup must handle both
    std::printf("registered\n");
    std::fflush(stdout);
    Sleep(INFINITE);  // the test kills us: the keys stay for the next start to clean
  }
  auto text = [](HRESULT h) { return std::string(toString(Hresult{static_cast<uint32_t>(h)})); };
  IUnknown* unk = nullptr;
  GUID clsid = toGuid(guidOf(ClassId::A));
  HRESULT hr = CoCreateInstance(clsid, nullptr, CLSCTX_LOCAL_SERVER, IID_IUnknown, reinterpret_cast<void**>(&unk));
  std::printf("activate-per-user: %s\n", text(hr).c_str());
  if (hr == REGDB_E_CLASSNOTREG) {
    // Wine's HKEY_CLASSES_ROOT is HKLM\Software\Classes only (no per-user merge): retry there to
    // test the server itself. On Windows that would need administrator rights and is not done.
    rc = registerServerClass(ClassId::A, path, me, true);
    std::printf("register-machine: %ld\n", rc);
    hr = CoCreateInstance(clsid, nullptr, CLSCTX_LOCAL_SERVER, IID_IUnknown, reinterpret_cast<void**>(&unk));
    std::printf("activate-machine: %s\n", text(hr).c_str());
  }
  if (unk) {
    IBackgroundCopyCallback2* cb = nullptr;
    hr = unk->QueryInterface(IID_IBackgroundCopyCallback2, reinterpret_cast<void**>(&cb));
    std::printf("query-callback2: %s\n", text(hr).c_str());
    if (cb) {
      hr = cb->JobTransferred(nullptr);
      std::printf("call: %s\n", text(hr).c_str());
      cb->Release();
    }
    unk->Release();
  }
  if (FILE* log = _wfopen(serverLogPath(me).c_str(), L"rb")) {
    char line[512];
    while (std::fgets(line, sizeof line, log)) std::printf("log: %s", line);
    std::fclose(log);
  }
  DeleteFileW(serverLogPath(me).c_str());
  cleanServerKeys(true, nullptr);
  std::printf("keys-left: %d\n", serverClassRegistered(ClassId::A) ? 1 : 0);
  return 0;
}

}  // namespace bc::real
