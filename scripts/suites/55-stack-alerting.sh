#!/usr/bin/env bash
# Alerting end to end: a total GET outage driven by the load generator makes APIAvailabilitySLOFastBurn reach
# the sink through the page route (Slack + PagerDuty) with the runbook and SLO links, while the slow burn is
# inhibited. TEST-ONLY settings: rule `for:` cut to 20s (stack/test/rules-mode.ts), GETs at 60 req/s per route
# during the outage so the 1h/6h windows cross 14.4x/6x burn within a minute. Restores both on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh
source scripts/lib/stack.sh

restore() {
  curl -fsS -X POST "$LOAD/knobs/reset" >/dev/null || true
  drill_end
}
trap restore EXIT
drill_begin
curl -fsS -X PUT "$LOAD/knobs" -d '{"GET":{"errorShare":1,"rps":60}}' >/dev/null
echo "  total GET outage started $(date -u +%T)"

fast_paged() { curl -fsS "$SINK/notifications" | jq -e '[.[] | select(.kind=="pagerduty" and (.body | tostring | contains("APIAvailabilitySLOFastBurn")))] | length > 0' >/dev/null; }
check "APIAvailabilitySLOFastBurn reaches the sink (within 4 min)" wait_until 240 fast_paged
echo "  notified $(date -u +%T)"
check "page route: Slack page channel got it" bash -c 'curl -fsS '"$SINK"'/notifications | jq -e "[.[] | select(.kind==\"slack\" and (.path|contains(\"page\")) and (.body|tostring|contains(\"APIAvailabilitySLOFastBurn\")))] | length > 0"'
check "PagerDuty event links the runbook" bash -c 'curl -fsS '"$SINK"'/notifications | jq -e "[.[] | select(.kind==\"pagerduty\") | .body.links[]? | select(.text==\"Runbook\" and (.href|test(\"runbooks/\")))] | length > 0"'
check "PagerDuty event links the SLO page" bash -c 'curl -fsS '"$SINK"'/notifications | jq -e "[.[] | select(.kind==\"pagerduty\") | .body.links[]? | select(.text==\"SLO page\" and (.href|length) > 0)] | length > 0"'
if wait_until 240 alert_firing APIAvailabilitySLOSlowBurn; then
  sleep 45 # longer than the ticket route's group_wait (30 s): a non-inhibited ticket would have been sent
  check "slow burn is firing but inhibited in Alertmanager" bash -c 'curl -fsS "'"$AM"'/api/v2/alerts?filter=alertname%3D%22APIAvailabilitySLOSlowBurn%22" | jq -e "length > 0 and all(.[]; (.status.inhibitedBy | length) > 0)"'
  check "no slow-burn notification reached the sink" bash -c '! curl -fsS '"$SINK"'/notifications | jq -e "[.[] | select(.body|tostring|contains(\"APIAvailabilitySLOSlowBurn\"))] | length > 0"'
else
  SUITE_FAILED=$((SUITE_FAILED + 1))
  echo "  FAIL  APIAvailabilitySLOSlowBurn never fired in Prometheus (cannot test inhibition)"
fi
finish
