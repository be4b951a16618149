// Load benchmark (npm run bench -- load [--viewers 50] [--minutes 10]): N viewers of the app at once, each as a
// browser tab would be: the live topology + status streams over the preview host's WebSocket, the SLO overview
// every 30 s and an SLO detail page every 60 s, both through the preview host's Prometheus resource path (the
// loaders the pages run). Every 30 s it samples what the viewers cost the systems behind them: queries on the
// pg_auto_failover monitor (its xact_commit), HTTP requests Prometheus served, and the resident memory of the
// preview host's data source backend. "Flat" means the second half of the run costs what the first half did:
// a shared reader per data source, not one per viewer, and no leak. Prints a table and a JSON summary.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import WebSocket from 'ws';
import { httpBackendSrv } from '../src/api/httpBackendSrv';
import { loadDetail, loadOverview } from '../src/api/loaders';
import { PrometheusClient } from '../src/api/prometheus';

const PREVIEW = process.env.PREVIEW_URL ?? 'http://127.0.0.1:3000';
const PROM = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
const DS = 'veza-pgha-datasource';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function monitorCommits(): Promise<number> {
  const c = new Client({ host: '127.0.0.1', port: 6000, user: 'postgres', database: 'pg_auto_failover' });
  await c.connect();
  try {
    const r = await c.query("SELECT xact_commit::float8 AS n FROM pg_stat_database WHERE datname = 'pg_auto_failover'");
    return r.rows[0].n as number;
  } finally {
    await c.end();
  }
}
async function promServed(): Promise<number> {
  const r = await fetch(`${PROM}/api/v1/query?query=${encodeURIComponent('sum(prometheus_http_requests_total)')}`);
  const body = (await r.json()) as { data: { result: Array<{ value: [number, string] }> } };
  return Number(body.data.result[0]?.value[1] ?? NaN);
}
async function backendPid(): Promise<number | undefined> {
  const r = await fetch(`${PREVIEW}/api/preview/status`).catch(() => undefined);
  const body = r?.ok ? ((await r.json()) as { backends?: Record<string, { pid?: number }> }) : undefined;
  return body?.backends?.[DS]?.pid;
}
function rssMiB(pid: number | undefined): number {
  if (!pid) {
    return NaN;
  }
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** One viewer: two live streams, the overview every 30 s, a detail page every 60 s. */
function viewer(i: number, stop: { now: boolean }, counts: { frames: number; loads: number; errors: number }) {
  const ws = new WebSocket(`${PREVIEW.replace(/^http/, 'ws')}/api/live/preview`, { origin: PREVIEW });
  ws.on('open', () => {
    ws.send(JSON.stringify({ type: 'subscribe', id: 1, channel: 'ds/pgha/topology' }));
    ws.send(JSON.stringify({ type: 'subscribe', id: 2, channel: 'ds/pgha/status' }));
  });
  ws.on('message', (m) => {
    const msg = JSON.parse(String(m)) as { type: string };
    if (msg.type === 'message') {
      counts.frames++;
    } else if (msg.type === 'error') {
      counts.errors++;
    }
  });
  ws.on('error', () => counts.errors++);
  const client = new PrometheusClient(
    'prometheus',
    httpBackendSrv(`${PREVIEW}/api/datasources/uid/prometheus/resources`),
    {
      timeoutMs: 30000,
    }
  );
  const pages = (async () => {
    await sleep((i * 30000) / 50); // viewers arrive over the first 30 s, as a room fills
    for (let tick = 0; !stop.now; tick++) {
      try {
        const o = await loadOverview(client);
        counts.loads++;
        if (tick % 2 === 0 && o.slos.length) {
          const slo = o.slos[tick % o.slos.length];
          await loadDetail(client, slo, Date.now() - 6 * 3600000, Date.now());
          counts.loads++;
        }
      } catch {
        counts.errors++;
      }
      for (let w = 0; w < 30 && !stop.now; w++) {
        await sleep(1000);
      }
    }
  })();
  return async () => {
    ws.close();
    await pages;
  };
}

async function main() {
  const { values } = parseArgs({
    options: { viewers: { type: 'string', default: '50' }, minutes: { type: 'string', default: '10' } },
  });
  const viewers = Number(values.viewers);
  const minutes = Number(values.minutes);
  const pid = await backendPid();
  if (!pid) {
    throw new Error(`no preview host with a running ${DS} backend at ${PREVIEW}: start it (npm run preview)`);
  }
  const stop = { now: false };
  const counts = { frames: 0, loads: 0, errors: 0 };
  const samples: Array<{ t: number; monitorPerMin: number; promPerMin: number; rssMiB: number; frames: number }> = [];
  let prev = { t: Date.now(), mon: await monitorCommits(), prom: await promServed() };
  const closers = Array.from({ length: viewers }, (_, i) => viewer(i, stop, counts));
  const end = Date.now() + minutes * 60000;
  console.log('  min   monitor xact/min   prometheus req/min   backend RSS MiB   frames');
  while (Date.now() < end) {
    await sleep(30000);
    const now = { t: Date.now(), mon: await monitorCommits(), prom: await promServed() };
    const perMin = (a: number, b: number) => ((b - a) * 60000) / (now.t - prev.t);
    const s = {
      t: (now.t - (end - minutes * 60000)) / 60000,
      monitorPerMin: perMin(prev.mon, now.mon),
      promPerMin: perMin(prev.prom, now.prom),
      rssMiB: rssMiB(pid),
      frames: counts.frames,
    };
    samples.push(s);
    prev = now;
    console.log(
      `${s.t.toFixed(1).padStart(5)} ${s.monitorPerMin.toFixed(0).padStart(18)} ${s.promPerMin.toFixed(0).padStart(20)} ` +
        `${s.rssMiB.toFixed(1).padStart(17)} ${String(s.frames).padStart(8)}`
    );
  }
  stop.now = true;
  await Promise.all(closers.map((c) => c()));
  // Compare the halves after the ramp-up minute: what a leak or per-viewer reader would make grow.
  const steady = samples.filter((s) => s.t > 1);
  const half = Math.floor(steady.length / 2);
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const halves = (k: 'monitorPerMin' | 'promPerMin' | 'rssMiB') => [
    avg(steady.slice(0, half).map((s) => s[k])),
    avg(steady.slice(half).map((s) => s[k])),
  ];
  const summary = {
    viewers,
    minutes,
    machine: `${execFileSync('nproc').toString().trim()} cores, ${(Number(/MemTotal:\s+(\d+)/.exec(fs.readFileSync('/proc/meminfo', 'utf8'))![1]) / 1048576).toFixed(0)} GiB`,
    loads: counts.loads,
    frames: counts.frames,
    errors: counts.errors,
    monitorPerMin: halves('monitorPerMin'),
    prometheusPerMin: halves('promPerMin'),
    backendRssMiB: halves('rssMiB'),
    samples,
  };
  console.log(JSON.stringify(summary));
}

main().catch((e: unknown) => {
  console.error(`bench load: ${(e as Error).message}`);
  process.exit(1);
});
