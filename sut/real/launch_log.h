// launch_log.h: a command line BITS launched, as the launched program logged it.
//
// The world's programs `ok` and `fail` are this adapter's .exe under the names notify-ok.exe /
// notify-fail.exe, one copy per job (cmdline.h), so a launched program knows its job from its
// own path. It appends "L J<n> <ok|fail> <NULL|args|other> <exit code>" to the run's launch log
// and exits with that code; the coordinator tails the log and reports
// `cmdline Jn <program> <params> -> exit <code>`. Portable: tested on Linux.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "vocab/observation.h"

namespace bc::real {

// The log line of one launch (`params` is "NULL", "args", or anything else for parameters that
// are neither, which the parser rejects).
std::string launchLine(JobId job, Program program, std::string_view params, int exitCode);
// The observation of one line; nullopt when it is not a launch line of the world.
std::optional<Observation> parseLaunchLine(std::string_view line);

}  // namespace bc::real
