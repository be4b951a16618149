#!/usr/bin/env bash
# PgBouncer hook drills against the running stack (stack/test/hook.drill.ts): garbage on the monitor's state
# channel, a RELOAD that did not take, the hook killed. Needs the stack from 50-stack-up.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh

out="$VEZA_RESULTS/$SUITE_NAME.tap"
npx tsx --test --test-reporter=tap stack/test/hook.drill.ts >"$out" 2>&1
rc=$?
read -r p f s < <(node_test_counts "$out")
grep -E '^(not )?ok' "$out" | sed 's/^/  /'
if [ "$f" -ne 0 ] || [ "$rc" -ne 0 ]; then grep -A12 '^not ok' "$out" | sed 's/^/    /'; fi
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then tail -n 30 "$out"; f=1; fi
suite_result "$p" "$f" "$s"
[ "$rc" -eq 0 ]
