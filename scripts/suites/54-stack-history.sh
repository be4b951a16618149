#!/usr/bin/env bash
# The 430-day backfill: the 30-day and per-calendar-month error ratios Prometheus answers (raw counters,
# increase() at the window's end) match stack/history/expected.json within its stated tolerance, and the
# backfilled recording rules show each scripted incident.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh
out=$(node_modules/.bin/tsx stack/test/history-check.ts)
grep -v '^counts' <<<"$out" | sed 's/^/  /'
read -r _ p f < <(grep '^counts' <<<"$out")
suite_result "$p" "$f"
[ "$f" -eq 0 ]
