// bits_types.h: the BITS constants the rules talk about, as small value types.
//
// Job states, notification flags, BITS versions and the notification-CLSID universe, each
// with its real numeric value (bits-rules.md section 0) and a readable name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bc {

// BG_JOB_STATE, with the real enum values (STATE-1).
enum class JobState : uint8_t {
  Queued = 0,
  Connecting = 1,
  Transferring = 2,
  Suspended = 3,
  Error = 4,
  TransientError = 5,
  Transferred = 6,
  Acknowledged = 7,
  Cancelled = 8,
};
std::string_view toString(JobState s);  // "TRANSFERRED"
std::optional<JobState> parseJobState(std::string_view text);
constexpr bool isFinal(JobState s) { return s == JobState::Acknowledged || s == JobState::Cancelled; }

// Notification flags (FLAG-1). A plain bit mask; GetNotifyFlags returns what was written.
namespace notify {
inline constexpr uint32_t kJobTransferred = 0x0001;
inline constexpr uint32_t kJobError = 0x0002;
inline constexpr uint32_t kDisable = 0x0004;
inline constexpr uint32_t kJobModification = 0x0008;
inline constexpr uint32_t kFileTransferred = 0x0010;
inline constexpr uint32_t kFileRangesTransferred = 0x0020;
inline constexpr uint32_t kDefault = kJobTransferred | kJobError;  // FLAG-9 (I)
}  // namespace notify
// "0x3" style, with names in brackets: "0x0B (TRANSFERRED|ERROR|MODIFICATION)".
std::string flagsToString(uint32_t flags);

// The BITS version being emulated or probed (VER-*). Ordered, so `v >= BitsVersion::V5_0`.
enum class BitsVersion : uint8_t {
  V1_0, V1_2, V1_5, V2_0, V2_5, V3_0, V4_0, V5_0, V10_0, V10_1, V10_2, V10_3,
};
std::string_view toString(BitsVersion v);  // "5.0"
std::optional<BitsVersion> parseBitsVersion(std::string_view text);
inline constexpr BitsVersion kNewestBits = BitsVersion::V10_3;
// One version of each range whose notification behaviour differs (docs/semantics.md section 7):
// no command line (1.0), the command line once (1.5), retried (2.0), FileTransferred and the
// 0x1F mask (3.0), the notification CLSID (5.0), the 0x3F mask (10.1).
inline constexpr BitsVersion kBehaviourVersions[] = {BitsVersion::V1_0, BitsVersion::V1_5, BitsVersion::V2_0,
                                                     BitsVersion::V3_0, BitsVersion::V5_0, BitsVersion::V10_1};
bool sameBehaviour(BitsVersion a, BitsVersion b);  // a and b fall in the same range of kBehaviourVersions

// FLAG-11 (I): the flag bits SetNotifyFlags accepts in a version; any other bit is E_NOTIMPL.
constexpr uint32_t validFlagMask(BitsVersion v) {
  return v >= BitsVersion::V10_1 ? 0x3Fu : v >= BitsVersion::V3_0 ? 0x1Fu : 0x0Fu;
}

// A 128-bit GUID with registry-format printing ("{01234567-89AB-CDEF-0123-456789ABCDEF}").
struct Guid {
  uint32_t data1 = 0;
  uint16_t data2 = 0, data3 = 0;
  uint8_t data4[8] = {};
  friend bool operator==(const Guid&, const Guid&) = default;
  bool isNull() const { return *this == Guid{}; }
};
std::string toString(const Guid& g);
std::optional<Guid> parseGuid(std::string_view text);

// The notification-CLSID universe of a test world: GUID_NULL plus a few named classes.
// Whether a class is registered as an out-of-process server is world state (RegisterServer),
// not part of its identity, so one of them can stay unregistered to exercise OQ-13.
enum class ClassId : uint8_t { Null = 0, A = 1, B = 2, C = 3 };
inline constexpr int kClassCount = 4;  // including Null
std::string_view toString(ClassId c);  // "GUID_NULL", "ClsidA"
std::optional<ClassId> parseClassId(std::string_view text);
// The fixed GUID a real adapter registers for a class: {B17C0F00-0000-4000-8000-00000000000N}.
Guid guidOf(ClassId c);

}  // namespace bc
