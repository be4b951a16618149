// Drills of the PgBouncer hook against the running stack (scripts/suites/51-stack-hook.sh; needs `stack up`, root):
// garbage on the monitor's state channel, a switch whose RELOAD did not take, the hook process killed, and its
// supervisor killed (the orphaned hook must exit, or two hooks would switch PgBouncer side by side).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Client } from 'pg';
import { DB, MONITOR_SU, PORTS, REPO, dirs } from '../lib/config';
import { primaryPort } from '../lib/formation';
import { admin, routedPort, writeConfig } from '../lib/pgbouncer';
import { logFile, sleep } from '../lib/proc';

const hookLog = () => fs.readFileSync(logFile('hook'), 'utf8');
/** The hook process itself, not its supervisor: the node process in the pid file's process group running hook.ts. */
function hookPid(supervisor = false): number {
  const leader = fs.readFileSync(path.join(dirs.run, 'hook.pid'), 'utf8').trim();
  // Filtered by process group here: `ps -g` selects by session (or group *name*), not by process group.
  const ps = execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' });
  const group = ps
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[1] === leader)
    .map((f) => ({ pid: Number(f[0]), args: f.slice(2).join(' ') }));
  const found = group.find((p) =>
    supervisor
      ? /supervise\.ts \S*hook\.ts$/.test(p.args) && String(p.pid) !== leader
      : /hook\.ts$/.test(p.args) && !p.args.includes('supervise.ts')
  );
  assert.ok(found, `no ${supervisor ? 'supervisor' : 'hook'} process in process group ${leader}`);
  return found.pid;
}
/** Every process on this machine running the stack's hook.ts (not its supervisor). */
function allHooks(): number[] {
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /node .*stack\/hook\.ts$/.test(l) && !l.includes('supervise.ts'))
    .map((l) => Number(l.split(/\s+/)[0]));
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
  const before = hookLog().length;
  process.kill(pid, 'SIGKILL');
  await until('a new hook process', 15, () => {
    try {
      return hookPid() !== pid;
    } catch {
      return false;
    }
  });
  await until('the new hook listens on the monitor', 15, () =>
    hookLog().slice(before).includes('listening on monitor channel state')
  );
  assert.equal(await routedPort(), await primaryPort());
});

test('the supervisor killed with SIGKILL: its orphaned hook exits, and `stack up` starts one hook again', async () => {
  const hook = hookPid();
  process.kill(hookPid(true), 'SIGKILL');
  // The hook notices its parent is gone at its next 5 s poll.
  await until(`the orphaned hook (pid ${hook}) exits`, 15, () => !allHooks().includes(hook));
  const before = hookLog().length;
  execFileSync(path.join(REPO, 'node_modules', '.bin', 'tsx'), [path.join(REPO, 'stack', 'cli.ts'), 'up'], {
    stdio: 'ignore',
  });
  await until('a new hook listens on the monitor', 20, () =>
    hookLog().slice(before).includes('listening on monitor channel state')
  );
  assert.deepEqual(allHooks(), [hookPid()], 'exactly one hook runs, the one the pid file names');
  await until('PgBouncer routes to the primary', 15, async () => (await routedPort()) === (await primaryPort()));
});
