#!/usr/bin/env bash
# Jest unit and component tests next to the code (src/**).
set -uo pipefail
source scripts/lib/suite.sh

report="$VEZA_RESULTS/jest.json"
npx jest --ci --maxWorkers=2 --json --outputFile="$report" 2>&1 | tail -n 60
rc=${PIPESTATUS[0]}
if [ -s "$report" ]; then
  read -r p f s < <(jest_counts "$report")
else
  p=0 f=1 s=0
fi
suite_result "$p" "$f" "$s"
exit "$rc"
