#include "sut/mutants/mutant.h"

#include <string>

#include "sut/mutants/deviations.h"

namespace bc::mock {

namespace {
template <class Deviation>
std::unique_ptr<Seams> make() {
  return std::make_unique<Deviation>();
}
}  // namespace

const std::vector<MutantInfo>& allMutants() {
  static const std::vector<MutantInfo> kAll = {
      {Mutant::ObjectNotPreferred, "object-not-preferred", "the CLSID is activated although a live object is registered", {Rule::CLSID_7}, make<deviation::ObjectNotPreferred>},
      {Mutant::NoClsidFallback, "no-clsid-fallback", "no activation after the registered object disconnects", {Rule::DISP_3}, make<deviation::NoClsidFallback>},
      {Mutant::ActivatedNotReused, "activated-not-reused", "the CLSID-created object is not kept: a new one every dispatch", {Rule::CLSID_8}, make<deviation::ActivatedNotReused>},
      {Mutant::ActivatedNotReplaced, "activated-not-replaced", "SetNotifyInterface does not replace a CLSID-created object", {Rule::REG_10}, make<deviation::ActivatedNotReplaced>},
      {Mutant::ClsidLostOnRestart, "clsid-lost-on-restart", "the notification CLSID is not reloaded after a service restart", {Rule::CLSID_5}, make<deviation::ClsidLostOnRestart>},
      {Mutant::ClsidLostOnRebootOnly, "clsid-lost-on-reboot-only", "the notification CLSID is lost by a reboot (kept by a service restart)", {Rule::CLSID_5}, make<deviation::ClsidLostOnRebootOnly>},
      {Mutant::ObjectPersisted, "object-persisted", "the callback object survives a service restart", {Rule::REG_4}, make<deviation::ObjectPersisted>},
      {Mutant::GuidNullNoClear, "guid-null-no-clear", "SetNotifyClsid GUID_NULL leaves the CLSID in place", {Rule::CLSID_4}, make<deviation::GuidNullNoClear>},
      {Mutant::FirstWriterWinsObject, "first-writer-wins-object", "SetNotifyInterface keeps the first registered object", {Rule::REG_3}, make<deviation::FirstWriterWinsObject>},
      {Mutant::FirstWriterWinsClsid, "first-writer-wins-clsid", "SetNotifyClsid keeps the first CLSID written", {Rule::CLSID_6}, make<deviation::FirstWriterWinsClsid>},
      {Mutant::DisableIgnored, "disable-ignored", "BG_NOTIFY_DISABLE does not silence the other bits", {Rule::FLAG_3}, make<deviation::DisableIgnored>},
      {Mutant::FlagBitIgnored, "flag-bit-ignored", "JobError is delivered although BG_NOTIFY_JOB_ERROR is off", {Rule::DISP_1}, make<deviation::FlagBitIgnored>},
      {Mutant::InvalidFlagsAccepted, "invalid-flags-accepted", "SetNotifyFlags accepts bits outside the version's mask", {Rule::FLAG_4}, make<deviation::InvalidFlagsAccepted>},
      {Mutant::SettersInFinalStates, "setters-in-final-states", "SetNotify* succeed on ACKNOWLEDGED/CANCELLED jobs", {Rule::STATE_3}, make<deviation::SettersInFinalStates>},
      {Mutant::LateRegistrationNotDelivered, "late-registration-not-delivered", "an event without a receiver is dropped, not kept for a later registration", {Rule::REG_8}, make<deviation::LateRegistrationNotDelivered>},
      {Mutant::ReregistrationNotRedelivered, "reregistration-not-redelivered", "SetNotifyInterface/Flags in TRANSFERRED or ERROR do not re-arm", {Rule::REG_9}, make<deviation::ReregistrationNotRedelivered>},
      {Mutant::TransferredNotRetried, "transferred-not-retried", "a failed JobTransferred is not retried after MinimumRetryDelay", {Rule::CB_1}, make<deviation::TransferredNotRetried>},
      {Mutant::JobErrorOnTransient, "joberror-on-transient", "a transient error fires JobError", {Rule::EVT_4}, make<deviation::JobErrorOnTransient>},
      {Mutant::FileAfterJob, "file-after-job", "FileTransferred is delivered after JobTransferred", {Rule::CB_7}, make<deviation::FileAfterJob>},
      {Mutant::CmdlineDespiteSuccess, "cmdline-despite-success", "the command line also runs when the callback succeeded", {Rule::DISP_6}, make<deviation::CmdlineDespiteSuccess>},
      {Mutant::NoCmdlineOnFailure, "no-cmdline-on-failure", "a failing callback is retried instead of running the command line", {Rule::CB_3}, make<deviation::NoCmdlineOnFailure>},
      {Mutant::DisconnectAsFailure, "disconnect-as-failure", "a disconnected object counts as a method failure (retry, no fallback)", {Rule::DISP_3}, make<deviation::DisconnectAsFailure>},
      {Mutant::EfailAsDisconnect, "efail-as-disconnect", "E_FAIL from a callback counts as a disconnect", {Rule::DISP_4}, make<deviation::EfailAsDisconnect>},
      {Mutant::ModificationIntoTransferred, "modification-into-transferred", "entering TRANSFERRED also fires JobModification", {Rule::EVT_7}, make<deviation::ModificationIntoTransferred>},
      {Mutant::DefaultFlagsWrong, "default-flags-wrong", "a new job's notify flags are 0x01 instead of 0x03", {Rule::FLAG_9}, make<deviation::DefaultFlagsWrong>},
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

void applyMutant(MockOptions& options, Mutant m) {
  for (const MutantInfo& i : allMutants()) {
    if (i.mutant != m) continue;
    options.name = "mock:mutant=" + std::string(i.name);
    options.seams = i.make;
  }
}

}  // namespace bc::mock
