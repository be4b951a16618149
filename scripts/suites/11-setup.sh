#!/usr/bin/env bash
# scripts/setup.sh stops with a message that says what to install, not a stack trace, when Node or Go is too old
# or a Debian package is missing and it cannot install it. Each case runs setup.sh with small stand-ins first
# on PATH (a `node` that says v18, a `go` that says go1.22, a non-root `id` with a missing package).
set -uo pipefail
source scripts/lib/suite.sh

shims="$(mktemp -d)"
trap 'rm -rf "$shims"' EXIT

# expect_message NAME WANT_REGEX SHIMDIR: setup.sh must fail, print WANT on stderr, and print no stack trace.
expect_message() {
  local dir="$2" want="$3" out
  out="$(PATH="$dir:$PATH" bash scripts/setup.sh 2>&1)" && { echo "setup.sh succeeded; wanted: $want"; return 1; }
  echo "$out" | grep -Eq "$want" || { echo "message was: $out"; return 1; }
  ! echo "$out" | grep -Eq '^\s+at |Traceback|panic:' || { echo "stack trace: $out"; return 1; }
}

mkdir -p "$shims/old-node" "$shims/old-go" "$shims/no-root"
printf '#!/bin/sh\ncase "$*" in *process.versions*) echo 18;; *) echo v18.19.0;; esac\n' >"$shims/old-node/node"
printf '#!/bin/sh\ncase "$*" in "env GOVERSION") echo go1.22.5;; *) echo "go version go1.22.5 linux/amd64";; esac\n' >"$shims/old-go/go"
# A package that is "not installed", and a user who is not root: setup must name it and say how to install it.
printf '#!/bin/sh\n[ "$3" = prometheus ] && exit 1\nexec /usr/bin/dpkg-query "$@"\n' >"$shims/no-root/dpkg-query"
printf '#!/bin/sh\n[ "$1" = -u ] && { echo 1000; exit 0; }\nexec /usr/bin/id "$@"\n' >"$shims/no-root/id"
chmod +x "$shims"/*/*

check "Node 18 is refused with the version to install" expect_message node "$shims/old-node" 'Node v18\.19\.0 is too old: install Node 20 or newer'
check "Go 1.22 is refused with the version to install" expect_message go "$shims/old-go" 'Go 1\.22\.5 is too old: install Go 1\.26 or newer'
check "a missing apt package is named with the command to install it" expect_message apt "$shims/no-root" \
  'missing Debian packages: prometheus\. Run as root, or: sudo apt-get install -y prometheus'
finish
