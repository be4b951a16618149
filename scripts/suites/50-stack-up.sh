#!/usr/bin/env bash
# The local stack comes up from nothing (or is reused if already up: `up` is idempotent) and is consistent:
# every Prometheus target up, one primary + one secondary, PgBouncer routing to the primary, the demo API
# writing orders through it. Leaves the stack UP for the later suites (95-stack-down.sh stops it).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh
source scripts/lib/stack.sh

started=$SECONDS
if ! npm run --silent stack -- up; then
  echo "  FAIL  npm run stack -- up (see the message above and $STACK_DIR/log/)"
  suite_result 0 1
  exit 1
fi
echo "  stack up took $((SECONDS - started))s"
SUITE_PASSED=1

check "every Prometheus target is up" bash -c 'source scripts/lib/stack.sh; wait_until 30 all_targets_up || { down_targets; exit 1; }'
check "formation: one primary and one secondary, converged" bash -c 'source scripts/lib/stack.sh; r=$(formation_roles); echo "$r"; [ "$r" = "primary/primary,secondary/secondary" ]'
check "PgBouncer's configured target is the primary" bash -c 'source scripts/lib/stack.sh; p=$(primary_port); t=$(bouncer_admin "SHOW DATABASES" | awk "\$1==\"appdb\"{print \$3}"); echo "primary $p, pgbouncer $t"; [ -n "$p" ] && [ "$p" = "$t" ]'
check "a query through PgBouncer lands on the writable primary" bash -c 'source scripts/lib/stack.sh; r=$(bouncer_sql "select inet_server_port() || chr(44) || pg_is_in_recovery()"); echo "$r"; [ "$r" = "$(primary_port),false" ]'
check "POST /api/v1/orders writes a row through PgBouncer (201)" bash -c 'source scripts/lib/stack.sh; before=$(bouncer_sql "select count(*) from orders"); c=$(curl -s -o /dev/null -w "%{http_code}" -X POST -d "{\"sku\":\"suite-50\"}" $API/api/v1/orders); [ "$c" = 201 ] && [ "$(bouncer_sql "select count(*) from orders where sku = '"'"'suite-50'"'"'")" -ge 1 ]'
check "demo API exposes the metric contract (http_requests_total{method,route,code}, le=\"0.5\")" bash -c 'source scripts/lib/stack.sh; m=$(curl -fsS $API/metrics); grep -q "^http_requests_total{method=\"GET\",route=\"/api/v1/products\",code=\"200\"}" <<<"$m" && grep -q "http_request_duration_seconds_bucket{le=\"0.5\",method=\"POST\",route=\"/api/v1/orders\"}" <<<"$m"'
check "load generator traffic reaches Prometheus under job=veza-api" bash -c 'source scripts/lib/stack.sh; wait_until 30 bash -c "source scripts/lib/stack.sh; [ \$(promq \"sum(rate(http_requests_total{job=\\\"veza-api\\\",instance=\\\"127.0.0.1:8080\\\"}[1m]))\") != none ]"'
check "load generator knobs answer (GET /knobs)" bash -c 'curl -fsS http://127.0.0.1:8081/knobs | jq -e ".knobs[\"GET /api/v1/products\"].rps > 0"'
check "Prometheus retention >= 95d and the SLO rules are loaded" bash -c 'source scripts/lib/stack.sh; r=$(curl -fsS $PROM/api/v1/status/flags | jq -r ".data[\"storage.tsdb.retention.time\"]"); echo "retention $r"; [ "${r%d}" -ge 95 ] && curl -fsS $PROM/api/v1/rules | jq -e "[.data.groups[].rules[] | select(.name == \"APIAvailabilitySLOFastBurn\")] | length == 1"'
check "Alertmanager runs routes.yml and the sink answers" bash -c 'source scripts/lib/stack.sh; curl -fsS $AM/api/v2/status | jq -e ".config.original | contains(\"page-oncall\")" && curl -fsS $SINK/notifications | jq -e "type == \"array\""'
check "the API answers over HTTPS with the stack's certificate (verified against it)" bash -c 'curl -fsS --cacert '"$STACK_DIR"'/tls/api.crt https://127.0.0.1:8443/healthz'
check "redis_exporter sees Redis and blackbox_exporter probes the API's certificate (> 14 days left)" bash -c 'source scripts/lib/stack.sh; wait_until 30 infra_exporters_ok'
check "stack/history/expected.json describes the running backfill (same as the state dir's copy)" cmp -s stack/history/expected.json "$STACK_DIR/history/expected.json"
check "up is idempotent (second up starts nothing new)" bash -c 'before=$(cat '"$STACK_DIR"'/run/*.pid | sort | md5sum); npm run --silent stack -- up >/dev/null; after=$(cat '"$STACK_DIR"'/run/*.pid | sort | md5sum); [ "$before" = "$after" ]'
finish
