#!/usr/bin/env bash
# Secret scanning with gitleaks over the working tree and every commit of the history, with a planted-token canary
# (scripts/gitleaks.test.ts; reports in $VEZA_RESULTS/gitleaks.*.json, findings redacted).
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh
node_test_suite scripts/gitleaks.test.ts
