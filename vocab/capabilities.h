// capabilities.h: what an implementation under test says it can do.
//
// Stated by every SUT (in process, or in the adapter protocol's handshake). A rule whose
// commands need a capability the SUT lacks is reported "not applicable", never "passed".
// `evidence` records how each capability was established (for a real adapter: the probe and
// its HRESULT, e.g. "notify-clsid" -> "QueryInterface(IBackgroundCopyJob5) = E_NOINTERFACE").
#pragma once

#include <map>
#include <string>

#include "vocab/bits_types.h"
#include "vocab/command.h"

namespace bc {

struct Capabilities {
  std::string name = "unnamed";  // "mock", "wine-qmgr", "windows-bits"
  std::string description;       // free text for reports (e.g. "Wine 8.0 qmgr under wine64")
  BitsVersion version = kNewestBits;
  bool commandLine = true;
  bool notifyClsid = true;
  bool faults = true;
  bool networkControl = true;
  bool virtualTime = true;
  bool serviceRestart = true;
  bool reboot = true;
  // JobModification is delivered exactly as the model paces it (a deterministic SUT). When
  // false, the comparison grants the latitude the docs allow (EVT-8, OQ-6): a JobModification
  // may be missing or extra, but never delivered where the flags forbid it.
  bool exactModification = true;
  std::map<std::string, std::string> evidence;

  bool has(Capability c) const {
    switch (c) {
      case Capability::None: return true;
      case Capability::CommandLine: return commandLine;
      case Capability::NotifyClsid: return notifyClsid;
      case Capability::Faults: return faults;
      case Capability::NetworkControl: return networkControl;
      case Capability::VirtualTime: return virtualTime;
      case Capability::ServiceRestart: return serviceRestart;
      case Capability::Reboot: return reboot;
    }
    return false;
  }
  bool supports(const Command& c) const { return has(requiredCapability(c)); }
};

}  // namespace bc
