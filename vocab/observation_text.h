// observation_text.h: the text form of observations (scenario `expect` lines, reports, traces).
//
//   -> S_OK                          -> BG_E_INVALID_STATE
//   -> S_OK flags=0x0B               -> S_OK iface=A1#1.o2      -> S_OK iface=NULL
//   -> S_OK clsid=ClsidA             -> S_OK cmdline=ok args    -> S_OK state=TRANSFERRED
//   callback A1#1.o2 JobTransferred J1 -> S_OK
//   callback ClsidA#1 FileTransferred J1 f2 -> E_FAIL
//   callback A1#1.o2 JobError J1 -> hang          (or -> crash)
//   activate ClsidA J1 -> S_OK ClsidA#1           activate ClsidC J1 -> REGDB_E_CLASSNOTREG
//   cmdline J1 ok args -> exit 0
// formatObservation and parseObservation round-trip exactly (rules are not part of the text).
#pragma once

#include <string>
#include <string_view>
#include "vocab/command_text.h"
#include "vocab/observation.h"
#include "vocab/status.h"

namespace bc {

std::string formatObservation(const Observation& o);
// An error names the 1-based column in `text` (see parseCommand, vocab/command_text.h).
Expected<Observation> parseObservation(std::string_view text);

}  // namespace bc
