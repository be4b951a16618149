#!/usr/bin/env bash
# Teardown: `down` stops everything `up` started (by pid file) and frees every fixed port
# (stack/test/stack-down.drill.ts).
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh
node_test_suite stack/test/stack-down.drill.ts
