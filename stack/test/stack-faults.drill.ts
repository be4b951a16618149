// Faults (scripts/suites/57-stack-faults.sh; needs `stack up`, root): `up` refuses clearly, says what is wrong and
// how to fix it, and starts nothing, for a port already taken, a stale data dir and a missing package; `cert`
// refuses a bad --days and keeps the certificate. The `up` cases run against throw-away state dirs
// (VEZA_STACK_DIR) so the real stack keeps running, untouched.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test, TestContext } from 'node:test';
import { PG_BIN, REPO } from '../lib/config';
import { certFile } from '../lib/tls';
import { pidFiles } from './stackDrill';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'veza-faults-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const md5 = (file: string) => crypto.createHash('md5').update(fs.readFileSync(file)).digest('hex');
const pidsBefore = pidFiles();
const certBefore = md5(certFile());

/** Runs a command from the repo (stdout and stderr together, as a user sees them); its exit code and output. */
function runCli(cmd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { cwd: REPO, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}
const npmStack = ['run', '--silent', 'stack', '--'];
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The command failed and its output matches every pattern (case-insensitive); its message lines are reported. */
function refused(t: TestContext, r: { code: number; out: string }, patterns: string[]) {
  const missing = patterns.filter((p) => !new RegExp(p, 'i').test(r.out));
  const tail = r.out.trimEnd().split('\n').slice(-10).join('\n');
  assert.notEqual(r.code, 0, `exit code 0, expected a refusal:\n${tail}`);
  assert.deepEqual(missing, [], `the message lacks these patterns:\n${tail}`);
  for (const l of r.out.split('\n').filter((x) => /stack (up|cert):|fix:/.test(x))) {
    t.diagnostic(l.trim());
  }
}

test('port already taken ⇒ names port, owner pid and fix', (t) => {
  // The running stack holds the ports, but this state dir has no pid files for them.
  const r = runCli('npm', [...npmStack, 'up'], { VEZA_STACK_DIR: path.join(tmp, 'ports') });
  refused(t, r, ['port [0-9]+ \\(.*\\) is already in use by pid [0-9]+', 'fix:']);
});

test('stale data dir ⇒ names the dir and says reset', (t) => {
  // node1's PGDATA holds files that pg_autoctl knows nothing about.
  const node1 = path.join(tmp, 'stale', 'pg', 'node1');
  fs.mkdirSync(node1, { recursive: true });
  fs.writeFileSync(path.join(node1, 'PG_VERSION'), '15\n');
  const r = runCli('npm', [...npmStack, 'up'], { VEZA_STACK_DIR: path.join(tmp, 'stale') });
  refused(t, r, [`stale data dir ${escape(node1)}`, 'npm run stack -- reset']);
});

test('missing package ⇒ names file and apt-get fix', (t) => {
  // postgresql-15-auto-failover's extension hidden under an empty tmpfs, in a private mount namespace only.
  const lib = path.join(path.dirname(PG_BIN), 'lib');
  const r = runCli('unshare', ['-m', 'sh', '-c', `mount -t tmpfs none ${lib} && exec npm ${npmStack.join(' ')} up`], {
    VEZA_STACK_DIR: path.join(tmp, 'pkg'),
  });
  refused(t, r, ['missing .*pgautofailover\\.so', 'apt-get install -y postgresql-15-auto-failover']);
});

for (const bad of ['abc', '0', '-3', '9999']) {
  test(`stack cert --days ${bad} ⇒ refused, says the allowed range`, (t) => {
    const r = runCli('npm', [...npmStack, 'cert', '--days', bad]);
    refused(t, r, ['whole number of days from 1 to 3650', 'certificate is unchanged']);
  });
}

test("a refused cert command leaves the API's certificate as it was", () => {
  assert.equal(md5(certFile()), certBefore);
});

test('the real stack was not touched', () => {
  assert.deepEqual(pidFiles(), pidsBefore);
});

test('no throw-away state dir started anything', () => {
  const started = fs
    .readdirSync(tmp)
    .flatMap((d) => {
      const run = path.join(tmp, d, 'run');
      return fs.existsSync(run) ? fs.readdirSync(run).map((f) => path.join(run, f)) : [];
    })
    .filter((f) => f.endsWith('.pid'));
  assert.deepEqual(started, []);
});
