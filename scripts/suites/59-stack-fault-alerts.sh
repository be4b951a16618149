#!/usr/bin/env bash
# Live fault drills (stack/test/fault-alerts.drill.ts): the API process killed ⇒ APIAvailabilitySLONoData pages;
# both Postgres exporters stopped ⇒ PostgresPrimaryUnreachable pages; a standby stopped ⇒ PostgresStandbyMissing
# ticket; a certificate issued already expired ⇒ CertExpired/CertProbeFailing pages. Each reaches the sink, clears
# when the component is back (`stack up`, `stack cert`); with VEZA_DRILL_RESOLVED=1 its resolved notification too
# (Alertmanager's 5-minute group tick: ~5 more minutes). TEST-ONLY rules: `for:` 20 s (stack/test/rules-mode.ts),
# restored on exit. Timings measured per drill (the "timing" lines). Needs the stack from 50-stack-up.sh; ~4 min.
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh
node_test_suite stack/test/fault-alerts.drill.ts
