#!/usr/bin/env bash
# Benchmarks of veza-pgha-datasource against the running stack (docs/BENCHMARKS.md, "Postgres HA").
# The stream-delay benchmark performs real switchovers (npm run stack -- failover) — not on production.
set -euo pipefail
cd "$(dirname "$0")/.."
go test -tags integration ./pkg/plugin/ -run '^$' -bench 'BenchmarkITTopologyQuery' -benchtime=5s
go test -tags integration ./pkg/plugin/ -run '^$' -bench 'BenchmarkITStreamDelay' -benchtime=3x -timeout 20m
