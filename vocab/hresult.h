// hresult.h: HRESULTs as named values.
//
// Every HRESULT the rules mention (bits-rules.md section 2) has a name here with its real hex
// value, so that results compare as values and print as names ("BG_E_INVALID_STATE"), never as
// bare numbers. Unknown values print as 0x%08X.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// windows.h (winerror.h, bitsmsg.h) defines these names as macros: hide them while this header
// declares bc::hr::*, restore them at its end, so it may be included before or after windows.h.
#pragma push_macro("S_OK")
#undef S_OK
#pragma push_macro("S_FALSE")
#undef S_FALSE
#pragma push_macro("BG_S_PARTIAL_COMPLETE")
#undef BG_S_PARTIAL_COMPLETE
#pragma push_macro("BG_S_UNABLE_TO_DELETE_FILES")
#undef BG_S_UNABLE_TO_DELETE_FILES
#pragma push_macro("E_NOTIMPL")
#undef E_NOTIMPL
#pragma push_macro("E_NOINTERFACE")
#undef E_NOINTERFACE
#pragma push_macro("E_FAIL")
#undef E_FAIL
#pragma push_macro("E_PENDING")
#undef E_PENDING
#pragma push_macro("E_ACCESSDENIED")
#undef E_ACCESSDENIED
#pragma push_macro("E_INVALIDARG")
#undef E_INVALIDARG
#pragma push_macro("BG_E_NOT_FOUND")
#undef BG_E_NOT_FOUND
#pragma push_macro("BG_E_INVALID_STATE")
#undef BG_E_INVALID_STATE
#pragma push_macro("BG_E_EMPTY")
#undef BG_E_EMPTY
#pragma push_macro("BG_E_NETWORK_DISCONNECTED")
#undef BG_E_NETWORK_DISCONNECTED
#pragma push_macro("BG_E_INSUFFICIENT_RANGE_SUPPORT")
#undef BG_E_INSUFFICIENT_RANGE_SUPPORT
#pragma push_macro("BG_E_NEW_OWNER_DIFF_MAPPING")
#undef BG_E_NEW_OWNER_DIFF_MAPPING
#pragma push_macro("BG_E_NEW_OWNER_NO_FILE_ACCESS")
#undef BG_E_NEW_OWNER_NO_FILE_ACCESS
#pragma push_macro("BG_E_STRING_TOO_LONG")
#undef BG_E_STRING_TOO_LONG
#pragma push_macro("BG_E_RECORD_DELETED")
#undef BG_E_RECORD_DELETED
#pragma push_macro("BG_E_TOO_MANY_JOBS_PER_USER")
#undef BG_E_TOO_MANY_JOBS_PER_USER
#pragma push_macro("BG_E_TOO_MANY_JOBS_PER_MACHINE")
#undef BG_E_TOO_MANY_JOBS_PER_MACHINE
#pragma push_macro("BG_E_VALIDATION_FAILED")
#undef BG_E_VALIDATION_FAILED
#pragma push_macro("BG_E_MAXDOWNLOAD_TIMEOUT")
#undef BG_E_MAXDOWNLOAD_TIMEOUT
#pragma push_macro("BG_E_TOKEN_REQUIRED")
#undef BG_E_TOKEN_REQUIRED
#pragma push_macro("BG_E_UNKNOWN_PROPERTY_ID")
#undef BG_E_UNKNOWN_PROPERTY_ID
#pragma push_macro("BG_E_READ_ONLY_PROPERTY")
#undef BG_E_READ_ONLY_PROPERTY
#pragma push_macro("BG_E_READ_ONLY_PROPERTY_AFTER_ADDFILE")
#undef BG_E_READ_ONLY_PROPERTY_AFTER_ADDFILE
#pragma push_macro("BG_E_READ_ONLY_PROPERTY_AFTER_RESUME")
#undef BG_E_READ_ONLY_PROPERTY_AFTER_RESUME
#pragma push_macro("RPC_E_DISCONNECTED")
#undef RPC_E_DISCONNECTED
#pragma push_macro("CO_E_OBJNOTCONNECTED")
#undef CO_E_OBJNOTCONNECTED
#pragma push_macro("RPC_S_SERVER_UNAVAILABLE")
#undef RPC_S_SERVER_UNAVAILABLE
#pragma push_macro("RPC_S_CALL_FAILED")
#undef RPC_S_CALL_FAILED
#pragma push_macro("REGDB_E_CLASSNOTREG")
#undef REGDB_E_CLASSNOTREG
#pragma push_macro("CO_E_SERVER_EXEC_FAILURE")
#undef CO_E_SERVER_EXEC_FAILURE

namespace bc {

struct Hresult {
  uint32_t value = 0;

  constexpr bool succeeded() const { return (value & 0x80000000u) == 0; }
  constexpr bool failed() const { return !succeeded(); }
  friend constexpr bool operator==(Hresult a, Hresult b) { return a.value == b.value; }
  friend constexpr bool operator!=(Hresult a, Hresult b) { return a.value != b.value; }
};

// X(name, value): the table every name/value lookup is generated from.
#define BC_HRESULTS(X)                              \
  X(S_OK, 0x00000000u)                              \
  X(S_FALSE, 0x00000001u)                           \
  X(BG_S_PARTIAL_COMPLETE, 0x00200017u)             \
  X(BG_S_UNABLE_TO_DELETE_FILES, 0x0020001Au)       \
  X(E_NOTIMPL, 0x80004001u)                         \
  X(E_NOINTERFACE, 0x80004002u)                     \
  X(E_FAIL, 0x80004005u)                            \
  X(E_PENDING, 0x8000000Au)                         \
  X(E_ACCESSDENIED, 0x80070005u)                    \
  X(E_INVALIDARG, 0x80070057u)                      \
  X(BG_E_NOT_FOUND, 0x80200001u)                    \
  X(BG_E_INVALID_STATE, 0x80200002u)                \
  X(BG_E_EMPTY, 0x80200003u)                        \
  X(BG_E_NETWORK_DISCONNECTED, 0x80200010u)         \
  X(BG_E_INSUFFICIENT_RANGE_SUPPORT, 0x80200013u)   \
  X(BG_E_NEW_OWNER_DIFF_MAPPING, 0x80200015u)       \
  X(BG_E_NEW_OWNER_NO_FILE_ACCESS, 0x80200016u)     \
  X(BG_E_STRING_TOO_LONG, 0x80200021u)              \
  X(BG_E_RECORD_DELETED, 0x80200042u)               \
  X(BG_E_TOO_MANY_JOBS_PER_USER, 0x80200049u)       \
  X(BG_E_TOO_MANY_JOBS_PER_MACHINE, 0x80200050u)    \
  X(BG_E_VALIDATION_FAILED, 0x80200053u)            \
  X(BG_E_MAXDOWNLOAD_TIMEOUT, 0x80200054u)          \
  X(BG_E_TOKEN_REQUIRED, 0x80200056u)               \
  X(BG_E_UNKNOWN_PROPERTY_ID, 0x80200057u)          \
  X(BG_E_READ_ONLY_PROPERTY, 0x80200058u)           \
  X(BG_E_READ_ONLY_PROPERTY_AFTER_ADDFILE, 0x80200061u) \
  X(BG_E_READ_ONLY_PROPERTY_AFTER_RESUME, 0x80200062u)  \
  X(RPC_E_DISCONNECTED, 0x80010108u)                \
  X(CO_E_OBJNOTCONNECTED, 0x800401FDu)              \
  X(RPC_S_SERVER_UNAVAILABLE, 0x800706BAu)          \
  X(RPC_S_CALL_FAILED, 0x800706BEu)                 \
  X(REGDB_E_CLASSNOTREG, 0x80040154u)               \
  X(CO_E_SERVER_EXEC_FAILURE, 0x80080005u)

namespace hr {
#define BC_DECLARE_HR(name, v) inline constexpr Hresult name{v};
BC_HRESULTS(BC_DECLARE_HR)
#undef BC_DECLARE_HR
}  // namespace hr

// "BG_E_INVALID_STATE", or "0x8020ABCD" for a value without a name.
std::string toString(Hresult h);
// Accepts a name from the table or a hex literal ("0x80004005"); nullopt otherwise.
std::optional<Hresult> parseHresult(std::string_view text);

// OQ-11: the transport errors that mean "the callback object is gone", as opposed to a
// method that ran and returned a failure.
constexpr bool isDisconnect(Hresult h) {
  return h == hr::RPC_E_DISCONNECTED || h == hr::CO_E_OBJNOTCONNECTED ||
         h == hr::RPC_S_SERVER_UNAVAILABLE || h == hr::RPC_S_CALL_FAILED;
}

}  // namespace bc

#pragma pop_macro("S_OK")
#pragma pop_macro("S_FALSE")
#pragma pop_macro("BG_S_PARTIAL_COMPLETE")
#pragma pop_macro("BG_S_UNABLE_TO_DELETE_FILES")
#pragma pop_macro("E_NOTIMPL")
#pragma pop_macro("E_NOINTERFACE")
#pragma pop_macro("E_FAIL")
#pragma pop_macro("E_PENDING")
#pragma pop_macro("E_ACCESSDENIED")
#pragma pop_macro("E_INVALIDARG")
#pragma pop_macro("BG_E_NOT_FOUND")
#pragma pop_macro("BG_E_INVALID_STATE")
#pragma pop_macro("BG_E_EMPTY")
#pragma pop_macro("BG_E_NETWORK_DISCONNECTED")
#pragma pop_macro("BG_E_INSUFFICIENT_RANGE_SUPPORT")
#pragma pop_macro("BG_E_NEW_OWNER_DIFF_MAPPING")
#pragma pop_macro("BG_E_NEW_OWNER_NO_FILE_ACCESS")
#pragma pop_macro("BG_E_STRING_TOO_LONG")
#pragma pop_macro("BG_E_RECORD_DELETED")
#pragma pop_macro("BG_E_TOO_MANY_JOBS_PER_USER")
#pragma pop_macro("BG_E_TOO_MANY_JOBS_PER_MACHINE")
#pragma pop_macro("BG_E_VALIDATION_FAILED")
#pragma pop_macro("BG_E_MAXDOWNLOAD_TIMEOUT")
#pragma pop_macro("BG_E_TOKEN_REQUIRED")
#pragma pop_macro("BG_E_UNKNOWN_PROPERTY_ID")
#pragma pop_macro("BG_E_READ_ONLY_PROPERTY")
#pragma pop_macro("BG_E_READ_ONLY_PROPERTY_AFTER_ADDFILE")
#pragma pop_macro("BG_E_READ_ONLY_PROPERTY_AFTER_RESUME")
#pragma pop_macro("RPC_E_DISCONNECTED")
#pragma pop_macro("CO_E_OBJNOTCONNECTED")
#pragma pop_macro("RPC_S_SERVER_UNAVAILABLE")
#pragma pop_macro("RPC_S_CALL_FAILED")
#pragma pop_macro("REGDB_E_CLASSNOTREG")
#pragma pop_macro("CO_E_SERVER_EXEC_FAILURE")
