#include "vocab/command.h"

#include <array>

namespace bc {

namespace {
constexpr std::array<std::string_view, kCmdKindCount> kNames = {
    "CreateJob",        "AddFile",        "Resume",           "Suspend",
    "Complete",         "Cancel",         "GetState",         "SetNotifyInterface",
    "GetNotifyInterface", "SetNotifyFlags", "GetNotifyFlags", "SetNotifyCmdLine",
    "GetNotifyCmdLine", "SetNotifyClsid", "GetNotifyClsid",   "Behave",
    "Exit",             "RegisterServer", "UnregisterServer", "ServerExit",
    "Connect",          "Progress",       "Transfer",         "TransientError",
    "FatalError",       "NetDown",        "NetUp",            "Tick",
    "ServiceRestart",   "Reboot"};
}  // namespace

std::string_view toString(CmdKind k) { return kNames[static_cast<size_t>(k)]; }

bool isApiCall(CmdKind k) { return k <= CmdKind::GetNotifyClsid; }

std::string_view toString(Capability c) {
  switch (c) {
    case Capability::None: return "none";
    case Capability::CommandLine: return "command-line";
    case Capability::NotifyClsid: return "notify-clsid";
    case Capability::Faults: return "faults";
    case Capability::NetworkControl: return "network-control";
    case Capability::VirtualTime: return "virtual-time";
    case Capability::ServiceRestart: return "service-restart";
    case Capability::Reboot: return "reboot";
  }
  return "?";
}

Capability requiredCapability(const Command& c) {
  switch (c.kind) {
    case CmdKind::SetNotifyCmdLine:
    case CmdKind::GetNotifyCmdLine: return Capability::CommandLine;
    case CmdKind::SetNotifyClsid:
    case CmdKind::GetNotifyClsid:
    case CmdKind::RegisterServer:
    case CmdKind::UnregisterServer: return Capability::NotifyClsid;
    case CmdKind::ServerExit: return Capability::Faults;
    case CmdKind::Behave: return c.behavior == Behavior::Ok ? Capability::None : Capability::Faults;
    case CmdKind::Connect:
    case CmdKind::Progress:
    case CmdKind::TransientError:
    case CmdKind::FatalError:
    case CmdKind::NetDown:
    case CmdKind::NetUp: return Capability::NetworkControl;
    case CmdKind::Tick: return Capability::VirtualTime;
    case CmdKind::ServiceRestart: return Capability::ServiceRestart;
    case CmdKind::Reboot: return Capability::Reboot;
    default: return Capability::None;
  }
}

}  // namespace bc
