#!/usr/bin/env bash
# Builds the plugin (front end + gpx_pgha for four platforms), packages the zip, runs the typed package tests
# (scripts/package/*.test.ts: zip layout and contents, plugin.json schema, levitate compatibility) and Grafana's
# plugin validator whenever a build of it is present (scripts/package/validate.sh).
set -uo pipefail
source scripts/lib/suite.sh

check "npm run build (front end + backend binaries)" npm run --silent build
check "npm run package" npm run --silent package

# The zip's layout and contents, every plugin.json against Grafana's schema, and compatibility with the oldest
# Grafana in grafanaDependency (levitate, packages from npm): typed tests in scripts/package/.
out="$VEZA_RESULTS/package-tests.tap"
npx tsx --test --test-reporter=tap scripts/package/*.test.ts >"$out" 2>&1
rc=$?
read -r zp zf zs < <(node_test_counts "$out")
[ "$rc" -ne 0 ] && [ "$zf" -eq 0 ] && zf=1
SUITE_PASSED=$((SUITE_PASSED + zp)) SUITE_FAILED=$((SUITE_FAILED + zf)) SUITE_SKIPPED=$((SUITE_SKIPPED + zs))
grep -E '^\s*(not )?ok [0-9]+ - ' "$out" | grep -v '\.test\.ts$' | sed -E 's/^\s*ok [0-9]+ - /  ok    /; s/^\s*not ok [0-9]+ - /  FAIL  /'
[ "$zf" -gt 0 ] && grep -A20 '^\s*not ok' "$out" | head -n 80

bash scripts/package/validate.sh
case $? in
  0) SUITE_PASSED=$((SUITE_PASSED + 1)) ;;
  2) SUITE_SKIPPED=$((SUITE_SKIPPED + 1)) ;;
  *) SUITE_FAILED=$((SUITE_FAILED + 1)) ;;
esac
finish
