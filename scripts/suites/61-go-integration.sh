#!/usr/bin/env bash
# Go integration tests of veza-pgha-datasource against the stack's real formation (monitor 6000,
# nodes 6001/6002, PgBouncer 6432), including a hard-kill failover through the stack CLI.
# Runs after suite 50 brought the stack up. TestITPgAutoFailoverThreeNodesAndASecondFormation starts a throwaway
# monitor, a three-node formation and a second formation of its own on free ports (about 10 s; skipped without
# pg_autoctl) and leaves the stack's formation alone.
set -uo pipefail
source scripts/lib/suite.sh

port="${VEZA_PGHA_MONITOR_PORT:-6000}"
if ! psql -h 127.0.0.1 -p "$port" -U autoctl_node -d pg_auto_failover -Atc 'select 1' >/dev/null 2>&1; then
  echo "  the pg_auto_failover monitor does not answer on 127.0.0.1:$port — is the stack up? (npm run stack -- up)"
  suite_result 0 1 0
  exit 1
fi

report="$VEZA_RESULTS/go-integration.json"
go test -tags integration -json -count=1 -timeout 20m -run 'TestIT' ./pkg/plugin/ >"$report" 2>&1
rc=$?
read -r p f s < <(gotest_counts "$report")
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
  grep -v '^{' "$report" | tail -n 20
  f=1
fi
jq -r 'select(.Action=="output" and .Test!=null and (.Output|test("_test.go:"))) | "        \(.Output|rtrimstr("\n"))"' "$report" 2>/dev/null | tail -n 40
suite_result "$p" "$f" "$s"
exit "$rc"
