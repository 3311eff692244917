#include "vocab/hresult.h"

#include <catch2/catch.hpp>

using namespace bc;

TEST_CASE("HRESULTs carry their real values and print by name", "[vocab]") {
  CHECK(hr::BG_E_INVALID_STATE.value == 0x80200002u);
  CHECK(hr::E_NOTIMPL.value == 0x80004001u);
  CHECK(hr::BG_E_UNKNOWN_PROPERTY_ID.value == 0x80200057u);
  CHECK(hr::RPC_S_SERVER_UNAVAILABLE.value == 0x800706BAu);
  CHECK(toString(hr::BG_E_STRING_TOO_LONG) == "BG_E_STRING_TOO_LONG");
  CHECK(toString(Hresult{0x8020ABCDu}) == "0x8020ABCD");
}

TEST_CASE("HRESULT names and hex literals parse back", "[vocab]") {
  CHECK(parseHresult("E_INVALIDARG") == hr::E_INVALIDARG);
  CHECK(parseHresult("0x80004005") == hr::E_FAIL);
  CHECK_FALSE(parseHresult("E_NOPE").has_value());
  CHECK_FALSE(parseHresult("0xZZ").has_value());
}

TEST_CASE("success, failure and disconnect classification", "[vocab][OQ-7][OQ-11]") {
  CHECK(hr::S_FALSE.succeeded());
  CHECK(hr::E_FAIL.failed());
  CHECK(isDisconnect(hr::RPC_E_DISCONNECTED));
  CHECK(isDisconnect(hr::RPC_S_CALL_FAILED));
  CHECK_FALSE(isDisconnect(hr::E_FAIL));
}
