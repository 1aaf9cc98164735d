#!/usr/bin/env bash
# Runs every test in the solution and prints a closing line "N passed, N failed".
# Usage: ./test.sh            (all tests, Release)
#        ./test.sh --filter-class 'HomeOps.Cluster.Tests.*'   (extra arguments go to dotnet test)
set -uo pipefail
cd "$(dirname "$0")"

results="TestResults"
rm -rf "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Artifacts (screenshots, logs) the tests write go here.
export HOMEOPS_TEST_ARTIFACTS="${HOMEOPS_TEST_ARTIFACTS:-$PWD/artifacts/test}"
mkdir -p "$HOMEOPS_TEST_ARTIFACTS"

dotnet restore HomeOps.Dashboard.sln || exit 1
dotnet build HomeOps.Dashboard.sln --no-restore -c Release || exit 1
dotnet test --solution HomeOps.Dashboard.sln --no-build -c Release \
  --report-xunit-trx --results-directory "$results" "$@"
status=$?

# dotnet test's own summary is not a recognised closing line: count from the TRX files.
passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # a crash or a zero-test run must not look green
echo "$passed passed, $failed failed"
exit "$status"
