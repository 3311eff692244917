#!/usr/bin/env python3
"""tiny_adapter.py: a complete bitsconform-adapter/1 adapter in ~100 lines of standard Python.

It simulates the API-call part of the test world (docs/semantics.md section 3) with no
network, no command lines, no CLSIDs and no faults, and says so in its hello: the runner never
sends it a command that needs more, and the rules that need more are "not applicable". With no
network no job ever reaches TRANSFERRED or ERROR, so no callback is ever owed and every settle
is immediately quiescent. It shows that the protocol needs nothing of bitsconform's C++.

  --die-after N   exit(3) on the N-th step (tests: a crash mid-run)
"""
import json
import sys

FINAL = ("ACKNOWLEDGED", "CANCELLED")


class World:
    def __init__(self):
        self.jobs = {}                      # "J1" -> dict(state, files, flags, iface)
        self.incarnation = {f"A{i}": 1 for i in range(1, 9)}
        self.running = {f"A{i}": True for i in range(1, 9)}

    def app_call(self, app):
        if not self.running[app]:           # a call by an exited app starts a new process
            self.running[app] = True
            self.incarnation[app] += 1

    def step(self, words):
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
            self.jobs[name] = dict(state="SUSPENDED", files=0, flags=0x03, iface="NULL")
            return "-> S_OK"
        if job is None:
            return "-> BG_E_NOT_FOUND"
        final = job["state"] in FINAL
        if verb == "GetState":
            return "-> S_OK state=" + job["state"]
        if verb == "GetNotifyFlags":
            return "-> E_INVALIDARG" if "nullout" in words else "-> S_OK flags=0x%02X" % job["flags"]
        if verb == "GetNotifyInterface":
            return "-> E_INVALIDARG" if "nullout" in words else "-> S_OK iface=" + job["iface"]
        if final:
            return "-> BG_E_INVALID_STATE"
        if verb == "AddFile":
            job["files"] += 1
        elif verb == "Resume":
            if job["files"] == 0:
                return "-> BG_E_EMPTY"
            if job["state"] in ("SUSPENDED", "ERROR", "TRANSIENT_ERROR"):
                job["state"] = "QUEUED"
        elif verb == "Suspend":
            if job["state"] not in ("ERROR", "TRANSFERRED"):
                job["state"] = "SUSPENDED"
        elif verb == "Complete":
            job["state"] = "ACKNOWLEDGED"   # no file ever arrives without a network
            return "-> BG_S_PARTIAL_COMPLETE" if job["files"] else "-> S_OK"
        elif verb == "Cancel":
            job["state"] = "CANCELLED"
        elif verb == "SetNotifyInterface":
            target = words[3]
            if target == "o4":              # o4 implements only IUnknown
                return "-> E_NOINTERFACE"
            job["iface"] = "NULL" if target == "NULL" else "%s#%d.%s" % (app, self.incarnation[app], target)
        elif verb == "SetNotifyFlags":
            flags = int(words[3], 16)
            if flags & ~0x3F:
                return "-> E_NOTIMPL"
            job["flags"] = flags
        else:
            raise ValueError("tiny_adapter does not implement " + verb)
        return "-> S_OK"


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main():
    die_after = int(sys.argv[sys.argv.index("--die-after") + 1]) if "--die-after" in sys.argv else 0
    off = {k: False for k in ("commandLine", "notifyClsid", "faults", "networkControl",
                              "virtualTime", "serviceRestart", "reboot")}
    send(dict(type="hello", protocol="bitsconform-adapter/1", implementation="tiny-python",
              description="API calls only, simulated in Python", bitsVersion="10.3",
              capabilities=dict(off, exactModification=True),
              evidence={"networkControl": "simulated world without a network"}))
    world = World()
    for line in sys.stdin:
        request = json.loads(line)
        if request["type"] == "bye":
            break
        if request["type"] == "step":
            if die_after and request["id"] == die_after:
                sys.stderr.write("tiny_adapter: dying on purpose at step %d\n" % die_after)
                sys.exit(3)
            try:
                send(dict(type="result", id=request["id"], observations=[world.step(request["command"].split())]))
            except Exception as error:  # a command this subset cannot do: say so, do not guess
                send(dict(type="error", id=request["id"], message=str(error)))
        elif request["type"] == "settle":
            send(dict(type="settled", id=request["id"], quiescent=True, observations=[]))


if __name__ == "__main__":
    main()
