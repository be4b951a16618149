#!/usr/bin/env bash
# Teardown: `down` stops everything `up` started (by pid file) and frees every fixed port.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh
source scripts/lib/stack.sh
check "npm run stack -- down" npm run --silent stack -- down
for port in 6000 6001 6002 6379 6432 8080 8081 8443 9090 9093 9097 9100 9115 9121 9127 9187 9188; do
  check "port $port is free" bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null"
done
check "no stack pid file left" bash -c '! ls '"$STACK_DIR"'/run/*.pid 2>/dev/null | grep -q .'
finish
