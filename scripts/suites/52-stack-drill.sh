#!/usr/bin/env bash
# Hard failover drill: SIGKILL the primary's pg_autoctl + Postgres process group; within the tuned time the
# standby is primary, PgBouncer points at it, the demo API takes orders again, Prometheus holds the 5xx burst,
# and the old node (restarted by the drill) rejoins as secondary. Needs the stack from 50-stack-up.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh
source scripts/lib/stack.sh
LIMIT=${VEZA_FAILOVER_LIMIT:-30} # tuned monitor: ~15 s measured; margin for a loaded 2-core machine

if [ "$(formation_roles 2>/dev/null)" != "primary/primary,secondary/secondary" ]; then
  echo "  FAIL  formation is not primary + secondary before the drill ($(formation_roles 2>&1)); run 50-stack-up.sh"
  suite_result 0 1
  exit 1
fi
old=$(primary_port)
out=$(npm run --silent stack -- failover --hard 2>&1) || { echo "$out" | sed 's/^/        /'; echo "  FAIL  drill"; suite_result 0 1; exit 1; }
echo "$out" | grep '^\[stack' | sed 's/^/  /'
res=$(echo "$out" | tail -n 1)
echo "  timings: $res"
export res old LIMIT
check "standby promoted within ${LIMIT}s" bash -c '[ "$(jq -r .promotedSeconds <<<"$res" | cut -d. -f1)" -lt "$LIMIT" ]'
check "PgBouncer routes to the new primary (query lands on it, writable)" bash -c 'source scripts/lib/stack.sh; r=$(bouncer_sql "select inet_server_port() || chr(44) || pg_is_in_recovery()"); echo "$r, old $old"; [ "$r" = "$(primary_port),false" ] && [ "$(primary_port)" != "$old" ]'
check "demo API takes orders again (201)" bash -c '[ "$(curl -s -o /dev/null -w "%{http_code}" -X POST -d "{}" http://127.0.0.1:8080/api/v1/orders)" = 201 ]'
check "Prometheus holds the 5xx burst of POST /api/v1/orders" bash -c 'source scripts/lib/stack.sh; wait_until 20 bash -c "source scripts/lib/stack.sh; v=\$(promq \"sum(increase(http_requests_total{job=\\\"veza-api\\\",route=\\\"/api/v1/orders\\\",code=~\\\"5..\\\"}[5m]))\"); echo \$v; [ \"\$v\" != none ] && awk \"BEGIN{exit !(\$v > 0)}\""'
check "old primary rejoined as secondary" bash -c 'source scripts/lib/stack.sh; [ "$(formation_roles)" = "primary/primary,secondary/secondary" ]'
check "monitor recorded the failover events" bash -c 'source scripts/lib/stack.sh; [ "$(monitor_sql "select count(*) from pgautofailover.event where goalstate in ('"'"'prepare_promotion'"'"','"'"'stop_replication'"'"') and eventtime > now() - interval '"'"'10 min'"'"'")" -ge 1 ]'
finish
