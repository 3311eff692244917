#!/usr/bin/env python3
"""source_mutants.py: mutation testing of the mock's source (sut/mock) against the default suite.

The catalog's mutants (sut/mutants/mutant.h) are bugs written next to the rule each breaks; these are
derived mechanically from the source, as an implementer's slips would be, so they measure the suite
against bugs nobody listed. Each mutant changes one place of one translation unit:

  SDL  a statement deleted            ROR  a relational operator changed (== != < <= > >=)
  LCR  && and || swapped              NEG  an if condition negated
  AOR  + and - swapped                BOOL true and false swapped
  RET  an early return at the top of a void function; break and continue swapped
  SWP  the two arguments of a call swapped

Lines that only select the catalog's mutants (Mutant::...) are never changed: under the default
SUT they are dead code by construction. A mutant that does not compile is stillborn, not counted.

The build is the cost, so nothing is configured again: the mutated file is compiled alone with the
flags of build/default (compile_commands.json, through ccache when present), and bitsconf is linked
again with that object before the libraries of build/default, so the linker takes the mutated
definitions over the original member of libbc_mock.a. One mutant costs a compile of one file, a
link and the run: about 10 s on the 2-core development machine.

The suite is the default run, `bitsconf run --sut mock --mutants off --fail-fast` (the catalog's
self-check judges the suite, not the SUT, so it is left out; the run stops at its first failing
unit): exit 1 or 3 (a divergence, the SUT failed) kills a mutant, so does a time-out or a crash of
the run (reported as such; 60 s by default, several times a default run); exit 0 is a survivor.

  tools/source_mutants.py list                   every mutant: id, file:line, operator, the change
  tools/source_mutants.py run [--all]            the whole set (by hand: 972 mutants, about 2.5 hours)
  tools/source_mutants.py run --sample 8         a fixed sample (CI)
  tools/source_mutants.py run --id ID ...        these mutants
  tools/source_mutants.py run --all --jobs 2     two at once: 43 minutes on 2 cores

Results: <out>/score.json and <out>/survivors.txt (default out: build/mutants). A survivor listed in
tools/source_mutants_equivalent.txt (its id, then the reason it cannot be told from the original,
or `@name` for a reason stated once on an `@name reason` line) is counted as equivalent; any other
survivor makes the exit status 1. Ids are stable while the line they change is unchanged: file,
operator, a hash of the line's text and the occurrence on it.
"""

import argparse
import concurrent.futures
import hashlib
import json
import os
import queue
import random
import re
import shlex
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EQUIVALENT_FILE = os.path.join(ROOT, "tools", "source_mutants_equivalent.txt")

# The translation units of the mock's behaviour, and for the store only what the default run uses
# (the durable mode's pragmas and transactions are the mock's engineering, tested by crash_test).
SOURCES = {
    "sut/mock/bits_service.cc": None,
    "sut/mock/seams.cc": None,
    "sut/mock/notifier.cc": None,
    "sut/mock/timers.cc": None,
    "sut/mock/com_object.cc": None,
    "sut/mock/machine.cc": None,
    "sut/mock/mock_sut.cc": None,
    "sut/mock/job_store.cc": {"saveJob", "loadJobs", "clear"},
}

# A declaration ("Job& j = ...", "const bool x = ...", "std::string s;"): deleting it does not compile.
DECLARATION = re.compile(r"^(?!(return|throw|delete|else|case|goto)\b)(const\s+|static\s+|constexpr\s+)*"
                         r"[A-Za-z_][\w:<>, ]*?[&*]*\s+[&*]?\w+\s*(=|;|\{|\(|\[)")
ROR = {" == ": " != ", " != ": " == ", " < ": " <= ", " <= ": " < ", " > ": " >= ", " >= ": " > "}
LCR = {" && ": " || ", " || ": " && "}
AOR = {" + ": " - ", " - ": " + "}


def line_id(path, function, op, text, occurrence):
    h = hashlib.sha1((function + "|" + text.strip()).encode()).hexdigest()[:8]
    return f"{os.path.basename(path)}:{op}:{h}:{occurrence}"


def function_spans(lines):
    """(name, first, last) of each top-level function definition (the body starts at column 0)."""
    spans, name, start = [], None, 0
    for i, l in enumerate(lines):
        if name is None:
            m = re.match(r"^[A-Za-z].*?(?:\w+::)?(\w+)\(.*\)\s*(const\s*)?(?::.*)?\{\s*$", l)
            if m and not l.startswith(("namespace", "struct", "class", "enum")):
                name, start = m.group(1), i
        elif l.startswith("}"):
            spans.append((name, start, i))
            name = None
    return spans


def catalog_lines(lines):
    """Indices of lines that only select a catalog mutant: an `is(Mutant::` line and the statement
    an `if` of it controls (one line, or a braced block)."""
    out = set()
    i = 0
    while i < len(lines):
        l = lines[i]
        if "Mutant::" in l:
            out.add(i)
            # A condition spread over lines: from the line its statement starts on.
            at = i
            while at > 0 and not lines[at - 1].rstrip().endswith((";", "{", "}")) and lines[at - 1].strip():
                at -= 1
                out.add(at)
            s = lines[at].strip()
            if s.startswith(("if (", "} else if (")) and not s.endswith(";"):
                j = i + 1
                while j < len(lines) and not lines[j - 1].rstrip().endswith(("{", ")")):
                    out.add(j)  # the rest of the condition
                    j += 1
                if lines[j - 1].rstrip().endswith("{"):
                    depth = 1
                    while j < len(lines) and depth > 0:
                        depth += lines[j].count("{") - lines[j].count("}")
                        out.add(j)
                        j += 1
                else:
                    while j < len(lines):
                        out.add(j)
                        if lines[j].rstrip().endswith(";"):
                            break
                        j += 1
                i = j
                continue
        i += 1
    return out


def matching_paren(s, open_at):
    depth = 0
    for k in range(open_at, len(s)):
        if s[k] == "(":
            depth += 1
        elif s[k] == ")":
            depth -= 1
            if depth == 0:
                return k
    return -1


def occurrences(s, needle):
    at = s.find(needle)
    while at >= 0:
        yield at
        at = s.find(needle, at + 1)


def simple_arg(a):
    return re.fullmatch(r"[\w.:>*\-]+(\(\))?", a.strip()) is not None


def line_mutants(text, prev):
    """(operator, occurrence, new text) for one line of code."""
    s = text.strip()
    if not s or s.startswith(("//", "#", "*")) or "static_assert" in s:
        return
    code = text.split("//")[0]
    # A statement that is whole on this line (the previous one ended): delete it.
    starts = prev.strip() == "" or prev.rstrip().endswith((";", "{", "}", ":")) or prev.strip().startswith("//")
    if (starts and s.endswith(";") and not s.startswith(("return", "case ", "default:", "break;", "continue;", "}"))
            and not DECLARATION.match(s) and "{" not in s and "}" not in s):
        indent = text[: len(text) - len(text.lstrip())]
        yield "SDL", 0, indent + ";  // deleted"
    for table, op in ((ROR, "ROR"), (LCR, "LCR"), (AOR, "AOR")):
        n = 0
        for old, new in table.items():
            for at in occurrences(code, old):
                if op == "ROR" and old in (" < ", " > ") and ("<<" in code or ">>" in code):
                    continue
                yield op, n, text[:at] + new + text[at + len(old):]
                n += 1
    n = 0
    for at in occurrences(code, "if ("):
        close = matching_paren(code, at + 3)
        if close > 0:
            yield "NEG", n, text[: at + 4] + "!(" + text[at + 4: close] + ")" + text[close:]
            n += 1
    n = 0
    for m in re.finditer(r"\b(true|false)\b", code):
        flip = "false" if m.group(1) == "true" else "true"
        yield "BOOL", n, text[: m.start()] + flip + text[m.end():]
        n += 1
    for old, new in (("break;", "continue;"), ("continue;", "break;")):
        if s == old or s.endswith(" " + old):
            at = text.rfind(old)
            yield "RET", 0, text[:at] + new + text[at + len(old):]
    n = 0
    for m in re.finditer(r"\b(\w+)\(", code):
        if m.group(1) in ("if", "for", "while", "switch", "return", "sizeof"):
            continue
        close = matching_paren(code, m.end() - 1)
        inner = code[m.end(): close] if close > 0 else ""
        parts = inner.split(", ")
        if len(parts) == 2 and "(" not in inner and all(simple_arg(p) for p in parts) and parts[0] != parts[1]:
            yield "SWP", n, text[: m.end()] + parts[1] + ", " + parts[0] + text[close:]
            n += 1


def enumerate_mutants():
    mutants = []
    for rel, scope in SOURCES.items():
        path = os.path.join(ROOT, rel)
        with open(path) as f:
            lines = f.read().split("\n")
        skip = catalog_lines(lines)
        spans = function_spans(lines)
        inside = {}
        for name, first, last in spans:
            for i in range(first + 1, last):
                inside[i] = name
        for name, first, last in spans:  # RET: an early return at the top of a void function
            body = [i for i in range(first + 1, last) if lines[i].strip() and not lines[i].strip().startswith("//")]
            if all(i in skip for i in body):
                continue  # it only selects catalog mutants: dead code under the default SUT
            if lines[first].startswith("void ") and (scope is None or name in scope):
                mutants.append({"file": rel, "line": first + 2, "op": "RET", "occurrence": 0,
                                "id": line_id(rel, name, "RET", lines[first], 0),
                                "before": lines[first + 1], "after": "  return;" + lines[first + 1], "insert": True})
        for i, text in enumerate(lines):
            if i in skip or i not in inside or (scope is not None and inside[i] not in scope):
                continue
            prev = lines[i - 1] if i > 0 else ""
            for op, occ, new in line_mutants(text, prev):
                if new == text:
                    continue
                mutants.append({"file": rel, "line": i + 1, "op": op, "occurrence": occ,
                                "id": line_id(rel, inside[i], op, text, occ), "before": text, "after": new})
    # The same line twice in one function (two `touch(j);`): the later ones are told apart by
    # their rank, so an id names one place.
    seen = {}
    for m in mutants:
        n = seen.get(m["id"], 0)
        seen[m["id"]] = n + 1
        if n:
            m["id"] += f".{n + 1}"
    return mutants


def load_equivalents():
    """id -> reason. A reason may be shared: `@name text` defines it once, `ID @name` uses it (many
    survivors are equivalent for one reason, e.g. a seam whose BITS answer is a constant)."""
    out, named, uses = {}, {}, []
    if not os.path.exists(EQUIVALENT_FILE):
        return out
    with open(EQUIVALENT_FILE) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 1)
            if len(parts) < 2:
                sys.exit(f"{EQUIVALENT_FILE}:{n}: an equivalent mutant needs its reason after the id")
            if parts[0].startswith("@"):
                named[parts[0]] = parts[1]
                continue
            if parts[0] in out:
                sys.exit(f"{EQUIVALENT_FILE}:{n}: {parts[0]} is listed twice")
            out[parts[0]] = parts[1]
            if parts[1].startswith("@"):
                uses.append((n, parts[0], parts[1].split()[0]))
    for n, mid, name in uses:
        if name not in named:
            sys.exit(f"{EQUIVALENT_FILE}:{n}: {name} is not defined (define it with a line `{name} reason`)")
        out[mid] = named[name] + out[mid][len(name):]
    return out


class Builder:
    """Compiles one mutated translation unit and links bitsconf with it, reusing build/default."""

    def __init__(self, build, out):
        self.build = os.path.abspath(build)
        self.out = os.path.abspath(out)
        os.makedirs(os.path.join(self.out, "src"), exist_ok=True)
        with open(os.path.join(self.build, "compile_commands.json")) as f:
            self.compile = {os.path.normpath(e["file"]): e for e in json.load(f)}
        link = subprocess.run(["ninja", "-C", self.build, "-t", "commands", "tools/bitsconf"], check=True,
                              capture_output=True, text=True).stdout.strip().split("\n")[-1]
        link = link.removeprefix(": && ").removesuffix(" && :")
        # No debug information: the mutated object is compiled without it and the link drops the
        # rest, which makes linking several times faster (the suite's behaviour is the same).
        args = shlex.split(link) + ["-Wl,--strip-debug"]
        out_at = args.index("-o")
        self.binary = os.path.join(self.out, "bitsconf")
        args[out_at + 1] = self.binary
        # The mutated object goes right after the program's own objects, before every library.
        self.link_head, self.link_tail = args[: out_at + 2], args[out_at + 2:]
        self.ccache = shutil.which("ccache")

    def make(self, rel, text):
        entry = self.compile[os.path.normpath(os.path.join(ROOT, rel))]
        src = os.path.join(self.out, "src", os.path.basename(rel))
        obj = os.path.join(self.out, os.path.basename(rel) + ".o")
        with open(src, "w") as f:
            f.write(text)
        args = [a for a in shlex.split(entry["command"]) if a != "-g"]
        args[args.index("-o") + 1] = obj
        args[args.index("-c") + 1] = src
        if self.ccache:
            args.insert(0, self.ccache)
        if subprocess.run(args, cwd=entry["directory"], capture_output=True).returncode != 0:
            return False
        return subprocess.run(self.link_head + [obj] + self.link_tail, cwd=self.build,
                              capture_output=True).returncode == 0


def run_suite(binary, out, timeout):
    results = os.path.join(out, "results.json")
    # The first failing unit decides (--fail-fast), and its counterexample is not shrunk for long:
    # a minimal one decides nothing here (the checks are the same).
    cmd = [binary, "run", "--sut", "mock", "--mutants", "off", "--no-progress", "--heartbeat", "0", "--fail-fast",
           "--shrink-budget", "1", "--out", results]
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "killed (timed out)", time.monotonic() - start, ""
    seconds = time.monotonic() - start
    if p.returncode == 0:
        return "survived", seconds, ""
    if p.returncode in (1, 3):
        failed = ""
        try:
            with open(results) as f:
                r = json.load(f)
            failed = " ".join(x["id"] for x in r.get("rules", []) if x.get("verdict") == "fail")
        except (OSError, ValueError):
            pass
        return "killed", seconds, failed
    if p.returncode < 0:
        return f"killed (the run died: signal {-p.returncode})", seconds, ""
    return f"error (exit {p.returncode})", seconds, p.stderr[-400:]


def select(mutants, args):
    if args.id:
        wanted = set(args.id)
        chosen = [m for m in mutants if m["id"] in wanted]
        missing = wanted - {m["id"] for m in chosen}
        if missing:
            sys.exit("unknown mutant ids: " + " ".join(sorted(missing)))
        return chosen
    if args.sample:
        rng = random.Random(args.seed)
        return sorted(rng.sample(mutants, min(args.sample, len(mutants))), key=lambda m: (m["file"], m["line"]))
    return mutants


def mutate(m, originals):
    """The mutated text of m's file (originals: path -> the file's lines, read beforehand)."""
    lines = list(originals[m["file"]])
    lines[m["line"] - 1] = m["after"]
    return "\n".join(lines)


def try_mutant(m, build, out, timeout, equivalents, originals):
    rec = dict(m)
    if not build.make(m["file"], mutate(m, originals)):
        rec["status"], rec["seconds"] = "stillborn", 0
        return rec
    rec["status"], rec["seconds"], rec["failed"] = run_suite(build.binary, out, timeout)
    if rec["status"] == "survived" and m["id"] in equivalents:
        rec["status"] = "equivalent"
        rec["reason"] = equivalents[m["id"]]
    return rec


def command_run(args):
    mutants = enumerate_mutants()
    chosen = select(mutants, args)
    equivalents = load_equivalents()
    jobs = max(1, args.jobs)
    # One builder per worker, each with its own scratch folder (mutated source, object, program,
    # results file), so that workers never share a file; a worker takes a free builder for each
    # mutant and gives it back.
    scratch = [args.out if jobs == 1 else os.path.join(args.out, f"worker-{w}") for w in range(jobs)]
    free = queue.Queue()
    for d in scratch:
        free.put((Builder(args.build, d), d))
    originals = {}
    for rel in {m["file"] for m in chosen}:
        with open(os.path.join(ROOT, rel)) as f:
            originals[rel] = f.read().split("\n")

    def one(m):
        build, out = free.get()
        try:
            return try_mutant(m, build, out, args.timeout, equivalents, originals)
        finally:
            free.put((build, out))

    start = time.monotonic()
    records = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for k, rec in enumerate(pool.map(one, chosen), 1):
            records.append(rec)
            print(f"[{k}/{len(chosen)}] {rec['status']:<10} {rec['id']:<34} {rec['file']}:{rec['line']} "
                  f"{rec['after'].strip()[:70]}", flush=True)
    counted = [r for r in records if r["status"] not in ("stillborn", "equivalent")]
    killed = [r for r in counted if r["status"].startswith("killed")]
    survivors = [r for r in counted if r["status"] == "survived"]
    errors = [r for r in counted if r["status"].startswith("error")]
    score = 100.0 * len(killed) / len(counted) if counted else 100.0
    summary = {
        "mutants": len(chosen), "stillborn": sum(r["status"] == "stillborn" for r in records),
        "equivalent": sum(r["status"] == "equivalent" for r in records), "killed": len(killed),
        "survived": len(survivors), "errors": len(errors), "score": round(score, 1),
        "seconds": round(time.monotonic() - start, 1),
        "stale_equivalents": sorted(set(equivalents) - {m["id"] for m in mutants}),
        "records": records,
    }
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "score.json"), "w") as f:
        json.dump(summary, f, indent=1)
    with open(os.path.join(args.out, "survivors.txt"), "w") as f:
        for r in survivors + errors:
            f.write(f"{r['id']}  {r['status']}  {r['file']}:{r['line']}\n  - {r['before'].strip()}\n  + {r['after'].strip()}\n")
    print(f"source mutants of sut/mock: {len(killed)}/{len(counted)} killed ({score:.1f}%), "
          f"{summary['equivalent']} equivalent (tools/source_mutants_equivalent.txt), {summary['stillborn']} stillborn, "
          f"{len(survivors)} survived, {len(errors)} errors; {summary['seconds']:.0f} s; "
          f"{os.path.join(args.out, 'survivors.txt')}")
    if summary["stale_equivalents"]:
        print("note: equivalents no longer generated (their line changed): " + " ".join(summary["stale_equivalents"]))
    return 1 if survivors or errors else 0


def command_list(_args):
    for m in enumerate_mutants():
        print(f"{m['id']:<34} {m['file']}:{m['line']:<4} {m['op']:<4} {m['after'].strip()}")
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="every mutant")
    r = sub.add_parser("run", help="build and run the default suite on mutants")
    r.add_argument("--all", action="store_true", help="every mutant (the default without --sample/--id)")
    r.add_argument("--sample", type=int, default=0, help="a fixed random sample of this many mutants")
    r.add_argument("--seed", type=int, default=17, help="the sample's seed")
    r.add_argument("--id", action="append", default=[], help="only this mutant (repeatable)")
    r.add_argument("--build", default=os.path.join(ROOT, "build", "default"), help="the built tree to reuse")
    r.add_argument("--out", default=os.path.join(ROOT, "build", "mutants"), help="scratch space and results")
    r.add_argument("--jobs", type=int, default=1, help="mutants built and run at once (one per core)")
    r.add_argument("--timeout", type=float, default=60, help="seconds before a run counts as hung (killed)")
    args = p.parse_args()
    return command_run(args) if args.command == "run" else command_list(args)


if __name__ == "__main__":
    sys.exit(main())
