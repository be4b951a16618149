#!/usr/bin/env bash
# The one test command (README quick start; .ci/run calls exactly this).
# Installs what it needs, then runs every suite in scripts/suites/ in name order and ends
# with the line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh || { echo "setup failed: see the message above"; echo "0 passed, 1 failed"; exit 1; }

export VEZA_RESULTS="${VEZA_RESULTS:-$PWD/test-results/suites}"
rm -rf "$VEZA_RESULTS" && mkdir -p "$VEZA_RESULTS"

only="${VEZA_SUITES:-}" # e.g. VEZA_SUITES='1|2' runs suites whose number starts with 1 or 2
status=0
summary=()
for suite in scripts/suites/[0-9][0-9]-*.sh; do
  name="$(basename "${suite%.sh}")"
  if [ -n "$only" ] && ! [[ "$name" =~ ^($only) ]]; then continue; fi
  echo
  echo "=== $name"
  start=$(date +%s)
  SUITE_NAME="$name" bash "$suite"
  rc=$?
  took=$(($(date +%s) - start))
  if [ -f "$VEZA_RESULTS/$name.counts" ]; then
    read -r p f s <"$VEZA_RESULTS/$name.counts"
  else
    p=0 f=0 s=0
  fi
  # A suite that failed without reporting a failed test still counts as one failure.
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "$p $f $s" >"$VEZA_RESULTS/$name.counts"; fi
  [ "$rc" -ne 0 ] && status=1
  summary+=("$(printf '%-28s %5s passed %4s failed %4s skipped  %4ss' "$name" "$p" "$f" "$s" "$took")")
done

echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
total_p=0 total_f=0 total_s=0
for c in "$VEZA_RESULTS"/*.counts; do
  [ -f "$c" ] || continue
  read -r p f s <"$c"
  total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + s))
done
[ "$total_f" -gt 0 ] && status=1
echo "$total_p passed, $total_f failed, $total_s skipped"
exit $status
