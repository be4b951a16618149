// Teardown (scripts/suites/95-stack-down.sh): `npm run stack -- down` stops everything `up` started (by pid file)
// and frees every fixed port of stack/lib/config.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { test } from 'node:test';
import { HOST, PORTS, REPO, dirs } from '../lib/config';

/** Whether something accepts connections on the port (a refused or timed-out connect means free). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: HOST, port, timeout: 2000 });
    const done = (v: boolean) => {
      s.destroy();
      resolve(v);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.once('timeout', () => done(false));
  });
}

test('npm run stack -- down', () => {
  const r = spawnSync('npm', ['run', '--silent', 'stack', '--', 'down'], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
});

for (const [name, port] of Object.entries(PORTS)) {
  test(`port ${port} (${name}) is free`, async () => {
    assert.equal(await listening(port), false, `something still listens on ${HOST}:${port}`);
  });
}

test('no stack pid file left', () => {
  const left = fs.existsSync(dirs.run) ? fs.readdirSync(dirs.run).filter((f) => f.endsWith('.pid')) : [];
  assert.deepEqual(left, []);
});
