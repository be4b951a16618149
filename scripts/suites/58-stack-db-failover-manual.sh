#!/usr/bin/env bash
# The db-failover runbook's manual steps, run from the markdown (stack/test/db-failover.drill.ts): the planned
# switch (perform failover), then the data-loss path on a built fault — standby stopped, primary killed, standby
# back but catchingup: perform failover refused, the dead primary dropped with --force, the standby promoted,
# the lost node rebuilt by `stack up`. Ends (and, on failure, is restored) with primary + secondary and PgBouncer
# on the primary. Timings measured per drill (the "timing" lines). Needs the stack from 50-stack-up.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh
node_test_suite stack/test/db-failover.drill.ts
