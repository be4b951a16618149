#!/usr/bin/env bash
# The soak in short (`npm run soak` runs 20; docs/stack.md): VEZA_SOAK_FAILOVERS (default 3) consecutive hard-kill
# failovers with orders flowing. After each: the PG HA data source, asked through the preview host as Grafana
# asks it, shows exactly the monitor's primary and a healthy verdict, and PgBouncer routes to it; at the end every
# order acknowledged 2xx is in the database and the data source backend never restarted. Needs the stack and dist/.
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh

out="$VEZA_RESULTS/soak.json"
node_modules/.bin/tsx stack/soak.ts --failovers "${VEZA_SOAK_FAILOVERS:-3}" --out "$out" 2>&1 | sed 's/^/  /'
rc=${PIPESTATUS[0]}
if [ -s "$out" ]; then
  summary() { jq -r "$1" "$out"; }
  check "every failover converged and was shown as such (no breach)" test "$(summary '.breaches | length')" = 0
  check "every order acknowledged 2xx is in the database ($(summary '.ordersFound')/$(summary '.ordersAcknowledged'))" \
    test "$(summary '.ordersFound')" = "$(summary '.ordersAcknowledged')"
  check "orders were acknowledged during the soak" test "$(summary '.ordersAcknowledged')" -gt 0
  check "all ${VEZA_SOAK_FAILOVERS:-3} failovers ran" test "$(summary '.failovers')" = "${VEZA_SOAK_FAILOVERS:-3}"
  summary '.breaches[]' | sed 's/^/  breach: /'
else
  check "soak ran (exit $rc)" false
fi
[ "$rc" -eq 0 ] || [ "$SUITE_FAILED" -gt 0 ] || check "soak exit code $rc" false
finish
