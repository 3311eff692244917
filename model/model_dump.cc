// model_dump.cc: Model::dump(), the readable state for failure messages.
#include <string>

#include "model/model.h"
#include "vocab/command_text.h"

namespace bc {

namespace {
std::string timer(uint64_t t) { return t == kNever ? "-" : formatDuration(t); }
}  // namespace

std::string Model::dump() const {
  std::string s = "model: BITS " + std::string(toString(config_.version)) + ", now " + formatDuration(now_) +
                  ", network " + (netUp_ ? "up" : "down") + ", hung calls " + std::to_string(hungCount_) + "\n";
  const auto nonDefault = describeNonDefault(config_.policies);
  for (const auto& p : nonDefault) s += "  policy " + p + "\n";
  for (AppId a = 1; a <= kMaxApps; ++a) {
    const App& app = apps_[a];
    bool interesting = !app.running || app.incarnation != 1;
    for (uint8_t o = 1; o <= kObjectSlots; ++o) interesting |= app.behavior[o] != Behavior::Ok;
    if (!interesting) continue;
    s += "  A" + std::to_string(a) + "#" + std::to_string(app.incarnation) + (app.running ? " running" : " exited");
    for (uint8_t o = 1; o <= kObjectSlots; ++o)
      if (app.behavior[o] != Behavior::Ok) s += " o" + std::to_string(o) + "=" + std::string(toString(app.behavior[o]));
    s += "\n";
  }
  for (int c = 1; c < kClassCount; ++c) {
    const Server& sv = servers_[c];
    if (!sv.registered && sv.created == 0) continue;
    s += "  " + std::string(toString(static_cast<ClassId>(c))) + (sv.registered ? " registered " : " unregistered ") +
         std::string(toString(sv.behavior)) + ", created " + std::to_string(sv.created) + ", live from #" +
         std::to_string(sv.firstLive) + "\n";
  }
  for (JobId id = 1; id < jobs_.size(); ++id) {
    const Job& j = jobs_[id];
    if (!j.exists) continue;
    s += "  J" + std::to_string(id) + " (A" + std::to_string(j.owner) + ") " + std::string(toString(j.state)) +
         " files " + std::to_string(j.filesDone) + "/" + std::to_string(j.files) + " flags " + flagsToString(j.flags) +
         " clsid " + std::string(toString(j.clsid)) + " cmdline " + std::string(toString(j.program)) + " " +
         std::string(toString(j.params)) + "\n    slot " + toString(j.slot) + (j.armed ? " armed" : "") +
         (j.cmdOwned ? " cmdOwned" : "") + (j.modOwed ? " modOwed" : "") + (j.hung ? " hung" : "") + " owed files [";
    for (int f = 0; f < j.filesDone; ++f)
      if (j.fileOwed.test(f)) s += " f" + std::to_string(f + 1);
    s += " ] retryAt " + timer(j.retryAt) + " requeueAt " + timer(j.requeueAt) + " lastModAt " + timer(j.lastModAt) +
         " noProgressSince " + timer(j.noProgressSince) + "\n";
  }
  return s;
}

}  // namespace bc
