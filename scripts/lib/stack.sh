# Helpers for the stack suites (scripts/suites/5x-*.sh, 95-stack-down.sh). Source after scripts/lib/suite.sh.
PROM=http://127.0.0.1:9090
AM=http://127.0.0.1:9093
SINK=http://127.0.0.1:9097
API=http://127.0.0.1:8080
LOAD=http://127.0.0.1:8081
STACK_DIR="${VEZA_STACK_DIR:-/var/lib/veza-stack}"

# monitor_sql SQL: runs SQL on the pg_auto_failover monitor, unaligned output.
monitor_sql() { psql -h 127.0.0.1 -p 6000 -U postgres -d pg_auto_failover -XAtc "$1"; }
# bouncer_sql SQL: runs SQL on appdb through PgBouncer.
bouncer_sql() { psql -h 127.0.0.1 -p 6432 -U postgres -d appdb -XAtc "$1"; }
bouncer_admin() { psql -h 127.0.0.1 -p 6432 -U pgbouncer -d pgbouncer -XAt -F ' ' -c "$1"; }
# promq QUERY [TIME]: the first value of an instant query.
promq() {
  curl -fsS "$PROM/api/v1/query" --data-urlencode "query=$1" ${2:+--data-urlencode "time=$2"} | jq -r '.data.result[0].value[1] // "none"'
}
# The writable node's port per the monitor: reported = goal in single/wait_primary/primary.
primary_port() {
  monitor_sql "select nodeport from pgautofailover.node where reportedstate = goalstate and reportedstate in ('single','wait_primary','primary')"
}
formation_roles() { monitor_sql "select string_agg(reportedstate::text || '/' || goalstate::text, ',' order by reportedstate) from pgautofailover.node"; }
all_targets_up() {
  curl -fsS "$PROM/api/v1/targets?state=active" | jq -e '(.data.activeTargets | length) > 0 and all(.data.activeTargets[]; .health == "up")' >/dev/null
}
down_targets() { curl -fsS "$PROM/api/v1/targets?state=active" | jq -r '.data.activeTargets[] | select(.health != "up") | "\(.labels.job) \(.scrapeUrl) \(.lastError)"'; }
# Redis answers its exporter, and the HTTPS probe of the API succeeds with over 14 days of certificate left.
infra_exporters_ok() {
  [ "$(promq 'redis_up')" = 1 ] &&
    [ "$(promq 'probe_success{job="blackbox"} * (probe_ssl_earliest_cert_expiry - time() > bool 14 * 86400)')" = 1 ]
}
# Alert drills (55-stack-alerting, 56-stack-infra-alerts, 59-stack-fault-alerts): drill_begin loads the test-only rules (every `for:` 20s, a per-run drill_run label:
# stack/test/rules-mode.ts) and empties the sink; drill_end puts the repo's rules back.
drill_begin() { node_modules/.bin/tsx stack/test/rules-mode.ts fast && curl -fsS -X DELETE "$SINK/notifications" >/dev/null; }
drill_end() { node_modules/.bin/tsx stack/test/rules-mode.ts normal >/dev/null || echo "  (could not restore the rules: run npm run stack -- up)"; }
# alert_firing NAME [SEVERITY]: Prometheus holds a firing alert of that name (and severity).
alert_firing() { [ "$(promq "count(ALERTS{alertname=\"$1\",alertstate=\"firing\"${2:+,severity=\"$2\"}})")" != none ]; }
# wait_until SECONDS CMD...: polls CMD every second.
wait_until() {
  local until=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -ge "$until" ] && return 1
    sleep 1
  done
}
