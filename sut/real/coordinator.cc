#include "sut/real/coordinator.h"
#include "sut/real/real_common.h"
#include "vocab/hresult.h"

#include <initguid.h>
#include <bits.h>
#include <bits1_5.h>
#include <bits2_0.h>
#include <bits3_0.h>
#include <bits5_0.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "sut/real/real_common.h"
#include "vocab/command_text.h"
#include "vocab/hresult.h"
#include "vocab/observation_text.h"

namespace bc::real {

namespace {

std::string hrText(HRESULT hr) { return std::string(toString(Hresult{static_cast<uint32_t>(hr)})); }

const wchar_t* wineVersion() {
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  auto get = ntdll ? reinterpret_cast<const char* (*)()>(GetProcAddress(ntdll, "wine_get_version")) : nullptr;
  static std::wstring v;
  if (get) v = widen(get());
  return get ? v.c_str() : nullptr;
}

}  // namespace

namespace {
bool processRuns(unsigned long pid) {
  HANDLE h = OpenProcess(SYNCHRONIZE, FALSE, pid);
  if (!h) return false;
  bool running = WaitForSingleObject(h, 0) == WAIT_TIMEOUT;
  CloseHandle(h);
  return running;
}
}  // namespace

int Coordinator::cleanLeftovers(std::string* log, bool ownOnly) {
  IBackgroundCopyManager* manager = nullptr;
  if (FAILED(CoCreateInstance(CLSID_BackgroundCopyManager, nullptr, CLSCTX_LOCAL_SERVER | CLSCTX_INPROC_SERVER,
                              IID_IBackgroundCopyManager, reinterpret_cast<void**>(&manager))))
    return 0;
  int cancelled = 0;
  IEnumBackgroundCopyJobs* jobs = nullptr;
  if (SUCCEEDED(manager->EnumJobs(0, &jobs))) {
    IBackgroundCopyJob* job = nullptr;
    while (jobs->Next(1, &job, nullptr) == S_OK) {
      LPWSTR name = nullptr;
      if (SUCCEEDED(job->GetDisplayName(&name)) && name) {
        size_t n = wcslen(kJobPrefix);
        unsigned long pid = wcsncmp(name, kJobPrefix, n) == 0 ? wcstoul(name + n, nullptr, 10) : 0;
        bool mine = pid == GetCurrentProcessId();
        if (wcsncmp(name, kJobPrefix, n) == 0 && (ownOnly ? mine : (mine || !processRuns(pid)))) {
          HRESULT hr = job->Cancel();
          if (FAILED(hr)) hr = job->Complete();  // Cancel may be missing (a stub): Complete ends it too
          if (log) *log += narrow(name) + " -> " + hrText(hr) + "; ";
          ++cancelled;
        }
        CoTaskMemFree(name);
      }
      job->Release();
    }
    jobs->Release();
  }
  manager->Release();
  return cancelled;
}

Coordinator::Coordinator() {
  wchar_t path[MAX_PATH];
  GetModuleFileNameW(nullptr, path, MAX_PATH);
  exe_ = path;
  std::string cleaned;
  int n = cleanLeftovers(&cleaned, false);
  if (n) caps_.evidence["cleanup-at-start"] = std::to_string(n) + " leftover job(s): " + cleaned;
  probe();
}

Coordinator::~Coordinator() { shutdown(); }

void Coordinator::probe() {
  const wchar_t* wine = wineVersion();
  caps_.name = wine ? "wine-qmgr" : "windows-bits";
  caps_.description = wine ? "Wine " + narrow(wine) + " qmgr (BITS emulation)" : "Windows BITS";
  caps_.faults = caps_.networkControl = caps_.virtualTime = caps_.serviceRestart = caps_.reboot = false;
  caps_.exactModification = false;
  caps_.notifyClsid = false;
  caps_.evidence["faults"] = "not implemented in this adapter: objects always return S_OK";
  caps_.evidence["networkControl"] = "real network: the test cannot drive the scheduler; sources are an unreachable loopback URL";
  caps_.evidence["virtualTime"] = "real clock";
  caps_.evidence["serviceRestart"] = "not attempted (needs administrator rights and a service the adapter does not own)";
  caps_.evidence["reboot"] = "not possible in a test";

  IBackgroundCopyManager* manager = nullptr;
  HRESULT hr = CoCreateInstance(CLSID_BackgroundCopyManager, nullptr, CLSCTX_LOCAL_SERVER | CLSCTX_INPROC_SERVER,
                                IID_IBackgroundCopyManager, reinterpret_cast<void**>(&manager));
  caps_.evidence["manager"] = "CoCreateInstance(CLSID_BackgroundCopyManager) = " + hrText(hr);
  if (FAILED(hr)) throw std::runtime_error("no BITS: " + caps_.evidence["manager"]);
  GUID id{};
  IBackgroundCopyJob* job = nullptr;
  std::wstring name = std::wstring(kJobPrefix) + std::to_wstring(GetCurrentProcessId()) + L"-probe";
  hr = manager->CreateJob(name.c_str(), BG_JOB_TYPE_DOWNLOAD, &id, &job);
  caps_.evidence["create-job"] = "CreateJob = " + hrText(hr);
  if (FAILED(hr)) throw std::runtime_error("BITS cannot create a job: " + caps_.evidence["create-job"]);
  auto has = [&](REFIID iid, const char* label) {
    IUnknown* p = nullptr;
    HRESULT q = job->QueryInterface(iid, reinterpret_cast<void**>(&p));
    caps_.evidence[label] = std::string("QueryInterface(") + label + ") = " + hrText(q);
    if (p) p->Release();
    return SUCCEEDED(q);
  };
  bool j2 = has(IID_IBackgroundCopyJob2, "IBackgroundCopyJob2");
  bool j3 = has(IID_IBackgroundCopyJob3, "IBackgroundCopyJob3");
  bool j4 = has(IID_IBackgroundCopyJob4, "IBackgroundCopyJob4");
  bool j5 = has(IID_IBackgroundCopyJob5, "IBackgroundCopyJob5");
  // The newest job interface bounds the version (Job2: 1.5, Job3: 2.0, Job4: 4.0, Job5: 5.0).
  caps_.version = j5 ? BitsVersion::V5_0 : j4 ? BitsVersion::V4_0 : j3 ? BitsVersion::V2_0 : j2 ? BitsVersion::V1_5 : BitsVersion::V1_2;
  caps_.evidence["version"] = "newest job interface: " + std::string(j5 ? "Job5" : j4 ? "Job4" : j3 ? "Job3" : j2 ? "Job2" : "Job");
  caps_.evidence["notifyClsid"] = j5 ? "IBackgroundCopyJob5 present, but registering LocalServer32 classes is not implemented in this adapter"
                                     : caps_.evidence["IBackgroundCopyJob5"];
  caps_.commandLine = false;
  if (j2) {
    IBackgroundCopyJob2* job2 = nullptr;
    job->QueryInterface(IID_IBackgroundCopyJob2, reinterpret_cast<void**>(&job2));
    LPWSTR program = nullptr, params = nullptr;
    HRESULT g = job2->GetNotifyCmdLine(&program, &params);
    caps_.evidence["commandLine"] = "GetNotifyCmdLine = " + hrText(g) +
                                    (SUCCEEDED(g) ? " (launches are not observed by this adapter yet)" : "");
    if (program) CoTaskMemFree(program);
    if (params) CoTaskMemFree(params);
    job2->Release();
  } else {
    caps_.evidence["commandLine"] = caps_.evidence["IBackgroundCopyJob2"];
  }
  HRESULT c = job->Cancel();
  if (FAILED(c)) job->Complete();
  job->Release();
  manager->Release();
}

Coordinator::App& Coordinator::ensureRunning(AppId app) {
  App& a = apps_[app];
  if (a.running) return a;
  SECURITY_ATTRIBUTES inherit{sizeof inherit, nullptr, TRUE};
  HANDLE childIn = nullptr, toApp = nullptr, fromApp = nullptr, childOut = nullptr;
  CreatePipe(&childIn, &toApp, &inherit, 0);
  CreatePipe(&fromApp, &childOut, &inherit, 0);
  SetHandleInformation(toApp, HANDLE_FLAG_INHERIT, 0);
  SetHandleInformation(fromApp, HANDLE_FLAG_INHERIT, 0);
  STARTUPINFOW si{};
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = childIn;
  si.hStdOutput = childOut;
  si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
  PROCESS_INFORMATION pi{};
  std::wstring cmd = L"\"" + exe_ + L"\" app " + std::to_wstring(app) + L" " + std::to_wstring(a.incarnation + 1) + L" " + std::to_wstring(GetCurrentProcessId());
  if (!CreateProcessW(nullptr, cmd.data(), nullptr, nullptr, TRUE, 0, nullptr, nullptr, &si, &pi))
    throw std::runtime_error("cannot start app process A" + std::to_string(app) + ": error " + std::to_string(GetLastError()));
  CloseHandle(childIn);
  CloseHandle(childOut);
  CloseHandle(pi.hThread);
  a.process = pi.hProcess;
  a.toApp = toApp;
  a.incarnation += 1;
  a.running = true;
  std::thread([this, app, fromApp] { readerLoop(app, fromApp); }).detach();
  return a;
}

void Coordinator::readerLoop(int app, HANDLE fromApp) {
  std::string buf;
  char chunk[4096];
  DWORD n = 0;
  while (ReadFile(fromApp, chunk, sizeof chunk, &n, nullptr) && n > 0) {
    buf.append(chunk, n);
    size_t nl;
    while ((nl = buf.find('\n')) != std::string::npos) {
      std::string line = buf.substr(0, nl);
      buf.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::lock_guard<std::mutex> lock(mutex_);
      lines_.push_back({app, line});
      arrived_.notify_all();
    }
  }
  CloseHandle(fromApp);
  std::lock_guard<std::mutex> lock(mutex_);
  lines_.push_back({app, "EOF"});
  arrived_.notify_all();
}

void Coordinator::stopApp(AppId app) {
  App& a = apps_[app];
  if (!a.running) return;
  TerminateProcess(a.process, 1);  // exit or crash: COM sees the same
  WaitForSingleObject(a.process, 10000);
  CloseHandle(a.process);
  CloseHandle(a.toApp);
  a.running = false;
}

std::string Coordinator::awaitReply(AppId app, std::string* createdGuid) {
  std::unique_lock<std::mutex> lock(mutex_);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    for (auto it = lines_.begin(); it != lines_.end(); ++it) {
      if (it->app != app || it->text.empty() || it->text[0] == 'E') continue;
      std::string text = it->text;
      lines_.erase(it);
      if (text == "EOF") throw std::runtime_error("app process A" + std::to_string(app) + " ended unexpectedly");
      if (text[0] == 'X') throw std::runtime_error("app A" + std::to_string(app) + ": " + text.substr(2));
      if (text[0] == 'G') {
        if (createdGuid) *createdGuid = text.substr(2);
        break;  // rescan: the R line follows
      }
      if (text[0] == 'R') return text.substr(2);
      break;
    }
    if (arrived_.wait_until(lock, deadline) == std::cv_status::timeout)
      throw std::runtime_error("app A" + std::to_string(app) + " did not answer within 30 s");
  }
}

void Coordinator::step(const Command& c, Observations& out) {
  auto parse = [&](const std::string& text) {
    auto o = parseObservation(text);
    if (std::holds_alternative<ParseError>(o)) throw std::runtime_error("app sent an unparseable observation: " + text);
    out.push_back(std::get<Observation>(o));
  };
  if (c.kind == CmdKind::AppExit) {
    stopApp(c.app);
    out.push_back(Observation::ret(Hresult{0}));
    return;
  }
  if (!isApiCall(c.kind) && c.kind != CmdKind::Behave)
    throw std::runtime_error("the real adapter cannot run '" + formatCommand(c) + "' (its capability is not declared)");
  App& a = ensureRunning(c.app);
  std::string guid = "-";
  if (c.kind != CmdKind::CreateJob && jobGuids_.count(c.job)) guid = jobGuids_[c.job];
  std::string line = guid + " " + formatCommand(c) + "\n";
  DWORD written = 0;
  if (!WriteFile(a.toApp, line.data(), static_cast<DWORD>(line.size()), &written, nullptr))
    throw std::runtime_error("cannot write to app A" + std::to_string(c.app));
  std::string created;
  std::string reply = awaitReply(c.app, &created);
  if (!created.empty()) jobGuids_[c.job] = created;
  parse(reply);
}

bool Coordinator::settle(uint32_t deadlineMs, Observations& out) {
  // Callbacks come on their own schedule: wait until none arrived for a quiet period.
  const auto quiet = std::chrono::milliseconds(150);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(deadlineMs);
  std::unique_lock<std::mutex> lock(mutex_);
  auto lastEvent = std::chrono::steady_clock::now();
  for (;;) {
    for (auto it = lines_.begin(); it != lines_.end();) {
      if (!it->text.empty() && it->text[0] == 'E') {
        auto o = parseObservation(it->text.substr(2));
        if (std::holds_alternative<Observation>(o)) out.push_back(std::get<Observation>(o));
        it = lines_.erase(it);
        lastEvent = std::chrono::steady_clock::now();
      } else {
        ++it;
      }
    }
    auto now = std::chrono::steady_clock::now();
    if (now >= lastEvent + quiet) return true;
    if (now >= deadline) return false;
    arrived_.wait_until(lock, std::min(deadline, lastEvent + quiet));
  }
}

void Coordinator::shutdown() {
  for (auto& [app, a] : apps_) stopApp(app);
  apps_.clear();
  cleanLeftovers(nullptr, true);
}

}  // namespace bc::real
