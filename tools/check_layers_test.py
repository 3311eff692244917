#!/usr/bin/env python3
"""check_layers_test.py: the layer check fails on an include that points up or sideways, and
passes on one that points down (a tree made for the test, so it cannot pass vacuously)."""
import pathlib
import subprocess
import sys
import tempfile

CHECK = pathlib.Path(__file__).with_name("check_layers.py")


def run(files):
    with tempfile.TemporaryDirectory() as d:
        for path, text in files.items():
            p = pathlib.Path(d, path)
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text)
        return subprocess.run([sys.executable, str(CHECK), d], capture_output=True, text=True)


down = run({"model/m.cc": '#include "vocab/rules.h"\n', "vocab/rules.h": ""})
assert down.returncode == 0, down.stdout
up = run({"model/m.cc": '#include "vocab/rules.h"\n#include "oracle/runner.h"\n', "vocab/rules.h": ""})
assert up.returncode == 1 and "model/m.cc:2: includes oracle/runner.h" in up.stdout, up.stdout
sideways = run({"scenarios/s.cc": '#include "properties/suite.h"\n'})
assert sideways.returncode == 1 and "scenarios/s.cc:1:" in sideways.stdout, sideways.stdout
mock = run({"sut/mock/x.cc": '#include "sut/mutants/mutant.h"\n'})
assert mock.returncode == 1, mock.stdout
print("check_layers_test: ok")
