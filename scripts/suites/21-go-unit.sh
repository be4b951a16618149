#!/usr/bin/env bash
# Go backend (pkg/): go vet (with and without the integration tag), gofmt, unit, golden and fuzz-seed tests.
# Hermetic: the integration tests build only with `-tags integration` (61-go-integration).
set -uo pipefail
source scripts/lib/suite.sh

failed=0
echo "  go vet ./..."
if ! go vet ./... || ! go vet -tags integration ./...; then failed=$((failed + 1)); fi
unformatted="$(gofmt -l pkg)"
if [ -n "$unformatted" ]; then
  echo "  gofmt: not formatted:"; echo "$unformatted" | sed 's/^/        /'
  failed=$((failed + 1))
fi

report="$VEZA_RESULTS/go-unit.json"
go test -json -count=1 ./... >"$report" 2>&1
rc=$?
read -r p f s < <(gotest_counts "$report")
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
  grep -v '^{' "$report" | tail -n 20   # build failure: no test ran
  f=1
fi
jq -r 'select(.Action=="fail" and .Test!=null) | "  FAIL  \(.Package) \(.Test)"' "$report" 2>/dev/null
suite_result "$p" "$((f + failed))" "$s"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
