#include "sut/mock/mutant.h"

namespace bc::mock {

const std::vector<MutantInfo>& allMutants() {
  static const std::vector<MutantInfo> kAll = {
      {Mutant::ObjectNotPreferred, "object-not-preferred", "the CLSID is activated although a live object is registered"},
      {Mutant::NoClsidFallback, "no-clsid-fallback", "no activation after the registered object disconnects"},
      {Mutant::ActivatedNotReused, "activated-not-reused", "the CLSID-created object is not kept: a new one every dispatch"},
      {Mutant::ActivatedNotReplaced, "activated-not-replaced", "SetNotifyInterface does not replace a CLSID-created object"},
      {Mutant::ClsidLostOnRestart, "clsid-lost-on-restart", "the notification CLSID is not reloaded after a service restart"},
      {Mutant::ClsidLostOnRebootOnly, "clsid-lost-on-reboot-only", "the notification CLSID is lost by a reboot (kept by a service restart)"},
      {Mutant::ObjectPersisted, "object-persisted", "the callback object survives a service restart"},
      {Mutant::GuidNullNoClear, "guid-null-no-clear", "SetNotifyClsid GUID_NULL leaves the CLSID in place"},
      {Mutant::FirstWriterWinsObject, "first-writer-wins-object", "SetNotifyInterface keeps the first registered object"},
      {Mutant::FirstWriterWinsClsid, "first-writer-wins-clsid", "SetNotifyClsid keeps the first CLSID written"},
      {Mutant::DisableIgnored, "disable-ignored", "BG_NOTIFY_DISABLE does not silence the other bits"},
      {Mutant::FlagBitIgnored, "flag-bit-ignored", "JobError is delivered although BG_NOTIFY_JOB_ERROR is off"},
      {Mutant::InvalidFlagsAccepted, "invalid-flags-accepted", "SetNotifyFlags accepts bits outside the version's mask"},
      {Mutant::SettersInFinalStates, "setters-in-final-states", "SetNotify* succeed on ACKNOWLEDGED/CANCELLED jobs"},
      {Mutant::LateRegistrationNotDelivered, "late-registration-not-delivered", "an event without a receiver is dropped, not kept for a later registration"},
      {Mutant::ReregistrationNotRedelivered, "reregistration-not-redelivered", "SetNotifyInterface/Flags in TRANSFERRED or ERROR do not re-arm"},
      {Mutant::TransferredNotRetried, "transferred-not-retried", "a failed JobTransferred is not retried after MinimumRetryDelay"},
      {Mutant::JobErrorOnTransient, "joberror-on-transient", "a transient error fires JobError"},
      {Mutant::FileAfterJob, "file-after-job", "FileTransferred is delivered after JobTransferred"},
      {Mutant::CmdlineDespiteSuccess, "cmdline-despite-success", "the command line also runs when the callback succeeded"},
      {Mutant::NoCmdlineOnFailure, "no-cmdline-on-failure", "a failing callback is retried instead of running the command line"},
      {Mutant::DisconnectAsFailure, "disconnect-as-failure", "a disconnected object counts as a method failure (retry, no fallback)"},
      {Mutant::EfailAsDisconnect, "efail-as-disconnect", "E_FAIL from a callback counts as a disconnect"},
      {Mutant::ModificationIntoTransferred, "modification-into-transferred", "entering TRANSFERRED also fires JobModification"},
      {Mutant::DefaultFlagsWrong, "default-flags-wrong", "a new job's notify flags are 0x01 instead of 0x03"},
  };
  return kAll;
}

std::vector<std::string_view> mutantNames() {
  std::vector<std::string_view> out;
  for (const auto& m : allMutants()) out.push_back(m.name);
  return out;
}

std::string_view toString(Mutant m) {
  for (const auto& i : allMutants())
    if (i.mutant == m) return i.name;
  return "none";
}

std::optional<Mutant> parseMutant(std::string_view name) {
  if (name == "none") return Mutant::None;
  for (const auto& i : allMutants())
    if (i.name == name) return i.mutant;
  return std::nullopt;
}

}  // namespace bc::mock
