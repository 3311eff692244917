#!/usr/bin/env python3
"""tiny_adapter.py: a complete bitsconform-adapter/1 adapter in standard Python.

It simulates the part of the test world (docs/semantics.md) that needs no capability
(PROTOCOL.md, section 5): the API calls, Behave ok, Exit and Transfer, with the callbacks a
Transfer owes (FileTransferred, JobTransferred) delivered to the registered object. It declares
every optional capability false, so the runner never sends Connect, Tick, RegisterServer,
SetNotifyCmdLine, ...; it does not pace JobModification and never sends one (exactModification
false: the comparison grants a real implementation that latitude). It answers `reset`, so one
process serves a whole run. It shows that the protocol needs nothing of bitsconform's C++.

  --die-after N   exit(3) on the N-th step (tests: a crash mid-run)
  --no-reset      do not declare the reset feature (a process per test case)
"""
import json
import sys

FINAL = ("ACKNOWLEDGED", "CANCELLED")
ACTIVE = ("QUEUED", "CONNECTING", "TRANSFERRING")
TRANSFERRED_BIT, DISABLE_BIT, FILE_BIT = 0x01, 0x04, 0x10


class World:
    def __init__(self):
        self.jobs = {}                      # "J1" -> dict(state, files, flags, slot, armed, owed)
        self.incarnation = {f"A{i}": 1 for i in range(1, 9)}
        self.running = {f"A{i}": True for i in range(1, 9)}

    def app_call(self, app):
        if not self.running[app]:           # a call by an exited app starts a new process
            self.running[app] = True
            self.incarnation[app] += 1

    def live(self, obj):                    # "A1#2.o3" is live while incarnation 2 of A1 runs
        app, rest = obj.split("#")
        return self.running[app] and self.incarnation[app] == int(rest.split(".")[0])

    def step(self, words):
        if words[0] == "Transfer":
            return self.transfer(self.jobs.get(words[1]))
        if words[1] == "Exit":
            self.running[words[0]] = False
            return "-> S_OK"
        app, verb = words[0], words[1]
        self.app_call(app)
        if verb == "Behave":                # only "ok" is sent: faults are not declared
            return "-> S_OK"
        name = words[2]
        job = self.jobs.get(name)
        if verb == "CreateJob":
            if job and job["state"] not in FINAL:
                return "-> E_INVALIDARG"
            self.jobs[name] = dict(state="SUSPENDED", files=[], flags=0x03, slot=None, armed=False, owed=[])
            return "-> S_OK"
        if job is None:
            return "-> BG_E_NOT_FOUND"
        if verb == "GetState":
            return "-> S_OK state=" + job["state"]
        if verb == "GetNotifyFlags":
            return "-> E_INVALIDARG" if "nullout" in words else "-> S_OK flags=0x%02X" % job["flags"]
        if verb == "GetNotifyInterface":
            return "-> E_INVALIDARG" if "nullout" in words else "-> S_OK iface=" + (job["slot"] or "NULL")
        if job["state"] in FINAL:
            return "-> BG_E_INVALID_STATE"
        if verb == "AddFile":
            job["files"].append(False)
        elif verb == "Resume":
            if not job["files"]:
                return "-> BG_E_EMPTY"
            if job["state"] in ("SUSPENDED", "ERROR", "TRANSIENT_ERROR") or (
                    job["state"] == "TRANSFERRED" and not all(job["files"])):
                job["state"] = "QUEUED"
        elif verb == "Suspend":
            if job["state"] in ACTIVE + ("TRANSIENT_ERROR",):
                job["state"] = "SUSPENDED"
        elif verb in ("Complete", "Cancel"):
            partial = verb == "Complete" and not all(job["files"])
            job.update(state="ACKNOWLEDGED" if verb == "Complete" else "CANCELLED", slot=None, armed=False, owed=[])
            return "-> BG_S_PARTIAL_COMPLETE" if partial else "-> S_OK"
        elif verb == "SetNotifyInterface":
            if words[3] == "o4":            # o4 implements only IUnknown
                return "-> E_NOINTERFACE"
            job["slot"] = None if words[3] == "NULL" else "%s#%d.%s" % (app, self.incarnation[app], words[3])
            job["armed"] |= job["slot"] is not None and job["state"] == "TRANSFERRED"  # re-arm (REG-8)
        elif verb == "SetNotifyFlags":
            flags = int(words[3], 16)
            if flags & ~0x3F:
                return "-> E_NOTIMPL"
            job["flags"] = flags
            job["armed"] |= job["state"] == "TRANSFERRED" and bool(self.bits(job) & TRANSFERRED_BIT)
        else:
            raise ValueError("tiny_adapter does not implement " + verb)
        return "-> S_OK"

    @staticmethod
    def bits(job):                          # the effective flags: DISABLE turns every bit off
        return 0 if job["flags"] & DISABLE_BIT else job["flags"]

    def transfer(self, job):
        if job is None or job["state"] not in ACTIVE:
            return "-> S_FALSE"
        for k, done in enumerate(job["files"]):
            if not done and self.bits(job) & FILE_BIT:
                job["owed"].append(k + 1)
        job["files"] = [True] * len(job["files"])
        job.update(state="TRANSFERRED", armed=True)
        return "-> S_OK"

    def settle(self):
        """Delivers what is owed (semantics.md 5), in job order; every live object answers S_OK."""
        seen = []
        for name in sorted(self.jobs, key=lambda n: int(n[1:])):
            job = self.jobs[name]
            receiver = job["slot"]
            if job["state"] in FINAL or receiver is None:
                continue
            if job["owed"] and self.bits(job) & FILE_BIT:
                if receiver.endswith(".o1"):    # IBackgroundCopyCallback only: dropped, no call (CB-15)
                    job["owed"] = []
                elif not self.live(receiver):   # a disconnect: the slot is emptied, files stay owed
                    job["slot"] = receiver = None
                else:
                    seen += ["callback %s FileTransferred %s f%d -> S_OK" % (receiver, name, f) for f in job["owed"]]
                    job["owed"] = []
            if receiver and job["armed"] and job["state"] == "TRANSFERRED" and self.bits(job) & TRANSFERRED_BIT:
                if not self.live(receiver):     # a disconnect: the event stays armed for the next registration
                    job["slot"] = None
                else:
                    seen.append("callback %s JobTransferred %s -> S_OK" % (receiver, name))
                    job["armed"] = False
        return seen


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main():
    die_after = int(sys.argv[sys.argv.index("--die-after") + 1]) if "--die-after" in sys.argv else 0
    off = {k: False for k in ("commandLine", "notifyClsid", "faults", "networkControl",
                              "virtualTime", "serviceRestart", "reboot", "exactModification")}
    hello = dict(type="hello", protocol="bitsconform-adapter/1", implementation="tiny-python",
                 description="API calls and Transfer, simulated in Python", bitsVersion="10.3",
                 capabilities=off,
                 evidence={"networkControl": "simulated world without a network",
                           "commandLine": "not simulated", "notifyClsid": "not simulated",
                           "faults": "every object answers S_OK", "virtualTime": "no timers are simulated",
                           "serviceRestart": "no service is simulated", "reboot": "no machine is simulated"})
    if "--no-reset" not in sys.argv:
        hello["features"] = ["reset"]
    send(hello)
    world = World()
    for line in sys.stdin:
        request = json.loads(line)
        kind = request["type"]
        if kind == "bye":
            break
        if kind == "reset":
            world = World()
            send(dict(type="ready"))
        elif kind == "step":
            if die_after and request["id"] == die_after:
                sys.stderr.write("tiny_adapter: dying on purpose at step %d\n" % die_after)
                sys.exit(3)
            try:
                result = world.step(request["command"].split())
                send(dict(type="result", id=request["id"], observations=[result] + world.settle()))
            except Exception as error:  # a command this subset cannot do: say so, do not guess
                send(dict(type="error", id=request["id"], message=str(error)))
        elif kind == "settle":          # everything was reported with the result: nothing is pending
            send(dict(type="settled", id=request["id"], quiescent=True, observations=[]))


if __name__ == "__main__":
    main()
