#!/bin/sh
# The whole suite against a Windows machine's own BITS: the Linux runner (bitsconf, built in WSL)
# drives the real adapter (bitsconform-adapter.exe, built with MSVC) through WSL interop, which
# runs a Windows .exe from Linux with its stdin/stdout as pipes. Why WSL rather than a Windows
# build of the runner: the runner's adapter client is POSIX (fork, pipes, poll, process groups:
# sut/protocol/protocol_sut.h) and its dependencies are Debian packages; the adapter is the only
# part that must be Windows code, and it already builds with MSVC.
#
#   tools/windows_conformance.sh ADAPTER [bitsconf run options...]
#
# ADAPTER is the .exe, as a WSL path or a Windows path (C:\...). Options go to `bitsconf run`
# (e.g. --shard 2/4 --cases 100 --seed 7). First `bitsconf adapter-check` (what the adapter
# declares, with the probes' evidence), then the run (fixed seed 1 unless given, a retry for a
# unit whose adapter broke, the whole suite: scenarios and properties). Writes
# $BITSCONFORM_OUT (default reports/out/windows)/{results.json,report.html,report.md,junit.xml}
# and exits with bitsconf run's code (0 conform, 1 a failure, 2 input, 3 the adapter broke).
# Builds nothing: needs build/default/tools/bitsconf (or BITSCONFORM_BITSCONF).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
bitsconf="${BITSCONFORM_BITSCONF:-$root/build/default/tools/bitsconf}"
out="${BITSCONFORM_OUT:-$root/reports/out/windows}"

if [ $# -lt 1 ]; then
  echo "usage: tools/windows_conformance.sh ADAPTER.exe [bitsconf run options...]" >&2
  exit 2
fi
adapter="$1"
shift
case "$adapter" in
  [A-Za-z]:\\*|[A-Za-z]:/*)  # a Windows path: WSL sees the drive under /mnt
    if command -v wslpath >/dev/null 2>&1; then adapter=$(wslpath -a "$adapter"); else
      printf "windows_conformance: '%s' is a Windows path and wslpath is missing (run this in WSL)\n" "$adapter" >&2
      exit 2
    fi ;;
esac
case "$adapter" in /*) ;; *) adapter="$(pwd)/$adapter" ;; esac
[ -f "$bitsconf" ] || { echo "windows_conformance: missing $bitsconf (cmake --build --preset default --target bitsconf)" >&2; exit 2; }
[ -f "$adapter" ] || { echo "windows_conformance: missing adapter $adapter (build it with MSVC: README.md)" >&2; exit 2; }
mkdir -p "$out"

seed=""
case " $* " in *" --seed "*) ;; *) seed="--seed 1" ;; esac
"$bitsconf" adapter-check "$adapter" --sut-timeout 60 || echo "windows_conformance: adapter-check found something to fix (above)" >&2
# shellcheck disable=SC2086  # $seed is empty or two words on purpose
"$bitsconf" run --sut "agent:$adapter" --sut-timeout 60 --retry-sut-failures 2 --no-progress $seed \
  --out "$out/results.json" "$@"
rc=$?
if [ -f "$out/results.json" ]; then
  "$bitsconf" report "$out/results.json" --html "$out/report.html" --markdown "$out/report.md" \
    --junit "$out/junit.xml" >/dev/null || [ "$rc" -ne 0 ] || rc=2
fi
exit "$rc"
