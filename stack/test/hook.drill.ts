// Drills of the PgBouncer hook against the running stack (scripts/suites/51-stack-hook.sh; needs `stack up`, root):
// garbage on the monitor's state channel, a switch whose RELOAD did not take, and the hook process killed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Client } from 'pg';
import { DB, MONITOR_SU, PORTS, dirs } from '../lib/config';
import { primaryPort } from '../lib/formation';
import { admin, routedPort, writeConfig } from '../lib/pgbouncer';
import { logFile, sleep } from '../lib/proc';

const hookLog = () => fs.readFileSync(logFile('hook'), 'utf8');
/** The hook process itself, not its supervisor: the node process in the pid file's process group running hook.ts. */
function hookPid(): number {
  const leader = fs.readFileSync(path.join(dirs.run, 'hook.pid'), 'utf8').trim();
  const ps = execFileSync('ps', ['-o', 'pid=,args=', '-g', leader], { encoding: 'utf8' });
  const line = ps
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /hook\.ts$/.test(l) && !l.includes('supervise.ts'));
  assert.ok(line, `no hook process in the group of pid ${leader}:\n${ps}`);
  return Number(line.split(/\s+/)[0]);
}
async function until(what: string, seconds: number, ok: () => Promise<boolean> | boolean) {
  for (const end = Date.now() + seconds * 1000; Date.now() < end; await sleep(250)) {
    if (await ok()) {
      return;
    }
  }
  assert.fail(`${what}: not within ${seconds} s`);
}
async function notify(payload: string) {
  const c = new Client(MONITOR_SU);
  await c.connect();
  try {
    await c.query('SELECT pg_notify($1, $2)', ['state', payload]);
  } finally {
    await c.end();
  }
}

test('garbage on the state channel: the hook logs it, keeps running and keeps PgBouncer on the primary', async () => {
  const pid = hookPid();
  const before = hookLog().length;
  for (const garbage of ['garbage', '{"reportedState":', 'null']) {
    await notify(garbage);
  }
  await until('the hook logged the unreadable notifications', 10, () =>
    hookLog().slice(before).includes('notification on state ignored')
  );
  await sleep(1000);
  assert.equal(hookPid(), pid, 'the hook process was restarted: it died on a garbage notification');
  assert.equal(await routedPort(), await primaryPort());
});

test('a switch whose RELOAD did not take is retried until PgBouncer really routes to the primary', async () => {
  const primary = await primaryPort();
  assert.ok(primary, 'no primary before the drill');
  const other = primary === PORTS.node1 ? PORTS.node2 : PORTS.node1;
  // The state a failed RELOAD leaves: PgBouncer routes to the old node while its ini file already names the new
  // primary. Built for real: route to the other node, then rewrite the file without reloading.
  writeConfig(other);
  await admin('RELOAD');
  writeConfig(primary);
  assert.equal(await routedPort(), other, 'could not set up the drill');
  await until(
    `PgBouncer routes ${DB} to the primary ${primary} again`,
    15,
    async () => (await routedPort()) === primary
  );
  const status = JSON.parse(fs.readFileSync(path.join(dirs.run, 'hook.json'), 'utf8'));
  assert.equal(status.target, primary);
  assert.equal(status.step, 'reload', 'the hook should have reloaded without rewriting the file');
});

test('the hook killed with SIGKILL is started again by its supervisor', async () => {
  const pid = hookPid();
  process.kill(pid, 'SIGKILL');
  await until('a new hook process', 15, () => {
    try {
      return hookPid() !== pid;
    } catch {
      return false;
    }
  });
  await until('the new hook listens on the monitor', 15, () =>
    hookLog()
      .split('\n')
      .slice(-5)
      .some((l) => l.includes('listening on monitor channel state'))
  );
  assert.equal(await routedPort(), await primaryPort());
});
