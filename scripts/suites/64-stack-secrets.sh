#!/usr/bin/env bash
# The configured passwords never leak (issue 14 item 7; stack/test/secrets.drill.ts, docs/pgha.md "Security"): a
# second preview host runs the real PG HA backend with random canary passwords, is driven like a user (health,
# topology/status/events, live streams) and through error paths (wrong ports, hosts, databases, set through the
# data source update API); then no canary — raw, URL-encoded or base64 — may be in any answer, the host's and the
# backend's output, the stack's logs or dist/. The scanner proves first that it finds a planted canary. Runs after
# the stack suites (their logs are scanned) and before 70-browser. Needs the stack (50-stack-up) and dist/.
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh

if [ ! -s dist/module.js ] || [ ! -d "${VEZA_STACK_DIR:-/var/lib/veza-stack}/log" ]; then
  echo "  FAIL  needs dist/ (npm run build) and the stack's logs (50-stack-up.sh)"
  suite_result 0 1
  exit 1
fi
node_test_suite stack/test/secrets.drill.ts
