#include "sut/real/cmdline.h"
#include "sut/real/launch_log.h"

#include <cstdio>

namespace bc::real {

namespace {

std::wstring selfPath() {
  wchar_t path[MAX_PATH];
  GetModuleFileNameW(nullptr, path, MAX_PATH);
  return path;
}

const wchar_t* fileName(Program p) { return p == Program::Ok ? L"notify-ok.exe" : L"notify-fail.exe"; }

std::wstring jobDir(JobId job, unsigned long pid) { return cmdlineRoot(pid) + L"J" + std::to_wstring(job) + L"\\"; }

}  // namespace

std::wstring cmdlineRoot(unsigned long pid) {
  wchar_t temp[MAX_PATH];
  GetTempPathW(MAX_PATH, temp);
  return std::wstring(temp) + L"bitsconform-" + std::to_wstring(pid) + L"-cmdline\\";
}

std::wstring launchLogPath(unsigned long pid) { return cmdlineRoot(pid) + L"launch.log"; }

std::wstring realProgram(Program p, JobId job, unsigned long pid) {
  if (p == Program::Null) return L"";
  if (p == Program::TooLong) return widen(programPath(p));
  std::wstring dir = jobDir(job, pid), path = dir + fileName(p);
  if (GetFileAttributesW(path.c_str()) == INVALID_FILE_ATTRIBUTES) {
    CreateDirectoryW(cmdlineRoot(pid).c_str(), nullptr);
    CreateDirectoryW(dir.c_str(), nullptr);
    if (!CreateHardLinkW(path.c_str(), selfPath().c_str(), nullptr)) CopyFileW(selfPath().c_str(), path.c_str(), FALSE);
  }
  return path;
}

std::wstring realParams(Program p, Params a, JobId job, unsigned long pid) {
  if (a == Params::Null) return L"";
  if (a == Params::TooLong) return widen(paramsText(p, a));
  return L"\"" + realProgram(p, job, pid) + L"\" /job";
}

bool worldProgram(const std::wstring& program, JobId job, unsigned long pid, Program& out) {
  for (Program p : {Program::Null, Program::Ok, Program::Fail, Program::TooLong})
    if (_wcsicmp(program.c_str(), realProgram(p, job, pid).c_str()) == 0) return out = p, true;
  return false;
}

bool worldParams(const std::wstring& params, Program p, JobId job, unsigned long pid, Params& out) {
  for (Params a : {Params::Null, Params::Ok, Params::TooLong})
    if (_wcsicmp(params.c_str(), realParams(p, a, job, pid).c_str()) == 0) return out = a, true;
  return false;
}

bool runLaunchedProgram(int& exitCode) {
  // <root>\J<n>\notify-ok.exe with root ...\bitsconform-<pid>-cmdline\ (realProgram above).
  std::wstring self = selfPath();
  size_t slash = self.find_last_of(L'\\');
  std::wstring name = self.substr(slash + 1);
  Program p = _wcsicmp(name.c_str(), L"notify-ok.exe") == 0     ? Program::Ok
              : _wcsicmp(name.c_str(), L"notify-fail.exe") == 0 ? Program::Fail
                                                                 : Program::Null;
  if (p == Program::Null) return false;
  exitCode = exitCodeOf(p);
  std::wstring dir = self.substr(0, slash);
  size_t jobAt = dir.find_last_of(L'\\');
  unsigned long job = wcstoul(dir.c_str() + jobAt + 2, nullptr, 10);  // "\J<n>"
  std::wstring root = dir.substr(0, jobAt);
  // The parameters BITS passed: the world's `args` is the whole command line; NULL leaves only
  // the program (quoted or not) or nothing.
  std::wstring line = GetCommandLineW();
  while (!line.empty() && line.back() == L' ') line.pop_back();
  std::string params = "other";
  if (_wcsicmp(line.c_str(), (L"\"" + self + L"\" /job").c_str()) == 0)  // realParams(p, Params::Ok, ...)
    params = "args";
  else if (line.empty() || _wcsicmp(line.c_str(), self.c_str()) == 0 ||
           _wcsicmp(line.c_str(), (L"\"" + self + L"\"").c_str()) == 0)
    params = "NULL";
  if (FILE* log = _wfopen((root + L"\\launch.log").c_str(), L"ab")) {
    std::fprintf(log, "%s\n", launchLine(static_cast<JobId>(job), p, params, exitCode).c_str());
    std::fclose(log);
  }
  return true;
}

}  // namespace bc::real
