#!/usr/bin/env bash
# Infra alerts live, over the stack's real exporters: Redis stopped → RedisDown fires (redis_exporter) and pages
# with its runbook; `up` restarts Redis and it resolves. The API's certificate reissued for 1 day → blackbox_exporter
# sees it, CertExpiringSoon pages and its 14-day ticket twin is inhibited; renewed for 90 days → resolved.
# TEST-ONLY: rule `for:` cut to 20s and alerts stamped with drill_run (stack/test/rules-mode.ts). Restores on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh
source scripts/lib/stack.sh

restore() {
  npm run --silent stack -- cert --days 90 >/dev/null || echo "  (could not renew the API certificate: npm run stack -- cert)"
  npm run --silent stack -- up >/dev/null || echo "  (could not restart Redis: npm run stack -- up)"
  drill_end
}
trap restore EXIT
drill_begin
alert_gone() { ! alert_firing "$@"; }
paged() { # NAME RUNBOOK: a PagerDuty event for NAME that links its runbook (or a section of it) reached the sink
  curl -fsS "$SINK/notifications" | jq -e --arg a "$1" --arg r "runbooks/$2(#[a-z0-9-]+)?$" '[.[] | select(.kind == "pagerduty"
    and (.body | tostring | contains($a))) | .body.links[]? | select(.text == "Runbook" and (.href | test($r)))]
    | length > 0'
}
cert_days_left() { promq 'min(probe_ssl_earliest_cert_expiry{job="blackbox"} - time()) / 86400'; }
cert_below() { local d; d="$(cert_days_left)"; [ "$d" != none ] && awk -v d="$d" -v m="$1" 'BEGIN { exit !(d < m) }'; }

check "before: Redis up, HTTPS probe of the API succeeds, certificate > 14 days" wait_until 30 infra_exporters_ok

# Redis: stopped the way a crash looks to the exporter (the process is gone, its port closed).
kill "$(cat "$STACK_DIR/run/redis.pid")"
echo "  redis stopped $(date -u +%T)"
check "RedisDown fires when Redis stops (within 90 s)" wait_until 90 alert_firing RedisDown page
check "RedisDown pages through PagerDuty with the redis-down runbook (within 60 s)" wait_until 60 paged RedisDown redis-down
npm run --silent stack -- up >/dev/null
check "npm run stack -- up restarts Redis and RedisDown resolves (within 60 s)" wait_until 60 alert_gone RedisDown

# Certificate: reissued for one day, as if renewal had been forgotten.
npm run --silent stack -- cert --days 1 | sed 's/^/  /'
check "blackbox_exporter sees the reissued certificate (under 2 days left, within 60 s)" wait_until 60 cert_below 2
check "CertExpiringSoon fires as a page (within 90 s)" wait_until 90 alert_firing CertExpiringSoon page
check "its 14-day ticket fires too" wait_until 30 alert_firing CertExpiringSoon ticket
ticket_inhibited() {
  curl -fsS "$AM/api/v2/alerts?filter=alertname%3D%22CertExpiringSoon%22&filter=severity%3D%22ticket%22" |
    jq -e 'length > 0 and all(.[]; (.status.inhibitedBy | length) > 0)'
}
check "Alertmanager inhibits the ticket while the page fires (within 30 s)" wait_until 30 ticket_inhibited
check "the page reached PagerDuty with the cert-expiring-soon runbook (within 60 s)" wait_until 60 paged CertExpiringSoon cert-expiring-soon
npm run --silent stack -- cert --days 90 | sed 's/^/  /'
check "a renewed certificate (90 days) clears both CertExpiringSoon alerts (within 60 s)" wait_until 60 alert_gone CertExpiringSoon
finish
