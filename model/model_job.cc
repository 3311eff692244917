// model_job.cc: the job transitions and flag tests that sections 3, 4 and 5 share.
#include "model/model.h"

namespace bc {

// FLAG-3: DISABLE turns every other bit off.
uint32_t Model::effectiveFlags(const Job& j) const { return (j.flags & notify::kDisable) ? 0 : j.flags; }

bool Model::callbackBit(const Job& j, uint32_t bit) const { return (effectiveFlags(j) & bit) != 0; }

// FLAG-7: only TRANSFERRED/ERROR matter for the command line; OQ-4: DISABLE stops it too,
// unless the policy lets it follow the raw bits.
bool Model::cmdBit(const Job& j, uint32_t bit) const {
  return config_.policies.disableStopsCmdLine ? callbackBit(j, bit) : (j.flags & bit) != 0;
}

// Section 5.4: a program is set and IBackgroundCopyJob2 exists (VER-2).
bool Model::cmdUsable(const Job& j) const {
  return j.program != Program::Null && config_.version >= BitsVersion::V1_5;
}

bool Model::eventState(const Job& j) const {
  return j.state == JobState::Transferred || j.state == JobState::Error;
}

uint32_t Model::eventBit(const Job& j) {
  return j.state == JobState::Transferred ? notify::kJobTransferred : notify::kJobError;
}

// Section 5.1: an object in the slot or a CLSID to activate.
bool Model::hasPath(const Job& j) const { return !j.slot.isNone() || j.clsid != ClassId::Null; }

// Section 5.1: a change owes a JobModification if MODIFICATION is on at that moment (EVT-6).
void Model::change(Job& j) {
  if (callbackBit(j, notify::kJobModification)) {
    j.modOwed = true;
    wrote(j.prov.modification, RuleSet{Rule::EVT_6});
    consult(Rule::EVT_6);
    // MODIFICATION means nothing to the command line (FLAG-7, CMD-2).
    if (cmdUsable(j)) withholdCmdLine(j, RuleSet{Rule::FLAG_7, Rule::CMD_2});
    return;
  }
  if (j.flags & notify::kJobModification) consult(Rule::FLAG_3);  // asked for, but DISABLE suppresses it
  // A change with a receiver at hand: a SUT that ignored the flags would call it now.
  if (hasPath(j)) withholdByFlags(j, Method::JobModification, notify::kJobModification);
}

// Section 3: a notification setting written by a setter. EVT-6: JobModification fires when
// "properties have been modified"; the notify interface and flags are job properties ("Setting
// and Retrieving the Properties of a Job"), and so are the command line (IBackgroundCopyJob2)
// and the CLSID (a BITS_JOB_PROPERTY_ID); BG_JOB_TIMES: "calling any of the set methods in the
// IBackgroundCopyJob* interfaces changes" the modification time. MP-1: a call that writes the
// same value counts too, unless the policy says only a new value does. Called after the write,
// so the MODIFICATION bit in force is the one just written.
void Model::propertySet(Job& j, bool valueChanged) {
  if (valueChanged || config_.policies.setCallModifies) change(j);
}

// Section 4: EVT-1, EVT-3; the move itself raises no JobModification (EVT-7).
void Model::enterTransferredOrError(Job& j, JobState s) {
  j.state = s;
  j.armed = true;
  j.armedStep = stepNo_;
  j.cmdOwned = false;
  j.armCause = ArmCause::Entry;
  j.retryAt = kNever;
  j.deliveredInState = false;
  j.heldBy = RuleSet{};
  j.prov.armed = RuleSet{s == JobState::Transferred ? Rule::EVT_1 : Rule::EVT_3};
  wrote(j.prov.event, j.prov.armed);
  wrote(j.prov.retry, j.prov.armed);
  wrote(j.prov.state, RuleSet{s == JobState::Transferred ? Rule::STATE_7 : Rule::STATE_8});
  // The move itself is no JobModification (EVT-7), and raises only its own event (EVT-13:
  // "->TRANSFERRED: JobTransferred only. ->ERROR: JobError only").
  if (hasPath(j)) {
    if (callbackBit(j, notify::kJobModification)) withholdCall(j, Method::JobModification, RuleSet{Rule::EVT_7});
    withholdCall(j, s == JobState::Transferred ? Method::JobError : Method::JobTransferred, RuleSet{Rule::EVT_13});
  }
  consult(Rule::EVT_7);
  consult(s == JobState::Transferred ? Rule::STATE_7 : Rule::STATE_8);
  consult(s == JobState::Transferred ? Rule::EVT_1 : Rule::EVT_3);
}

// Section 3 "Entering a final state" (OQ-1, OQ-19): no callback of any kind for the move.
void Model::enterFinal(Job& j, JobState s) {
  // An owed event is never delivered in a final state (STATE-3, EVT-13, OQ-19).
  if (j.armed && eventState(j) && hasPath(j))
    withholdCall(j, j.state == JobState::Transferred ? Method::JobTransferred : Method::JobError,
                 RuleSet{Rule::STATE_3, Rule::EVT_13});
  j.state = s;
  if (config_.policies.finalStateReleasesObject && !j.slot.isNone()) {
    writeSlot(j, Receiver::none(), RuleSet{Rule::REG_12});  // OQ-1: released; GetNotifyInterface reads NULL
  }
  if (j.hung) abandonHungCall(static_cast<JobId>(&j - jobs_.data()));
  j.armed = false;
  j.fileOwed.reset();
  j.modOwed = false;
  j.retryAt = j.requeueAt = j.lastModAt = kNever;
  consult(Rule::STATE_3);
  consult(Rule::EVT_13);
}

// Section 3 "Re-arm" (OQ-20, OQ-21): the job-level event is owed again; FileTransferred never is.
void Model::rearm(Job& j, ArmCause cause) {
  j.armed = true;
  j.armedStep = stepNo_;
  j.cmdOwned = false;
  j.armCause = cause;
  j.retryAt = kNever;
  // The registration decides: again after a delivery (REG-9), or late (REG-8).
  const RuleSet by{cause == ArmCause::Interface && j.deliveredInState ? Rule::REG_9 : Rule::REG_8, Rule::CB_14};
  wrote(j.prov.event, by);
  wrote(j.prov.retry, by);
  consult(Rule::CB_14);
}

}  // namespace bc
