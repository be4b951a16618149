#!/usr/bin/env bash
# Alertmanager: the config checks, the routing tree per severity, and — against a real Alertmanager on a
# free loopback port — inhibition and the notification text of Slack and PagerDuty (docs/alerting.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh

ROUTES=provisioning/alertmanager/routes.yml
TMP="$(mktemp -d)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true # let Alertmanager finish writing before its data dir goes
  rm -rf "$TMP"
}
trap cleanup EXIT

check "amtool check-config routes.yml (secret files need not exist)" amtool check-config "$ROUTES"

route_is() { # EXPECTED-RECEIVER LABEL=VALUE...
  local want="$1"
  shift
  amtool config routes test --config.file="$ROUTES" --verify.receivers="$want" "$@" 2>/dev/null
}
check "route: severity=page → page-oncall" route_is page-oncall alertname=APIAvailabilitySLOFastBurn slo=api-availability severity=page
check "route: severity=ticket → ticket-oncall" route_is ticket-oncall alertname=APIAvailabilitySLOSlowBurn slo=api-availability severity=ticket
check "route: severity=critical (mixin convention) → page-oncall" route_is page-oncall alertname=NodeFilesystemAlmostOutOfSpace severity=critical
check "route: severity=warning (mixin convention) → ticket-oncall" route_is ticket-oncall alertname=NodeFilesystemSpaceFillingUp severity=warning
check "route: unknown severity → default-oncall (not dropped)" route_is default-oncall alertname=Mystery severity=info
check "route: no severity → default-oncall (not dropped)" route_is default-oncall alertname=Mystery
check "route: infra page (PostgresPrimaryUnreachable) → page-oncall" route_is page-oncall alertname=PostgresPrimaryUnreachable severity=page

# A real Alertmanager, with the same routes.yml but secrets, PagerDuty URL and group waits pointed at
# this test: a capture server stands in for Slack and PagerDuty.
free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  return 1
}
AM_PORT="$(free_port)"
CAP_PORT="$(free_port)"
AM="http://127.0.0.1:$AM_PORT"
mkdir -p "$TMP/secrets" "$TMP/am/templates" "$TMP/data"
cp provisioning/alertmanager/templates/*.tmpl "$TMP/am/templates/"
sed -e "s|/var/lib/veza-stack/secrets|$TMP/secrets|" \
  -e "s|pagerduty_url: .*|pagerduty_url: http://127.0.0.1:$CAP_PORT/pagerduty|" \
  -e 's|group_wait: .*|group_wait: 1s|' "$ROUTES" >"$TMP/am/routes.yml"
echo "http://127.0.0.1:$CAP_PORT/slack/page" >"$TMP/secrets/slack-page-webhook-url"
echo "http://127.0.0.1:$CAP_PORT/slack/ticket" >"$TMP/secrets/slack-ticket-webhook-url"
echo "test-routing-key" >"$TMP/secrets/pagerduty-routing-key"

node -e '
  const http = require("http"), fs = require("fs");
  http.createServer((req, res) => { let b = ""; req.on("data", (d) => (b += d));
    req.on("end", () => { fs.appendFileSync(process.argv[2], JSON.stringify({ path: req.url, body: JSON.parse(b) }) + "\n");
      res.statusCode = req.url.startsWith("/pagerduty") ? 202 : 200; res.end("{}"); }); })
    .listen(Number(process.argv[1]), "127.0.0.1");' "$CAP_PORT" "$TMP/captured.jsonl" &
PIDS+=($!)
prometheus-alertmanager --config.file="$TMP/am/routes.yml" --storage.path="$TMP/data" \
  --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= >"$TMP/am.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 60); do curl -sf "$AM/-/ready" >/dev/null && break; sleep 0.5; done

if ! curl -sf "$AM/-/ready" >/dev/null; then
  echo "  FAIL  alertmanager did not start:"; tail -n 20 "$TMP/am.log" | sed 's/^/        /'
  SUITE_FAILED=$((SUITE_FAILED + 1))
  finish
  exit 1
fi

alert() { # alertname slo severity [instance] [slo_tier_rank] → one alert as JSON; SLO alerts carry dashboard_url
  local base="http://127.0.0.1:3000/a/veza-slo-app"
  jq -cn --arg n "$1" --arg slo "$2" --arg sev "$3" --arg inst "${4:-}" --arg rank "${5:-}" --arg base "$base" \
    --arg at "$(date -u -d '-10 min' +%Y-%m-%dT%H:%M:%SZ)" '{
      labels: ({alertname: $n, slo: $slo, severity: $sev, instance: $inst}
        + (if $rank == "" then {} else {slo_tier_rank: $rank} end)),
      annotations: ({summary: "\($n) summary", description: "\($n): 25% errors, budget gone in 3h",
        runbook_url: "\($base)/runbooks/rb-\($n)"} + (if $slo == "" then {} else {dashboard_url: "\($base)/slos/\($slo)?alert=\($n)"} end)),
      startsAt: $at}'
}
curl -sf -XPOST -H 'content-type: application/json' "$AM/api/v2/alerts" -d "[
  $(alert APIAvailabilitySLOFastBurn api-availability page '' 1),
  $(alert APIAvailabilitySLOSlowBurn api-availability ticket '' 2),
  $(alert APIAvailabilitySLOBurn24h api-availability ticket '' 3),
  $(alert APILatencySLOSlowBurn api-latency ticket '' 2),
  $(alert APILatencySLOBurn24h api-latency ticket '' 3),
  $(alert APILatencySLOBurn3d api-latency ticket '' 4),
  $(alert CertExpiringSoon '' page https://pay.example),
  $(alert CertExpiringSoon '' ticket https://pay.example),
  $(alert CertExpiringSoon '' ticket https://www.example),
  $(alert NodeFilesystemAlmostOutOfSpace '' critical node-a),
  $(alert NodeFilesystemSpaceFillingUp '' warning node-a),
  $(alert PostgresReplicationLagging '' critical db-1),
  $(alert PostgresReplicationLagging '' warning db-1),
  $(alert Mystery '' info),
  $(alert Nameless '' '')]" >/dev/null

state_of() { # alertname severity [instance] → active|suppressed
  curl -sf "$AM/api/v2/alerts" | jq -r --arg n "$1" --arg s "$2" --arg i "${3:-}" \
    '.[] | select(.labels.alertname==$n and .labels.severity==$s and (.labels.instance // "")==$i) | .status.state'
}
expect_state() { local got; got="$(state_of "$2" "$3" "${4:-}")"; [ "$got" = "$1" ] || { echo "$2/$3: $got, expected $1"; return 1; }; }
check "inhibit: fast burn suppresses the slow burn of the same SLO" expect_state suppressed APIAvailabilitySLOSlowBurn ticket
check "inhibit: fast burn itself stays active" expect_state active APIAvailabilitySLOFastBurn page
check "inhibit: fast burn (rank 1) also suppresses the 24 h tier (rank 3) of the same SLO" expect_state suppressed APIAvailabilitySLOBurn24h ticket
check "inhibit: slow burn of another SLO stays active" expect_state active APILatencySLOSlowBurn ticket
slower_tiers_muted() { expect_state suppressed APILatencySLOBurn24h ticket && expect_state suppressed APILatencySLOBurn3d ticket; }
check "inhibit: slow burn (rank 2) suppresses the 24 h and 3 d tiers (ranks 3, 4) of its SLO" slower_tiers_muted
check "inhibit: critical suppresses warning of the same alert and instance (mixin tiers)" expect_state suppressed PostgresReplicationLagging warning db-1
check "inhibit: a warning of another alert name stays active" expect_state active NodeFilesystemSpaceFillingUp warning node-a
check "inhibit: page CertExpiringSoon suppresses its ticket (same instance)" expect_state suppressed CertExpiringSoon ticket https://pay.example
check "inhibit: ticket CertExpiringSoon of another instance stays active" expect_state active CertExpiringSoon ticket https://www.example
check "inhibit: unknown severity is never suppressed" expect_state active Mystery info

# Notifications (group_wait 1s here): wait until every expected message arrived (at most 20 s).
arrived() {
  jq -es '(map(select(.path=="/pagerduty")) | length > 0)
    and (map(select(.path=="/slack/page") | .body.attachments[].text) | join(" ") | contains("APIAvailabilitySLOFastBurn"))
    and (map(select(.path=="/slack/page") | .body.attachments[].text) | join(" ") | contains("NodeFilesystemAlmostOutOfSpace"))
    and (map(select(.path=="/slack/ticket") | .body.attachments[].text) | join(" ")
      | contains("APILatencySLOSlowBurn") and contains("Mystery") and contains("Nameless") and contains("NodeFilesystemSpaceFillingUp"))' \
    "$TMP/captured.jsonl" >/dev/null 2>&1
}
for _ in $(seq 40); do arrived && break; sleep 0.5; done
sleep 1 # the inhibited slow burn shares the ticket route's timing: had it not been muted, it would be here now
slack_page() { jq -rs '[.[] | select(.path=="/slack/page") | .body.attachments[].text] | join("\n")' "$TMP/captured.jsonl"; }
slack_text_has() { # receiver-path needle...
  local text; text="$(jq -rs --arg p "$1" '[.[] | select(.path==$p) | .body.attachments[] | .title + "\n" + .text] | join("\n")' "$TMP/captured.jsonl")"
  shift
  for n in "$@"; do grep -qF -- "$n" <<<"$text" || { echo "missing: $n"; echo "$text"; return 1; }; done
}
echo "  --- Slack page message as sent:"; slack_page | sed 's/^/        /'
check "slack page: summary, budget context, runbook and SLO page at the alert's time range" slack_text_has /slack/page \
  "APIAvailabilitySLOFastBurn summary" "budget gone in 3h" \
  "Runbook: http://127.0.0.1:3000/a/veza-slo-app/runbooks/rb-APIAvailabilitySLOFastBurn" \
  "SLO page: http://127.0.0.1:3000/a/veza-slo-app/slos/api-availability?alert=APIAvailabilitySLOFastBurn&from=" "&to=now"
ticket_channel() {
  slack_text_has /slack/ticket APILatencySLOSlowBurn || return 1
  if slack_text_has /slack/ticket APIAvailabilitySLOSlowBurn >/dev/null; then echo "the inhibited slow burn was sent"; return 1; fi
}
check "slack ticket: latency slow burn, not the inhibited availability slow burn" ticket_channel
check "slack default: unknown severity delivered and flagged with its value" slack_text_has /slack/ticket '[UNKNOWN SEVERITY "info"]' Mystery 'Severity "info" is not page, critical, ticket or warning'
check "slack default: no severity delivered and flagged" slack_text_has /slack/ticket "[NO SEVERITY]" Nameless "This alert has no severity label"
mixin_severities() { slack_text_has /slack/page NodeFilesystemAlmostOutOfSpace && slack_text_has /slack/ticket NodeFilesystemSpaceFillingUp; }
check "slack: critical reaches the page channel, warning the ticket channel" mixin_severities
pagerduty_ok() {
  jq -es '[.[] | select(.path=="/pagerduty")] | length > 0 and all(.[];
      .body.routing_key=="test-routing-key"
      and (.body.links | map(.href) | any(startswith("http://127.0.0.1:3000/a/veza-slo-app/runbooks/")))
      and (.body.payload.custom_details.alerts | contains("Runbook: ")))' "$TMP/captured.jsonl" >/dev/null ||
    { jq -s '[.[] | select(.path=="/pagerduty")]' "$TMP/captured.jsonl"; return 1; }
}
check "pagerduty: routing key from file, runbook link, alert text in details" pagerduty_ok
slo_page_window() { # from = 1 h before the alert started, in epoch ms
  local from want
  from="$(slack_page | grep -o 'api-availability?alert=APIAvailabilitySLOFastBurn&from=[0-9]*' | head -1 | sed 's/.*from=//')"
  want=$(( ($(date -u +%s) - 600 - 3600) * 1000 ))
  [ -n "$from" ] && [ $((from - want)) -lt 120000 ] && [ $((want - from)) -lt 120000 ] || { echo "from=$from want≈$want"; return 1; }
}
check "SLO page link starts 1 h before the alert" slo_page_window

finish
