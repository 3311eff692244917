// vocab/hresult.h included after a header that defines the HRESULT names as macros (as
// windows.h does): it still declares bc::hr::*, and the macros are back afterwards (issue 6).
#define S_OK ((long)0)
#define E_FAIL ((long)0x80004005L)
#define BG_E_NOT_FOUND ((long)0x80200001L)
#define CO_E_SERVER_EXEC_FAILURE ((long)0x80080005L)

#include "vocab/hresult.h"

#include <catch2/catch.hpp>

TEST_CASE("vocab/hresult.h works after windows.h-style HRESULT macros and restores them", "[vocab]") {
  static_assert(S_OK == 0L && E_FAIL == 0x80004005L, "the macros are restored");
  CHECK(bc::toString(bc::Hresult{0x80004005u}) == "E_FAIL");
  CHECK(bc::parseHresult("BG_E_NOT_FOUND")->value == 0x80200001u);
  CHECK(bc::isDisconnect(bc::Hresult{0x800706BEu}));  // uses hr:: names inside the header
#pragma push_macro("E_FAIL")
#undef E_FAIL
  CHECK(bc::hr::E_FAIL.value == 0x80004005u);
#pragma pop_macro("E_FAIL")
}
