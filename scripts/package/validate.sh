#!/usr/bin/env bash
# Runs Grafana's plugin validator (github.com/grafana/plugin-validator: built from its source by build-validator.sh,
# or from the Go module proxy; never the npm wrapper that downloads a binary) against the packaged zip, warnings included (-strict).
# Exit 0: passed; 1: a check failed; 2: the validator cannot be had here (said why).
# Analyzers that need the internet are disabled by name in scripts/package/validator-offline.yaml.
set -uo pipefail
cd "$(dirname "$0")/../.."
VALIDATOR_VERSION="${VALIDATOR_VERSION:-v0.33.1}"
# A build from the validator's public source (scripts/package/build-validator.sh) wins; otherwise try the proxy.
bin="$PWD/.tools/bin/plugincheck2"
if [ -x "$bin" ]; then
  VALIDATOR_VERSION="$(cat "$bin.version" 2>/dev/null || echo unknown version), built from source without the OSV-scanner pass"
else
  bin="$(go env GOPATH)/bin/plugincheck2"
fi
if [ ! -x "$bin" ]; then
  if ! log="$(go install "github.com/grafana/plugin-validator/pkg/cmd/plugincheck2@$VALIDATOR_VERSION" 2>&1)"; then
    echo "  skip  plugin validator: the Go module proxy does not serve github.com/grafana/plugin-validator@$VALIDATOR_VERSION here"
    echo "        ($(echo "$log" | tail -n 2 | tr '\n' ' '))"
    echo "        Build it from its source instead: bash scripts/package/build-validator.sh <checkout of grafana/plugin-validator>"
    exit 2
  fi
fi
zip="$PWD/veza-slo-app-$(node -p 'require("./package.json").version').zip"
if "$bin" -strict -config scripts/package/validator-offline.yaml "$zip"; then
  echo "  ok    plugin validator ($VALIDATOR_VERSION)"
else
  echo "  FAIL  plugin validator ($VALIDATOR_VERSION): see above"
  exit 1
fi
