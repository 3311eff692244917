// cmdline.h: the world's command-line programs on a real BITS (SetNotifyCmdLine, CMD-*).
//
// `ok` and `fail` (vocab/world.h) become this adapter's .exe, hard-linked (or copied) as
// <root>\J<n>\notify-ok.exe and notify-fail.exe, root = %TEMP%\bitsconform-<coordinator pid>-cmdline:
// one program per job, so the process BITS launches knows its job and run from its own path.
// Launched, the exe logs the launch (launch_log.h) to <root>\launch.log and exits 0 (ok) or 1
// (fail). `long` is the world's 261-character path and `longargs` its 4,001 characters: BITS
// must refuse them (CMD-4), so they never need to exist. Parameters `args` are the world's
// "\"<program>\" /job" with the real program's path.
#pragma once

#include "sut/real/real_common.h"  // vocab before windows.h

#include <string>

namespace bc::real {

std::wstring cmdlineRoot(unsigned long coordinatorPid);
std::wstring launchLogPath(unsigned long coordinatorPid);
// The real program and parameters SetNotifyCmdLine gets for the world's (p, a) on `job`; the
// program file is made on first use. Null stands for a NULL pointer ("" here).
std::wstring realProgram(Program p, JobId job, unsigned long coordinatorPid);
std::wstring realParams(Program p, Params a, JobId job, unsigned long coordinatorPid);
// What GetNotifyCmdLine returned, as the world's values; false if it is not one of them.
bool worldProgram(const std::wstring& program, JobId job, unsigned long coordinatorPid, Program& out);
bool worldParams(const std::wstring& params, Program p, JobId job, unsigned long coordinatorPid, Params& out);
// True when this process is a launched notify program (by its file name); it then logs the
// launch and returns the exit code in `exitCode`.
bool runLaunchedProgram(int& exitCode);

}  // namespace bc::real
