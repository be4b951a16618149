#!/usr/bin/env bash
# PgBouncer hook drills against the running stack (stack/test/hook.drill.ts): garbage on the monitor's state
# channel, a RELOAD that did not take, the hook killed. Needs the stack from 50-stack-up.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh

node_test_suite stack/test/hook.drill.ts
