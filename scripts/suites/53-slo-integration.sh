#!/usr/bin/env bash
# src/api + src/slo against the stack's real Prometheus: SLO discovery from the rules API, the 30-day and
# per-month error ratios and budgets the app computes (joined raw-counter queries) equal
# stack/history/expected.json within its tolerance, and the page loaders' request counts (overview = 4).
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh

PROM="${PROMETHEUS_URL:-http://127.0.0.1:9090}"
if ! curl -fsS -m 5 "$PROM/-/ready" >/dev/null; then
  echo "  FAIL  Prometheus is not ready at $PROM (50-stack-up.sh starts it; see its output)"
  suite_result 0 1
  exit 1
fi
if [ ! -s stack/history/expected.json ]; then
  echo "  FAIL  stack/history/expected.json is missing (written by stack/history/generate.ts)"
  suite_result 0 1
  exit 1
fi

# The `integration` project of jest.config.js exists only with VEZA_INTEGRATION=1 (plain `npx jest` skips it).
VEZA_INTEGRATION=1 PROMETHEUS_URL="$PROM" jest_suite slo-integration --selectProjects integration
