#!/usr/bin/env python3
"""source_mutants_test.py: the source-mutation script's bookkeeping, without building anything.

- The mutants of sut/mock are at least 100, each id names one place.
- tools/source_mutants_equivalent.txt is valid and current: every listed id is still generated
  (an argument for a line that changed is stale and must be made again), every `@name` it uses
  is defined, and every reason says something.
- The file format's errors are reported with the file and line (a made-up file).
"""
import importlib.util
import os
import pathlib
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("source_mutants", HERE / "source_mutants.py")
sm = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sm)

mutants = sm.enumerate_mutants()
ids = [m["id"] for m in mutants]
assert len(mutants) >= 100, len(mutants)
assert len(ids) == len(set(ids)), "two mutants share an id"

equivalents = sm.load_equivalents()
stale = sorted(set(equivalents) - set(ids))
assert not stale, "equivalents no longer generated (their line changed; argue them again): " + " ".join(stale)
for mid, reason in equivalents.items():
    assert len(reason.split()) >= 3 and not reason.startswith("@"), f"{mid}: no reason: {reason!r}"


def load(text):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(text)
    sm.EQUIVALENT_FILE = f.name
    try:
        return sm.load_equivalents(), None
    except SystemExit as e:
        return None, str(e)
    finally:
        os.unlink(f.name)


got, _ = load("@why  one shared reason\na.cc:SDL:1:0  @why (here)\nb.cc:SDL:2:0  its own reason\n")
assert got == {"a.cc:SDL:1:0": "one shared reason (here)", "b.cc:SDL:2:0": "its own reason"}, got
_, err = load("a.cc:SDL:1:0  @nowhere\n")
assert err and ":1: @nowhere is not defined" in err, err
_, err = load("\na.cc:SDL:1:0\n")
assert err and ":2: an equivalent mutant needs its reason" in err, err
_, err = load("a.cc:SDL:1:0  x y z\na.cc:SDL:1:0  x y z\n")
assert err and ":2: a.cc:SDL:1:0 is listed twice" in err, err
print(f"source_mutants_test: ok ({len(mutants)} mutants, {len(equivalents)} argued equivalent)")
