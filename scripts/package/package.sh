#!/usr/bin/env bash
# Packages dist/ the way Grafana publishes plugins: veza-slo-app-<version>.zip holding one root folder
# veza-slo-app/ with the contents of dist/ (no dist/ inside), binaries kept at mode 0755.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f dist/module.js ] && ls dist/datasource/gpx_pgha_linux_amd64 >/dev/null 2>&1 ||
  { echo "package: dist/ is incomplete; run 'npm run build' first" >&2; exit 1; }
command -v zip >/dev/null || { echo "package: zip is missing: apt-get install -y zip" >&2; exit 1; }
version="$(node -p 'require("./package.json").version')"
out="$PWD/veza-slo-app-$version.zip"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp -a dist "$stage/veza-slo-app"
chmod 0755 "$stage"/veza-slo-app/datasource/gpx_pgha_*
rm -f "$out"
(cd "$stage" && zip -qr -X "$out" veza-slo-app)
echo "package: wrote $(basename "$out") ($(du -h "$out" | cut -f1))"
