#!/usr/bin/env bash
# Infra alerts live (stack/test/infra-alerts.drill.ts), over the stack's real exporters: Redis stopped → RedisDown
# fires (redis_exporter) and pages with its runbook; `up` restarts Redis and it resolves. The API's certificate
# reissued for 1 day → blackbox_exporter sees it, CertExpiringSoon pages and its 14-day ticket twin is inhibited;
# renewed for 90 days → resolved. TEST-ONLY: rule `for:` cut to 20s and alerts stamped with drill_run
# (stack/test/rules-mode.ts). Restores on exit. Timings measured (the "timing" lines). Needs the stack; ~2 min.
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh
node_test_suite stack/test/infra-alerts.drill.ts
