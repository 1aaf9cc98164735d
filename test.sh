#!/usr/bin/env bash
# Runs every test in the solution and prints a closing line "N passed, N failed, N skipped".
# Usage: ./test.sh            (all tests, Release)
#        ./test.sh --filter-class 'HomeOps.Cluster.Tests.*'   (extra arguments go to dotnet test)
#        ./test.sh --check-only   (only the preflight: is everything the tests need installed?)
set -uo pipefail
cd "$(dirname "$0")"

# Preflight, before anything is built or run. The browser tests launch Debian's Chromium at this path
# (tests/HomeOps.EndToEnd/BrowserFixture.cs); the replica tests start a real PostgreSQL 15 from Debian's binaries
# (initdb, pg_ctl: tests/Shared/PostgresServer.cs). As root what is missing is installed; otherwise we stop with one line.
# --check-only runs exactly this and exits non-zero when something is (still) missing.
chromium="${HOMEOPS_CHROMIUM:-/usr/bin/chromium}"
pg_bin="${HOMEOPS_PG_BIN:-/usr/lib/postgresql/15/bin}"
missing_packages() {
  local m=()
  [ -x "$chromium" ] || m+=(chromium)
  { [ -x "$pg_bin/initdb" ] && [ -x "$pg_bin/pg_ctl" ]; } || m+=(postgresql)
  echo "${m[*]}"
}
ensure_tools() {
  local missing; missing=$(missing_packages)
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: missing $missing (chromium: $chromium, postgresql: $pg_bin/initdb): install with 'sudo apt-get install -y $missing', then run ./test.sh again." >&2
    return 1
  fi
  echo "test.sh: installing Debian $missing for the tests..."
  # shellcheck disable=SC2086 # the package names are words
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing; } >/dev/null 2>&1; then
    echo "test.sh: could not install $missing ('apt-get install -y $missing' failed); install it, then run ./test.sh again." >&2
    return 1
  fi
  missing=$(missing_packages)
  [ -z "$missing" ] && return 0
  echo "test.sh: $missing installed but still not found (chromium: $chromium, postgresql: $pg_bin); point HOMEOPS_CHROMIUM / HOMEOPS_PG_BIN at them." >&2
  return 1
}
ensure_tools || exit 1
if [ "${1:-}" = "--check-only" ]; then exit 0; fi

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

# dotnet test's own summary is not a recognised closing line: count from the TRX files. xunit's TRX counts a skipped
# test as notExecuted; errors, timeouts and aborts count as failures.
passed=0; failed=0; skipped=0
counter() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2"; }
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(counter passed "$counters"); s=$(counter notExecuted "$counters")
  f=0
  for name in failed error timeout aborted; do v=$(counter "$name" "$counters"); f=$((f + ${v:-0})); done
  passed=$((passed + ${p:-0})); failed=$((failed + f)); skipped=$((skipped + ${s:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # a crash or a zero-test run must not look green
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
