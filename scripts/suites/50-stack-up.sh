#!/usr/bin/env bash
# The local stack comes up from nothing (or is reused if already up: `up` is idempotent) and is consistent
# (stack/test/stack-up.drill.ts): every Prometheus target up, one primary + one secondary, PgBouncer routing to
# the primary, the demo API writing orders through it, HTTPS with the stack's certificate, the exporters, the
# backfill's expected.json. A failed `up` fails its test and skips the rest. The "timing stack up" line is how
# long `up` took. Leaves the stack UP for the later suites (95-stack-down.sh stops it).
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh
node_test_suite stack/test/stack-up.drill.ts
