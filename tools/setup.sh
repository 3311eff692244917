#!/usr/bin/env bash
# setup.sh: install the Debian 12 packages bitsconform needs.
#
#   tools/setup.sh [--wine] [--browser] [--fuzz]
#
# As root it installs what is missing (apt-get). Otherwise it prints the exact apt-get line and
# exits 1, so nothing happens behind your back. --wine adds what the Wine conformance run needs
# (MinGW-w64 and Wine); --browser adds headless Chromium for the HTML report check; --fuzz adds
# clang 14 and its runtime libraries (libFuzzer, ASan, UBSan) for the fuzz targets.
set -euo pipefail

packages=(cmake ninja-build g++ python3 catch2 librapidcheck-dev nlohmann-json3-dev libcli11-dev
          libfmt-dev libsqlite3-dev)
for arg in "$@"; do
  case "$arg" in
    --wine) packages+=(mingw-w64 wine wine64) ;;
    --browser) packages+=(chromium) ;;
    --fuzz) packages+=(clang-14 libclang-rt-14-dev) ;;
    *) echo "setup.sh: unknown option '$arg' (expected --wine, --browser or --fuzz)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "bitsconform needs these packages; install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "setup.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
