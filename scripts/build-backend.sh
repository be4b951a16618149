#!/usr/bin/env bash
# Builds gpx_pgha for linux/amd64, linux/arm64, darwin/arm64 and windows/amd64 with the SDK's mage targets
# (mage runs as a Go tool from go.mod, so nothing is installed globally).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/datasource/plugin.json ] || { echo "build-backend: run the front-end build first (npm run build)" >&2; exit 1; }
go tool mage -v
chmod 0755 dist/datasource/gpx_pgha_*
