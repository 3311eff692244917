#!/usr/bin/env bash
# run.sh: the README's two commands, from a fresh checkout to a result.
#
#   tools/run.sh report   install what is missing, build, run the whole suite on the mock
#                         (the embedded default SUT) and write reports/out/{results.json,
#                         report.html, report.md, junit.xml}
#   tools/run.sh test     install what is missing (with headless Chromium for the HTML check,
#                         MinGW-w64 and Wine for the real-adapter run, clang for the fuzz
#                         targets), build the suite, the real BITS adapter and the fuzz targets,
#                         run every test (ctest; each fuzz target for 60 s)
#   tools/run.sh windows ADAPTER.exe
#                         in WSL on a Windows machine: install what is missing, build bitsconf,
#                         run the whole suite against that machine's BITS through the MSVC-built
#                         adapter (tools/windows_conformance.sh) into reports/out/windows/
#
# Extra arguments after `report` go to `bitsconf run` (e.g. --cases 10000, --sut wine).
set -euo pipefail
cd "$(dirname "$0")/.."

what="${1:-}"
shift || true
case "$what" in
  report|test|windows) ;;
  *) echo "usage: tools/run.sh report|test [bitsconf run options] | windows ADAPTER.exe [options]" >&2; exit 2 ;;
esac

if [ "$what" = test ]; then
  tools/setup.sh --browser --wine --fuzz
else
  tools/setup.sh
fi

cmake --preset default >/dev/null
if [ "$what" = windows ]; then
  cmake --build --preset default --target bitsconf
  exec tools/windows_conformance.sh "$@"
fi
if [ "$what" = report ]; then
  cmake --build --preset default --target bitsconf   # the report needs only the CLI
else
  cmake --build --preset default
fi

if [ "$what" = test ]; then
  # The real BITS adapter (a Windows .exe) that the Wine conformance tests drive.
  cmake --preset mingw >/dev/null
  cmake --build --preset mingw
  # The libFuzzer targets (clang, ASan/UBSan; cmake/fuzz.cmake) that ctest runs for 60 s each.
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz
  # Wine, the adapter and the fuzz targets are installed and built above: their tests must run,
  # never skip.
  export BITSCONFORM_REQUIRE_WINE=1
  export BITSCONFORM_REQUIRE_FUZZ=1
  exec ctest --preset default
fi

out=reports/out
mkdir -p "$out"
status=0
build/default/tools/bitsconf run --sut mock --out "$out/results.json" "$@" || status=$?
build/default/tools/bitsconf report "$out/results.json" --html "$out/report.html" \
  --markdown "$out/report.md" --junit "$out/junit.xml"
echo "reports written to $out/ (open $out/report.html)"
exit $status
