#!/usr/bin/env bash
# Jest unit and component tests next to the code (src/**).
set -uo pipefail
source scripts/lib/suite.sh

jest_suite jest --maxWorkers=2
