#!/usr/bin/env bash
# Alert policy backtest (docs/backtest.md): each tier's alert replayed by the stack's Prometheus over the last 90 days of the
# history (the rules' own expressions over the raw counters, `for:` honoured) equals the ground truth computed from
# the history generator's counts without PromQL (stack/history/backtestTruth.ts): alerts, detection and reset per
# scripted incident, incident costs, precision, recall — for the deployed tiers and a what-if (99.9 %, four tiers);
# plus `npm run backtest -- --format json` and its refusal of a bad --tiers. Also `npm run budget -- report`
# (scripts/budget/): the monthly report printed without a browser, equal to the history's expected figures.
# Needs the stack (50-stack-up).
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh

PROM="${PROMETHEUS_URL:-http://127.0.0.1:9090}"
if ! curl -fsS -m 5 "$PROM/-/ready" >/dev/null || [ ! -s stack/history/expected.json ]; then
  echo "  FAIL  needs the stack's history: Prometheus ready at $PROM and stack/history/expected.json (50-stack-up.sh)"
  suite_result 0 1
  exit 1
fi

# Projects `backtest` (unit) and `backtest-integration` of jest.config.js; the latter exists only with VEZA_INTEGRATION=1.
VEZA_INTEGRATION=1 PROMETHEUS_URL="$PROM" jest_suite backtest --selectProjects backtest backtest-integration budget budget-integration
