#!/usr/bin/env bash
# Pure parts of the demo API, the load generator, the stack and the benches (node:test): what an order and a knob
# patch may be, how the PgBouncer hook reads notifications and decides to switch, the benches' arithmetic.
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh

out="$VEZA_RESULTS/$SUITE_NAME.tap"
npx tsx --test --test-reporter=tap demo/test/*.test.ts stack/test/*.test.ts scripts/bench/*.test.ts >"$out" 2>&1
rc=$?
read -r p f s < <(node_test_counts "$out")
grep -E '^\s*not ok' "$out" | sed 's/^/  /' || true
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then tail -n 30 "$out"; f=1; fi
suite_result "$p" "$f" "$s"
[ "$rc" -eq 0 ]
