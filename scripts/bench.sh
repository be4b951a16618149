#!/usr/bin/env bash
# npm run bench: every benchmark the project keeps, against the running local stack (npm run stack -- up).
# Results are written up by hand in docs/BENCHMARKS.md with the machine they ran on; timing never gates a test.
set -euo pipefail
cd "$(dirname "$0")/.."
curl -sf -m 3 http://127.0.0.1:9090/-/ready >/dev/null ||
  { echo "bench: the local stack is not up (Prometheus 127.0.0.1:9090): run 'npm run stack -- up' first" >&2; exit 1; }
what="${1:-all}"
if [ "$what" = all ] || [ "$what" = slo ]; then
  [ -f dist/module.js ] || npm run --silent build:frontend
  npx tsx scripts/bench-slo.ts
fi
if [ "$what" = all ] || [ "$what" = pgha ]; then
  bash scripts/bench-pgha.sh
fi
if [ "$what" = history ]; then # not part of "all": writes ~1.6 GB to a temporary dir and back
  npx tsx scripts/bench-history.ts
fi
if [ "$what" = load ]; then # not part of "all": it runs for 10 minutes (--viewers N --minutes M to change)
  shift
  npx tsx scripts/bench-load.ts "$@"
fi
if [ "$what" = rules ]; then # not part of "all": a temporary Prometheus evaluates both rule sets for minutes
  shift
  npx tsx scripts/bench-rules.ts "$@"
fi
if [ "$what" = detection ]; then # not part of "all": waits for a clean hour, then ~7 min of outage and ~10 to settle
  shift
  npx tsx scripts/bench-detection.ts "$@"
fi
