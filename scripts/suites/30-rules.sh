#!/usr/bin/env bash
# Rules: the SLO spec → generator → Prometheus rules, proven with promtool (docs/alerting.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh

SLO=provisioning/prometheus/slo.yml
GUARDS=provisioning/prometheus/slo-guards.yml
INFRA=provisioning/prometheus/infra.yml
TIERS=scripts/rules/testdata/tiers
GEN=(node_modules/.bin/tsx scripts/rules/generate.ts)
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

check "generator: committed slo.yml and slo-guards.yml equal a fresh generation" "${GEN[@]}" --check
check "generator: testdata tiers.slo.yml and tiers.slo-guards.yml equal a fresh generation of tiers.slos.yaml" \
  "${GEN[@]}" --check --spec "$TIERS.slos.yaml" --out "$TIERS.slo.yml"

promtool_count() { # exact count, so a lost or extra rule fails
  local out
  out="$(promtool check rules "$1" 2>&1)" && grep -qx "  SUCCESS: $2 rules found" <<<"$out" || { echo "$out"; return 1; }
}
check "promtool check rules slo.yml: SUCCESS: 18 rules found" promtool_count "$SLO" 18
check "promtool check rules slo-guards.yml: SUCCESS: 4 rules found (3 NoData + retention)" promtool_count "$GUARDS" 4
check "promtool check rules testdata tiers.slo.yml: SUCCESS: 31 rules found" promtool_count "$TIERS.slo.yml" 31
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
    console.log(n, "alerts"); process.exit(bad || n === 0 ? 1 : 0);' "$SLO" "$GUARDS" "$INFRA"
}
check "every alert has severity, summary, description and runbook_url" alerts_complete

# runbook_url ↔ docs/runbooks: each link names a runbook file (and, after #, a section of it: GitHub-style
# slug of a heading, e.g. "## No data" → #no-data), each runbook is reached by an alert.
heading_slugs() { # FILE: the anchors of its headings, as the app's runbook page sets them (src/slo/runbooks.ts:
  # GitHub's slugs, headings inside code blocks skipped); once per file
  local out="$TMP/slugs.$(basename "$1")"
  [ -f "$out" ] || { printf '%s\n' "import fs from 'node:fs';" "import { headingSlugs } from '$PWD/src/slo/runbooks';" \
    "console.log(headingSlugs(fs.readFileSync('$1', 'utf8')).join('\\n'));" >"$TMP/slugs.ts" &&
    node_modules/.bin/tsx "$TMP/slugs.ts" >"$out"; }
  cat "$out"
}
runbooks_linked() {
  local links linked fail=0 name link anchor
  links="$(grep -ho 'runbook_url: .*' "$SLO" "$GUARDS" "$INFRA" | sed 's|.*/a/veza-slo-app/runbooks/||' | sort -u)"
  linked="$(sed 's/#.*//' <<<"$links" | sort -u)"
  for name in $linked; do
    [ -f "docs/runbooks/$name.md" ] || { echo "runbook_url names a missing runbook: $name"; fail=1; }
  done
  for link in $(grep '#' <<<"$links"); do
    name="${link%%#*}" anchor="${link#*#}"
    [ -f "docs/runbooks/$name.md" ] && heading_slugs "docs/runbooks/$name.md" | grep -qx -- "$anchor" ||
      { echo "runbook_url names a missing section: $link"; fail=1; }
  done
  for f in docs/runbooks/*.md; do
    name="$(basename "$f" .md)"
    grep -qx "$name" <<<"$linked" || { echo "no alert links to runbook $name"; fail=1; }
  done
  return $fail
}
check "runbook links: every runbook_url exists, every runbook is reached" runbooks_linked

same_base() { # infra.yml is hand-written: its links must use the generator's default Grafana URL
  ! grep -hoE '(runbook|dashboard)_url: .*' "$SLO" "$GUARDS" "$INFRA" | grep -v ': http://127.0.0.1:3000/a/veza-slo-app/'
}
check "all links use the Grafana base URL http://127.0.0.1:3000" same_base

# The --grafana-url option reaches every link (12 in slo.yml, 7 in slo-guards.yml), and no warning is printed.
grafana_url_option() {
  local err
  err="$("${GEN[@]}" --grafana-url https://grafana.example.com/ --out "$TMP/url.yml" 2>&1 >/dev/null)" &&
    [ "$(grep -c 'https://grafana.example.com/a/veza-slo-app/' "$TMP/url.yml")" -eq 12 ] &&
    [ "$(grep -c 'https://grafana.example.com/a/veza-slo-app/' "$TMP/url-guards.yml")" -eq 7 ] &&
    ! grep -q '127.0.0.1:3000' "$TMP/url.yml" "$TMP/url-guards.yml" && [ -z "$err" ]
}
check "generator --grafana-url rewrites all 19 links, no warning" grafana_url_option
default_url_warns() { # the local default would ship links nobody can open from a phone: say so, naming the option
  "${GEN[@]}" --out "$TMP/default.yml" 2>&1 >/dev/null | grep -F -- '--grafana-url' &&
    cmp -s "$TMP/default.yml" "$SLO" && cmp -s "$TMP/default-guards.yml" "$GUARDS"
}
check "generator with the default Grafana URL warns on stderr naming --grafana-url" default_url_warns

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
drill_guards() { # the NoData drill loads slo-guards.yml the same way
  node_modules/.bin/tsx stack/test/rules-mode.ts print "$GUARDS" run-1 >"$TMP/drill-guards.yml" &&
    grep -c 'drill_run: run-1' "$TMP/drill-guards.yml" | grep -qx 4 && promtool_count "$TMP/drill-guards.yml" 4
}
check "drill rules for slo-guards.yml: drill_run label on all 4 alerts, promtool-valid" drill_guards

# Malformed specs and options: exit 2, a message naming the field, and both output files left untouched.
malformed() { # NAME FIELD-IN-MESSAGE SPEC-FILE [MORE GENERATOR OPTIONS...]
  local out rc=0 field="$2" spec="$3"
  shift 3
  echo "sentinel" >"$TMP/out.yml"
  echo "sentinel" >"$TMP/out-guards.yml"
  out="$("${GEN[@]}" --spec "$spec" --out "$TMP/out.yml" "$@" 2>&1)" || rc=$?
  echo "$out"
  [ "$rc" -eq 2 ] || { echo "exit code $rc, expected 2"; return 1; }
  grep -qF -- "$field" <<<"$out" || { echo "message does not name $field"; return 1; }
  [ "$(cat "$TMP/out.yml")" = sentinel ] && [ "$(cat "$TMP/out-guards.yml")" = sentinel ] ||
    { echo "output was overwritten"; return 1; }
  [ -z "$(find "$TMP" -name 'out*.yml.tmp*')" ] || { echo "temporary file left behind"; return 1; }
}
SPEC=provisioning/slo/slos.yaml
sed '0,/objective: 0.995/s//objective: 1.5/' "$SPEC" >"$TMP/objective-1.5.yaml"
sed '0,/objective: 0.995/s//objective: "99,5"/' "$SPEC" >"$TMP/objective-comma.yaml"
sli_line="$(grep -n '^    sli:$' "$SPEC" | head -1 | cut -d: -f1)"
alerts_line="$(grep -n '^    alerts:$' "$SPEC" | head -1 | cut -d: -f1)"
sed "${sli_line},$((alerts_line - 1))d" "$SPEC" >"$TMP/no-sli.yaml"
sed '0,/longWindow: 1h/s//longWindow: 90m/' "$SPEC" >"$TMP/window.yaml"
sed '0,/for: 2m/s//for: 5m5m/' "$SPEC" >"$TMP/for-5m5m.yaml"
sed '0,/for: 15m/s//for: 0m/' "$SPEC" >"$TMP/for-0m.yaml"
sed '0,/for: 2m/s//for: 999999999h/' "$SPEC" >"$TMP/for-overflow.yaml"
sed '0,/title: API availability/s//title: API {{ $value }}/' "$SPEC" >"$TMP/title-template.yaml"
sed '0,/description: Share of GET.*/s//description: "}} Share of GET requests"/' "$SPEC" >"$TMP/description-template.yaml"
sed '0,/owner: payments-team/s//owner: "{{ .Labels }}"/' "$SPEC" >"$TMP/owner-template.yaml"
sed '0,/method="GET"}/s//method=GET}/' "$SPEC" >"$TMP/selector-unquoted.yaml"
sed '0,/method=~"POST|PUT|PATCH|DELETE"/s//method=~"(POST|PUT"/' "$SPEC" >"$TMP/selector-regex.yaml"
# A regex JavaScript compiles and RE2 refuses (repeat count over 1000): only promtool can catch it.
sed '0,/method="GET"}/s//method=~"G{1001}"}/' "$SPEC" >"$TMP/promtool-refuses.yaml"
check "malformed spec: objective 1.5" malformed objective 'slos[0].objective' "$TMP/objective-1.5.yaml"
check 'malformed spec: objective "99,5"' malformed objective-comma 'slos[0].objective' "$TMP/objective-comma.yaml"
check "malformed spec: unknown window 90m" malformed window 'alertPolicy.FastBurn.longWindow' "$TMP/window.yaml"
check "malformed spec: missing SLI" malformed no-sli 'slos[0].sli' "$TMP/no-sli.yaml"
check "malformed spec: for: 5m5m" malformed for 'alertPolicy.FastBurn.for: "5m5m"' "$TMP/for-5m5m.yaml"
check "malformed spec: for: 0m" malformed for 'alertPolicy.SlowBurn.for: "0m" is zero' "$TMP/for-0m.yaml"
check "malformed spec: overflowing for" malformed for 'alertPolicy.FastBurn.for: "999999999h" overflows' "$TMP/for-overflow.yaml"
check "malformed spec: {{ in a title" malformed t 'slos[0].title: must not contain {{' "$TMP/title-template.yaml"
check "malformed spec: }} in a description" malformed d 'slos[0].description: must not contain {{' "$TMP/description-template.yaml"
check "malformed spec: {{ in an owner" malformed o 'slos[2].owner: must not contain {{' "$TMP/owner-template.yaml"
check "malformed spec: unquoted label value" malformed s 'slos[0].sli.valid: not a valid selector' "$TMP/selector-unquoted.yaml"
check "malformed spec: regex that does not compile" malformed s 'slos[1].sli.good: not a valid selector: the regex of method does not compile' "$TMP/selector-regex.yaml"
check "promtool refuses what the checker lets through (RE2 repeat > 1000): nothing written" malformed p 'promtool check rules refused' "$TMP/promtool-refuses.yaml"
for bad in 'https://admin:s3cret@grafana.example.com:credentials' 'https://grafana.example.com/?orgId=1:query string' \
  'https://grafana.example.com/#top:fragment' 'https://grafana.example.com/{{ .x }}:{{ or }}'; do
  check "generator refuses --grafana-url with a ${bad##*:}" \
    malformed url "--grafana-url: must not" "$SPEC" --grafana-url "${bad%:*}"
done
no_secret_echoed() {
  local out
  out="$("${GEN[@]}" --out "$TMP/out.yml" --grafana-url https://admin:s3cret@grafana.example.com 2>&1)" && return 1
  ! grep -q s3cret <<<"$out"
}
check "generator never repeats --grafana-url credentials in its error" no_secret_echoed

# Unit tests of the generator's pure parts: the `rules` project of jest.config.js (plain Node).
jest_rc=0
node_modules/.bin/jest --selectProjects rules --json --outputFile="$TMP/jest.json" >"$TMP/jest.log" 2>&1 || jest_rc=$?
jp=0 jf=0 js=0
[ -s "$TMP/jest.json" ] && read -r jp jf js < <(jest_counts "$TMP/jest.json")
# A Jest run that failed without a failed test (config or syntax error) still counts as one failure.
if [ "$jest_rc" -ne 0 ] && [ "$jf" -eq 0 ]; then jf=1; fi
[ "$jest_rc" -eq 0 ] || tail -n 60 "$TMP/jest.log"
echo "  jest  scripts/rules/*.test.ts: $jp passed, $jf failed, $js skipped"
SUITE_PASSED=$((SUITE_PASSED + jp)) SUITE_FAILED=$((SUITE_FAILED + jf)) SUITE_SKIPPED=$((SUITE_SKIPPED + js))

finish
