#!/usr/bin/env python3
"""check_layers.py: every #include points down the layers (docs/layout.md), never up or sideways.

Each folder is a layer unit; ALLOWED lists what its files may include (besides their own folder
and the standard and system libraries). A file that includes a header of a unit it may not use
is reported as FILE:LINE: and the check exits 1. The test binaries obey the same rule: a test
that needs a higher layer lives in that layer. Run by CTest (include_layers).
"""
import pathlib
import re
import sys

# unit -> the units it may include. Order: vocab -> model / sut -> oracle -> scenarios /
# properties -> strength -> results -> reports -> tools.
SUT_IMPLS = ["sut", "sut/mock", "sut/mutants", "sut/protocol"]
ALLOWED = {
    "vocab": [],
    "model": ["vocab"],
    "sut": ["vocab"],
    "sut/mock": ["vocab", "sut"],
    "sut/mutants": ["vocab", "sut", "sut/mock"],
    # mock_agent and the Wine bench serve or drive the other implementations.
    "sut/protocol": ["vocab", "sut", "sut/mock", "sut/mutants", "model"],
    "sut/real": ["vocab", "sut", "sut/protocol"],
    "sut/registry": ["vocab", "model"] + SUT_IMPLS,
    "sut/testing": ["vocab", "model", "sut/registry"] + SUT_IMPLS,
    "oracle": ["vocab", "model", "sut", "sut/registry", "sut/testing"] + SUT_IMPLS,
    "scenarios": ["vocab", "model", "oracle", "sut", "sut/registry", "sut/testing"] + SUT_IMPLS,
    "properties": ["vocab", "model", "oracle", "sut", "sut/registry", "sut/testing"] + SUT_IMPLS,
    "strength": ["vocab", "model", "oracle", "scenarios", "properties", "sut", "sut/registry", "sut/testing"]
    + SUT_IMPLS,
    "results": ["vocab", "model", "strength"],
    "reports": ["vocab", "model", "results", "strength"],
}
TOP = {"tools", "examples"}  # may include anything (the CLI and users' code)
UNITS = sorted(ALLOWED, key=len, reverse=True)  # longest prefix first: sut/mock before sut
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def unit_of(path: str):
    for u in UNITS:
        if path == u or path.startswith(u + "/"):
            # a header directly in sut/ is the unit "sut"; sut/x/... is sut/x when listed
            if u == "sut" and path.count("/") > 1:
                continue
            return u
    return None


def main(root: str) -> int:
    rootp = pathlib.Path(root)
    bad = []
    checked = 0
    for f in sorted(list(rootp.rglob("*.h")) + list(rootp.rglob("*.cc"))):
        rel = f.relative_to(rootp).as_posix()
        if rel.startswith(("build/", ".git/")) or "/fuzz-corpus/" in rel:
            continue
        top = rel.split("/")[0]
        if top in TOP:
            continue
        me = unit_of(rel)
        if me is None:
            continue
        checked += 1
        for n, line in enumerate(f.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = m.group(1)
            them = unit_of(target)
            if them is None:
                if target.split("/")[0] in TOP:
                    bad.append(f"{rel}:{n}: includes {target}: {target.split('/')[0]}/ is the top layer")
                continue  # a file of the same folder by its short name, or a generated header
            if them == me or them in ALLOWED[me]:
                continue
            bad.append(f"{rel}:{n}: includes {target}: {me}/ may use only {', '.join(ALLOWED[me]) or 'the standard library'}")
    for b in bad:
        print(b)
    if checked == 0:
        print("check_layers: no source found under " + root)
        return 1
    print(f"check_layers: {checked} files, {len(bad)} includes that point up or sideways")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
