#!/usr/bin/env bash
# The README's run command: setup, build, the local stack, then the preview host on 127.0.0.1:3000.
# Idempotent: a second run reuses what is already up (setup skips npm ci, the stack CLI reuses running
# services, and a preview host already answering on :3000 is restarted with the fresh build).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PREVIEW_PORT:-3000}"
URL="http://127.0.0.1:$PORT"
LOG="${VEZA_STACK_DIR:-/var/lib/veza-stack}/preview-host.log"
PIDFILE="${VEZA_STACK_DIR:-/var/lib/veza-stack}/preview-host.pid"

bash scripts/setup.sh
npm run build
npm run stack -- up

mkdir -p "$(dirname "$LOG")"
if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  echo "demo: restarting the preview host (pid $(cat "$PIDFILE")) with the new build"
  kill "$(cat "$PIDFILE")" && sleep 1
fi
if curl -fsS -m 2 "$URL/api/health" >/dev/null 2>&1; then
  echo "demo: something else already answers on $URL; stop it or set PREVIEW_PORT" >&2
  exit 1
fi
nohup node --import tsx preview/server/main.ts --port "$PORT" >"$LOG" 2>&1 &
echo $! >"$PIDFILE"
for _ in $(seq 1 120); do
  curl -fsS -m 2 "$URL/api/health" >/dev/null 2>&1 && break
  kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { echo "demo: the preview host exited; see $LOG" >&2; tail -n 20 "$LOG" >&2; exit 1; }
  sleep 0.5
done
# The history's deploy marks and scripted maintenance, as a CI step and an SRE would have posted them (idempotent).
npm run -s stack -- annotate --grafana "$URL" || echo "demo: warning: the history's annotations were not posted"
curl -fsS -m 30 "$URL/api/datasources/uid/pgha/health" >/dev/null 2>&1 || echo "demo: warning: the PG HA health check is not OK yet: $URL/connections/datasources/edit/pgha says why"

cat <<MSG

Veza SLO is running (log: $LOG, stop: kill \$(cat $PIDFILE); npm run stack -- down)
  SLO overview        $URL/a/veza-slo-app/slos
  SLO detail          $URL/a/veza-slo-app/slos/api-availability
  Budget report       $URL/a/veza-slo-app/report
  Postgres HA         $URL/a/veza-slo-app/topology
  Runbooks            $URL/a/veza-slo-app/runbooks
  App settings        $URL/plugins/veza-slo-app
  PG HA data source   $URL/connections/datasources/edit/pgha
  Topology panel      $URL/preview/panel/veza-pgtopology-panel
  Light theme         add ?theme=light to any page
  Prometheus          http://127.0.0.1:9090    Alertmanager http://127.0.0.1:9093
  Notifications       http://127.0.0.1:9097/notifications (what Slack and PagerDuty would have received)
  Try                 npm run stack -- failover --hard        (watch the Postgres HA page and the SLO overview)
                      curl -X PUT 127.0.0.1:8081/knobs -d '{"GET":{"errorShare":1}}'   (a total GET outage; reset:
                      curl -X POST 127.0.0.1:8081/knobs/reset)   npm run stack -- cert --days 1   (an expiring certificate)
MSG
