// `npm run soak [-- --failovers 20]`: consecutive hard-kill failovers with orders flowing (issue 14, docs/stack.md).
// Each round SIGKILLs the primary (`stack failover --hard`, so the killed node alternates), waits for the
// formation to converge, then checks what an operator relies on: the PG HA data source — asked through the
// preview host exactly as Grafana asks it — shows exactly one primary, the one the monitor names, with a healthy
// verdict; PgBouncer routes to it; the data source's backend process never restarted. At the end every order the
// API acknowledged with 2xx must be in the database. Prints a JSON summary as its last line; exit 1 on any breach.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { DB, HOST, PORTS, REPO, TSX } from './lib/config';
import { healthy, primaryPort } from './lib/formation';
import { routedPort } from './lib/pgbouncer';
import { sleep, waitFor } from './lib/proc';

const PREVIEW = process.env.VEZA_PREVIEW_URL ?? 'http://127.0.0.1:3000';
const API = `http://${HOST}:${PORTS.api}`;
const DS_TYPE = 'veza-pgha-datasource';
const log = (s: string) => console.log(`[soak +${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}`);
const t0 = Date.now();

interface Frame {
  schema: { name?: string; fields: Array<{ name: string }> };
  data: { values: unknown[][] };
}
/** A frame of a /api/ds/query answer as rows of field name → value. */
function rows(f: Frame): Array<Record<string, unknown>> {
  const n = f.data.values[0]?.length ?? 0;
  return Array.from({ length: n }, (_, i) =>
    Object.fromEntries(f.schema.fields.map((fld, j) => [fld.name, f.data.values[j]?.[i]]))
  );
}

async function dsQuery(uid: string, queryType: string): Promise<Frame[]> {
  const r = await fetch(`${PREVIEW}/api/ds/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: PREVIEW },
    body: JSON.stringify({
      from: 'now-5m',
      to: 'now',
      queries: [{ refId: 'A', datasource: { uid, type: DS_TYPE }, queryType }],
    }),
    signal: AbortSignal.timeout(10000),
  });
  const body = (await r.json()) as { results?: Record<string, { frames?: Frame[]; error?: string }> };
  const res = body.results?.A;
  if (!r.ok || !res || res.error) {
    throw new Error(`data source ${queryType} query: HTTP ${r.status} ${res?.error ?? ''}`);
  }
  return res.frames ?? [];
}

/** What the data source shows: the data nodes drawn as primary, and the status verdict and primary. */
async function dataSourceView(uid: string) {
  const nodes = (await dsQuery(uid, 'topology')).find((f) => f.schema.name === 'nodes');
  const status = (await dsQuery(uid, 'status')).find((f) => f.schema.name === 'status');
  const primaries = nodes ? rows(nodes).filter((r) => r.detail__kind === 'node' && r.detail__role === 'primary') : [];
  const st = status ? rows(status)[0] : undefined;
  return {
    primaries: primaries.map((r) => String(r.title)),
    verdict: String(st?.verdict),
    primary: String(st?.primary),
  };
}

interface BackendStatus {
  state?: string;
  pid?: number;
  restarts?: number;
}
async function backendStatus(): Promise<BackendStatus | undefined> {
  const r = await fetch(`${PREVIEW}/api/preview/status`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
  if (!r?.ok) {
    return undefined;
  }
  const body = (await r.json()) as { backends?: Record<string, BackendStatus> };
  return body.backends?.[DS_TYPE];
}

/** The preview host already running on 3000, or one started here for the soak (needs the built plugin, dist/). */
async function ensurePreview(): Promise<ChildProcess | undefined> {
  if (await backendStatus()) {
    return undefined;
  }
  if (!fs.existsSync(path.join(REPO, 'dist', 'plugin.json'))) {
    throw new Error('no preview host on 3000 and no built plugin in dist/: run `npm run build` first');
  }
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'preview', 'server', 'main.ts')], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitFor(
    'the preview host and its data source backend',
    async () => (await backendStatus())?.state === 'running',
    60000
  );
  return child;
}

/** Posts orders without pause from `workers` loops; keeps the ids the API acknowledged with 2xx. */
function orderWriter(workers: number) {
  const run = `soak-${Date.now().toString(36)}`;
  const acked: number[] = [];
  const answers: Record<string, number> = {};
  let n = 0;
  let stop = false;
  const loop = async () => {
    while (!stop) {
      const sku = `${run}-${n++}`;
      const r = await fetch(`${API}/api/v1/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sku, qty: 1 }),
        signal: AbortSignal.timeout(10000),
      }).catch(() => undefined);
      const code = r ? String(r.status) : 'no answer';
      answers[code] = (answers[code] ?? 0) + 1;
      if (r && r.status >= 200 && r.status < 300) {
        acked.push(Number(((await r.json()) as { id: string }).id));
      } else {
        await r?.arrayBuffer().catch(() => undefined);
        await sleep(50); // a failing API is not hammered
      }
    }
  };
  const loops = Array.from({ length: workers }, loop);
  return { run, acked, answers, stop: async () => ((stop = true), await Promise.all(loops)) };
}

async function ordersFound(ids: number[]): Promise<number> {
  const c = new Client({ host: HOST, port: PORTS.pgbouncer, user: 'postgres', database: DB });
  await c.connect();
  try {
    const r = await c.query('SELECT count(*)::int AS n FROM orders WHERE id = ANY($1::bigint[])', [ids]);
    return r.rows[0].n as number;
  } finally {
    await c.end();
  }
}

/** The JSON summary: soak's last line of output, and the --out file (which adds `rounds`, each round's details). */
export interface SoakSummary {
  failovers: number;
  ordersAcknowledged: number;
  ordersFound: number;
  answers: Record<string, number>;
  promotedSeconds: unknown[];
  dataSourceAgreedSeconds: unknown[];
  backendPid?: number;
  breaches: string[];
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      failovers: { type: 'string', default: '20' },
      uid: { type: 'string', default: 'pgha' },
      out: { type: 'string' },
    },
  });
  const rounds = Number(values.failovers);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 200) {
    throw new Error('--failovers must be a whole number from 1 to 200');
  }
  if (!(await healthy())) {
    throw new Error('the formation is not primary + secondary: start the stack (npm run stack -- up) and wait');
  }
  const preview = await ensurePreview();
  const breaches: string[] = [];
  const results: Array<Record<string, unknown>> = [];
  const backendBefore = await backendStatus();
  const writer = orderWriter(4);
  let lastKilled = '';
  try {
    for (let i = 1; i <= rounds; i++) {
      const r = spawnSync(TSX, [path.join(REPO, 'stack', 'cli.ts'), 'failover', '--hard'], {
        encoding: 'utf8',
        cwd: REPO,
      });
      const last = r.stdout.trim().split('\n').pop() ?? '';
      if (r.status !== 0 || !last.startsWith('{')) {
        breaches.push(
          `round ${i}: failover failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`
        );
        break;
      }
      const f = JSON.parse(last) as Record<string, unknown>;
      if (f.killed === lastKilled) {
        breaches.push(`round ${i}: killed ${String(f.killed)} again (the nodes should alternate)`);
      }
      lastKilled = String(f.killed);
      // Converged per the monitor; the data source must agree within its stream/poll delay.
      const start = Date.now();
      let view = await dataSourceView(values.uid!).catch((e: Error) => ({
        primaries: [],
        verdict: e.message,
        primary: '',
      }));
      let routedOk = false;
      for (const until = Date.now() + 30000; Date.now() < until; await sleep(500)) {
        view = await dataSourceView(values.uid!).catch((e: Error) => ({
          primaries: [],
          verdict: e.message,
          primary: '',
        }));
        routedOk = (await routedPort().catch(() => 0)) === (await primaryPort());
        if (
          view.primaries.length === 1 &&
          view.primaries[0] === f.newPrimary &&
          view.primary === f.newPrimary &&
          view.verdict === 'healthy' &&
          routedOk
        ) {
          break;
        }
      }
      const agreed = (Date.now() - start) / 1000;
      if (view.primaries.length !== 1 || view.primaries[0] !== f.newPrimary) {
        breaches.push(
          `round ${i}: the data source shows primaries [${view.primaries.join(', ')}], the monitor ${String(f.newPrimary)}`
        );
      }
      if (view.verdict !== 'healthy' || view.primary !== f.newPrimary) {
        breaches.push(`round ${i}: status says ${view.verdict} / primary ${view.primary} 30 s after convergence`);
      }
      if (!routedOk) {
        breaches.push(`round ${i}: PgBouncer does not route to the primary`);
      }
      results.push({ round: i, ...f, dataSourceAgreedSeconds: agreed });
      log(
        `round ${i}/${rounds}: killed ${String(f.killed)}, ${String(f.newPrimary)} writable after ${String(f.promotedSeconds)} s, ` +
          `PgBouncer ${String(f.pgbouncerSeconds)} s, rejoined ${String(f.rejoinSeconds)} s, data source agreed +${agreed.toFixed(1)} s`
      );
    }
  } finally {
    await writer.stop();
  }
  const found = await ordersFound(writer.acked);
  if (found !== writer.acked.length) {
    breaches.push(
      `${writer.acked.length - found} of ${writer.acked.length} acknowledged orders are missing from the database`
    );
  }
  const backendAfter = await backendStatus();
  if (
    !backendAfter ||
    backendAfter.state !== 'running' ||
    backendAfter.pid !== backendBefore?.pid ||
    backendAfter.restarts !== backendBefore?.restarts
  ) {
    breaches.push(
      `the data source backend restarted or stopped: before ${JSON.stringify(backendBefore)}, after ${JSON.stringify(backendAfter)}`
    );
  }
  preview?.kill('SIGTERM');
  const summary: SoakSummary = {
    failovers: results.length,
    ordersAcknowledged: writer.acked.length,
    ordersFound: found,
    answers: writer.answers,
    promotedSeconds: results.map((r) => r.promotedSeconds),
    dataSourceAgreedSeconds: results.map((r) => r.dataSourceAgreedSeconds),
    backendPid: backendAfter?.pid,
    breaches,
  };
  for (const b of breaches) {
    console.error(`soak: ${b}`);
  }
  if (values.out) {
    fs.writeFileSync(values.out, JSON.stringify({ ...summary, rounds: results }, null, 1) + '\n');
  }
  console.log(JSON.stringify(summary));
  return breaches.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`soak: ${(e as Error).message}`);
    process.exit(2);
  }
);
