#!/usr/bin/env bash
# Jest unit and component tests next to the code (src/**): the `app` project of jest.config.js, and `history`
# (stack/history/*.test.ts: the budget buckets and period truth of the generated history).
set -uo pipefail
source scripts/lib/suite.sh

jest_suite jest --maxWorkers=2 --selectProjects app history
