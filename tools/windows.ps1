# tools\windows.ps1: the whole suite against this Windows machine's own BITS.
#
#   tools\windows.ps1 build    build the real adapter with MSVC (a Developer PowerShell for VS 2022;
#                              nlohmann-json through vcpkg or BITSCONFORM_NLOHMANN_JSON_INCLUDE)
#   tools\windows.ps1 report   in WSL (Debian): install what is missing, build bitsconf, run every
#                              scenario and property against this machine's BITS through the
#                              adapter, write reports\out\windows\ (open report.html)
#
# Extra arguments after `report` go to `bitsconf run` (e.g. -- --cases 100). Run `report` from an
# elevated PowerShell if ServiceRestart should run (stopping BITS needs administrator rights; the
# evidence in the report says whether it could). WSL's Debian must be installed
# (`wsl --install -d Debian`); as a normal WSL user, tools/setup.sh prints the apt-get line to
# run once with sudo. The Linux side is tools/windows_conformance.sh (why WSL: see there).
param(
  [Parameter(Mandatory = $true)][ValidateSet("build", "report")][string]$What,
  [string]$Distro = "Debian",
  [Parameter(ValueFromRemainingArguments = $true)][string[]]$RunArgs = @()
)
$ErrorActionPreference = "Stop"
$root = Split-Path -Parent $PSScriptRoot
Set-Location $root
$adapter = "build/msvc/sut/real/Release/bitsconform-adapter.exe"

if ($What -eq "build") {
  # nlohmann-json (sut/real/README.md): vcpkg's package, or a folder holding nlohmann\json.hpp.
  $json = @()
  if ($env:VCPKG_ROOT) { $json += "-DCMAKE_TOOLCHAIN_FILE=$env:VCPKG_ROOT/scripts/buildsystems/vcpkg.cmake" }
  if ($env:BITSCONFORM_NLOHMANN_JSON_INCLUDE) { $json += "-DBITSCONFORM_NLOHMANN_JSON_INCLUDE=$env:BITSCONFORM_NLOHMANN_JSON_INCLUDE" }
  cmake -S . -B build/msvc -DBITSCONFORM_ONLY_REAL_ADAPTER=ON @json
  if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
  cmake --build build/msvc --config Release
  exit $LASTEXITCODE
}

if (-not (Test-Path $adapter)) {
  Write-Error "missing $($adapter): run 'tools\windows.ps1 build' first (in a Developer PowerShell)"
}
# WSL starts in this directory (--cd takes a Windows path); the adapter path is relative to it.
wsl.exe -d $Distro --cd $root -- tools/run.sh windows $adapter @RunArgs
exit $LASTEXITCODE
