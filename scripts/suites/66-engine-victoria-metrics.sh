#!/usr/bin/env bash
# The second engine (issue 15, docs/engines.md), stack/test/victoria.drill.ts: `stack vm up` starts VictoriaMetrics +
# vmalert beside the stack (the first time: imports the last 100 days of the history and replays the rules, ~20 s); the app's page
# loaders pointed at VictoriaMetrics give expected.json's figures and Prometheus' (stated tolerances in the file);
# a test-only RedisDown (for: 5s) on a throw-away vmalert reaches Alertmanager as engine="victoria-metrics", routed to
# a receiver that notifies no one. Restores Redis (`stack up`); stops VM + vmalert unless they were running. Needs
# the stack; runs after both lanes (the stack lane's drills count notifications and must not share it). ~1 min.
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh
node_test_suite stack/test/victoria.drill.ts
