// Real outages of the shared local stack for the fault matrix (faults.spec.ts): each breaks one component the way
// an operator or a crash would, and `restoreStack` puts everything back with `npm run stack -- up`, which starts
// only what is not running. Other people drill on the same stack, so a cell first waits for the formation to be
// primary + secondary with PgBouncer on the primary, and checks the same after restoring.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { pgdata } from '../../stack/lib/config';
import { formationState, healthy, primaryPort, type NodeName } from '../../stack/lib/formation';
import { routedPort } from '../../stack/lib/pgbouncer';
import { readPid, run, signalGroup } from '../../stack/lib/proc';

const repo = path.resolve(__dirname, '..', '..');
const exec = promisify(execFile);

/** Primary + secondary, both answering, and PgBouncer routing appdb to the primary. */
export async function formationSettled(): Promise<boolean> {
  if (!(await healthy())) {
    return false;
  }
  const [primary, routed] = await Promise.all([primaryPort(), routedPort().catch(() => undefined)]);
  return primary !== undefined && primary === routed;
}

/** Waits for a settled formation; the error says what it looked like when time ran out. */
export async function waitSettled(what: string, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  while (!(await formationSettled())) {
    if (Date.now() - t0 > timeoutMs) {
      const nodes = await formationState().catch((e: Error) => e.message);
      const routed = await routedPort().catch((e: Error) => e.message);
      throw new Error(
        `${what}: the formation is not primary + secondary with PgBouncer on the primary after ${timeoutMs / 1000} s ` +
          `(nodes ${JSON.stringify(nodes)}, PgBouncer routes to ${routed}); run \`npm run stack -- up\``
      );
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return Date.now() - t0;
}

/** `npm run stack -- up`: starts whatever is not running and waits for the formation. */
export async function restoreStack(): Promise<void> {
  await exec('npm', ['run', '--silent', 'stack', '--', 'up'], { cwd: repo, timeout: 300_000, maxBuffer: 8 << 20 });
}

function pgAutoctlStop(name: 'monitor' | NodeName) {
  // pg_autoctl's own stop: its Postgres stops with it, as on a host shutdown.
  const r = run('pg_autoctl', ['stop', '--pgdata', pgdata(name)], { asPostgres: true });
  if (r.code !== 0) {
    throw new Error(`pg_autoctl stop ${name}: ${r.err}`);
  }
}

export const stopMonitor = () => pgAutoctlStop('monitor');

/** Stops the node that is secondary now (stopping the primary would be a failover, not "one node down"). */
export async function stopStandby(): Promise<NodeName> {
  const standby = (await formationState()).find((n) => n.reportedstate === 'secondary');
  if (!standby) {
    throw new Error('no secondary to stop');
  }
  pgAutoctlStop(standby.nodename as NodeName);
  return standby.nodename as NodeName;
}

export function stopPgbouncer() {
  const pid = readPid('pgbouncer');
  if (!pid) {
    throw new Error('PgBouncer is not running (no live pid file)');
  }
  signalGroup(pid, 'SIGTERM');
}
