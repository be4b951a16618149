#!/usr/bin/env bash
# Rules: the SLO spec → generator → Prometheus rules, proven with promtool (docs/alerting.md). Every check is a
# test of the `rules` Jest project (jest.config.js): the generator's pure parts (scripts/rules/{spec,rules,...}.test.ts),
# the committed rule files and runbook links (committed.test.ts), promtool's scenarios (scenarios.test.ts) and the
# generator's command line on bad input (cli.test.ts). Needs promtool on PATH.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh

jest_suite rules --selectProjects rules
