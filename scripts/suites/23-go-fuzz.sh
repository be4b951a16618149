#!/usr/bin/env bash
# Go fuzz targets, briefly (VEZA_FUZZTIME each, default 5s: the test command stays under 25 minutes): settings parsing, LISTEN payloads, secret
# redaction, classification and frame building. Their committed seed corpora (pkg/*/testdata/fuzz/) also run
# in every `go test` (21-go-unit). A failing input is written under testdata/fuzz/ by Go: commit it with the fix.
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh

FUZZTIME="${VEZA_FUZZTIME:-5s}"
fuzz() { # PACKAGE TARGET
  local out
  out="$(go test "./pkg/$1" -run '^$' -fuzz "^$2\$" -fuzztime "$FUZZTIME" 2>&1)" && return 0
  grep -v '^fuzz: elapsed' <<<"$out" | tail -n 20
  return 1
}
for target in models:FuzzLoadSettings pgha:FuzzParseStateNotification pgha:FuzzRedact plugin:FuzzClassifyAndFrames; do
  check "go fuzz ${target#*:} ($FUZZTIME)" fuzz "${target%%:*}" "${target#*:}"
done
finish
