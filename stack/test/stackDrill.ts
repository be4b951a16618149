// What the stack-up, failover and stack-faults drills ask the running stack: the formation's roles as one string,
// where a query through PgBouncer lands, whether the demo API takes an order, and which processes it runs.
import fs from 'node:fs';
import path from 'node:path';
import { DB, PORTS, dirs } from '../lib/config';
import { formationState, query } from '../lib/formation';

/** Every node's "reported/goal" state, sorted: "primary/primary,secondary/secondary" when converged. */
export async function formationRoles(): Promise<string> {
  return (await formationState())
    .map((n) => `${n.reportedstate}/${n.goalstate}`)
    .sort()
    .join(',');
}

export const CONVERGED = 'primary/primary,secondary/secondary';

/** The Postgres a query through PgBouncer reached: its port, and whether it is a read-only standby. */
export async function bouncerLandsOn(): Promise<{ port: number; inRecovery: boolean }> {
  const [r] = await query<{ port: number; in_recovery: boolean }>(
    PORTS.pgbouncer,
    DB,
    'SELECT inet_server_port() AS port, pg_is_in_recovery() AS in_recovery'
  );
  return { port: Number(r.port), inRecovery: r.in_recovery };
}

/** POST /api/v1/orders with `body`; the HTTP status. */
export async function postOrder(body: Record<string, unknown> = {}): Promise<number> {
  const r = await fetch(`http://127.0.0.1:${PORTS.api}/api/v1/orders`, { method: 'POST', body: JSON.stringify(body) });
  await r.body?.cancel();
  return r.status;
}

/** The stack's pid files (state dir run/), by file name: equal before and after ⇒ nothing was started or stopped. */
export const pidFiles = () =>
  Object.fromEntries(
    fs
      .readdirSync(dirs.run)
      .filter((f) => f.endsWith('.pid'))
      .map((f) => [f, fs.readFileSync(path.join(dirs.run, f), 'utf8').trim()])
  );
