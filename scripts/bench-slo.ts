// SLO pages benchmark (npm run bench -- slo): Prometheus requests per overview load and time to a complete
// overview with 3, 200 and 1000 SLOs, the budget query alone before (raw 30-day increase) and after (hourly rules), in Node (the loader the page runs) and in the preview host (Chromium
// until every tile shows its budget), plus the size of the app's entry bundle and of each lazy page.
//
// Extra SLOs are copies of the three real ones under new ids (`<id>-<k>`), served as the rules API answer, and
// they exist in Prometheus for real: per size, a fresh temporary Prometheus holds every SLO's recorded budget
// buckets and burn-rate ratios (the copy's are its source's real series, written in time order by remote write:
// scripts/bench/scalePrometheus.ts), because the budget query's name-level selectors read every SLO's series.
// Each copy's budget must equal its source's, and the bench says whether every budget came from the buckets. The
// "before" column times the raw 30-day increase() per SLO over the stack's real counters. Writes the "SLO pages" section of
// docs/BENCHMARKS.md with --write.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { of } from 'rxjs';
import { httpBackendSrv } from '../src/api/httpBackendSrv';
import { loadDetail, loadOverview, PERIOD_PARALLELISM } from '../src/api/loaders';
import { type BackendSrvLike, PrometheusClient } from '../src/api/prometheus';
import type { PromRulesData } from '../src/api/types';
import { discoverSlos, periodRatioQuery } from '../src/slo';
import { bucketBudgetQuery } from '../src/slo/hourlyBudget';
import { chromiumLaunchOptions } from '../tests/chromium';
import { scalePrometheus, type ScalePrometheus } from './bench/scalePrometheus';

const PROM = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
const PREVIEW = process.env.PREVIEW_URL ?? 'http://127.0.0.1:3000';
const SIZES = [3, 200, 1000];
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const repo = path.resolve(__dirname, '..');

/** The real rules with each SLO's groups (slo-<id>, slo-budget-<id>) copied until there are `n` SLOs (ids -2, -3, …). */
function multiply(rules: PromRulesData, n: number): PromRulesData {
  const byId = new Map<string, PromRulesData['groups']>();
  for (const g of rules.groups) {
    const ids = new Set(g.rules.map((r) => r.labels?.slo).filter(Boolean));
    if (ids.size === 1) {
      const id = [...ids][0]!;
      byId.set(id, [...(byId.get(id) ?? []), g]);
    }
  }
  const groups = [...rules.groups];
  for (let i = byId.size, k = 2; i < n; k++) {
    for (const [id, own] of byId) {
      if (i >= n) {
        break;
      }
      for (const g of own) {
        groups.push(JSON.parse(JSON.stringify(g).split(`"slo":"${id}"`).join(`"slo":"${id}-${k}"`)));
      }
      i++;
    }
  }
  return { groups };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function realRules(): Promise<PromRulesData> {
  const r = await fetch(`${PROM}/api/v1/rules`);
  return ((await r.json()) as { data: PromRulesData }).data;
}

async function nodeBench(rules: PromRulesData, n: number, url: string) {
  const fake = multiply(rules, n);
  let requests = 0;
  const real = httpBackendSrv(url);
  const srv: BackendSrvLike = {
    fetch: <T>(req: Parameters<typeof real.fetch>[0]) => {
      requests++;
      if (req.url.endsWith('/rules')) {
        return of({ status: 200, data: { status: 'success', data: fake } as T });
      }
      return real.fetch<T>(req);
    },
  };
  const client = new PrometheusClient('prometheus', srv, { timeoutMs: 300000 });
  // The budget query alone: raw 30-day increase() per SLO, sent as the raw fallback sends it (PERIOD_PARALLELISM
  // requests side by side), vs the recorded buckets (one request, four name-level terms).
  const sloList = discoverSlos(fake);
  const size = Math.ceil(sloList.length / PERIOD_PARALLELISM);
  const parts = Array.from({ length: PERIOD_PARALLELISM }, (_, i) => sloList.slice(i * size, (i + 1) * size)).filter(
    (c) => c.length
  );
  const budgetTimes = { raw: [] as number[], buckets: [] as number[] };
  // The raw counters live in the stack's Prometheus (a copy reads its source's: the selectors are the same).
  const stack = new PrometheusClient('prometheus', httpBackendSrv(PROM), { timeoutMs: 300000 });
  for (let i = 0; i < RUNS; i++) {
    const now = Date.now();
    let t0 = performance.now();
    await Promise.all(parts.map((c) => stack.query(periodRatioQuery(c)!, { time: now })));
    budgetTimes.raw.push(performance.now() - t0);
    t0 = performance.now();
    await client.query(bucketBudgetQuery([...new Set(sloList.map((s) => s.windowSeconds))], now / 1000)!, {
      time: now,
    });
    budgetTimes.buckets.push(performance.now() - t0);
  }
  const times: number[] = [];
  let perLoad = 0;
  let slos = 0;
  let fromBuckets = 0;
  let sameAsSource = 0;
  for (let i = 0; i < RUNS; i++) {
    requests = 0;
    const t0 = performance.now();
    const o = await loadOverview(client);
    times.push(performance.now() - t0);
    perLoad = requests;
    slos = o.slos.length;
    if (o.problems.length) {
      throw new Error(`overview with ${n} SLOs had problems: ${o.problems.join('; ')}`);
    }
    // Every copy's budget equals its source's (`<id>-<k>` → `<id>`), and came from the buckets.
    fromBuckets = [...o.status.values()].filter((st) => st.budgetAsOf !== undefined).length;
    sameAsSource = o.slos.filter((s) => {
      const src = s.id.replace(/-\d+$/, '');
      const own = o.status.get(s.id)?.periodErrorRatio;
      return own !== undefined && own === (o.status.get(src)?.periodErrorRatio ?? o.status.get(s.id)?.periodErrorRatio);
    }).length;
  }
  return {
    n,
    slos,
    requests: perLoad,
    medianMs: median(times),
    maxMs: Math.max(...times),
    rawBudgetMs: median(budgetTimes.raw),
    bucketBudgetMs: median(budgetTimes.buckets),
    fromBuckets,
    sameAsSource,
  };
}

/**
 * The detail page's loader for each real SLO over 24 h, 7 d and 30 d: requests and time. Past the 7-day rules
 * backfill the burn rates come partly from the raw counters (one more request).
 */
async function detailBench(rules: PromRulesData) {
  let requests = 0;
  const real = httpBackendSrv(PROM);
  const srv: BackendSrvLike = {
    fetch: <T>(req: Parameters<typeof real.fetch>[0]) => (requests++, real.fetch<T>(req)),
  };
  const client = new PrometheusClient('prometheus', srv, { timeoutMs: 60000 });
  const slos = discoverSlos(rules);
  const out = [];
  for (const [label, spanMs] of [
    ['24 h', 86400000],
    ['7 d', 7 * 86400000],
    ['30 d', 30 * 86400000],
  ] as const) {
    const times: number[] = [];
    const reqs = new Set<string>();
    let raw = 0;
    for (let i = 0; i < RUNS; i++) {
      for (const slo of slos) {
        requests = 0;
        const to = Date.now();
        const t0 = performance.now();
        const d = await loadDetail(client, slo, to - spanMs, to);
        times.push(performance.now() - t0);
        reqs.add(`${requests}`);
        raw += d.rawUntil !== undefined ? 1 : 0;
        if (d.problems.length) {
          throw new Error(`detail of ${slo.id} over ${label} had problems: ${d.problems.join('; ')}`);
        }
      }
    }
    out.push({
      label,
      requests: [...reqs].sort().join(' or '),
      medianMs: median(times),
      maxMs: Math.max(...times),
      raw: raw > 0,
    });
  }
  return out;
}

/** Waits until the overview shows `want` tiles, each with its budget (not the "—" placeholder). */
async function tilesComplete(page: Page, want: number) {
  await page.waitForFunction(
    (n) => {
      const tiles = document.querySelectorAll('[data-testid^="data-testid slo-tile "]');
      if (tiles.length !== n) {
        return false;
      }
      return [...document.querySelectorAll('[data-testid="data-testid slo-remaining"]')].every(
        (e) => e.textContent !== '—'
      );
    },
    want,
    { timeout: 60000, polling: 20 }
  );
}

async function browserAvailable(): Promise<string | undefined> {
  const ok = await fetch(`${PREVIEW}/api/health`)
    .then((r) => r.ok)
    .catch(() => false);
  return ok ? undefined : `preview host not answering at ${PREVIEW} (start it with npm run demo)`;
}

/**
 * The overview in Chromium through the preview host, with the rules API answering the n SLOs and every query
 * sent on to the scale Prometheus (`url`) instead of the stack's.
 */
async function browserBench(rules: PromRulesData, n: number, url: string) {
  const browser = await chromium.launch(chromiumLaunchOptions);
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  try {
    const body = JSON.stringify({ status: 'success', data: multiply(rules, n) });
    const times: number[] = [];
    const dataTimes: number[] = [];
    const navTimes: number[] = [];
    let requests = 0;
    for (let i = 0; i < RUNS; i++) {
      const page = await context.newPage();
      let count = 0;
      page.on('request', (r) => {
        if (r.url().includes('/resources/api/v1/')) {
          count++;
        }
      });
      await page.route('**/resources/api/v1/rules', (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', body })
      );
      await page.route('**/resources/api/v1/query**', async (route) => {
        const req = route.request();
        const u = new URL(req.url());
        const path = u.pathname.slice(u.pathname.indexOf('/api/v1/'));
        const response = await route.fetch({
          url: `${url}${path}${u.search}`,
          headers: { 'content-type': req.headers()['content-type'] ?? 'application/x-www-form-urlencoded' },
        });
        return route.fulfill({ response });
      });
      // Full navigation to the overview (shell + plugin chunks from the HTTP cache after the first run).
      const t0 = Date.now();
      count = 0;
      await page.goto(`${PREVIEW}/a/veza-slo-app/slos`, { waitUntil: 'commit' });
      await page.getByTestId('data-testid page-slo-overview').waitFor({ timeout: 60000 });
      const mounted = Date.now();
      await tilesComplete(page, n);
      times.push(Date.now() - t0);
      dataTimes.push(Date.now() - mounted);
      requests = count;
      // In Grafana the shell is already loaded: open the overview from another app page through the nav
      // (client-side routing), as an on-call engineer going back to the SLOs would.
      await page.getByRole('link', { name: 'Runbooks' }).first().click();
      await page.getByTestId('data-testid page-runbooks').waitFor({ timeout: 60000 });
      const t1 = Date.now();
      await page.getByRole('link', { name: 'SLOs' }).first().click();
      await tilesComplete(page, n);
      navTimes.push(Date.now() - t1);
      await page.close();
    }
    return { n, requests, medianMs: median(times), dataMs: median(dataTimes), navMs: median(navTimes) };
  } finally {
    await browser.close();
  }
}

function bundleSizes() {
  const dist = path.join(repo, 'dist');
  const markers: Record<string, string> = {
    'page: SLO overview': 'Exit TV mode',
    'page: SLO detail': 'Alert history in this range',
    'page: report': 'Adding up the month',
    'page: runbooks': 'Alert rules that link here',
    'page: topology': 'pg_auto_failover formation and the PgBouncer',
    'app config': 'Test connection',
  };
  const rows: Array<{ name: string; file: string; bytes: number; gzip: number }> = [];
  for (const f of fs.readdirSync(dist).filter((x) => x.endsWith('.js'))) {
    const buf = fs.readFileSync(path.join(dist, f));
    const text = buf.toString();
    let name = f === 'module.js' ? 'entry (module.js)' : 'shared chunk';
    if (f !== 'module.js') {
      for (const [label, marker] of Object.entries(markers)) {
        if (text.includes(marker)) {
          name = label;
          break;
        }
      }
      if (name === 'shared chunk' && text.includes('Routes')) {
        name = 'app root (routes)';
      }
    }
    rows.push({ name, file: f, bytes: buf.length, gzip: zlib.gzipSync(buf).length });
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

async function main() {
  const rules = await realRules();
  const noBrowser = process.argv.includes('--no-browser');
  const skipped = noBrowser ? '--no-browser' : await browserAvailable();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'veza-bench-slo-'));
  let scale: ScalePrometheus | undefined;
  const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });
  process.on('exit', cleanup);
  const log = (m: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${m}`);
  const node = [];
  const browserResults: Array<Awaited<ReturnType<typeof browserBench>>> = [];
  for (const n of SIZES) {
    try {
      scale = await scalePrometheus(
        PROM,
        tmp,
        discoverSlos(multiply(rules, n)).map((s) => s.id),
        log
      );
      node.push(await nodeBench(rules, n, scale.url));
      log(`node: ${n} SLOs done`);
      if (!skipped) {
        browserResults.push(await browserBench(rules, n, scale.url));
        log(`browser: ${n} SLOs done`);
      }
    } finally {
      await scale?.stop();
    }
  }
  const browser = skipped ? { skipped } : { results: browserResults };
  const detail = noBrowser ? [] : await detailBench(rules);
  const bundles = bundleSizes();
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
  const lines = [
    '## SLO pages',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npx tsx scripts/bench-slo.ts\` (\`npm run bench -- slo\`). Per size, a fresh temporary`,
    'Prometheus holds, written by remote write in time order, the recorded budget buckets (31 days) and burn-rate',
    "ratios of n SLOs: the three real ones and copies of them under new ids, each with its source's real series",
    'read from the stack (scripts/bench/scalePrometheus.ts); the rules API answers the n SLOs. The raw column runs',
    "on the stack's own Prometheus (90 days of raw history).",
    `Median of ${RUNS} runs; ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, everything on loopback.`,
    '',
    "| SLOs | Prometheus requests per overview load | budget query alone, before: raw 30-day increase() | after: recorded buckets | overview loader (Node → Prometheus) | budgets read from the buckets / equal to their source's | preview host: page load → every tile shows its budget | of which data | in-app navigation → every tile |",
    '|---|---|---|---|---|---|---|---|---|',
    ...node.map((r) => {
      const b = 'results' in browser ? browser.results!.find((x) => x.n === r.n) : undefined;
      return `| ${r.slos} | ${r.requests}${b ? ` (browser: ${b.requests})` : ''} | ${r.rawBudgetMs.toFixed(0)} ms | ${r.bucketBudgetMs.toFixed(0)} ms | ${r.medianMs.toFixed(0)} ms (max ${r.maxMs.toFixed(0)} ms) | ${r.fromBuckets} / ${r.sameAsSource} | ${b ? `${b.medianMs} ms | ${b.dataMs} ms | ${b.navMs} ms` : 'skipped | skipped | skipped'} |`;
    }),
    '',
    'Target: a constant request count (rules; burn-rate ratios beside the budgets read from the recorded buckets)',
    'and 1000 SLOs on screen in under 1.5 s after in-app navigation in the preview host. The budget reads the',
    'bucket rules (`slo-budget.yml`, docs/alerting.md "Budget bucket rules"): whole UTC days from the daily buckets,',
    'the hours around them from the hourly ones and the partial hours at both ends from the 5-minute ones, through',
    'name-level selectors summed by SLO, so the query has four terms whatever the number of SLOs and its cost follows',
    'SLOs × (days + hours + 5-minute buckets ≈ 100), not raw samples. "before" sends the raw 30-day increase() per',
    'SLO in 2 parallel requests, as the raw fallback does.',
    '"page load" includes loading the preview shell and the plugin chunks; "data" starts when the overview page',
    'is mounted (its loading state is on screen); "in-app navigation" opens the overview from the runbooks page',
    'through the nav, with the shell already loaded, as in Grafana.',
    ...('skipped' in browser ? ['', `Browser part skipped: ${browser.skipped}.`] : []),
    '',
    'SLO detail loader (Node → Prometheus), each of the three SLOs:',
    '',
    '| range | Prometheus requests per load | median | max | burn rates partly from raw counters |',
    '|---|---|---|---|---|',
    ...detail.map(
      (d) =>
        `| ${d.label} | ${d.requests} | ${d.medianMs.toFixed(0)} ms | ${d.maxMs.toFixed(0)} ms | ${d.raw ? 'yes (before the 7-day rules backfill)' : 'no'} |`
    ),
    '',
    'Requests: ratios and budget history, plus p95 for the latency SLO, plus the raw-counter burn rates when the range',
    'reaches back past the first recorded sample.',
    '',
    '| bundle | file | size | gzip |',
    '|---|---|---|---|',
    ...bundles.map((b) => `| ${b.name} | \`${b.file}\` | ${kb(b.bytes)} | ${kb(b.gzip)} |`),
    '',
  ];
  const section = lines.join('\n');
  console.log(section);
  if (process.argv.includes('--write')) {
    const file = path.join(repo, 'docs/BENCHMARKS.md');
    const doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
    const re = /## SLO pages\n[\s\S]*?(?=\n## |$)/;
    fs.writeFileSync(file, re.test(doc) ? doc.replace(re, section) : `${doc.trimEnd()}\n\n${section}`);
    console.log(`written to ${file}`);
  }
}

main().catch((e) => {
  console.error(`bench-slo: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
