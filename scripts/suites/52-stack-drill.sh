#!/usr/bin/env bash
# Hard failover drill (stack/test/failover.drill.ts): SIGKILL the primary's pg_autoctl + Postgres process group;
# within VEZA_FAILOVER_LIMIT seconds (default 30) the standby is primary, PgBouncer points at it, the demo API
# takes orders again, Prometheus holds the 5xx burst, and the old node (restarted by the drill) rejoins as
# secondary. The "timing failover" line holds the CLI's measured timings. Needs the stack from 50-stack-up.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh
node_test_suite stack/test/failover.drill.ts
