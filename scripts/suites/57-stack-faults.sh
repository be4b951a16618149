#!/usr/bin/env bash
# Faults: `up` refuses clearly, says what is wrong and how to fix it, and starts nothing, for a port already
# taken, a stale data dir and a missing package; `cert` refuses a bad --days and keeps the certificate. The `up`
# cases run against throw-away state dirs (VEZA_STACK_DIR) so the real stack from 50-stack-up.sh keeps running.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh
source scripts/lib/stack.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pids_before=$(cat "$STACK_DIR"/run/*.pid | sort | md5sum)

# expect_refusal NAME PATTERN... : the last `up` output ($out, $rc) failed and mentions every PATTERN.
expect_refusal() {
  local name=$1
  shift
  local p miss=""
  for p in "$@"; do grep -qiE -- "$p" <<<"$out" || miss="$miss [$p]"; done
  if [ "$rc" -ne 0 ] && [ -z "$miss" ]; then
    SUITE_PASSED=$((SUITE_PASSED + 1)); echo "  ok    $name"; echo "$out" | grep -E 'stack (up|cert):|fix:' | sed 's/^/        /'
  else
    SUITE_FAILED=$((SUITE_FAILED + 1)); echo "  FAIL  $name (rc=$rc, missing:$miss)"; echo "$out" | tail -n 10 | sed 's/^/        /'
  fi
}

# 1. Ports taken: the running stack holds them, but this state dir has no pid files for them.
set +e; out=$(VEZA_STACK_DIR=$tmp/ports npm run --silent stack -- up 2>&1); rc=$?; set -e
expect_refusal "port already taken ⇒ names port, owner pid and fix" 'port [0-9]+ \(.*\) is already in use by pid [0-9]+' 'fix:'

# 2. Stale data dir: node1's PGDATA holds files that pg_autoctl knows nothing about.
mkdir -p "$tmp/stale/pg/node1" && echo 15 >"$tmp/stale/pg/node1/PG_VERSION"
set +e; out=$(VEZA_STACK_DIR=$tmp/stale npm run --silent stack -- up 2>&1); rc=$?; set -e
expect_refusal "stale data dir ⇒ names the dir and says reset" "stale data dir $tmp/stale/pg/node1" 'npm run stack -- reset'

# 3. Missing package: hide postgresql-15-auto-failover's extension in a private mount namespace.
set +e; out=$(VEZA_STACK_DIR=$tmp/pkg unshare -m bash -c 'mount -t tmpfs none /usr/lib/postgresql/15/lib && npm run --silent stack -- up' 2>&1); rc=$?; set -e
expect_refusal "missing package ⇒ names file and apt-get fix" 'missing .*pgautofailover.so' 'apt-get install -y postgresql-15-auto-failover'

# 4. A bad --days for `stack cert`: refused with the rule, the running API's certificate left as it was.
cert_before=$(md5sum <"$STACK_DIR/tls/api.crt")
for bad in abc 0 -3 9999; do
  set +e; out=$(npm run --silent stack -- cert --days "$bad" 2>&1); rc=$?; set -e
  expect_refusal "stack cert --days $bad ⇒ refused, says the allowed range" 'whole number of days from 1 to 3650' 'certificate is unchanged'
done
check "a refused cert command leaves the API's certificate as it was" bash -c '[ "$(md5sum <'"$STACK_DIR"'/tls/api.crt)" = "'"$cert_before"'" ]'

check "the real stack was not touched" bash -c '[ "$(cat '"$STACK_DIR"'/run/*.pid | sort | md5sum)" = "'"$pids_before"'" ]'
check "no throw-away state dir started anything" bash -c '! ls '"$tmp"'/*/run/*.pid 2>/dev/null | grep -q .'
finish
