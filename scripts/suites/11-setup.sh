#!/usr/bin/env bash
# scripts/setup.sh stops with a message that says what to install, not a stack trace, when Node or Go is too old
# or a Debian package is missing and it cannot install it (scripts/setup.test.ts: setup.sh run with small stand-ins
# first on PATH).
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh
node_test_suite scripts/setup.test.ts
