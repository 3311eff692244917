#!/bin/sh
# fuzz.sh: run one libFuzzer target of the fuzz build for a bounded time over its corpus.
#
#   tools/fuzz.sh scenario|protocol [SECONDS]
#
# Build the targets first: cmake --preset fuzz && cmake --build --preset fuzz (clang-14 with
# libclang-rt-14-dev: tools/setup.sh --fuzz). ctest runs each target for 60 s; run it for hours
# by hand. The corpus in the repository (scenarios/fuzz-corpus, sut/protocol/fuzz-corpus) is
# only read: new inputs go to a scratch folder (commit the interesting ones by hand). A finding
# (crash, sanitizer report, timeout, memory blow-up) fails with the input saved under
# build/fuzz/findings/ and the line that replays it.
#
# Exits 77 (skipped) when the fuzz build is missing, unless BITSCONFORM_REQUIRE_FUZZ=1
# (tools/run.sh test sets it: in CI the fuzz targets must run).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BITSCONFORM_FUZZ_BUILD:-$root/build/fuzz}
target=${1:-}
seconds=${2:-60}
case "$target" in
  scenario) corpus=$root/scenarios/fuzz-corpus dict=$root/scenarios/fuzz_scenario.dict ;;
  protocol) corpus=$root/sut/protocol/fuzz-corpus dict=$root/sut/protocol/fuzz_protocol.dict ;;
  *) echo "usage: tools/fuzz.sh scenario|protocol [SECONDS]" >&2; exit 2 ;;
esac
bin=$build/fuzz_$target
if [ ! -x "$bin" ]; then
  msg="fuzz.sh: $bin is not built (cmake --preset fuzz && cmake --build --preset fuzz)"
  if [ "${BITSCONFORM_REQUIRE_FUZZ:-0}" = 1 ]; then echo "$msg" >&2; exit 1; fi
  echo "$msg: skipped" >&2
  exit 77
fi
findings=$build/findings
mkdir -p "$findings"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT INT TERM
# -timeout: one input may take at most 25 s (the limits of the test world bound a scenario far
# below that); -rss_limit_mb: memory is bounded too; -max_len: inputs up to 16 KiB.
status=0
"$bin" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
  -dict="$dict" -artifact_prefix="$findings/$target-" "$scratch" "$corpus" || status=$?
if [ "$status" -ne 0 ]; then
  echo "fuzz.sh: fuzz_$target found a failing input (exit $status); replay it with:" >&2
  echo "  $bin $findings/$target-<crash|timeout|oom>-..." >&2
fi
exit "$status"
