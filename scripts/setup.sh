#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian 12 machine (run as root), and says exactly
# what is missing when it cannot: apt packages, Node >= 20, Go >= 1.26, npm ci, Go modules.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "setup: $*" >&2; exit 1; }

# Versions first: a wrong toolchain should stop here with the fix, not deep inside a build.
command -v node >/dev/null || die "Node.js is not installed. Install Node 20 or newer (https://nodejs.org or 'apt-get install nodejs' from NodeSource)."
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "Node $(node --version) is too old: install Node 20 or newer."
command -v npm >/dev/null || die "npm is not installed: install npm with Node 20 or newer."
command -v go >/dev/null || die "Go is not installed. Install Go 1.26 or newer from https://go.dev/dl/ and put it on PATH."
go_ver="$(go env GOVERSION | sed 's/^go//')"
go_minor="$(echo "$go_ver" | cut -d. -f2)"
[ "$(echo "$go_ver" | cut -d. -f1)" -ge 1 ] && [ "$go_minor" -ge 26 ] || die "Go $go_ver is too old: install Go 1.26 or newer."

# apt packages: install only the missing ones, so a second run is quick and needs no network.
missing=()
while read -r pkg; do
  [ -z "$pkg" ] || [[ "$pkg" == \#* ]] && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done <scripts/apt-packages.txt
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    die "missing Debian packages: ${missing[*]}. Run as root, or: sudo apt-get install -y ${missing[*]}"
  fi
  command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get: this project expects Debian 12."
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Debian starts a package's daemon on install (Prometheus on 9090, PgBouncer on 6432, Redis on 6379, ...) unless
  # policy-rc.d says no; those would hold the stack's fixed ports. Container images usually ship such a policy;
  # where none exists, one is put in place for the install only.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# scripts/setup.sh: no daemon starts during the install (removed afterwards)\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  apt-get update -qq || die "apt-get update failed: check the network or /etc/apt/sources.list"
  # A private log file (mktemp), never a fixed name under /tmp that another user could plant as a symlink.
  aptlog="$(mktemp -t veza-apt.XXXXXX.log)"
  apt-get install -y -qq "${missing[@]}" >"$aptlog" 2>&1 ||
    die "apt-get install failed (log: $aptlog). Try: apt-get install -y ${missing[*]}"
fi

# npm ci only when the lock file changed since the last install (npm ci wipes node_modules).
stamp=node_modules/.veza-lock-sha
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error || die "npm ci failed: see the npm error above"
  echo "$want" >"$stamp"
fi

go mod download || die "go mod download failed: check access to the Go module proxy (GOPROXY=$(go env GOPROXY))"

# gitleaks, the secret scanner Veza's own CI runs, built from the Go module proxy at a pinned version into .tools/.
GITLEAKS_VERSION=v8.30.1
if [ "$(cat .tools/gitleaks.version 2>/dev/null)" != "$GITLEAKS_VERSION" ]; then
  echo "setup: gitleaks $GITLEAKS_VERSION"
  GOBIN="$PWD/.tools/bin" go install "github.com/zricethezav/gitleaks/v8@$GITLEAKS_VERSION" ||
    die "building gitleaks failed: check access to the Go module proxy (GOPROXY=$(go env GOPROXY))"
  echo "$GITLEAKS_VERSION" >.tools/gitleaks.version
fi
echo "setup: ok (node $(node --version), $(go version | cut -d' ' -f3), ${#missing[@]} apt packages installed now)"
