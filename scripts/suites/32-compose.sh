#!/usr/bin/env bash
# docker-compose.yaml, checked as far as a machine without a Docker engine can (`docker-compose config` parses and
# resolves it; nothing is pulled or started): the `compose` Jest project, stack/docker/compose.test.ts.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/suite.sh

jest_suite compose --selectProjects compose
