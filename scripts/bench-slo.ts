// SLO pages benchmark (npm run bench -- slo): Prometheus requests per overview load and time to a complete
// overview with 3, 200 and 1000 SLOs, the budget query alone before (raw 30-day increase) and after (hourly rules), in Node (the loader the page runs) and in the preview host (Chromium
// until every tile shows its budget), plus the size of the app's entry bundle and of each lazy page.
//
// Extra SLOs are generated from the real rules: copies of the three SLOs under new ids, served as the rules
// API answer, so every extra SLO adds real reads to the joined budget query: its source's recorded hourly buckets
// (slo-budget.yml; the copy's selector is pointed at its source's series) and its raw edges. The "before" column
// times the raw 30-day increase() over the real counters for the same SLOs. Writes the "SLO pages" section of docs/BENCHMARKS.md with --write.
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
import { hourlyBudgetQuery } from '../src/slo/hourlyBudget';
import { chromiumLaunchOptions } from '../tests/chromium';

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

/**
 * A copy reads its source SLO's recorded hourly buckets (the stack records them for the real SLOs only), as it
 * reads the source's raw counters: every copy's budget still reads real samples. Its own id stays on the result.
 */
const BUDGET_SELECTOR = /(slo:sli_(?:bad|valid)_events:increase1h\{slo=")([^"]+?)-\d+("\})/g;
const toSourceSeries = (query: string) => query.replace(BUDGET_SELECTOR, '$1$2$3');

/** The same rewrite on a request's form body or URL (the client POSTs long queries, GETs short ones). */
function rewriteForm(form: string): string {
  const p = new URLSearchParams(form);
  const q = p.get('query');
  if (q) {
    p.set('query', toSourceSeries(q));
  }
  return p.toString();
}
function rewriteUrl(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? url : `${url.slice(0, i)}?${rewriteForm(url.slice(i + 1))}`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function realRules(): Promise<PromRulesData> {
  const r = await fetch(`${PROM}/api/v1/rules`);
  return ((await r.json()) as { data: PromRulesData }).data;
}

async function nodeBench(rules: PromRulesData, n: number) {
  const fake = multiply(rules, n);
  let requests = 0;
  const real = httpBackendSrv(PROM);
  const srv: BackendSrvLike = {
    fetch: <T>(req: Parameters<typeof real.fetch>[0]) => {
      requests++;
      if (req.url.endsWith('/rules')) {
        return of({ status: 200, data: { status: 'success', data: fake } as T });
      }
      const data = typeof req.data === 'string' ? rewriteForm(req.data) : req.data;
      return real.fetch<T>({ ...req, url: rewriteUrl(req.url), data });
    },
  };
  const client = new PrometheusClient('prometheus', srv, { timeoutMs: 300000 });
  // The budget query alone, sent as the loader sends it (PERIOD_PARALLELISM requests side by side): raw 30-day
  // increase() (before) vs recorded hours + raw edges (after).
  const sloList = discoverSlos(fake);
  const size = Math.ceil(sloList.length / PERIOD_PARALLELISM);
  const parts = Array.from({ length: PERIOD_PARALLELISM }, (_, i) => sloList.slice(i * size, (i + 1) * size)).filter(
    (c) => c.length
  );
  const budgetTimes = { raw: [] as number[], hourly: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    const now = Date.now();
    for (const kind of ['raw', 'hourly'] as const) {
      const t0 = performance.now();
      await Promise.all(
        parts.map((c) =>
          client.query(kind === 'raw' ? periodRatioQuery(c)! : hourlyBudgetQuery(c, now / 1000)!, { time: now })
        )
      );
      budgetTimes[kind].push(performance.now() - t0);
    }
  }
  const times: number[] = [];
  let perLoad = 0;
  let slos = 0;
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
  }
  return {
    n,
    slos,
    requests: perLoad,
    medianMs: median(times),
    maxMs: Math.max(...times),
    rawBudgetMs: median(budgetTimes.raw),
    hourlyBudgetMs: median(budgetTimes.hourly),
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

async function browserBench(rules: PromRulesData) {
  const ok = await fetch(`${PREVIEW}/api/health`)
    .then((r) => r.ok)
    .catch(() => false);
  if (!ok) {
    return { skipped: `preview host not answering at ${PREVIEW} (start it with npm run demo)` };
  }
  const browser = await chromium.launch(chromiumLaunchOptions);
  const results: Array<{ n: number; requests: number; medianMs: number; dataMs: number; navMs: number }> = [];
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  try {
    for (const n of SIZES) {
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
        await page.route('**/resources/api/v1/query**', (route) => {
          const req = route.request();
          const postData = req.postData();
          return route.continue(postData ? { postData: rewriteForm(postData) } : { url: rewriteUrl(req.url()) });
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
      results.push({ n, requests, medianMs: median(times), dataMs: median(dataTimes), navMs: median(navTimes) });
    }
  } finally {
    await browser.close();
  }
  return { results };
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
  const node = [];
  for (const n of SIZES) {
    node.push(await nodeBench(rules, n));
  }
  const detail = process.argv.includes('--no-browser') ? [] : await detailBench(rules);
  const browser = process.argv.includes('--no-browser') ? { skipped: '--no-browser' } : await browserBench(rules);
  const bundles = bundleSizes();
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
  const lines = [
    '## SLO pages',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npx tsx scripts/bench-slo.ts\` (\`npm run bench -- slo\`) against the local stack's`,
    'Prometheus with its 90 days of history; extra SLOs are copies of the three real ones under new ids (served as the',
    "rules API answer); each copy reads its source SLO's real recorded hours and raw counters.",
    `Median of ${RUNS} runs; ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, everything on loopback.`,
    '',
    '| SLOs | Prometheus requests per overview load | budget query alone, before: raw 30-day increase() | after: recorded hours + raw edges | overview loader (Node → Prometheus) | preview host: page load → every tile shows its budget | of which data | in-app navigation → every tile |',
    '|---|---|---|---|---|---|---|---|',
    ...node.map((r) => {
      const b = 'results' in browser ? browser.results!.find((x) => x.n === r.n) : undefined;
      return `| ${r.slos} | ${r.requests}${b ? ` (browser: ${b.requests})` : ''} | ${r.rawBudgetMs.toFixed(0)} ms | ${r.hourlyBudgetMs.toFixed(0)} ms | ${r.medianMs.toFixed(0)} ms (max ${r.maxMs.toFixed(0)} ms) | ${b ? `${b.medianMs} ms | ${b.dataMs} ms | ${b.navMs} ms` : 'skipped | skipped | skipped'} |`;
    }),
    '',
    'Target: the request count stays constant (rules + all-windows ratios + the joined budget query in 2 parallel parts)',
    'and 1000 SLOs render in under 1.5 s after in-app navigation in the preview host. The budget reads the hourly',
    'budget rules (`slo-budget.yml`, docs/alerting.md "Hourly budget rules"): one recorded sample per SLO, part and',
    'hour plus exact raw edges for the partial hours, so its cost follows SLOs × hours, not raw samples. "budget',
    'query alone" sends the n SLOs as the loader does, in 2 parallel requests. "page load" includes loading the',
    'preview shell and the plugin chunks; "data" starts when the overview page is mounted (its loading state is on',
    'screen); "in-app navigation" opens the overview from the runbooks page through the nav, with the shell already',
    'loaded, as in Grafana.',
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
