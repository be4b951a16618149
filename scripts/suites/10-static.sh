#!/usr/bin/env bash
# Static checks of the TypeScript side: typecheck, eslint, prettier. (Go's vet and gofmt run in 21-go-unit.)
set -uo pipefail
source scripts/lib/suite.sh

check "typecheck (tsc --noEmit, strict)" npx tsc --noEmit
check "eslint" npx eslint --max-warnings=0 --cache .
check "prettier --check" npm run --silent prettier:check
finish
