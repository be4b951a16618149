#!/usr/bin/env bash
# Secret scanning with gitleaks (the scanner Veza's CI runs; built by scripts/setup.sh into .tools/, rules in
# .gitleaks.toml): the working tree and every commit of the history. A planted token in a throw-away repository
# proves the scanner really finds one, so a scanner that silently scans nothing cannot pass.
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh

GL=.tools/bin/gitleaks
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

report_of() { # NAME: where a scan's JSON report goes
  echo "$VEZA_RESULTS/$SUITE_NAME.$1.json"
}
no_leaks() { # NAME gitleaks-args...: passes when gitleaks finds nothing, and lists the findings (never the secret)
  local r
  r="$(report_of "$1")"
  shift
  if "$GL" "$@" --no-banner --redact -c .gitleaks.toml -f json -r "$r" >/dev/null 2>&1; then return 0; fi
  jq -r '.[] | "\(.File):\(.StartLine) \(.RuleID)\(if .Commit != "" then " (commit \(.Commit[0:10]))" else "" end)"' "$r" 2>/dev/null
  return 1
}
check "gitleaks: the working tree has no secret" no_leaks tree dir .
check "gitleaks: no commit in the history added a secret" no_leaks history git .

# The canary: a GitHub token made up here (never written into this repository) in a throw-away repository.
planted() {
  git -C "$TMP" init -q canary && cd "$TMP/canary" || return 1
  printf 'GITHUB_TOKEN=ghp_%s\n' "$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 36)" >.env
  git add .env && git -c user.name=t -c user.email=t@t commit -qm canary
  cd - >/dev/null || return 1
  local n
  "$GL" git "$TMP/canary" --no-banner --redact -f json -r "$TMP/canary.json" >/dev/null 2>&1
  n="$(jq 'length' "$TMP/canary.json")"
  [ "$n" -ge 1 ] || { echo "gitleaks found $n secrets in a repository holding a planted GitHub token"; return 1; }
}
check "gitleaks finds a planted GitHub token (the scan is not blind)" planted
finish
