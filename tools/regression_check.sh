#!/bin/sh
# regression_check.sh: can a CI trust bitsconf for regression checking? (issue 13, "done when")
#
#   tools/regression_check.sh [BITSCONF]      (CTest runs it as regression_check)
#
# 1. Two default runs on the mock write the same results, byte for byte, apart from timestamps
#    and durations, and the file is at most 1 MB; `diff` of the two says "no regression".
# 2. A change that breaks scenarios blamed on a rule that already failed (and that the manifest
#    lists) makes `diff` exit 1 and name each of them: the mock's CLSID-5 mutant that loses the
#    CLSID on a reboot is the baseline, the one that also loses it on a service restart is the
#    change; two scenarios that restart the service pass on the first and fail on the second,
#    and the library's CLSID-5 scenario now fails one step earlier.
# 3. Every replay line in a failing run's results (scenarios, properties, the covering set)
#    reproduces its failure when executed as printed: exit 1, naming the same rules.
# Exit 0 when all hold; otherwise 1, saying which did not.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
bitsconf=${1:-${BITSCONFORM_BITSCONF:-$root/build/default/tools/bitsconf}}
work=$(mktemp -d "${TMPDIR:-/tmp}/bitsconf-regression-check.XXXXXX")
if [ -n "${BITSCONFORM_KEEP_WORK:-}" ]; then echo "regression_check: work in $work" >&2; else trap 'rm -rf "$work"' EXIT; fi
failed=0
fail() {
  echo "regression_check: FAILED: $*" >&2
  failed=1
}

# --- 1. determinism and size ----------------------------------------------------------------
"$bitsconf" run --no-progress --out "$work/a/results.json" 2>"$work/a.log" || fail "default run a exited $? ($(tail -1 "$work/a.log"))"
"$bitsconf" run --no-progress --out "$work/b/results.json" 2>"$work/b.log" || fail "default run b exited $?"
# Timestamps and durations (every "...seconds..." field) are the only things allowed to differ.
normalize() {
  sed -E 's/"(timestamp|[a-z_]*seconds[a-z_]*)": [^,]*(,?)$/"\1": "-"\2/' "$1"
}
normalize "$work/a/results.json" >"$work/a.norm"
normalize "$work/b/results.json" >"$work/b.norm"
if [ ! -s "$work/a.norm" ] || [ ! -s "$work/b.norm" ]; then
  fail "a default run wrote no results"
elif cmp -s "$work/a.norm" "$work/b.norm"; then
  echo "regression_check: two default runs are identical apart from timestamps and durations"
else
  fail "two default runs differ:"
  diff "$work/a.norm" "$work/b.norm" | head -20 >&2
fi
size=$(wc -c <"$work/a/results.json" 2>/dev/null || echo 0)
if [ "$size" -gt 0 ] && [ "$size" -le 1048576 ]; then
  echo "regression_check: the default results file is $size bytes (at most 1 MB)"
else
  fail "the default results file is $size bytes, more than 1 MB"
fi
"$bitsconf" diff "$work/a/results.json" "$work/b/results.json" >"$work/ab.diff"
rc=$?
if [ "$rc" -ne 0 ] || ! grep -q '^Result: no regression\.$' "$work/ab.diff"; then fail "diff of two default runs exited $rc"; fi

# --- 2. new failures on a rule that already failed --------------------------------------------
mkdir -p "$work/lib"
cp -r "$root/scenarios/." "$work/lib/scenarios"
mkdir -p "$work/lib/scenarios/extra"
cat >"$work/lib/scenarios/extra/clsid-after-restart.scenario" <<'EOF'
scenario: The notification CLSID is still set after a service restart
rules: CLSID-5

A1 CreateJob J1
A1 SetNotifyClsid J1 ClsidA
ServiceRestart
A1 GetNotifyClsid J1
EOF
cat >"$work/lib/scenarios/extra/clsid-activated-after-restart.scenario" <<'EOF'
scenario: A job whose CLSID was set before a service restart activates it when it transfers
rules: CLSID-5

A1 CreateJob J2
A1 AddFile J2
RegisterServer ClsidB ok
A1 SetNotifyClsid J2 ClsidB
ServiceRestart
A1 Resume J2
Transfer J2
EOF
cat >"$work/manifest.json" <<'EOF'
{"implementation": "mock (reboot loses the CLSID)", "expected_failures": [
  {"rule": "CLSID-5", "reason": "the CLSID is not kept across a reboot", "link": "https://example.org/clsid-5"},
  {"scenario": "scenarios/CLSID/clsid-5-persisted.scenario", "reason": "as CLSID-5"}]}
EOF
scenarios_only="--no-properties --covering-set off --mutants off --no-coverage --no-progress --scenarios $work/lib/scenarios --manifest $work/manifest.json"
# shellcheck disable=SC2086 # the options are words
"$bitsconf" run --sut mock:mutant=clsid-lost-on-reboot-only $scenarios_only --out "$work/base.json" 2>"$work/base.log" ||
  fail "the baseline (reboot-only mutant, CLSID-5 listed) exited $? instead of 0 (expected failures only)"
# shellcheck disable=SC2086
"$bitsconf" run --sut mock:mutant=clsid-lost-on-restart $scenarios_only --out "$work/change.json" 2>"$work/change.log"
rc=$?
[ "$rc" -eq 1 ] || fail "the changed run exited $rc, not 1 (its new failures are not in the manifest)"
"$bitsconf" diff "$work/base.json" "$work/change.json" >"$work/change.diff"
rc=$?
[ "$rc" -eq 1 ] || fail "diff exited $rc, not 1, on new failures blamed on CLSID-5"
# CLSID-5 failed in both runs: no line of the diff's rule section may name it (other rules may
# change: a scenario that failed earlier no longer reaches a rule it exercised after the restart).
if sed -n '/^Rules/,$p' "$work/change.diff" | grep -q '^  CLSID-5:'; then
  fail "CLSID-5's verdict changed: the check no longer shows new failures behind an unchanged rule"
fi
for check in scenario:scenarios/extra/clsid-after-restart.scenario@step- \
             scenario:scenarios/extra/clsid-activated-after-restart.scenario@step- \
             scenario:scenarios/CLSID/clsid-5-persisted.scenario@step-; do
  grep -q "^  ${check}[0-9]*: diverged blaming CLSID-5" "$work/change.diff" || fail "diff does not name $check as a new failure"
done
[ "$failed" -eq 0 ] && echo "regression_check: diff names the new failures behind an already failing, listed rule (exit 1)"

# --- 3. every replay line of a failing run reproduces its failure ---------------------------
"$bitsconf" run --sut mock:mutant=clsid-lost-on-restart --no-progress --out "$work/failing/results.json" 2>"$work/failing.log"
rc=$?
[ "$rc" -eq 1 ] || fail "the failing run exited $rc, not 1"
python3 - "$work/failing/results.json" >"$work/replays" <<'EOF' || fail "cannot read the failing run's replay lines"
import json, sys
results = json.load(open(sys.argv[1]))
for unit in results["scenarios"] + results["properties"]:
    case = unit.get("counterexample")
    if case and case["replay"]:
        print(unit["check"] + "\t" + " ".join(unit["failed_rules"]) + "\t" + case["replay"])
EOF
lines=0
kinds=""
while IFS="$(printf '\t')" read -r check rules line; do
  lines=$((lines + 1))
  kinds="$kinds ${check%%[:@]*}"
  sh -c "$line" >"$work/replay.out" 2>&1
  rc=$?
  if [ "$rc" -ne 1 ]; then
    fail "the replay line of $check exited $rc, not 1: $line"
  elif ! grep -q "^  rules: $rules\$" "$work/replay.out"; then
    fail "the replay line of $check does not blame $rules: $line"
  fi
done <"$work/replays"
for kind in scenario property covering-set; do
  case "$kinds " in *" $kind "*) ;; *) fail "no failing $kind in the failing run: its replay line went untested" ;; esac
done
[ "$failed" -eq 0 ] && echo "regression_check: all $lines replay lines of the failing run reproduce their failures"
exit "$failed"
