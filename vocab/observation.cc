#include "vocab/observation.h"

namespace bc {

std::string_view toString(Method m) {
  switch (m) {
    case Method::JobTransferred: return "JobTransferred";
    case Method::JobError: return "JobError";
    case Method::JobModification: return "JobModification";
    case Method::FileTransferred: return "FileTransferred";
  }
  return "?";
}

Observation Observation::ret(Hresult h) {
  Observation o;
  o.kind = ObsKind::Return;
  o.hr = h;
  return o;
}
Observation Observation::retFlags(Hresult h, uint32_t flags) {
  Observation o = ret(h);
  o.value = ValueKind::Flags;
  o.flags = flags;
  return o;
}
Observation Observation::retReceiver(Hresult h, const Receiver& r) {
  Observation o = ret(h);
  o.value = ValueKind::Receiver;
  o.receiver = r;
  return o;
}
Observation Observation::retClsid(Hresult h, ClassId c) {
  Observation o = ret(h);
  o.value = ValueKind::Clsid;
  o.clsid = c;
  return o;
}
Observation Observation::retCmdLine(Hresult h, Program p, Params a) {
  Observation o = ret(h);
  o.value = ValueKind::CmdLine;
  o.program = p;
  o.params = a;
  return o;
}
Observation Observation::retState(Hresult h, JobState s) {
  Observation o = ret(h);
  o.value = ValueKind::State;
  o.state = s;
  return o;
}
Observation Observation::callback(const Receiver& r, Method m, JobId job, uint8_t file, Outcome out, Hresult h) {
  Observation o;
  o.kind = ObsKind::Callback;
  o.receiver = r;
  o.method = m;
  o.job = job;
  o.file = m == Method::FileTransferred ? file : 0;
  o.outcome = out;
  o.hr = out == Outcome::Returned ? h : Hresult{};
  return o;
}
Observation Observation::activation(JobId job, ClassId c, Hresult h, const Receiver& created) {
  Observation o;
  o.kind = ObsKind::Activation;
  o.job = job;
  o.clsid = c;
  o.hr = h;
  o.receiver = h.succeeded() ? created : Receiver::none();
  return o;
}
Observation Observation::cmdLine(JobId job, Program p, Params a, int exitCode) {
  Observation o;
  o.kind = ObsKind::CmdLine;
  o.job = job;
  o.program = p;
  o.params = a;
  o.exitCode = exitCode;
  return o;
}

}  // namespace bc
