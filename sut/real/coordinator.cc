#include "sut/real/coordinator.h"
#include "sut/real/real_common.h"
#include "sut/real/com_server.h"
#include "sut/real/cmdline.h"
#include "sut/real/launch_log.h"
#include "sut/real/settle_wait.h"
#include "vocab/hresult.h"

#include <initguid.h>
#include <bits.h>
#include <bits1_5.h>
#include <bits2_0.h>
#include <bits3_0.h>
#include <bits5_0.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
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
  cleaned.clear();
  if (int k = cleanServerKeys(false, &cleaned))
    caps_.evidence["cleanup-classes-at-start"] = std::to_string(k) + " class registration(s) of dead runs: " + cleaned;
  DeleteFileW(serverLogPath(GetCurrentProcessId()).c_str());  // a reused pid's stale log is not ours
  std::error_code ignored;
  std::filesystem::remove_all(cmdlineRoot(GetCurrentProcessId()), ignored);
  probe();
  if (server_.start() == 0) throw std::runtime_error("cannot listen on 127.0.0.1 for the loopback sources");
  caps_.evidence["sources"] = "http://127.0.0.1:" + std::to_string(server_.port()) +
                              "/bitsconform/g<case>/J<n>-f<k>, every request held until Transfer/Progress/FatalError/TransientError";
  HRESULT hr = CoCreateInstance(CLSID_BackgroundCopyManager, nullptr, CLSCTX_LOCAL_SERVER | CLSCTX_INPROC_SERVER,
                                IID_IBackgroundCopyManager, reinterpret_cast<void**>(&manager_));
  if (FAILED(hr)) throw std::runtime_error("no BITS manager for state queries: " + hrText(hr));
}

Coordinator::~Coordinator() { shutdown(); }

void Coordinator::probe() {
  const wchar_t* wine = wineVersion();
  caps_.name = wine ? "wine-qmgr" : "windows-bits";
  caps_.description = wine ? "Wine " + narrow(wine) + " qmgr (BITS emulation)" : "Windows BITS";
  caps_.networkControl = caps_.virtualTime = caps_.reboot = false;
  caps_.exactModification = false;
  // The callback objects are the adapter's own (app objects o1..o4, notification-class servers).
  caps_.faults = true;
  caps_.evidence["faults"] =
      "the adapter's own objects answer as told: ok, sfalse, fail, failonce, hang (the call blocks until its process "
      "ends, 120 s at most), crash (the process dies inside the call); ServerExit ends a class's server processes; "
      "RegisterServer ... execfail is answered unsupported (a failed activation is invisible to the adapter)";
  caps_.evidence["networkControl"] =
      "partial: Transfer/Progress/FatalError (404)/TransientError (503)/Connect/NetDown (dropped connections)/NetUp "
      "are driven through a loopback HTTP server that holds every request, but a real BITS retries on its own clock "
      "(NetUp cannot requeue at once, TRANSIENT_ERROR lasts MinimumRetryDelay), so the capability is not claimed";
  caps_.evidence["virtualTime"] = "real clock";
  caps_.evidence["reboot"] = "not possible in a test";
  // ServiceRestart: the service control manager must let this user stop and start BITS (Wine:
  // always, the prefix is the adapter's own; Windows: an elevated adapter).
  SC_HANDLE scm = OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT);
  SC_HANDLE bits = scm ? OpenServiceW(scm, L"BITS", SERVICE_START | SERVICE_STOP | SERVICE_QUERY_STATUS) : nullptr;
  DWORD scmError = bits ? 0 : GetLastError();
  caps_.serviceRestart = bits != nullptr;
  caps_.evidence["serviceRestart"] =
      bits ? std::string("OpenService(BITS, START|STOP|QUERY_STATUS) succeeded") +
                 (wine ? " (Wine: the adapter's own prefix)" : " (an elevated adapter)") +
                 ": ServiceRestart stops BITS, starts it, and waits until the manager answers"
           : "OpenService(BITS, START|STOP|QUERY_STATUS) failed with error " + std::to_string(scmError) +
                 (scmError == ERROR_ACCESS_DENIED ? " (access denied: run the adapter elevated)" : "");
  if (bits) CloseServiceHandle(bits);
  if (scm) CloseServiceHandle(scm);

  IBackgroundCopyManager* manager = nullptr;
  HRESULT hr = E_FAIL;
  for (int attempt = 0; attempt < 100 && FAILED(hr); ++attempt) {  // 5 s: a service still starting may refuse
    if (attempt) Sleep(50);
    hr = CoCreateInstance(CLSID_BackgroundCopyManager, nullptr, CLSCTX_LOCAL_SERVER | CLSCTX_INPROC_SERVER,
                          IID_IBackgroundCopyManager, reinterpret_cast<void**>(&manager));
  }
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
  // The CLSID path needs SetProperty (Job5); the classes themselves are this exe (com_server.h).
  caps_.notifyClsid = j5;
  caps_.evidence["notifyClsid"] =
      j5 ? "IBackgroundCopyJob5 present: SetProperty(BITS_JOB_PROPERTY_NOTIFICATION_CLSID); classes are per-user "
           "LocalServer32 registrations of this adapter, activations and calls read from its server log"
         : caps_.evidence["IBackgroundCopyJob5"] + " (Set/GetNotifyClsid answer it; no activation can be observed)";
  // IBackgroundCopyJob2 (BITS 1.5) carries Set/GetNotifyCmdLine: where it answers QueryInterface
  // the command line is required, and a stub that fails is a deviation (the CMD rules fail with
  // what it answers), never "not applicable".
  caps_.commandLine = j2;
  if (j2) {
    IBackgroundCopyJob2* job2 = nullptr;
    job->QueryInterface(IID_IBackgroundCopyJob2, reinterpret_cast<void**>(&job2));
    LPWSTR program = nullptr, params = nullptr;
    HRESULT g = job2->GetNotifyCmdLine(&program, &params);
    // Set is the call that matters: with it stubbed, no launch can ever be observed.
    std::wstring self = exe_.empty() ? L"C:\\windows\\system32\\cmd.exe" : exe_;
    std::wstring args = L"\"" + self + L"\" notify";
    HRESULT s = job2->SetNotifyCmdLine(self.c_str(), args.c_str());
    caps_.evidence["commandLine"] =
        "IBackgroundCopyJob2 answers QueryInterface, so SetNotifyCmdLine/GetNotifyCmdLine are required; probe: "
        "SetNotifyCmdLine = " + hrText(s) + ", GetNotifyCmdLine = " + hrText(g) +
        (FAILED(s) || FAILED(g) ? " (a deviation: the CMD rules are judged on what it answers)"
                                : "; launches observed through copies of this exe, one per job, logging to " +
                                      narrow(launchLogPath(GetCurrentProcessId())));
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
  reapCrashed(a);  // crashed inside a call: a later command starts the next incarnation
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
  std::wstring cmd = L"\"" + exe_ + L"\" app " + std::to_wstring(app) + L" " + std::to_wstring(a.incarnation + 1) + L" " +
                    std::to_wstring(GetCurrentProcessId()) + L" " + std::to_wstring(server_.port()) + L" " +
                    std::to_wstring(server_.generation());
  if (!CreateProcessW(nullptr, cmd.data(), nullptr, nullptr, TRUE, 0, nullptr, nullptr, &si, &pi))
    throw std::runtime_error("cannot start app process A" + std::to_string(app) + ": error " + std::to_string(GetLastError()));
  CloseHandle(childIn);
  CloseHandle(childOut);
  CloseHandle(pi.hThread);
  a.process = pi.hProcess;
  a.toApp = toApp;
  a.incarnation += 1;
  a.launch = ++launches_;
  a.running = true;
  a.hung = a.crashed = false;
  std::thread([this, app, fromApp, launch = a.launch] { readerLoop(app, launch, fromApp); }).detach();
  return a;
}

void Coordinator::reapCrashed(App& a) {
  if (!a.running || !a.crashed) return;
  WaitForSingleObject(a.process, 10000);  // it terminated itself inside the call
  CloseHandle(a.process);
  CloseHandle(a.toApp);
  a.running = a.crashed = a.hung = false;
}

std::string Coordinator::askApp(AppId app, const std::string& line, std::string* created) {
  App& a = apps_[app];
  std::string text = line + "\n";
  DWORD written = 0;
  if (!WriteFile(a.toApp, text.data(), static_cast<DWORD>(text.size()), &written, nullptr))
    throw std::runtime_error("cannot write to app A" + std::to_string(app));
  return lines_.awaitReply(app, std::chrono::seconds(30), created, a.launch);
}

void Coordinator::readerLoop(int app, int launch, HANDLE fromApp) {
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
      lines_.push(app, std::move(line), launch);
    }
  }
  CloseHandle(fromApp);
  lines_.push(app, "EOF", launch);
}

void Coordinator::stopApp(AppId app) {
  App& a = apps_[app];
  if (!a.running) return;
  TerminateProcess(a.process, 1);  // exit or crash: COM sees the same
  WaitForSingleObject(a.process, 10000);
  CloseHandle(a.process);
  CloseHandle(a.toApp);
  a.running = a.hung = a.crashed = false;
}

StepResult Coordinator::step(const Command& c, Observations& out) {
  auto parse = [&](const std::string& text) {
    auto o = parseObservation(text);
    if (!o.ok()) throw std::runtime_error("app sent an unparseable observation: " + text);
    out.push_back(*o);
  };
  // Once a class is registered or a command line set, a call (e.g. a registration after
  // TRANSFERRED) may make BITS start a process before the observation: a longer quiet window.
  bool launches = serverRegistered_;
  for (const auto& [job, n] : notify_) launches |= n.cmdLine;
  quietMs_ = launches ? 500 : 150;
  graceMs_ = 10;  // an unpredicted late extra is still caught, by the next step's comparison
  environmentStep_ = false;
  if (c.kind == CmdKind::AppExit) {
    reapCrashed(apps_[c.app]);
    stopApp(c.app);
    out.push_back(Observation::ret(Hresult{0}));
    return StepResult::done();
  }
  switch (c.kind) {
    case CmdKind::Connect: case CmdKind::Progress: case CmdKind::Transfer: case CmdKind::TransientError:
    case CmdKind::FatalError: case CmdKind::NetDown: case CmdKind::NetUp: case CmdKind::ServiceRestart:
      // BITS calls back from its own thread: a JobTransferred can trail the state change by
      // over 1.5 s on a loaded machine, so the quiet window (used when the step may diverge) is long.
      // Only the command's job changes (the test server gates every other job's transfer).
      environmentStep_ = true;
      environmentJob_ = c.kind == CmdKind::NetDown || c.kind == CmdKind::NetUp || c.kind == CmdKind::ServiceRestart ? 0 : c.job;
      quietMs_ = 2000;
      graceMs_ = 250;
      if (c.kind != CmdKind::ServiceRestart) return environment(c, out);
      out.push_back(restartService());
      return StepResult::done();
    case CmdKind::ServerExit:
      endServers(c.clsid);
      out.push_back(Observation::ret(Hresult{0}));
      return StepResult::done();
    default:
      break;
  }
  if (c.kind == CmdKind::RegisterServer || c.kind == CmdKind::UnregisterServer) return serverRegistry(c, out);
  if (!isApiCall(c.kind) && c.kind != CmdKind::Behave)
    throw std::runtime_error("the real adapter cannot run '" + formatCommand(c) + "' (its capability is not declared)");
  if (c.kind == CmdKind::CreateJob && nameInUse(c.job)) {
    // The harness rule of docs/semantics.md (CreateJob row): a name is a handle, so a second
    // CreateJob of a live name fails and no BITS job is made. Judged on BITS's own state: a
    // cancelled or acknowledged job is gone from BITS, and its name is free again.
    out.push_back(Observation::ret(Hresult{static_cast<uint32_t>(E_INVALIDARG)}));
    return StepResult::done();
  }
  ensureRunning(c.app);
  std::string guid = "-";
  if (c.kind != CmdKind::CreateJob && jobGuids_.count(c.job)) guid = jobGuids_[c.job];
  if (c.kind == CmdKind::SetNotifyCmdLine && !logTail_.joinable()) logTail_ = std::thread([this] { tailServerLog(); });
  std::string created;
  std::string reply = askApp(c.app, guid + " " + formatCommand(c), &created);
  if (!created.empty()) {
    std::lock_guard<std::mutex> lock(guidsMutex_);
    jobGuids_[c.job] = created;
  }
  if (reply.rfind("server ", 0) == 0) {
    // GetNotifyInterface found a notification-class object: "server <ClsidX> <pid> <instance> <hr>".
    char cls[16] = {};
    unsigned long pid = 0, instance = 0, hr = 0;
    auto klass = std::sscanf(reply.c_str(), "server %15s %lu %lu %lx", cls, &pid, &instance, &hr) == 4 ? parseClassId(cls) : std::nullopt;
    if (!klass) throw std::runtime_error("app sent an unreadable server object: " + reply);
    pollServerLog();  // its "A" line first, so the numbering follows creation order
    std::lock_guard<std::mutex> lock(serverMutex_);
    out.push_back(Observation::retReceiver(Hresult{static_cast<uint32_t>(hr)},
                                           Receiver::serverObject(*klass, serverLog_.objectNumber(*klass, pid, instance))));
    return StepResult::done();
  }
  parse(reply);
  noteResult(c, out.back());
  return StepResult::done();
}

void Coordinator::noteResult(const Command& c, const Observation& result) {
  if (result.hr.failed()) return;
  switch (c.kind) {
    case CmdKind::CreateJob: notify_[c.job] = Notify{}; break;
    case CmdKind::SetNotifyInterface:
      notify_[c.job].object = c.slot ? Receiver::appObject(c.app, static_cast<uint16_t>(apps_[c.app].incarnation), c.slot)
                                     : Receiver::none();
      break;
    case CmdKind::SetNotifyClsid: notify_[c.job].clsid = c.clsid != ClassId::Null; break;
    case CmdKind::SetNotifyCmdLine: notify_[c.job].cmdLine = c.program != Program::Null; break;
    case CmdKind::Complete: case CmdKind::Cancel: notify_.erase(c.job); break;  // final: nothing more is called
    default: break;
  }
}

bool Coordinator::extrasPossible(JobId only) const {
  for (const auto& [job, n] : notify_) {
    if (only != 0 && job != only) continue;
    if (n.clsid || n.cmdLine) return true;
    if (n.object.kind != Receiver::Kind::AppObject) continue;
    auto it = apps_.find(n.object.app);
    if (it != apps_.end() && it->second.running && it->second.incarnation == n.object.incarnation) return true;
  }
  return false;
}

bool Coordinator::settle(uint32_t deadlineMs, const Observations* expected, Observations& out) {
  // Callbacks come on their own schedule: wait until the predicted ones came (then a grace), or
  // none arrived for a quiet period when the step may diverge (settle_wait.h).
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(deadlineMs);
  SettleWait wait(expected, std::chrono::milliseconds(quietMs_), std::chrono::milliseconds(graceMs_),
                  environmentStep_ && extrasPossible(environmentJob_));
  auto take = [&](const std::string& text) {
    auto parsed = parseObservation(text);
    if (!parsed.ok()) return;
    const Observation& o = *parsed;
    if (o.kind != ObsKind::CmdLine && o.job == 0) {
      // A call about a job this case never made: a former case's, delivered late. Not this world's.
      std::fprintf(stderr, "bitsconform-adapter: dropped a call about no job of this test case: %s\n", text.c_str());
      return;
    }
    if (o.kind == ObsKind::Callback && o.receiver.kind == Receiver::Kind::AppObject) {
      auto it = apps_.find(o.receiver.app);
      if (it != apps_.end() && it->second.running && it->second.incarnation == o.receiver.incarnation) {
        it->second.hung |= o.outcome == Outcome::Hung;
        it->second.crashed |= o.outcome == Outcome::Crashed;
      }
    }
    wait.seen(o);
    out.push_back(o);
  };
  // An app process that died on its own (not by Exit, nor by a crash it was told to make) may
  // have taken a callback with it: that is the adapter failing, not BITS missing a call.
  auto ended = [&](int app, int launch) {
    auto it = apps_.find(static_cast<AppId>(app));
    if (it == apps_.end() || !it->second.running || it->second.launch != launch) return;
    if (it->second.crashed) return reapCrashed(it->second);
    throw std::runtime_error("app process A" + std::to_string(app) + " ended unexpectedly while BITS could call it");
  };
  return lines_.drainEvents([&] { return wait.quiet(); }, deadline, take, ended);
}

void Coordinator::reset() {
  // Held requests first: a transfer thread blocked on one would block Cancel (as in shutdown).
  server_.reset();
  cleanLeftovers(nullptr, true);
  for (int c = 1; c < kClassCount; ++c) endServers(static_cast<ClassId>(c));
  cleanServerKeys(true, nullptr);
  for (auto& [app, a] : apps_) {
    reapCrashed(a);
    // A process is kept only as incarnation 1 with no call hanging in it: the next case's A1#1.
    if (a.running && (a.hung || a.incarnation != 1)) stopApp(app);
    if (a.running) askApp(app, "RESET " + std::to_string(server_.generation()));  // forgets the old jobs, objects answer ok
    if (!a.running) a.incarnation = 0;
  }
  {
    std::lock_guard<std::mutex> lock(serverMutex_);
    DeleteFileW(serverLogPath(GetCurrentProcessId()).c_str());
    DeleteFileW(launchLogPath(GetCurrentProcessId()).c_str());
    serverLogOffset_ = launchLogOffset_ = 0;
    serverLog_ = ServerLog([this](const std::string& guid) { return jobOfGuid(guid); });
  }
  {
    std::lock_guard<std::mutex> lock(guidsMutex_);
    jobGuids_.clear();
  }
  notify_.clear();
  serverRegistered_ = false;
  lines_.clear();  // late lines of the former case
}

void Coordinator::shutdown() {
  server_.stop();  // first: a request held by BITS's transfer thread would block Cancel
  for (auto& [app, a] : apps_) stopApp(app);
  apps_.clear();
  cleanLeftovers(nullptr, true);
  cleanServerKeys(true, nullptr);
  if (logTail_.joinable()) {
    stopTail_ = true;
    logTail_.join();
    DeleteFileW(serverLogPath(GetCurrentProcessId()).c_str());
  }
  std::error_code ignored;
  std::filesystem::remove_all(cmdlineRoot(GetCurrentProcessId()), ignored);
  if (manager_) manager_->Release();
  manager_ = nullptr;
}

StepResult Coordinator::serverRegistry(const Command& c, Observations& out) {
  if (c.kind == CmdKind::UnregisterServer) {
    unregisterServerClass(c.clsid);  // both hives; objects already made live on (semantics.md 1)
    out.push_back(Observation::ret(Hresult{0}));
    return StepResult::done();
  }
  if (c.behavior == Behavior::ExecFail)
    return StepResult::unsupported(
        "a server that fails to start makes BITS's activation fail (CO_E_SERVER_EXEC_FAILURE) where no "
        "process of this adapter can see it: the activation the world expects cannot be observed");
  long rc = registerServerClass(c.clsid, exe_, GetCurrentProcessId(), false, c.behavior);
  // Wine's HKEY_CLASSES_ROOT is HKLM\Software\Classes only (no per-user merge; see clsidSelfTest).
  if (rc == 0 && wineVersion()) rc = registerServerClass(c.clsid, exe_, GetCurrentProcessId(), true, c.behavior);
  if (rc != 0) throw std::runtime_error("cannot register " + std::string(toString(c.clsid)) + ": error " + std::to_string(rc));
  if (!logTail_.joinable()) logTail_ = std::thread([this] { tailServerLog(); });
  serverRegistered_ = true;
  out.push_back(Observation::ret(Hresult{0}));
  return StepResult::done();
}

JobId Coordinator::jobOfGuid(const std::string& guid) {
  std::lock_guard<std::mutex> lock(guidsMutex_);
  for (const auto& [job, g] : jobGuids_)
    if (g == guid) return job;
  return 0;
}

void Coordinator::pollServerLog() {
  std::lock_guard<std::mutex> lock(serverMutex_);
  if (FILE* f = _wfopen(serverLogPath(GetCurrentProcessId()).c_str(), L"rb")) {
    if (_fseeki64(f, serverLogOffset_, SEEK_SET) == 0) {
      char buf[4096];
      size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
        serverLogOffset_ += static_cast<long long>(n);
        for (const auto& o : serverLog_.consume(std::string_view(buf, n))) lines_.push(-1, "E " + formatObservation(o));
      }
    }
    std::fclose(f);
  }
  // Launched notify programs append whole lines (launch_log.h); a line still being written waits.
  if (FILE* f = _wfopen(launchLogPath(GetCurrentProcessId()).c_str(), L"rb")) {
    if (_fseeki64(f, launchLogOffset_, SEEK_SET) == 0) {
      char line[256];
      while (std::fgets(line, sizeof line, f)) {
        std::string text = line;
        if (text.empty() || text.back() != '\n') break;
        launchLogOffset_ += static_cast<long long>(text.size());
        text.pop_back();
        if (!text.empty() && text.back() == '\r') text.pop_back();
        if (auto o = parseLaunchLine(text)) lines_.push(-1, "E " + formatObservation(*o));
        else std::fprintf(stderr, "bitsconform-adapter: malformed launch log line: %s\n", text.c_str());
      }
    }
    std::fclose(f);
  }
}

void Coordinator::tailServerLog() {
  // Servers append a line per activation and call; polling every 20 ms is well inside the
  // settle's quiet window (150 ms), so a call is queued before settle gives up on it.
  while (!stopTail_) {
    pollServerLog();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (serverLog_.malformed()) std::fprintf(stderr, "bitsconform-adapter: %d malformed server log line(s)\n", serverLog_.malformed());
}

bool Coordinator::nameInUse(JobId job) {
  int state = -1;
  return jobState(job, state) && state != BG_JOB_STATE_ACKNOWLEDGED && state != BG_JOB_STATE_CANCELLED;
}

bool Coordinator::jobState(JobId job, int& state, unsigned long* filesDone) {
  auto g = jobGuids_.find(job);
  GUID id{};
  if (g == jobGuids_.end() || !manager_ || !parseGuidText(g->second, id)) return false;
  IBackgroundCopyJob* j = nullptr;
  if (FAILED(manager_->GetJob(id, &j))) return false;
  BG_JOB_STATE s{};
  HRESULT hr = j->GetState(&s);
  if (filesDone) {
    BG_JOB_PROGRESS p{};
    j->GetProgress(&p);
    *filesDone = p.FilesTransferred;
  }
  j->Release();
  state = static_cast<int>(s);
  return SUCCEEDED(hr);
}

template <class Pred>
bool Coordinator::waitState(JobId job, int ms, Pred busy, int& state) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  for (;;) {
    if (!jobState(job, state)) return false;
    if (!busy(state)) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

StepResult Coordinator::ownTurn(const Command& c) {
  // A job whose request reached the server is connected; one that is not may simply be next in
  // line (give BITS a moment), or it waits behind a job whose request we hold: then the world's
  // command cannot happen on this implementation without changing that other job's fate.
  // Its request is awaited even when nothing is held yet: another queued job may be the one BITS
  // turns to first, and a grant for a job BITS never requests would only time out.
  if (server_.requestsSeen(c.job) > 0 || server_.awaitRequest(c.job, 2000)) return StepResult::done();
  std::set<int> held = server_.jobsHeld();
  held.erase(static_cast<int>(c.job));
  bool hanging = false;
  for (const auto& [app, a] : apps_) hanging |= a.running && a.hung;
  if (held.empty() && !hanging) return StepResult::done();  // nothing in its way that can be seen: the state wait bounds it
  if (hanging)
    return StepResult::unsupported("this BITS made no request for J" + std::to_string(c.job) +
                                   " within 2 s while a notification call hangs (Wine's qmgr transfers and calls back "
                                   "on one thread), so the job cannot transfer as the world defines it");
  held = server_.jobsHeld();
  held.erase(static_cast<int>(c.job));
  if (held.empty()) return StepResult::done();
  return StepResult::unsupported("this BITS serves one job at a time: J" + std::to_string(*held.begin()) +
                                 "'s request is held by the test server, so J" + std::to_string(c.job) +
                                 " cannot connect before it (Wine's qmgr transfers jobs in turn)");
}

Observation Coordinator::restartService() {
  auto fail = [](const std::string& what) -> Observation {
    throw std::runtime_error("ServiceRestart: " + what + " (error " + std::to_string(GetLastError()) + ")");
  };
  SC_HANDLE scm = OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT);
  SC_HANDLE bits = scm ? OpenServiceW(scm, L"BITS", SERVICE_START | SERVICE_STOP | SERVICE_QUERY_STATUS) : nullptr;
  if (!bits) {
    if (scm) CloseServiceHandle(scm);
    return fail("cannot open the BITS service");
  }
  auto waitFor = [&](DWORD state) {
    SERVICE_STATUS st{};
    for (int i = 0; i < 600; ++i) {  // 30 s
      if (QueryServiceStatus(bits, &st) && st.dwCurrentState == state) return true;
      Sleep(50);
    }
    return false;
  };
  server_.dropHeld();  // the service's connections end with it
  SERVICE_STATUS st{};
  bool ok = (ControlService(bits, SERVICE_CONTROL_STOP, &st) || GetLastError() == ERROR_SERVICE_NOT_ACTIVE) &&
            waitFor(SERVICE_STOPPED);
  DWORD err = ok ? 0 : GetLastError();
  if (ok) ok = (StartServiceW(bits, 0, nullptr) || GetLastError() == ERROR_SERVICE_ALREADY_RUNNING) && waitFor(SERVICE_RUNNING);
  CloseServiceHandle(bits);
  CloseServiceHandle(scm);
  if (!ok) return fail(err ? "BITS did not stop" : "BITS did not start again");
  // It answers again when a new manager does; every app's manager proxy died with the service.
  if (manager_) manager_->Release();
  manager_ = nullptr;
  HRESULT hr = E_FAIL;
  for (int i = 0; i < 200 && FAILED(hr); ++i) {
    hr = CoCreateInstance(CLSID_BackgroundCopyManager, nullptr, CLSCTX_LOCAL_SERVER | CLSCTX_INPROC_SERVER,
                          IID_IBackgroundCopyManager, reinterpret_cast<void**>(&manager_));
    if (FAILED(hr)) Sleep(50);
  }
  if (FAILED(hr)) return fail("no BITS manager after the restart: " + hrText(hr));
  for (auto& [app, a] : apps_) {
    reapCrashed(a);
    if (a.running) askApp(app, "RECONNECT");
  }
  for (auto& [job, n] : notify_) n.object = Receiver::none();  // not persisted (REG-4): BITS cannot call it now
  return Observation::ret(Hresult{0});
}

void Coordinator::endServers(ClassId c) {
  std::vector<unsigned long> pids;
  pollServerLog();  // every process that said it serves the class so far
  {
    std::lock_guard<std::mutex> lock(serverMutex_);
    pids = serverLog_.processes(c);
  }
  for (unsigned long pid : pids) {
    HANDLE h = OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE, FALSE, pid);
    if (!h) continue;  // already gone (crashed, or ended earlier)
    TerminateProcess(h, 1);
    WaitForSingleObject(h, 10000);
    CloseHandle(h);
  }
}

StepResult Coordinator::environment(const Command& c, Observations& out) {
  // Applies as docs/semantics.md section 4 says, judged on BITS's own state; a real BITS is
  // already CONNECTING (its request is held) where the model says QUEUED.
  const Observation applied = Observation::ret(Hresult{0}), notApplied = Observation::ret(Hresult{1});
  auto active = [](int s) { return s == BG_JOB_STATE_QUEUED || s == BG_JOB_STATE_CONNECTING || s == BG_JOB_STATE_TRANSFERRING; };
  const int kWaitMs = 10000;  // BITS moves on its own thread; bounded
  int state = -1;
  if (c.kind == CmdKind::NetDown || c.kind == CmdKind::NetUp) {
    server_.setNetwork(c.kind == CmdKind::NetUp);
    if (c.kind == CmdKind::NetDown)
      for (auto& [job, guid] : jobGuids_) waitState(job, 2000, active, state);
    out.push_back(applied);
    return StepResult::done();
  }
  bool exists = jobState(c.job, state);
  if (exists && (active(state) || state == BG_JOB_STATE_TRANSIENT_ERROR))
    if (StepResult turn = ownTurn(c); turn.isUnsupported()) return turn;
  auto apply = [&]() -> Observation {
    switch (c.kind) {
      case CmdKind::Connect:
        if (!exists || !(state == BG_JOB_STATE_QUEUED || state == BG_JOB_STATE_CONNECTING)) return notApplied;
        server_.awaitRequest(c.job, kWaitMs);  // connecting = its request reached the server
        return applied;
      case CmdKind::Transfer:
        if (!exists || !active(state)) return notApplied;
        server_.grant(c.job, HoldServer::kEvery);
        waitState(c.job, kWaitMs, active, state);
        return applied;
      case CmdKind::Progress: {
        unsigned long before = 0, now = 0;
        if (!exists || !active(state)) return notApplied;
        jobState(c.job, state, &before);
        server_.grant(c.job, 1);
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kWaitMs);
        while (jobState(c.job, state, &now) && now == before && active(state) && std::chrono::steady_clock::now() < deadline)
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return applied;
      }
      case CmdKind::TransientError:
        if (!exists || !active(state)) return notApplied;
        server_.failNext(c.job, HoldServer::Fate::Unavailable);
        waitState(c.job, kWaitMs, active, state);
        return applied;
      case CmdKind::FatalError:
        if (!exists || !(active(state) || state == BG_JOB_STATE_TRANSIENT_ERROR)) return notApplied;
        server_.failNext(c.job, HoldServer::Fate::NotFound);
        waitState(c.job, kWaitMs, [&](int s) { return active(s) || s == BG_JOB_STATE_TRANSIENT_ERROR; }, state);
        return applied;
      default:
        throw std::runtime_error("not an environment command: " + formatCommand(c));
    }
  };
  out.push_back(apply());
  return StepResult::done();
}

}  // namespace bc::real
