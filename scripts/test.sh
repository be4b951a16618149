#!/usr/bin/env bash
# The one test command (README quick start; .ci/run calls exactly this).
# Installs what it needs, then runs every suite in scripts/suites/ and ends with the line "N passed, N failed".
#
# Two lanes run side by side, because the stack's drills spend most of their time waiting for alerts, failovers
# and notifications while the build-side suites need the CPU:
#   build lane  suites 1x-4x  (static checks, unit tests, rules, Alertmanager, package: none touches the stack)
#   stack lane  suites 50-63 but 62  (stack up, drills, integration tests against the running stack)
# then, in order, the suites that need both the stack and dist/ (62: the soak's preview host; 64: the stack's logs
# and the built bundle; 70: browser; 95: down).
# Each suite's output is printed whole when it ends. VEZA_SERIAL=1 runs everything one after another in name order
# (for reading a failure without the other lane's timing effects).
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh || { echo "setup failed: see the message above"; echo "0 passed, 1 failed"; exit 1; }

export VEZA_RESULTS="${VEZA_RESULTS:-$PWD/test-results/suites}"
rm -rf "$VEZA_RESULTS" && mkdir -p "$VEZA_RESULTS"

only="${VEZA_SUITES:-}" # e.g. VEZA_SUITES='1|2' runs suites whose number starts with 1 or 2
print_lock="$VEZA_RESULTS/.print.lock"

# run_suite FILE: runs one suite with its output in $VEZA_RESULTS/NAME.log, then prints that log whole and
# records "NAME p f s seconds rc" for the summary.
run_suite() {
  local suite="$1" name start rc took p f s
  name="$(basename "${suite%.sh}")"
  start=$(date +%s)
  SUITE_NAME="$name" bash "$suite" >"$VEZA_RESULTS/$name.log" 2>&1 </dev/null
  rc=$?
  took=$(($(date +%s) - start))
  if [ -f "$VEZA_RESULTS/$name.counts" ]; then
    read -r p f s <"$VEZA_RESULTS/$name.counts"
  else
    p=0 f=0 s=0
  fi
  # A suite that failed without reporting a failed test still counts as one failure.
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "$p $f $s" >"$VEZA_RESULTS/$name.counts"; fi
  echo "$name $p $f $s $took $rc" >"$VEZA_RESULTS/$name.done"
  {
    flock 9
    echo
    echo "=== $name (${took}s)"
    cat "$VEZA_RESULTS/$name.log"
  } 9>"$print_lock"
}
lane() { local s; for s in "$@"; do run_suite "$s"; done; }

build=() stack=() after=()
for suite in scripts/suites/[0-9][0-9]-*.sh; do
  name="$(basename "${suite%.sh}")"
  if [ -n "$only" ] && ! [[ "$name" =~ ^($only) ]]; then continue; fi
  case "$name" in
    [1-4][0-9]-*) build+=("$suite") ;;
    5[0-9]-* | 6[013]-*) stack+=("$suite") ;;
    *) after+=("$suite") ;;
  esac
done

started=$(date +%s)
if [ "${VEZA_SERIAL:-}" = 1 ]; then
  lane "${build[@]}" "${stack[@]}"
else
  lane "${build[@]}" &
  build_pid=$!
  lane "${stack[@]}"
  wait "$build_pid"
fi
lane "${after[@]}"

echo
echo "=== summary (wall time $(($(date +%s) - started))s)"
status=0
total_p=0 total_f=0 total_s=0
for d in "$VEZA_RESULTS"/*.done; do
  [ -f "$d" ] || continue
  read -r name p f s took rc <"$d"
  printf '%-28s %5s passed %4s failed %4s skipped  %4ss\n' "$name" "$p" "$f" "$s" "$took"
  [ "$rc" -ne 0 ] && status=1
  total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + s))
done
[ "$total_f" -gt 0 ] && status=1
echo "$total_p passed, $total_f failed, $total_s skipped"
exit $status
