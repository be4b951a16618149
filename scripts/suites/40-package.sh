#!/usr/bin/env bash
# Builds the plugin (front end + gpx_pgha for four platforms), packages the zip, checks its layout, and runs
# Grafana's plugin validator when the Go module proxy serves it.
set -uo pipefail
source scripts/lib/suite.sh

check "npm run build (front end + backend binaries)" npm run --silent build
check "npm run package" npm run --silent package

out="$VEZA_RESULTS/zip-layout.txt"
npx tsx --test scripts/package/zip-layout.test.ts >"$out" 2>&1
rc=$?
read -r zp zf zs < <(node_test_counts "$out")
[ "$rc" -ne 0 ] && [ "$zf" -eq 0 ] && zf=1
SUITE_PASSED=$((SUITE_PASSED + zp)) SUITE_FAILED=$((SUITE_FAILED + zf))
grep -E '^(✔|✖|ok [0-9]+ - |not ok [0-9]+ - )' "$out" | sed -E 's/^ok [0-9]+ - /  ok    zip: /; s/^not ok [0-9]+ - /  FAIL  zip: /'
[ "$zf" -gt 0 ] && tail -n 40 "$out"

bash scripts/package/validate.sh
case $? in
  0) SUITE_PASSED=$((SUITE_PASSED + 1)) ;;
  2) SUITE_SKIPPED=$((SUITE_SKIPPED + 1)) ;;
  *) SUITE_FAILED=$((SUITE_FAILED + 1)) ;;
esac
finish
