// An app of the test world as a real process: owns its callback objects o1..o4 and makes the
// BITS calls the coordinator forwards. Its exit is a real process exit, so BITS sees COM's own
// disconnect, exactly as with a real client.
#include "sut/real/real_common.h"  // first: vocab before windows.h
#include "sut/real/behaviour.h"
#include "sut/real/cmdline.h"

#include <initguid.h>
#include <windows.h>
#include <bits.h>
#include <bits1_5.h>
#include <bits3_0.h>
#include <bits5_0.h>

#include <atomic>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <string>

#include "sut/real/real_common.h"
#include "vocab/command_text.h"
#include "vocab/observation_text.h"

namespace bc::real {

namespace {

std::mutex outMutex;
std::mutex namesMutex;
std::map<std::string, JobId> jobNames;  // GUID text -> world name, for callbacks

void emit(const std::string& line) {
  std::lock_guard<std::mutex> lock(outMutex);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

JobId nameOf(IBackgroundCopyJob* job) {
  GUID id{};
  if (!job || FAILED(job->GetId(&id))) return 0;
  std::lock_guard<std::mutex> lock(namesMutex);
  auto it = jobNames.find(guidText(id));
  return it == jobNames.end() ? 0 : it->second;
}

// o1: IBackgroundCopyCallback; o2, o3: IBackgroundCopyCallback2; o4: IUnknown only. Each
// records every call BITS makes as an E line, then answers as its behaviour says (behaviour.h):
// a hung call blocks (bounded) until this process ends; crash ends the process inside the call.
class CallbackObject : public IBackgroundCopyCallback2, public IPersist {
 public:
  CallbackObject(AppId app, uint16_t incarnation, uint8_t slot)
      : self_(Receiver::appObject(app, incarnation, slot)), identity_(identityOf(app, incarnation, slot)) {}

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
    if (!out) return E_POINTER;
    *out = nullptr;
    CallbackLevel level = levelOfSlot(self_.slot);
    if (IsEqualIID(riid, IID_IUnknown))
      *out = static_cast<IBackgroundCopyCallback2*>(this);
    else if (IsEqualIID(riid, IID_IPersist))
      *out = static_cast<IPersist*>(this);
    else if (IsEqualIID(riid, IID_IBackgroundCopyCallback) && level >= CallbackLevel::V1)
      *out = static_cast<IBackgroundCopyCallback2*>(this);
    else if (IsEqualIID(riid, IID_IBackgroundCopyCallback2) && level >= CallbackLevel::V2)
      *out = static_cast<IBackgroundCopyCallback2*>(this);
    else
      return E_NOINTERFACE;
    AddRef();
    return S_OK;
  }
  ULONG STDMETHODCALLTYPE AddRef() override { return ++refs_; }
  ULONG STDMETHODCALLTYPE Release() override { return --refs_; }  // lives as long as the process
  ObjectBehaviour& behaviour() { return behaviour_; }
  HRESULT STDMETHODCALLTYPE GetClassID(CLSID* id) override {
    if (!id) return E_POINTER;
    *id = identity_;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE JobTransferred(IBackgroundCopyJob* job) override {
    return record(Method::JobTransferred, job, 0);
  }
  HRESULT STDMETHODCALLTYPE JobError(IBackgroundCopyJob* job, IBackgroundCopyError*) override {
    return record(Method::JobError, job, 0);
  }
  HRESULT STDMETHODCALLTYPE JobModification(IBackgroundCopyJob* job, DWORD) override {
    return record(Method::JobModification, job, 0);
  }
  HRESULT STDMETHODCALLTYPE FileTransferred(IBackgroundCopyJob* job, IBackgroundCopyFile* file) override {
    uint8_t index = 0;
    LPWSTR local = nullptr;
    if (file && SUCCEEDED(file->GetLocalName(&local)) && local) {
      std::wstring name = local;  // ...\J<n>-f<k>.bin: the file's index is in its name
      auto f = name.rfind(L"-f");
      if (f != std::wstring::npos) index = static_cast<uint8_t>(_wtoi(name.c_str() + f + 2));
      CoTaskMemFree(local);
    }
    return record(Method::FileTransferred, job, index);
  }

 private:
  HRESULT record(Method m, IBackgroundCopyJob* job, uint8_t file) {
    Answer a = behaviour_.answer();
    emit("E " + formatObservation(Observation::callback(self_, m, nameOf(job), file, a.outcome, a.hr)));
    if (a.outcome == Outcome::Crashed) TerminateProcess(GetCurrentProcess(), 3);  // inside the call, as a crash
    if (a.outcome == Outcome::Hung) {
      Sleep(kHangBoundMs);  // the process normally ends first (Exit, a reset, bye)
      std::fprintf(stderr, "app: a hung %s call returned after the bound of %u ms\n", std::string(toString(m)).c_str(),
                   kHangBoundMs);
      return E_FAIL;
    }
    return static_cast<HRESULT>(a.hr.value);
  }
  Receiver self_;
  ObjectBehaviour behaviour_;
  GUID identity_;
  std::atomic<ULONG> refs_{1};
};

std::string hex(HRESULT hr) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08lX", static_cast<unsigned long>(hr));
  return buf;
}

// Which world object `unk` is: its identity GUID through IPersist::GetClassID. For another
// app's object both calls cross processes (a proxy to that app's apartment).
bool identify(IUnknown* unk, Receiver& r, std::string& why, std::string* server) {
  IPersist* persist = nullptr;
  HRESULT q = unk->QueryInterface(IID_IPersist, reinterpret_cast<void**>(&persist));
  if (FAILED(q) || !persist) {
    why = "QueryInterface(IPersist) = " + hex(q);
    return false;
  }
  CLSID identity{};
  HRESULT g = persist->GetClassID(&identity);
  persist->Release();
  if (FAILED(g)) {
    why = "QueryInterface(IPersist) = S_OK, GetClassID = " + hex(g);
    return false;
  }
  ClassId c{};
  unsigned long pid = 0;
  uint32_t instance = 0;
  if (server && serverOf(identity, c, pid, instance)) {
    // A notification-class object: only the coordinator knows its world number (server_log.h).
    *server = std::string(toString(c)) + " " + std::to_string(pid) + " " + std::to_string(instance);
    return true;
  }
  if (!receiverOf(identity, r)) {
    why = "GetClassID = " + guidText(identity) + ", not an identity this adapter gives";
    return false;
  }
  return true;
}

Observation ret(HRESULT hr) { return Observation::ret(Hresult{static_cast<uint32_t>(hr)}); }

}  // namespace

int runApp(int appNumber, int incarnation, unsigned long coordinatorPid, int sourcePort, int generation) {
  const AppId app = static_cast<AppId>(appNumber);
  if (FAILED(CoInitializeEx(nullptr, COINIT_MULTITHREADED))) return 2;
  CoInitializeSecurity(nullptr, -1, nullptr, nullptr, RPC_C_AUTHN_LEVEL_DEFAULT, RPC_C_IMP_LEVEL_IMPERSONATE,
                       nullptr, EOAC_NONE, nullptr);
  IBackgroundCopyManager* manager = nullptr;
  HRESULT hr = CoCreateInstance(CLSID_BackgroundCopyManager, nullptr, CLSCTX_LOCAL_SERVER | CLSCTX_INPROC_SERVER,
                                IID_IBackgroundCopyManager, reinterpret_cast<void**>(&manager));
  if (FAILED(hr)) {
    std::fprintf(stderr, "app A%d: CoCreateInstance(BackgroundCopyManager) = 0x%08lX\n", appNumber, hr);
    return 3;
  }
  CallbackObject* objects[5] = {nullptr};
  for (uint8_t s = 1; s <= kObjectSlots; ++s) objects[s] = new CallbackObject(app, static_cast<uint16_t>(incarnation), s);
  wchar_t temp[MAX_PATH];
  GetTempPathW(MAX_PATH, temp);

  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("RESET ", 0) == 0) {  // the coordinator's reset: a fresh world, this process stays
      generation = std::atoi(line.c_str() + 6);
      std::lock_guard<std::mutex> lock(namesMutex);
      jobNames.clear();  // a late call about a former case's job names no job of this one
      for (uint8_t s = 1; s <= kObjectSlots; ++s) objects[s]->behaviour().set(Behavior::Ok);
      emit("R " + formatObservation(ret(S_OK)));
      continue;
    }
    if (line == "RECONNECT") {  // the service restarted: the old manager proxy is dead
      manager->Release();
      manager = nullptr;
      hr = E_FAIL;
      for (int attempt = 0; attempt < 100 && FAILED(hr); ++attempt) {  // 5 s: a service just started may refuse at first
        if (attempt) Sleep(50);
        hr = CoCreateInstance(CLSID_BackgroundCopyManager, nullptr, CLSCTX_LOCAL_SERVER | CLSCTX_INPROC_SERVER,
                              IID_IBackgroundCopyManager, reinterpret_cast<void**>(&manager));
      }
      if (FAILED(hr)) {
        emit("X no BITS manager after a service restart: " + formatObservation(ret(hr)));
        return 3;
      }
      emit("R " + formatObservation(ret(S_OK)));
      continue;
    }
    auto space = line.find(' ');
    std::string guid = line.substr(0, space), text = line.substr(space + 1);
    auto parsed = parseCommand(text);
    if (!parsed.ok()) {
      emit("X bad command " + text);
      continue;
    }
    Command c = *parsed;
    IBackgroundCopyJob* job = nullptr;
    if (c.kind == CmdKind::CreateJob) {
      GUID id{};
      std::wstring name = std::wstring(kJobPrefix) + std::to_wstring(coordinatorPid) + L"-J" + std::to_wstring(c.job);
      hr = manager->CreateJob(name.c_str(), BG_JOB_TYPE_DOWNLOAD, &id, &job);
      if (SUCCEEDED(hr)) {
        std::lock_guard<std::mutex> lock(namesMutex);
        jobNames[guidText(id)] = c.job;
        emit("G " + guidText(id));
      }
      emit("R " + formatObservation(ret(hr)));
      if (job) job->Release();
      continue;
    }
    if (c.kind == CmdKind::Behave) {
      objects[c.slot]->behaviour().set(c.behavior);
      emit("R " + formatObservation(ret(S_OK)));
      continue;
    }
    GUID id{};
    if (guid == "-" || !parseGuidText(guid, id)) {
      emit("R " + formatObservation(ret(BG_E_NOT_FOUND)));
      continue;
    }
    {
      std::lock_guard<std::mutex> lock(namesMutex);
      jobNames[guid] = c.job;
    }
    hr = manager->GetJob(id, &job);
    if (FAILED(hr)) {
      emit("R " + formatObservation(ret(hr)));
      continue;
    }
    Observation o = ret(S_OK);
    switch (c.kind) {
      case CmdKind::AddFile: {
        BG_JOB_PROGRESS p{};
        job->GetProgress(&p);
        unsigned k = static_cast<unsigned>(p.FilesTotal) + 1;
        // The coordinator's loopback server holds the request: no byte arrives without the test's say.
        std::wstring remote = L"http://127.0.0.1:" + std::to_wstring(sourcePort) + L"/bitsconform/g" +
                              std::to_wstring(generation) + L"/J" + std::to_wstring(c.job) + L"-f" + std::to_wstring(k);
        std::wstring local = std::wstring(temp) + L"bitsconform-" + std::to_wstring(coordinatorPid) + L"-g" +
                             std::to_wstring(generation) + L"-J" + std::to_wstring(c.job) + L"-f" + std::to_wstring(k) + L".bin";
        o = ret(job->AddFile(remote.c_str(), local.c_str()));
        break;
      }
      case CmdKind::Resume: o = ret(job->Resume()); break;
      case CmdKind::Suspend: o = ret(job->Suspend()); break;
      case CmdKind::Complete: o = ret(job->Complete()); break;
      case CmdKind::Cancel: o = ret(job->Cancel()); break;
      case CmdKind::GetState: {
        BG_JOB_STATE s{};
        hr = job->GetState(&s);
        o = SUCCEEDED(hr) ? Observation::retState(Hresult{static_cast<uint32_t>(hr)}, static_cast<JobState>(s)) : ret(hr);
        break;
      }
      case CmdKind::SetNotifyInterface:
        o = ret(job->SetNotifyInterface(c.slot ? static_cast<IBackgroundCopyCallback2*>(objects[c.slot]) : nullptr));
        break;
      case CmdKind::GetNotifyInterface: {
        // Another app's object is identified by two calls into that app's process (QI, then
        // GetClassID). Under load Wine has answered that QI E_NOINTERFACE once in ~25 runs; the
        // getter has no side effect, so a failed identification repeats the whole call (bounded)
        // and says on stderr that it did. Only a persistent failure is an error, with its HRESULTs.
        Receiver r = Receiver::none();
        std::string why, server;
        bool known = false;
        for (int attempt = 1; attempt <= 5 && !known; ++attempt) {
          IUnknown* unk = nullptr;
          hr = job->GetNotifyInterface(c.nullOut ? nullptr : &unk);
          if (FAILED(hr) || c.nullOut || !unk) {
            known = true;
            break;
          }
          std::string now;
          known = identify(unk, r, now, &server);
          unk->Release();
          if (!known) {
            why += (why.empty() ? "" : "; ") + ("attempt " + std::to_string(attempt) + ": " + now);
            Sleep(100 * attempt);
          } else if (attempt > 1) {
            std::fprintf(stderr, "app A%d: GetNotifyInterface identified the object (%s) at attempt %d after: %s\n",
                         appNumber, formatObservation(Observation::retReceiver(Hresult{0}, r)).c_str(), attempt, why.c_str());
            std::fflush(stderr);
          }
        }
        if (!known) {
          emit("X GetNotifyInterface returned an object that is not one of the world's: " + why);
          job->Release();
          continue;
        }
        if (!server.empty() && SUCCEEDED(hr) && !c.nullOut) {
          emit("R server " + server + " " + hex(hr));  // the coordinator names the object
          job->Release();
          continue;
        }
        o = FAILED(hr) || c.nullOut ? ret(hr) : Observation::retReceiver(Hresult{static_cast<uint32_t>(hr)}, r);
        break;
      }
      case CmdKind::SetNotifyFlags: o = ret(job->SetNotifyFlags(c.flags)); break;
      case CmdKind::GetNotifyFlags: {
        ULONG flags = 0;
        hr = job->GetNotifyFlags(c.nullOut ? nullptr : &flags);
        o = SUCCEEDED(hr) && !c.nullOut ? Observation::retFlags(Hresult{static_cast<uint32_t>(hr)}, flags) : ret(hr);
        break;
      }
      case CmdKind::SetNotifyCmdLine:
      case CmdKind::GetNotifyCmdLine: {
        // IBackgroundCopyJob2 (BITS 1.5): without it, the failed QueryInterface is the answer.
        IBackgroundCopyJob2* job2 = nullptr;
        hr = job->QueryInterface(IID_IBackgroundCopyJob2, reinterpret_cast<void**>(&job2));
        if (FAILED(hr) || !job2) {
          o = ret(FAILED(hr) ? hr : E_NOINTERFACE);
          break;
        }
        if (c.kind == CmdKind::SetNotifyCmdLine) {
          std::wstring program = realProgram(c.program, c.job, coordinatorPid);
          std::wstring params = realParams(c.program, c.params, c.job, coordinatorPid);
          o = ret(job2->SetNotifyCmdLine(c.program == Program::Null ? nullptr : program.c_str(),
                                         c.params == Params::Null ? nullptr : params.c_str()));
        } else {
          LPWSTR program = nullptr, params = nullptr;
          hr = job2->GetNotifyCmdLine(&program, &params);
          Program p{};
          Params a{};
          std::wstring got = program ? program : L"", args = params ? params : L"";
          if (program) CoTaskMemFree(program);
          if (params) CoTaskMemFree(params);
          if (SUCCEEDED(hr) && (!worldProgram(got, c.job, coordinatorPid, p) || !worldParams(args, p, c.job, coordinatorPid, a))) {
            // Not what the world set: no Program can say it, so it is an error, not a guess.
            emit("X GetNotifyCmdLine returned '" + narrow(got) + "' '" + narrow(args).substr(0, 200) +
                 "', which is no command line of the world");
            job2->Release();
            job->Release();
            continue;
          }
          o = SUCCEEDED(hr) ? Observation::retCmdLine(Hresult{static_cast<uint32_t>(hr)}, p, a) : ret(hr);
        }
        job2->Release();
        break;
      }
      case CmdKind::SetNotifyClsid:
      case CmdKind::GetNotifyClsid: {
        // SetProperty/GetProperty live on IBackgroundCopyJob5 (BITS 5.0): without it, the failed
        // QueryInterface is the answer the world expects (VER-4, CLSID-11: E_NOINTERFACE).
        IBackgroundCopyJob5* job5 = nullptr;
        hr = job->QueryInterface(IID_IBackgroundCopyJob5, reinterpret_cast<void**>(&job5));
        if (FAILED(hr) || !job5) {
          o = ret(FAILED(hr) ? hr : E_NOINTERFACE);
          break;
        }
        BITS_JOB_PROPERTY_VALUE value{};
        if (c.kind == CmdKind::SetNotifyClsid) {
          value.ClsID = toGuid(guidOf(c.clsid));
          o = ret(job5->SetProperty(BITS_JOB_PROPERTY_NOTIFICATION_CLSID, value));
        } else {
          hr = job5->GetProperty(BITS_JOB_PROPERTY_NOTIFICATION_CLSID, &value);
          ClassId got = ClassId::Null;
          if (SUCCEEDED(hr) && !classOfGuid(value.ClsID, got)) {
            // A CLSID the world never set: no ClassId can say it, so it is an error, not a guess.
            emit("X GetNotifyClsid returned " + guidText(value.ClsID) + ", which is no class of the world");
            job5->Release();
            job->Release();
            continue;
          }
          o = SUCCEEDED(hr) ? Observation::retClsid(Hresult{static_cast<uint32_t>(hr)}, got) : ret(hr);
        }
        job5->Release();
        break;
      }
      default:
        emit("X the app cannot run " + text);
        job->Release();
        continue;
    }
    emit("R " + formatObservation(o));
    job->Release();
  }
  manager->Release();
  CoUninitialize();
  return 0;
}

}  // namespace bc::real
