#!/usr/bin/env bash
# The benchmark suite of issues 6 and 18 (docs/benchmarks.md): the ingest benchmark (item 1), then the live-path items 2–7
# (items 2 and 7 with the server's own per-circuit timestamps beside an in-run floor, Chromium pinned off the server's CPU).
# Usage: ./bench.sh [--smoke] [--long]   — artifacts go to $HOMEOPS_BENCH_ARTIFACTS or artifacts/bench/.
# Exits non-zero when any target is missed or any benchmark fails; both programs always run.
set -uo pipefail
cd "$(dirname "$0")"

live_args=(all)
ingest_args=()
for a in "$@"; do
  case "$a" in
    --smoke) live_args+=(--smoke); ingest_args+=(--smoke) ;;
    --long) live_args+=(--long) ;;
    *) echo "unknown argument: $a (use --smoke, --long)" >&2; exit 64 ;;
  esac
done

start=$(date +%s)
status=0
echo "== 1. ingest throughput =="
dotnet run -c Release --project benchmarks/HomeOps.Benchmarks.Ingest -- "${ingest_args[@]}" || { echo "ingest benchmark: FAILED" >&2; status=1; }
echo "== 2–7. live path =="
dotnet run -c Release --project benchmarks/HomeOps.Benchmarks.Live -- "${live_args[@]}" || { echo "live benchmarks: FAILED" >&2; status=1; }
echo "bench.sh finished in $(( $(date +%s) - start )) s with status $status"
exit $status
