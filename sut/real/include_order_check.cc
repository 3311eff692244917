// Compile-time check (issue 6): vocab/hresult.h must survive being included after windows.h,
// where S_OK, E_FAIL, BG_E_* ... are macros. Nothing here runs.
#include <windows.h>
#include <bits.h>

#include "vocab/hresult.h"
#include "vocab/observation_text.h"

static_assert(S_OK == 0, "windows.h's S_OK macro is restored after vocab/hresult.h");
static_assert(E_FAIL == static_cast<HRESULT>(0x80004005L), "windows.h's E_FAIL macro is restored");
