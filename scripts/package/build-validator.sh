#!/usr/bin/env bash
# Builds Grafana's plugin validator (plugincheck2) from its public source into .tools/bin/, for machines whose Go
# module proxy refuses github.com/grafana/plugin-validator itself but serves its dependencies.
#   bash scripts/package/build-validator.sh SOURCE
# SOURCE is a checkout of github.com/grafana/plugin-validator or a bare git directory of it (what the `fetch` tool
# brings). Its OSV-scanner pass is left out: that pass needs github.com/google/osv-scanner, which the proxy refuses
# here, and it needs the OSV database online anyway (scripts/package/validator-offline.yaml disables it).
# scripts/package/validate.sh runs the result whenever it is present.
set -euo pipefail
cd "$(dirname "$0")/../.."
src="${1:?usage: build-validator.sh SOURCE (checkout or bare git dir of grafana/plugin-validator)}"
out="$PWD/.tools/bin/plugincheck2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ -f "$src/go.mod" ]; then
  cp -a "$src/." "$work/"
else # a bare git directory: its HEAD, without test data (large fixtures may be absent from a partial copy)
  git --git-dir="$src" ls-tree -r --name-only HEAD | grep -v '/testdata/' >"$work.files"
  git --git-dir="$src" archive HEAD $(cat "$work.files") 2>"$work.err" | tar -x -C "$work" || { cat "$work.err" >&2; exit 1; }
  rm -f "$work.files" "$work.err"
fi
cd "$work"
grep -q '^module github.com/grafana/plugin-validator$' go.mod || { echo "build-validator: $src is not grafana/plugin-validator" >&2; exit 1; }
version="$(git --git-dir="$src" describe --tags --always 2>/dev/null || git -C "$src" describe --tags --always 2>/dev/null || echo unknown)"

# Leave the OSV-scanner pass out: drop its package, its imports and its entries in the analyzer lists.
rm -rf pkg/analysis/passes/osvscanner
for f in $(grep -rl 'passes/osvscanner"' --include='*.go' .); do
  sed -i -e '/passes\/osvscanner"/d' -e '/^\s*osvscanner\.Analyzer,\s*$/d' "$f"
done
if grep -rn 'osvscanner\.' --include='*.go' . >&2; then
  echo "build-validator: the OSV-scanner pass is referenced in a way this script does not know how to remove" >&2
  exit 1
fi
# No `go mod tidy`: it would resolve the test imports of every dependency, some of which the proxy refuses.
mkdir -p "$(dirname "$out")"
GOFLAGS=-mod=mod go build -o "$out" ./pkg/cmd/plugincheck2
echo "$version" >"$out.version"
echo "build-validator: built $out ($version, without the OSV-scanner pass)"
