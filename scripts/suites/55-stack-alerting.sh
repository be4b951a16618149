#!/usr/bin/env bash
# Alerting end to end (stack/test/alerting.drill.ts): a total GET outage driven by the load generator makes
# APIAvailabilitySLOFastBurn reach the sink through the page route (Slack + PagerDuty) with the runbook and SLO
# links, while the slow burn is inhibited. TEST-ONLY settings: rule `for:` cut to 20s (stack/test/rules-mode.ts),
# GETs at 60 req/s per route during the outage so the 1h/6h windows cross 14.4x/6x burn within a minute. Restores
# both on exit. Timings measured (the "timing" lines). Needs the stack from 50-stack-up.sh; ~2.5 min.
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh
node_test_suite stack/test/alerting.drill.ts
