#include "sut/real/com_server.h"
#include "sut/real/server_log.h"
#include "sut/real/behaviour.h"

#include <bits.h>
#include <bits1_5.h>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <sstream>

namespace bc::real {

namespace {

std::wstring classKey(ClassId c) { return L"Software\\Classes\\CLSID\\" + widen(toString(guidOf(c))); }
const wchar_t* kMarker = L"bitsconform-owner";
const wchar_t* kBehaviour = L"bitsconform-behavior";

// The class's behaviour as registered now (per user first, then the machine hive): "Each starts
// with the class's behaviour at creation time" (docs/semantics.md 1).
Behavior registeredBehaviour(ClassId c) {
  for (HKEY root : {HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE}) {
    wchar_t value[32] = {};
    DWORD size = sizeof value - sizeof(wchar_t);
    if (RegGetValueW(root, classKey(c).c_str(), kBehaviour, RRF_RT_REG_SZ, nullptr, value, &size) == ERROR_SUCCESS)
      if (auto b = parseBehavior(narrow(value))) return *b;
  }
  return Behavior::Ok;
}

std::mutex logMutex;
void logLine(unsigned long owner, const std::string& line) {
  std::lock_guard<std::mutex> lock(logMutex);
  FILE* f = _wfopen(serverLogPath(owner).c_str(), L"ab");
  if (!f) return;
  std::fprintf(f, "%s\n", line.c_str());
  std::fclose(f);
}

// The BITS job's GUID as text ("-" without a job): the coordinator maps it to the world's Jn.
std::string jobGuid(IBackgroundCopyJob* job) {
  GUID id{};
  return job && SUCCEEDED(job->GetId(&id)) ? guidText(id) : std::string("-");
}

// The 1-based index of a file in its job: the adapter names local files ...\J<n>-f<k>.bin.
unsigned fileIndex(IBackgroundCopyFile* file) {
  unsigned index = 0;
  LPWSTR local = nullptr;
  if (file && SUCCEEDED(file->GetLocalName(&local)) && local) {
    std::wstring name = local;
    auto f = name.rfind(L"-f");
    if (f != std::wstring::npos) index = static_cast<unsigned>(_wtoi(name.c_str() + f + 2));
    CoTaskMemFree(local);
  }
  return index;
}

std::string head(char tag, ClassId c) {
  return std::string(1, tag) + " " + std::string(toString(c)) + " " + std::to_string(GetCurrentProcessId());
}

// An object BITS creates from the class: records each call, answers as its behaviour says.
class ServerObject : public IBackgroundCopyCallback2, public IPersist {
 public:
  ServerObject(ClassId c, uint32_t instance, unsigned long owner, Behavior b)
      : class_(c), instance_(instance), owner_(owner), behaviour_(b) {}
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
    if (!out) return E_POINTER;
    *out = nullptr;
    if (IsEqualIID(riid, IID_IPersist))  // identity, for GetNotifyInterface (real_common.h)
      *out = static_cast<IPersist*>(this);
    else if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IBackgroundCopyCallback) ||
             IsEqualIID(riid, IID_IBackgroundCopyCallback2))
      *out = static_cast<IBackgroundCopyCallback2*>(this);
    else
      return E_NOINTERFACE;
    AddRef();
    return S_OK;
  }
  ULONG STDMETHODCALLTYPE AddRef() override { return ++refs_; }
  ULONG STDMETHODCALLTYPE Release() override {
    ULONG r = --refs_;
    if (r == 0) delete this;
    return r;
  }
  HRESULT STDMETHODCALLTYPE GetClassID(CLSID* id) override {
    if (!id) return E_POINTER;
    *id = serverIdentityOf(class_, GetCurrentProcessId(), instance_);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE JobTransferred(IBackgroundCopyJob* job) override { return record(Method::JobTransferred, job, 0); }
  HRESULT STDMETHODCALLTYPE JobError(IBackgroundCopyJob* job, IBackgroundCopyError*) override { return record(Method::JobError, job, 0); }
  HRESULT STDMETHODCALLTYPE JobModification(IBackgroundCopyJob* job, DWORD) override { return record(Method::JobModification, job, 0); }
  HRESULT STDMETHODCALLTYPE FileTransferred(IBackgroundCopyJob* job, IBackgroundCopyFile* file) override {
    return record(Method::FileTransferred, job, fileIndex(file));
  }

 private:
  // "C <class> <pid> <instance> <method> <job GUID> <file> <answer>" (server_log.h parses it).
  HRESULT record(Method m, IBackgroundCopyJob* job, unsigned file) {
    Answer a = behaviour_.answer();
    std::string answer = a.outcome == Outcome::Hung      ? "hang"
                         : a.outcome == Outcome::Crashed ? "crash"
                                                         : std::string(toString(a.hr));
    logLine(owner_, head('C', class_) + " " + std::to_string(instance_) + " " + std::string(toString(m)) + " " +
                        jobGuid(job) + " " + std::to_string(file) + " " + answer);
    // crash: every object of the class dies with this process (one process serves the class)
    if (a.outcome == Outcome::Crashed) TerminateProcess(GetCurrentProcess(), 3);
    if (a.outcome == Outcome::Hung) {
      Sleep(kHangBoundMs);  // the process normally ends first (ServerExit, a reset, bye)
      return E_FAIL;
    }
    return static_cast<HRESULT>(a.hr.value);
  }
  ClassId class_;
  uint32_t instance_;
  unsigned long owner_;
  ObjectBehaviour behaviour_;
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
    auto* o = new ServerObject(class_, n, owner_, registeredBehaviour(class_));
    HRESULT hr = o->QueryInterface(riid, out);
    o->Release();
    logLine(owner_, head('A', class_) + " " + std::to_string(n));
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

long registerServerClass(ClassId c, const std::wstring& exe, unsigned long ownerPid, bool machine, Behavior behaviour) {
  std::wstring key = classKey(c);
  HKEY k = nullptr, server = nullptr;
  LONG rc = RegCreateKeyExW(machine ? HKEY_LOCAL_MACHINE : HKEY_CURRENT_USER, key.c_str(), 0, nullptr, 0, KEY_WRITE, nullptr, &k, nullptr);
  if (rc != ERROR_SUCCESS) return rc;
  std::wstring marker = std::to_wstring(ownerPid);
  RegSetValueExW(k, kMarker, 0, REG_SZ, reinterpret_cast<const BYTE*>(marker.c_str()), DWORD((marker.size() + 1) * 2));
  std::wstring b = widen(std::string(toString(behaviour)));
  RegSetValueExW(k, kBehaviour, 0, REG_SZ, reinterpret_cast<const BYTE*>(b.c_str()), DWORD((b.size() + 1) * 2));
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
  logLine(ownerPid, head('S', c) + " " + std::to_string(static_cast<unsigned long>(hr)));
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
    // GetNotifyInterface's path: the identity crosses processes through IPersist::GetClassID.
    IPersist* persist = nullptr;
    CLSID identity{};
    ClassId c{};
    unsigned long pid = 0;
    uint32_t instance = 0;
    if (SUCCEEDED(unk->QueryInterface(IID_IPersist, reinterpret_cast<void**>(&persist))) && persist) {
      if (SUCCEEDED(persist->GetClassID(&identity)) && serverOf(identity, c, pid, instance))
        std::printf("identity: %s #%lu\n", std::string(toString(c)).c_str(), static_cast<unsigned long>(instance));
      persist->Release();
    }
    unk->Release();
  }
  // The same parser the coordinator uses; no job here, so the observations name J0.
  ServerLog parsed([](const std::string&) { return JobId{0}; });
  if (FILE* log = _wfopen(serverLogPath(me).c_str(), L"rb")) {
    char line[512];
    while (std::fgets(line, sizeof line, log)) {
      std::printf("log: %s", line);
      for (const auto& o : parsed.consume(line)) std::printf("observed: %s\n", formatObservation(o).c_str());
    }
    std::fclose(log);
  }
  DeleteFileW(serverLogPath(me).c_str());
  cleanServerKeys(true, nullptr);
  std::printf("keys-left: %d\n", serverClassRegistered(ClassId::A) ? 1 : 0);
  return 0;
}

}  // namespace bc::real
