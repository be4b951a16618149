#!/usr/bin/env bash
# Go backend (pkg/): go vet, gofmt, unit and golden tests. Hermetic: integration tests skip
# themselves unless VEZA_PGHA_IT=1 (suite 60 sets it).
set -uo pipefail
source scripts/lib/suite.sh

failed=0
echo "  go vet ./..."
if ! go vet ./...; then failed=$((failed + 1)); fi
unformatted="$(gofmt -l pkg)"
if [ -n "$unformatted" ]; then
  echo "  gofmt: not formatted:"; echo "$unformatted" | sed 's/^/        /'
  failed=$((failed + 1))
fi

report="$VEZA_RESULTS/go-unit.json"
env -u VEZA_PGHA_IT go test -json -count=1 ./... >"$report" 2>&1
rc=$?
read -r p f s < <(gotest_counts "$report")
# Integration tests skip here by design; say so.
[ "$s" -gt 0 ] && echo "  $s skipped: integration tests (they run in 60-go-integration with the stack up)"
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
  grep -v '^{' "$report" | tail -n 20   # build failure: no test ran
  f=1
fi
jq -r 'select(.Action=="fail" and .Test!=null) | "  FAIL  \(.Package) \(.Test)"' "$report" 2>/dev/null
suite_result "$p" "$((f + failed))" "$s"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
