// seams.cc: BITS's answer at each rule point (the rules and their sentences: seams.h). Out of
// line so that these answers are in a translation unit of the mock like the rest of its code.
#include "sut/mock/seams.h"

namespace bc::mock {

bool Seams::clsidSurvivesStart(bool /*afterReboot*/) const { return true; }
void Seams::objectAtStop(JobId /*job*/, const Receiver& /*object*/) {}
Receiver Seams::objectAtStart(JobId /*job*/) { return Receiver::none(); }
uint32_t Seams::newJobFlags() const { return notify::kDefault; }
bool Seams::flagsValid(uint32_t flags, BitsVersion v) const { return (flags & ~validFlagMask(v)) == 0; }
uint32_t Seams::effectiveFlags(uint32_t flags) const { return (flags & notify::kDisable) ? 0 : flags; }
bool Seams::settersRefusedIn(JobState s) const { return isFinal(s); }
bool Seams::objectReplaces(const Receiver& /*held*/) const { return true; }
bool Seams::clsidReplaces(ClassId /*held*/, ClassId /*written*/) const { return true; }
bool Seams::reregistrationRearms() const { return true; }
std::optional<Method> Seams::jobEventOf(JobState s) const {
  if (s == JobState::Transferred) return Method::JobTransferred;
  if (s == JobState::Error) return Method::JobError;
  return std::nullopt;
}
bool Seams::jobEventWanted(Method event, uint32_t flags) const {
  return (flags & (event == Method::JobTransferred ? notify::kJobTransferred : notify::kJobError)) != 0;
}
bool Seams::modificationIntoTransferred() const { return false; }
bool Seams::eventWaitsForReceiver() const { return true; }
bool Seams::filesBeforeJobEvent() const { return true; }
bool Seams::objectBeforeClsid() const { return true; }
bool Seams::isDisconnection(const CallResult& r) const { return r.kind == CallResult::Kind::Disconnected; }
bool Seams::clsidAfterDisconnection() const { return true; }
bool Seams::keepsActivatedObject() const { return true; }
bool Seams::cmdLineAfterSuccess() const { return false; }
bool Seams::cmdLineAfterFailure() const { return true; }
bool Seams::retriesFailedJobEvent(Method /*event*/) const { return true; }

}  // namespace bc::mock
