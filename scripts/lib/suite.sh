# Shared helpers for scripts/suites/*.sh. Source it; do not run it.
# Each suite reports its counts through suite_result so scripts/test.sh can add them up.

# Where suites write their counts and artifacts (scripts/test.sh sets it; a suite run by hand gets a temp dir).
: "${VEZA_RESULTS:=$(mktemp -d)}"
SUITE_NAME="${SUITE_NAME:-$(basename "${0%.sh}")}"

# suite_result PASSED FAILED [SKIPPED]: records the counts; call once, at the end of the suite.
suite_result() {
  local passed="${1:-0}" failed="${2:-0}" skipped="${3:-0}"
  echo "$passed $failed $skipped" >"$VEZA_RESULTS/$SUITE_NAME.counts"
  echo "[$SUITE_NAME] $passed passed, $failed failed, $skipped skipped"
}

# check NAME CMD...: runs one named check, counts it, and shows its output only when it fails.
SUITE_PASSED=0
SUITE_FAILED=0
SUITE_SKIPPED=0
check() {
  local name="$1"
  shift
  local out
  if out="$("$@" 2>&1)"; then
    SUITE_PASSED=$((SUITE_PASSED + 1))
    echo "  ok    $name"
  else
    SUITE_FAILED=$((SUITE_FAILED + 1))
    echo "  FAIL  $name"
    echo "$out" | tail -n 40 | sed 's/^/        /'
  fi
}

# skip NAME REASON: a check that cannot run here, said out loud.
skip() {
  SUITE_SKIPPED=$((SUITE_SKIPPED + 1))
  echo "  skip  $1 ($2)"
}

# finish: reports the check counters and returns non-zero when anything failed.
finish() {
  suite_result "$SUITE_PASSED" "$SUITE_FAILED" "$SUITE_SKIPPED"
  [ "$SUITE_FAILED" -eq 0 ]
}

# jest_counts FILE: "passed failed skipped" from a Jest --json report.
jest_counts() {
  jq -r '"\(.numPassedTests) \(.numFailedTests + (if .numRuntimeErrorTestSuites then .numRuntimeErrorTestSuites else 0 end)) \(.numPendingTests + .numTodoTests)"' "$1"
}

# gotest_counts FILE: "passed failed skipped" from `go test -json` output (top-level and sub-tests).
gotest_counts() {
  jq -rs '[.[] | select(.Test != null and (.Action == "pass" or .Action == "fail" or .Action == "skip"))] as $t
    | "\([$t[] | select(.Action=="pass")] | length) \([$t[] | select(.Action=="fail")] | length) \([$t[] | select(.Action=="skip")] | length)"' "$1"
}

# node_test_counts FILE: "passed failed skipped" from the output of `node --test` / `tsx --test`
# (TAP when not on a terminal: "# pass N"; spec reporter on a terminal: "ℹ pass N").
node_test_counts() {
  local p f s
  p="$(grep -Eo '^(#|ℹ) pass [0-9]+' "$1" | tail -1 | grep -Eo '[0-9]+$')"
  f="$(grep -Eo '^(#|ℹ) fail [0-9]+' "$1" | tail -1 | grep -Eo '[0-9]+$')"
  s="$(grep -Eo '^(#|ℹ) skipped [0-9]+' "$1" | tail -1 | grep -Eo '[0-9]+$')"
  echo "${p:-0} ${f:-0} ${s:-0}"
}

# jest_suite NAME [JEST ARGS...]: runs Jest with a JSON report under $VEZA_RESULTS/NAME.json, shows the end of
# its output, reports the suite's counts, and returns Jest's exit code (a run with no report counts as a failure).
jest_suite() {
  local report="$VEZA_RESULTS/$1.json" rc p f s
  shift
  npx jest --ci --json --outputFile="$report" "$@" 2>&1 | tail -n 60
  rc=${PIPESTATUS[0]}
  if [ -s "$report" ]; then
    read -r p f s < <(jest_counts "$report")
  else
    p=0 f=1 s=0
  fi
  suite_result "$p" "$f" "$s"
  return "$rc"
}

# node_test_suite FILE...: runs node:test files with tsx (TAP report under $VEZA_RESULTS/$SUITE_NAME.tap), lists
# every test with its result and the drills' "timing" lines, shows the failures, reports the counts, and returns non-zero when anything failed.
node_test_suite() {
  local out="$VEZA_RESULTS/$SUITE_NAME.tap" rc p f s
  npx tsx --test --test-reporter=tap "$@" >"$out" 2>&1
  rc=$?
  read -r p f s < <(node_test_counts "$out")
  grep -E '^(not )?ok' "$out" | sed 's/^/  /'
  # Measured timings a drill reports with t.diagnostic('timing …') (measured, never asserted).
  grep -hE '^\s*# timing ' "$out" | sed -E 's/^\s*# /  /'
  if [ "$f" -ne 0 ] || [ "$rc" -ne 0 ]; then grep -A16 '^not ok' "$out" | sed 's/^/    /'; fi
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then tail -n 30 "$out"; f=1; fi
  suite_result "$p" "$f" "$s"
  [ "$rc" -eq 0 ]
}
