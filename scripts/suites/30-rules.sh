#!/usr/bin/env bash
# Rules: the SLO spec → generator → Prometheus rules, proven with promtool (docs/alerting.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh

SLO=provisioning/prometheus/slo.yml
INFRA=provisioning/prometheus/infra.yml
GEN=(node_modules/.bin/tsx scripts/rules/generate.ts)
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

check "generator: committed slo.yml equals a fresh generation" "${GEN[@]}" --check

promtool_count() { # exact count, so a lost or extra rule fails
  local out
  out="$(promtool check rules "$1" 2>&1)" && grep -qx "  SUCCESS: $2 rules found" <<<"$out" || { echo "$out"; return 1; }
}
check "promtool check rules slo.yml: SUCCESS: 18 rules found" promtool_count "$SLO" 18
check "promtool check rules infra.yml: SUCCESS: 12 rules found" promtool_count "$INFRA" 12
for t in provisioning/prometheus/tests/*.test.yml; do
  check "promtool test rules $(basename "$t")" promtool test rules "$t"
done

# Every alert: severity page|ticket, a runbook_url and a summary (app and Alertmanager rely on them).
alerts_complete() {
  node -e '
    const yaml = require("js-yaml"), fs = require("fs"); let bad = 0, n = 0;
    for (const f of process.argv.slice(1)) for (const g of yaml.load(fs.readFileSync(f, "utf8")).groups)
      for (const r of g.rules.filter((r) => r.alert)) { n++;
        const l = r.labels || {}, a = r.annotations || {};
        if (!["page", "ticket"].includes(l.severity) || !a.runbook_url || !a.summary || !a.description) { bad++; console.log(f, r.alert, "is missing severity/runbook_url/summary/description"); } }
    console.log(n, "alerts"); process.exit(bad || n === 0 ? 1 : 0);' "$SLO" "$INFRA"
}
check "every alert has severity, summary, description and runbook_url" alerts_complete

# runbook_url ↔ docs/runbooks: each link names a runbook file, each runbook is reached by an alert.
runbooks_linked() {
  local linked fail=0 name
  linked="$(grep -ho 'runbook_url: .*' "$SLO" "$INFRA" | sed 's|.*/a/veza-slo-app/runbooks/||' | sort -u)"
  for name in $linked; do
    [ -f "docs/runbooks/$name.md" ] || { echo "runbook_url names a missing runbook: $name"; fail=1; }
  done
  for f in docs/runbooks/*.md; do
    name="$(basename "$f" .md)"
    grep -qx "$name" <<<"$linked" || { echo "no alert links to runbook $name"; fail=1; }
  done
  return $fail
}
check "runbook links: every runbook_url exists, every runbook is reached" runbooks_linked

same_base() { # infra.yml is hand-written: its links must use the generator's default Grafana URL
  ! grep -hoE '(runbook|dashboard)_url: .*' "$SLO" "$INFRA" | grep -v ': http://127.0.0.1:3000/a/veza-slo-app/'
}
check "all links use the Grafana base URL http://127.0.0.1:3000" same_base

# The --grafana-url option reaches every link.
grafana_url_option() {
  "${GEN[@]}" --grafana-url https://grafana.example.com/ --out "$TMP/url.yml" >/dev/null &&
    [ "$(grep -c 'https://grafana.example.com/a/veza-slo-app/' "$TMP/url.yml")" -eq 12 ] &&
    ! grep -q '127.0.0.1:3000' "$TMP/url.yml"
}
check "generator --grafana-url rewrites all 12 links" grafana_url_option

# The alerting drill's test-only copy (stack/test/rules-mode.ts): same 18 rules, promtool-valid, every alert
# `for: 20s` and stamped with this run's drill_run label, recording rules untouched.
drill_rules() {
  node_modules/.bin/tsx stack/test/rules-mode.ts print "$SLO" run-1 >"$TMP/drill.yml" && node -e '
    const fs = require("fs"), yaml = require("js-yaml");
    const rules = (f) => yaml.load(fs.readFileSync(f, "utf8")).groups.flatMap((g) => g.rules);
    const a = rules(process.argv[1]), b = rules(process.argv[2]);
    const ok = a.length === b.length && b.every((r, i) => r.alert
      ? r.for === "20s" && r.labels.drill_run === "run-1" && r.expr === a[i].expr && r.labels.severity === a[i].labels.severity
      : JSON.stringify(r) === JSON.stringify(a[i]));
    process.exit(ok ? 0 : 1);' "$SLO" "$TMP/drill.yml" && promtool_count "$TMP/drill.yml" 18
}
check "drill rules (stack/test/rules-mode.ts): for 20s, drill_run label, promtool-valid" drill_rules

# Malformed specs: exit 2, a message naming the field, and the output file left untouched.
malformed() { # NAME FIELD-IN-MESSAGE SPEC-FILE
  local out rc=0
  echo "sentinel" >"$TMP/out.yml"
  out="$("${GEN[@]}" --spec "$3" --out "$TMP/out.yml" 2>&1)" || rc=$?
  echo "$out"
  [ "$rc" -eq 2 ] || { echo "exit code $rc, expected 2"; return 1; }
  grep -qF -- "$2" <<<"$out" || { echo "message does not name $2"; return 1; }
  [ "$(cat "$TMP/out.yml")" = sentinel ] || { echo "output was overwritten"; return 1; }
  [ -z "$(find "$TMP" -name 'out.yml.tmp*')" ] || { echo "temporary file left behind"; return 1; }
}
SPEC=provisioning/slo/slos.yaml
sed '0,/objective: 0.995/s//objective: 1.5/' "$SPEC" >"$TMP/objective-1.5.yaml"
sed '0,/objective: 0.995/s//objective: "99,5"/' "$SPEC" >"$TMP/objective-comma.yaml"
sed '0,/longWindow: 1h/s//longWindow: 2h/' "$SPEC" >"$TMP/window.yaml"
sli_line="$(grep -n '^    sli:$' "$SPEC" | head -1 | cut -d: -f1)"
sed "${sli_line},$((sli_line + 2))d" "$SPEC" >"$TMP/no-sli.yaml"
check "malformed spec: objective 1.5" malformed objective 'slos[0].objective' "$TMP/objective-1.5.yaml"
check 'malformed spec: objective "99,5"' malformed objective-comma 'slos[0].objective' "$TMP/objective-comma.yaml"
check "malformed spec: unknown window 2h" malformed window 'alertPolicy.FastBurn.longWindow' "$TMP/window.yaml"
check "malformed spec: missing SLI" malformed no-sli 'slos[0].sli' "$TMP/no-sli.yaml"

# Unit tests of the generator's pure parts (own Jest config: the root one covers src/ in jsdom).
jest_rc=0
node_modules/.bin/jest -c scripts/rules/jest.config.js --json --outputFile="$TMP/jest.json" >"$TMP/jest.log" 2>&1 || jest_rc=$?
jp=0 jf=0 js=0
[ -s "$TMP/jest.json" ] && read -r jp jf js < <(jest_counts "$TMP/jest.json")
# A Jest run that failed without a failed test (config or syntax error) still counts as one failure.
if [ "$jest_rc" -ne 0 ] && [ "$jf" -eq 0 ]; then jf=1; fi
[ "$jest_rc" -eq 0 ] || tail -n 60 "$TMP/jest.log"
echo "  jest  scripts/rules/*.test.ts: $jp passed, $jf failed, $js skipped"
SUITE_PASSED=$((SUITE_PASSED + jp)) SUITE_FAILED=$((SUITE_FAILED + jf)) SUITE_SKIPPED=$((SUITE_SKIPPED + js))

finish
