#!/bin/sh
# The Wine conformance gate: scenarios + properties against Wine's qmgr through the real adapter,
# judged with reports/expectations/wine.json. Builds nothing: expects build/default (bitsconf)
# and build/mingw (bitsconform-adapter.exe). Writes reports/out/wine/{results.json,report.html,
# report.md,junit.xml} and exits with bitsconf run's code (0 conform, 1 unexpected failure,
# 2 usage/input, 3 SUT crashed or hung; a run past the overall deadline is 3 too), or 77 when
# wine or a build is missing (CTest: skipped) unless BITSCONFORM_REQUIRE_WINE=1 (then 2).
# Bounded: a fixed seed, 3 cases per property, 20 s of shrinking per failing property (about
# 1 min on the shared 2-core box: one adapter serves every case through reset); every step has
# its own timeout in the wine SUT, and the whole run is
# killed after BITSCONFORM_WINE_DEADLINE s. A unit whose adapter crashed or hung is run again
# (twice at most); each retry is a note in the results.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
bitsconf="${BITSCONFORM_BITSCONF:-$root/build/default/tools/bitsconf}"
adapter="${BITSCONFORM_REAL_ADAPTER:-$root/build/mingw/sut/real/bitsconform-adapter.exe}"
out="$root/reports/out/wine"
deadline="${BITSCONFORM_WINE_DEADLINE:-480}"

missing() {
  echo "wine_conformance: $1" >&2
  if [ "${BITSCONFORM_REQUIRE_WINE:-0}" = 1 ]; then exit 2; fi
  echo "wine_conformance: skipped (set BITSCONFORM_REQUIRE_WINE=1 to make this an error)" >&2
  exit 77
}
for f in "$bitsconf" "$adapter"; do
  [ -f "$f" ] || missing "missing $f (build it first: cmake --build --preset default; --preset mingw)"
done
command -v wine >/dev/null 2>&1 || missing "wine is not installed (tools/setup.sh --wine)"
mkdir -p "$out"
cd "$root" || exit 2

BITSCONFORM_REAL_ADAPTER="$adapter" timeout --kill-after=30 "$deadline" \
  "$bitsconf" run --sut wine --manifest reports/expectations/wine.json \
  --seed 1 --cases 3 --mutants off --retry-sut-failures 2 --shrink-budget 20 --no-progress --out "$out/results.json"
rc=$?
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
  echo "wine_conformance: the run passed its ${deadline}s deadline (SUT hung)" >&2
  rc=3
fi
if [ -f "$out/results.json" ]; then
  "$bitsconf" report "$out/results.json" --html "$out/report.html" --markdown "$out/report.md" \
    --junit "$out/junit.xml" >/dev/null || [ "$rc" -ne 0 ] || rc=2
fi
exit "$rc"
