#!/usr/bin/env bash
# Every runbook command pasted against the running stack (stack/test/runbooks.drill.ts): each ```bash command
# exits 0 with no error in its output, each ```promql query evaluates on Prometheus. Commands marked
# not-on-stack count as skipped (with their reason); blocks that change state are left to their drill
# (58-stack-db-failover-manual.sh runs db-failover's). Needs the stack from 50-stack-up.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh
node_test_suite stack/test/runbooks.drill.ts
