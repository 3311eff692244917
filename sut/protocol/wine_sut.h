// wine_sut.h: the real BITS adapter (sut/real, a MinGW .exe) under Wine: Wine's own qmgr.
//
// Checks that `wine` is on PATH and the adapter .exe exists (a clear std::runtime_error
// otherwise; nothing is installed), makes a private WINEPREFIX under `workDir` (or
// $TMPDIR/bitsconform-wine-<uid>), runs headless (DISPLAY unset, WINEDEBUG=-all,
// WINEDLLOVERRIDES=mscoree,mshtml=) and speaks the protocol to the adapter.
// The adapter is BITSCONFORM_REAL_ADAPTER, else the mingw preset's build output.
#pragma once

#include <string>

#include "sut/protocol/protocol_sut.h"

namespace bc {

std::string findWineAdapter();                         // "" when there is none
ProtocolOptions wineOptions(const std::string& workDir);  // throws std::runtime_error
std::string wineUnavailableReason();                   // "" when wine and the adapter exist

}  // namespace bc
