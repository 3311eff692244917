#include "sut/real/launch_log.h"

#include <cstdlib>
#include <sstream>

namespace bc::real {

std::string launchLine(JobId job, Program program, std::string_view params, int exitCode) {
  return "L J" + std::to_string(job) + " " + std::string(toString(program)) + " " + std::string(params) + " " +
         std::to_string(exitCode);
}

std::optional<Observation> parseLaunchLine(std::string_view line) {
  std::istringstream in{std::string(line)};
  std::string tag, job, program, params, extra;
  int exitCode = 0;
  if (!(in >> tag >> job >> program >> params >> exitCode) || (in >> extra) || tag != "L" || job.size() < 2 ||
      job[0] != 'J')
    return std::nullopt;
  auto p = parseProgram(program);
  auto a = parseParams(params);
  char* end = nullptr;
  unsigned long n = std::strtoul(job.c_str() + 1, &end, 10);
  if (!p || !a || *end || n == 0 || n > 0xFFFF) return std::nullopt;
  return Observation::cmdLine(static_cast<JobId>(n), *p, *a, exitCode);
}

}  // namespace bc::real
