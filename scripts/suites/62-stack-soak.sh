#!/usr/bin/env bash
# The soak in short (stack/test/soak.drill.ts; `npm run soak` runs 20, docs/stack.md): VEZA_SOAK_FAILOVERS
# (default 3) consecutive hard-kill failovers with orders flowing. After each: the PG HA data source, asked through
# the preview host as Grafana asks it, shows exactly the monitor's primary and a healthy verdict, and PgBouncer
# routes to it; at the end every order acknowledged 2xx is in the database and the data source backend never
# restarted. Summary in $VEZA_RESULTS/soak.json, breaches listed with the failures. Needs the stack and dist/.
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh
node_test_suite stack/test/soak.drill.ts
