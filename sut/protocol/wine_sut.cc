#include "sut/protocol/wine_sut.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace bc {

namespace {

std::string onPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    std::string dir = dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return "";
}

}  // namespace

std::string findWineAdapter() {
  if (const char* env = std::getenv("BITSCONFORM_REAL_ADAPTER"); env && *env)
    return std::filesystem::exists(env) ? env : "";
  std::string built = BITSCONFORM_SOURCE_DIR "/build/mingw/sut/real/bitsconform-adapter.exe";
  return std::filesystem::exists(built) ? built : "";
}

std::string wineUnavailableReason() {
  if (onPath("wine").empty())
    return "wine is not installed (Debian: apt-get install wine wine64, or tools/setup.sh --wine)";
  if (findWineAdapter().empty())
    return "the real adapter .exe is missing: build it with `cmake --preset mingw && cmake --build --preset mingw` "
           "(needs mingw-w64), or set BITSCONFORM_REAL_ADAPTER";
  return "";
}

ProtocolOptions wineOptions(const std::string& workDir) {
  if (std::string why = wineUnavailableReason(); !why.empty()) throw std::runtime_error("SUT 'wine': " + why);
  namespace fs = std::filesystem;
  fs::path prefix = workDir.empty() ? fs::temp_directory_path() / ("bitsconform-wine-" + std::to_string(getuid()))
                                    : fs::path(workDir) / "wineprefix";
  // A prefix Wine already set up has its registry; only the first start builds one.
  const bool fresh = !fs::exists(prefix / "system.reg");
  fs::create_directories(prefix);
  ProtocolOptions o;
  o.argv = {"wine", findWineAdapter()};
  o.setEnv = {{"WINEPREFIX", prefix.string()}, {"WINEDEBUG", "-all"}, {"WINEDLLOVERRIDES", "mscoree,mshtml="}};
  o.unsetEnv = {"DISPLAY", "WAYLAND_DISPLAY"};
  // The first start creates the prefix (tens of seconds); later ones take 1-2 s, and a start
  // that hangs should cost its unit a retry, not the run its deadline.
  o.handshakeTimeoutMs = fresh ? 180000 : 45000;
  o.stepTimeoutMs = 60000;        // an app process starts on its first call
  o.settleDeadlineMs = 5000;  // the adapter returns at 1.5 s of quiet; this only bounds a storm of callbacks
  o.byeTimeoutMs = 15000;         // the adapter cancels its jobs and ends its apps
  return o;
}

}  // namespace bc
