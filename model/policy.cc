#include "model/policy.h"

#include <array>
#include <charconv>

namespace bc {

namespace {
constexpr std::array<PolicyInfo, 33> kPolicies = {{
    {"OQ-1", "final-releases-object", true, "entering a final state releases the callback object; GetNotifyInterface then returns NULL", "the slot keeps its object"},
    {"OQ-2", "flags-zero", false, "SetNotifyFlags(0) is accepted and means no events, the command line included", ""},
    {"OQ-3", "invalid-flags", false, "invalid = any bit outside the version's mask; DISABLE with other bits is valid and read back", ""},
    {"OQ-4", "disable-stops-cmdline", true, "DISABLE stops every path, the command line included", "the command line follows the raw TRANSFERRED/ERROR bits"},
    {"OQ-5", "default-flags", false, "default flags are 0x03 (inferred from the bitsadmin sample)", ""},
    {"OQ-6", "modification-interval", true, "at most one JobModification per job per 500 ms; changes in between are merged", "another interval (0 = no pacing)"},
    {"OQ-7a", "file-success", true, "FileTransferred: SUCCEEDED(hr) counts as delivered; only a negative HRESULT is retried (S_FALSE delivers)", "only S_OK counts: S_FALSE is retried"},
    {"OQ-7b", "job-event-success", true, "JobTransferred/JobError: only S_OK counts as delivered; S_FALSE is called again after MinimumRetryDelay", "SUCCEEDED(hr) counts: S_FALSE delivers"},
    {"OQ-7c", "cmdline-on-failure-code", true, "the command line takes over only from a FAILED(hr) answer; an S_FALSE that did not deliver is retried on the callback", "any answer that did not deliver (S_FALSE) runs the command line"},
    {"OQ-8", "retry-delay", false, "a failed callback is retried after the job's MinimumRetryDelay (600 s)", ""},
    {"OQ-9", "cmdline-owns-event", true, "after a failed callback with a command line set, retries run only the command line", "every retry calls the callback first again",
     "the pages disagree: JobTransferred \"the command line is executed and this method is not called again\"; SetNotifyCmdLine \"BITS will send the notification again after the minimum retry period expires\""},
    {"OQ-10", "clsid-is-callback", false, "the CLSID-created object counts as the callback: object, then CLSID, then command line", ""},
    {"OQ-11", "disconnect-codes", false, "RPC_E_DISCONNECTED, CO_E_OBJNOTCONNECTED, RPC_S_SERVER_UNAVAILABLE, RPC_S_CALL_FAILED mean disconnected; a returned failure is not", ""},
    {"OQ-12", "get-returns-activated", true, "GetNotifyInterface returns the object created from the CLSID", "it returns NULL for it"},
    {"OQ-13", "activation-failure-retries", true, "a failed activation counts as no callback: command line, else a retry after MinimumRetryDelay", "no retry: the event waits for a registration change"},
    {"OQ-14", "clsid-unchecked", false, "SetProperty does not check the CLSID; problems show at dispatch", ""},
    {"OQ-15", "clsid-default-null", false, "GetProperty returns GUID_NULL with S_OK when no CLSID was set", ""},
    {"OQ-16", "clsid-any-nonfinal-state", false, "the CLSID may be set in any non-final state; BG_E_INVALID_STATE in final states", ""},
    {"OQ-19", "no-final-notifications", false, "no callback is made for a move into ACKNOWLEDGED or CANCELLED", ""},
    {"OQ-20", "flags-rearm", true, "JobTransferred/JobError stay owed while the job is TRANSFERRED/ERROR until delivered; SetNotifyFlags with the bit re-arms (re-delivers)", "SetNotifyFlags never re-arms: an owed event is still delivered, a delivered one is not delivered again",
     "CB-14: \"JobTransferred and JobError are delivered at least once\" (IBackgroundCopyCallback remarks)"},
    {"OQ-21", "same-pointer-rearms", true, "setting the same object again re-arms (re-delivers)", "only a different object re-arms",
     "CB-14: \"JobTransferred and JobError are delivered at least once\" (IBackgroundCopyCallback remarks)"},
    {"OQ-22", "once-per-entry", false, "JobTransferred/JobError are owed once per entry into TRANSFERRED/ERROR", ""},
    {"OQ-26", "file-blocks-job", false, "JobTransferred waits until every FileTransferred was delivered", ""},
    {"OQ-27", "four-per-user", true, "one limit of four hung calls per user, across jobs and apps, callbacks only: while it is reached no callback is made, but a command line that needs no call still runs", "the command line waits too: no dispatch starts",
     "CB-12 \"up to four simultaneous notifications per user\" does not say whether the program counts"},
    {"OQ-28", "flags-as-written", false, "GetNotifyFlags returns the value as written, DISABLE-masked bits too", ""},
    {"OQ-29", "error-codes", false, "SetNotifyInterface with a non-callback object: E_NOINTERFACE; SetNotifyCmdLine(NULL, args): E_INVALIDARG", ""},
    {"OQ-30", "clsid-version", false, "the notification CLSID exists from BITS 5.0", ""},
    {"OQ-31", "app-exit-disconnects", false, "an exited app's objects are disconnected; BITS notices at its next call", ""},
    {"OQ-34", "done-states-not-suspended", false, "Suspend leaves ERROR and TRANSFERRED jobs in their state", ""},
    {"MP-1", "set-call-modifies", true, "every successful SetNotify*/SetProperty call is a JobModification change, even one that writes the same value", "only a call that changes the stored value"},
    {"MP-2", "dead-object-before-interface", true, "a dead IBackgroundCopyCallback-only object is a disconnect for an owed FileTransferred: a CLSID set on the job takes over", "the object's interfaces are known from the registration: the FileTransferred is dropped without a call",
     "\"no longer valid when your application terminates\" (IBackgroundCopyCallback) against BITS finding out only when it calls (REG-7)"},
    {"MP-3", "late-file-flag", true, "FILE_TRANSFERRED set after a file arrived owes its FileTransferred (at least once, even after the event)", "a FileTransferred is owed only if the bit was on when the file arrived",
     "the \"at least once, even if the registration occurs after the event\" guarantee reaches IBackgroundCopyCallback2 only by reference"},
    {"MP-4", "clsid-waits-activation-retry", true, "a CLSID set while the retry of a failed activation is pending waits for that retry", "a new CLSID ends the wait: the class is tried at once"},
}};

bool* boolField(Policies& p, std::string_view id) {
  if (id == "OQ-1") return &p.finalStateReleasesObject;
  if (id == "OQ-4") return &p.disableStopsCmdLine;
  if (id == "OQ-7a") return &p.fileSucceededDelivers;
  if (id == "OQ-7b") return &p.jobEventOnlySOk;
  if (id == "OQ-7c") return &p.cmdLineOnlyOnFailureCode;
  if (id == "OQ-9") return &p.cmdLineOwnsEventAfterFailure;
  if (id == "OQ-12") return &p.getReturnsActivatedObject;
  if (id == "OQ-13") return &p.activationFailureRetries;
  if (id == "OQ-20") return &p.flagsRearm;
  if (id == "OQ-21") return &p.samePointerRearms;
  if (id == "MP-1") return &p.setCallModifies;
  if (id == "MP-2") return &p.deadObjectInvalidForFiles;
  if (id == "MP-3") return &p.lateFileFlagDelivers;
  if (id == "MP-4") return &p.clsidWaitsForActivationRetry;
  if (id == "OQ-27") return &p.cmdLineSparedByHungLimit;
  return nullptr;
}

const PolicyInfo* find(std::string_view key) {
  for (const auto& p : kPolicies)
    if (p.id == key || p.name == key) return &p;
  return nullptr;
}
}  // namespace

std::span<const PolicyInfo> allPolicies() { return kPolicies; }

Status setPolicy(Policies& p, std::string_view key, std::string_view value) {
  const PolicyInfo* info = find(key);
  if (!info) return Status::fail("unknown policy '" + std::string(key) + "'");
  if (!info->switchable) return Status::fail("policy " + std::string(info->id) + " is a fixed assumption, not switchable");
  if (info->id == "OQ-6") {
    unsigned v = 0;
    if (value == "default") {
      p.modIntervalMs = 500;
      return {};
    }
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec != std::errc() || ptr != value.data() + value.size())
      return Status::fail("policy OQ-6 takes a number of milliseconds or 'default', not '" + std::string(value) + "'");
    p.modIntervalMs = v;
    return {};
  }
  bool* field = boolField(p, info->id);
  if (value == "default" || value == "on") {
    *field = true;
  } else if (value == "alt" || value == "off") {
    *field = false;
  } else {
    return Status::fail("policy " + std::string(info->id) + " takes default/alt (or on/off), not '" + std::string(value) + "'");
  }
  return {};
}

bool isDefault(const Policies& p, std::string_view id) {
  if (id == "OQ-6") return p.modIntervalMs == 500;
  Policies copy = p;
  bool* f = boolField(copy, id);
  return f == nullptr || *f;
}

std::optional<std::string_view> policyId(std::string_view key) {
  const PolicyInfo* info = find(key);
  return info ? std::optional<std::string_view>(info->id) : std::nullopt;
}

std::string policySetting(const Policies& p, std::string_view id) {
  if (isDefault(p, id)) return "default";
  return id == "OQ-6" ? std::to_string(p.modIntervalMs) : "alt";
}

std::vector<std::string> describeNonDefault(const Policies& p) {
  std::vector<std::string> out;
  for (const auto& info : kPolicies) {
    if (!info.switchable || isDefault(p, info.id)) continue;
    if (info.id == "OQ-6")
      out.push_back("OQ-6=" + std::to_string(p.modIntervalMs) + "ms (" + std::string(info.alternative) + ")");
    else
      out.push_back(std::string(info.id) + "=alt (" + std::string(info.alternative) + ")");
  }
  return out;
}

std::vector<Policies> latitudeVariants(const Policies& p) {
  std::vector<Policies> out{p};
  for (const auto& info : kPolicies) {
    if (info.latitude.empty()) continue;
    const size_t n = out.size();
    for (size_t i = 0; i < n; ++i) {
      Policies other = out[i];
      bool* f = boolField(other, info.id);
      *f = !*f;
      out.push_back(other);
    }
  }
  return out;
}

}  // namespace bc
