#include "vocab/bits_types.h"

#include <array>
#include <cstdio>

namespace bc {

namespace {
constexpr std::array<std::string_view, 9> kStateNames = {
    "QUEUED", "CONNECTING", "TRANSFERRING", "SUSPENDED", "ERROR",
    "TRANSIENT_ERROR", "TRANSFERRED", "ACKNOWLEDGED", "CANCELLED"};
constexpr std::array<std::string_view, 12> kVersionNames = {
    "1.0", "1.2", "1.5", "2.0", "2.5", "3.0", "4.0", "5.0", "10.0", "10.1", "10.2", "10.3"};
constexpr std::array<std::string_view, kClassCount> kClassNames = {"GUID_NULL", "ClsidA", "ClsidB",
                                                                   "ClsidC"};
}  // namespace

std::string_view toString(JobState s) { return kStateNames[static_cast<size_t>(s)]; }

std::optional<JobState> parseJobState(std::string_view text) {
  for (size_t i = 0; i < kStateNames.size(); ++i)
    if (kStateNames[i] == text) return static_cast<JobState>(i);
  return std::nullopt;
}

std::string flagsToString(uint32_t flags) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%02X", flags);
  std::string out = buf;
  static constexpr std::pair<uint32_t, const char*> kNames[] = {
      {notify::kJobTransferred, "TRANSFERRED"},
      {notify::kJobError, "ERROR"},
      {notify::kDisable, "DISABLE"},
      {notify::kJobModification, "MODIFICATION"},
      {notify::kFileTransferred, "FILE_TRANSFERRED"},
      {notify::kFileRangesTransferred, "FILE_RANGES_TRANSFERRED"}};
  std::string names;
  uint32_t rest = flags;
  for (auto [bit, name] : kNames) {
    if (flags & bit) {
      names += names.empty() ? "" : "|";
      names += name;
      rest &= ~bit;
    }
  }
  if (rest) {
    std::snprintf(buf, sizeof buf, "0x%X", rest);
    names += names.empty() ? "" : "|";
    names += buf;
  }
  if (!names.empty()) out += " (" + names + ")";
  return out;
}

std::string_view toString(BitsVersion v) { return kVersionNames[static_cast<size_t>(v)]; }

bool sameBehaviour(BitsVersion a, BitsVersion b) {
  auto range = [](BitsVersion v) {
    int r = -1;
    for (BitsVersion from : kBehaviourVersions)
      if (v >= from) ++r;
    return r;
  };
  return range(a) == range(b);
}

std::optional<BitsVersion> parseBitsVersion(std::string_view text) {
  for (size_t i = 0; i < kVersionNames.size(); ++i)
    if (kVersionNames[i] == text) return static_cast<BitsVersion>(i);
  return std::nullopt;
}

std::string toString(const Guid& g) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", g.data1,
                g.data2, g.data3, g.data4[0], g.data4[1], g.data4[2], g.data4[3], g.data4[4],
                g.data4[5], g.data4[6], g.data4[7]);
  return buf;
}

std::optional<Guid> parseGuid(std::string_view text) {
  if (text.size() != 38 || text.front() != '{' || text.back() != '}') return std::nullopt;
  std::string s(text);
  Guid g;
  unsigned d1, d2, d3, b[8];
  char tail;
  if (std::sscanf(s.c_str(), "{%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x}%c", &d1, &d2, &d3, &b[0],
                  &b[1], &b[2], &b[3], &b[4], &b[5], &b[6], &b[7], &tail) != 11)
    return std::nullopt;
  g.data1 = d1;
  g.data2 = static_cast<uint16_t>(d2);
  g.data3 = static_cast<uint16_t>(d3);
  for (int i = 0; i < 8; ++i) g.data4[i] = static_cast<uint8_t>(b[i]);
  return g;
}

std::string_view toString(ClassId c) { return kClassNames[static_cast<size_t>(c)]; }

std::optional<ClassId> parseClassId(std::string_view text) {
  for (size_t i = 0; i < kClassNames.size(); ++i)
    if (kClassNames[i] == text) return static_cast<ClassId>(i);
  return std::nullopt;
}

Guid guidOf(ClassId c) {
  if (c == ClassId::Null) return Guid{};
  Guid g{0xB17C0F00u, 0x0000, 0x4000, {0x80, 0, 0, 0, 0, 0, 0, static_cast<uint8_t>(c)}};
  return g;
}

}  // namespace bc
