#!/usr/bin/env bash
# Container entry: bring the stack up, follow its logs, and stop it cleanly (standby, primary, monitor) on
# `docker compose down` instead of letting SIGKILL leave the formation mid-state.
set -euo pipefail
cd /app
trap 'node_modules/.bin/tsx stack/cli.ts down; exit 0' TERM INT
node_modules/.bin/tsx stack/cli.ts up
tail -n 0 -F /var/lib/veza-stack/log/*.log &
wait
