#!/usr/bin/env bash
# Faults (stack/test/stack-faults.drill.ts): `up` refuses clearly, says what is wrong and how to fix it, and starts
# nothing, for a port already taken, a stale data dir and a missing package (hidden by a tmpfs in a private mount
# namespace); `cert` refuses a bad --days and keeps the certificate. The `up` cases run against throw-away state
# dirs (VEZA_STACK_DIR) so the real stack from 50-stack-up.sh keeps running, untouched.
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh
node_test_suite stack/test/stack-faults.drill.ts
