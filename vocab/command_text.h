// command_text.h: the text form of commands (the scenario-file step syntax).
//
//   A1 CreateJob J1                 A1 SetNotifyInterface J1 o2 | NULL
//   A1 SetNotifyFlags J1 0x0B       A1 GetNotifyFlags J1 [nullout]
//   A1 SetNotifyCmdLine J1 ok args  A1 SetNotifyClsid J1 ClsidA | GUID_NULL
//   A1 Behave o2 failonce           A1 Exit
//   RegisterServer ClsidA ok        UnregisterServer ClsidA      ServerExit ClsidA
//   Transfer J1    Progress J1      Connect J1   TransientError J1   FatalError J1
//   NetDown  NetUp  Tick 600s  ServiceRestart  Reboot
// formatCommand and parseCommand round-trip exactly.
#pragma once

#include <string>
#include <string_view>
#include "vocab/command.h"
#include "vocab/status.h"

namespace bc {

std::string formatCommand(const Command& c);

// Parses one step (no comment, no leading/trailing blanks needed: they are skipped). An error
// names the 1-based column in `text` where the problem starts (no file, no line: the caller that
// knows them places it with locate(), vocab/status.h).
Expected<Command> parseCommand(std::string_view text);

// "600s", "500ms", "10min", "2h", "14d" -> milliseconds; and back ("600s").
// At most kMaxTickMs (vocab/world.h); a longer one, or one that would overflow, is an error.
Expected<uint64_t> parseDuration(std::string_view text);
std::string formatDuration(uint64_t ms);

}  // namespace bc
