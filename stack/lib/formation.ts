// The pg_auto_failover formation: monitor 6000, node1 6001, node2 6002 (database appdb), run as `postgres`.
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { HOST, MONITOR_SU, MONITOR_TUNING, MONITOR_URI, PORTS, dirs, pgEnv, pgdata } from './config';
import { readPid, startDetached, tailLog, waitFor } from './proc';

export type NodeName = 'node1' | 'node2';
export const NODES: NodeName[] = ['node1', 'node2'];

const cfgPath = (dir: string) => path.join(pgEnv.XDG_CONFIG_HOME, 'pg_autoctl', dir, 'pg_autoctl.cfg');
export const initialised = (name: 'monitor' | NodeName) =>
  fs.existsSync(cfgPath(pgdata(name))) && fs.existsSync(path.join(pgdata(name), 'PG_VERSION'));

export async function query<T = Record<string, unknown>>(
  port: number,
  db: string,
  sql: string,
  params: unknown[] = []
): Promise<T[]> {
  const c = new Client({ host: HOST, port, user: 'postgres', database: db, connectionTimeoutMillis: 2000 });
  c.on('error', () => undefined);
  try {
    await c.connect();
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end().catch(() => undefined);
  }
}

export interface NodeState {
  nodename: string;
  nodeport: number;
  reportedstate: string;
  goalstate: string;
  health: number;
}
export const formationState = () =>
  query<NodeState>(
    PORTS.monitor,
    'pg_auto_failover',
    `SELECT nodename, nodeport, reportedstate::text, goalstate::text, health FROM pgautofailover.node
      WHERE formationid = 'default' ORDER BY nodeid`
  );

async function tryState(): Promise<NodeState[]> {
  try {
    return await formationState();
  } catch {
    return [];
  }
}

export async function healthy(): Promise<boolean> {
  const s = await tryState();
  const roles = s
    .filter((n) => n.reportedstate === n.goalstate)
    .map((n) => n.reportedstate)
    .sort();
  // The monitor remembers the last states across restarts: also require both nodes to answer.
  if (s.length !== 2 || roles.join() !== 'primary,secondary') {
    return false;
  }
  const answers = await Promise.all(
    s.map((n) =>
      query(n.nodeport, 'postgres', 'SELECT 1').then(
        () => true,
        () => false
      )
    )
  );
  return answers.every(Boolean);
}

export async function primaryPort(): Promise<number | undefined> {
  const p = (await tryState()).find(
    (n) => n.goalstate === n.reportedstate && ['single', 'wait_primary', 'primary'].includes(n.reportedstate)
  );
  return p?.nodeport;
}

function startService(name: 'monitor' | NodeName, createArgs: string[]) {
  if (readPid(name)) {
    return;
  }
  const args = initialised(name) ? ['run', '--pgdata', pgdata(name)] : [...createArgs, '--run'];
  startDetached({ name, cmd: 'pg_autoctl', args, asPostgres: true });
}

const nodeArgs = (n: NodeName) => [
  'create',
  'postgres',
  '--pgdata',
  pgdata(n),
  '--pgport',
  String(PORTS[n]),
  '--hostname',
  '127.0.0.1',
  '--listen',
  '127.0.0.1',
  '--name',
  n,
  '--dbname',
  'appdb',
  '--auth',
  'trust',
  '--no-ssl',
  '--monitor',
  MONITOR_URI,
];

export async function formationUp(log: (s: string) => void) {
  startService('monitor', [
    'create',
    'monitor',
    '--pgdata',
    pgdata('monitor'),
    '--pgport',
    String(PORTS.monitor),
    '--hostname',
    '127.0.0.1',
    '--listen',
    '127.0.0.1',
    '--auth',
    'trust',
    '--no-ssl',
  ]);
  await waitFor(
    'the monitor on 6000',
    async () =>
      await query(PORTS.monitor, 'pg_auto_failover', 'SELECT 1').then(
        () => true,
        () => false
      ),
    60000,
    `see ${dirs.log}/monitor.log:\n${tailLog('monitor')}`
  );
  await tuneMonitor();
  log('monitor up, timings tuned');
  // From nothing, node1 comes first and alone. A node missing later (dropped from the monitor and moved away, the
  // db-failover runbook's data-loss path) is simply created again: it joins the surviving node as its standby.
  const missing = NODES.filter((n) => !initialised(n));
  const firstTime = missing.length === NODES.length;
  if (missing.length && !firstTime) {
    // The new node's pg_basebackup waits for a spread checkpoint on the primary (see below): start one now.
    const primary = await primaryPort();
    await (primary ? query(primary, 'postgres', 'CHECKPOINT') : Promise.resolve()).catch(() => undefined);
    log(`creating ${missing.join(', ')} again as a standby of :${primary ?? '?'}`);
  }
  startService('node1', nodeArgs('node1'));
  if (firstTime) {
    // node2 must be created only once node1 is `single` (upstream recipe); creating both at once races.
    await waitFor(
      'node1 to reach single',
      async () => (await tryState()).some((n) => n.nodename === 'node1' && n.reportedstate === 'single'),
      90000,
      tailLog('node1')
    );
    log('node1 single');
    // pg_basebackup (node2's create) waits for a *spread* checkpoint on node1; an immediate one first
    // leaves it nothing to write (measured 94 s → seconds while the history backfill loads the disk).
    await query(PORTS.node1, 'postgres', 'CHECKPOINT');
  }
  startService('node2', nodeArgs('node2'));
  await waitFor(
    'the formation to show one primary and one secondary',
    healthy,
    180000,
    `pg_autoctl logs: ${dirs.log}/node1.log, node2.log\n${tailLog('node2')}`
  );
  log('formation: primary + secondary');
}

export async function tuneMonitor() {
  const c = new Client(MONITOR_SU);
  await c.connect();
  try {
    for (const [k, v] of Object.entries(MONITOR_TUNING)) {
      await c.query(`ALTER SYSTEM SET ${k} = ${v}`);
    }
    await c.query('SELECT pg_reload_conf()');
  } finally {
    await c.end();
  }
}

export async function ensureSchema(port: number) {
  await query(
    port,
    'appdb',
    `CREATE TABLE IF NOT EXISTS orders (
    id bigserial PRIMARY KEY, sku text NOT NULL, qty int NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`
  );
}
