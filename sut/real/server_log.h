// server_log.h: the notification-CLSID server's log lines -> the world's observations.
//
// Portable (no Windows headers) so it is tested on Linux. Every server process of a run appends
// to one file (com_server.h): "S <ClsidX> <pid> <hr>" (class object registered; ignored),
// "A <ClsidX> <pid> <instance>" (BITS created an object), "C <ClsidX> <pid> <instance> <Method>
// <job GUID|-> <file>" (BITS called it). The world numbers objects per class over the whole run
// (ClsidA#k), whichever server process made them. An activation names no job (CreateInstance
// does not see one), so `activate <ClsidX> Jn -> S_OK ClsidX#k` is emitted just before the first
// call of that object, whose job it is; an object BITS never calls is not reported.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "vocab/observation.h"

namespace bc::real {

class ServerLog {
 public:
  // Maps a BITS job GUID (as the server wrote it) to the world's job; 0 if unknown.
  using JobOf = std::function<JobId(const std::string& guid)>;
  explicit ServerLog(JobOf jobOf) : jobOf_(std::move(jobOf)) {}
  // Appends raw bytes read from the file (lines may be split across reads) and returns the
  // observations the complete lines make, in file order.
  std::vector<Observation> consume(std::string_view bytes);
  // One complete line (without '\n'). Malformed lines make nothing and are counted.
  std::vector<Observation> feed(std::string_view line);
  int malformed() const { return malformed_; }
  // The world's k (ClsidX#k) of the server's own object `instance` in process `pid`: what
  // GetNotifyInterface names. Numbered now if its "A" line was not read yet.
  uint32_t objectNumber(ClassId c, unsigned long pid, uint32_t instance) { return worldInstance(Key{c, pid, instance}); }
  // The server processes seen serving class `c` (ServerExit ends them).
  std::vector<unsigned long> processes(ClassId c) const;

 private:
  using Key = std::tuple<ClassId, unsigned long, uint32_t>;  // class, server pid, its instance
  uint32_t worldInstance(const Key& k);
  JobOf jobOf_;
  std::string partial_;
  std::map<Key, uint32_t> instances_;  // -> k of ClsidX#k
  std::map<Key, bool> announced_;      // activation already emitted
  std::map<ClassId, std::vector<unsigned long>> pids_;
  uint32_t count_[4] = {0, 0, 0, 0};
  int malformed_ = 0;
};

}  // namespace bc::real
