// scripts/setup.sh refuses what it cannot work with, with a message saying what to install (scripts/suites/
// 11-setup.sh). Each case puts a shim first on PATH: an old Node, an old Go, a missing apt package on a non-root run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const shims = fs.mkdtempSync(path.join(os.tmpdir(), 'veza-setup-shims-'));
after(() => fs.rmSync(shims, { recursive: true, force: true }));

/** A directory holding executable shell scripts, by name. */
function shimDir(name: string, scripts: Record<string, string>): string {
  const dir = path.join(shims, name);
  fs.mkdirSync(dir);
  for (const [file, body] of Object.entries(scripts)) {
    fs.writeFileSync(path.join(dir, file), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  }
  return dir;
}

/** Runs setup.sh with `dir` first on PATH: it must fail, say `want`, and print no stack trace. */
function expectRefusal(dir: string, want: RegExp) {
  const r = spawnSync('bash', ['scripts/setup.sh'], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
    timeout: 120_000,
  });
  const out = `${r.stdout}${r.stderr}`;
  assert.notEqual(r.status, 0, `setup.sh succeeded; wanted: ${want}`);
  assert.match(out, want);
  assert.doesNotMatch(out, /^\s+at |Traceback|panic:/m, 'a stack trace instead of a message');
}

test('Node 18 is refused with the version to install', () => {
  const dir = shimDir('old-node', { node: 'case "$*" in *process.versions*) echo 18;; *) echo v18.19.0;; esac' });
  expectRefusal(dir, /Node v18\.19\.0 is too old: install Node 20 or newer/);
});

test('Go 1.22 is refused with the version to install', () => {
  const dir = shimDir('old-go', {
    go: 'case "$*" in "env GOVERSION") echo go1.22.5;; *) echo "go version go1.22.5 linux/amd64";; esac',
  });
  expectRefusal(dir, /Go 1\.22\.5 is too old: install Go 1\.26 or newer/);
});

test('a missing apt package is named with the command to install it', () => {
  const dir = shimDir('no-root', {
    'dpkg-query': '[ "$3" = prometheus ] && exit 1\nexec /usr/bin/dpkg-query "$@"',
    id: '[ "$1" = -u ] && { echo 1000; exit 0; }\nexec /usr/bin/id "$@"',
  });
  expectRefusal(dir, /missing Debian packages: prometheus\. Run as root, or: sudo apt-get install -y prometheus/);
});
