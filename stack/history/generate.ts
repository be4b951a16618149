// Seeded, deterministic 90-day history of the demo API's metrics (DESIGN.md contract), with scripted incidents.
// Writes OpenMetrics in one file per day (promtool re-reads its whole input once per 2 h block, so one big
// file would cost 1080 passes) and returns the expected SLO figures computed straight from the counts.
import fs from 'node:fs';
import path from 'node:path';
import { BUCKETS, ROUTES, RouteDef } from '../../demo/routes';

export const STEP = 300; // seconds between samples: 5 min keeps 90 days at ~2.5 M samples (see docs/stack.md)
export const DAYS = 90;
export const SEED = 4;
const INSTANCE = '127.0.0.1:8080'; // same labels as the live scrape, so history and live are one series
const DAY = 86400;

export interface Incident {
  id: string;
  title: string;
  slos: string[];
  start: number; // unix seconds
  end: number;
}

// Offsets from the history start, so every run gets the same shape whatever the date.
const INCIDENTS = (t0: number): Incident[] => [
  {
    id: 'latency-regression',
    title: 'Latency regression after a deploy: 20 % of writes slower than 500 ms for 8 h',
    slos: ['api-latency'],
    start: t0 + 38 * DAY + 14 * 3600,
    end: t0 + 38 * DAY + 22 * 3600,
  },
  {
    id: 'failover',
    title: 'Primary database lost; failover to the standby: writes and orders 503, 30 % of reads 503 for 10 min',
    slos: ['api-availability', 'payment-success'],
    start: t0 + 62 * DAY + 3 * 3600 + 600,
    end: t0 + 62 * DAY + 3 * 3600 + 1200,
  },
  {
    id: 'payment-provider-outage',
    title: 'Payment provider outage: 60 % of POST /api/v1/orders answered 502 for 45 min',
    slos: ['payment-success'],
    start: t0 + 86 * DAY + 19 * 3600,
    end: t0 + 86 * DAY + 19 * 3600 + 2700,
  },
];

/** A deploy of the demo API, as the annotation a CI step would post (tag `deploy`); ids are the annotations'. */
export interface DeployMark {
  id: number;
  time: number; // unix seconds, on the step grid
  text: string;
}

// Deploys for the budget ledger (src/slo/ledger.ts): one opens the latency regression and one rolls it back, one
// lands 5 min before the failover (the failover wins the overlap), two are routine. Traffic does not read them.
const DEPLOYS = (t0: number): DeployMark[] => [
  { id: 1, time: t0 + 10 * DAY + 10 * 3600, text: 'v2.12.0' },
  { id: 2, time: t0 + 38 * DAY + 14 * 3600, text: 'v2.14.0: new order validation' },
  { id: 3, time: t0 + 38 * DAY + 22 * 3600, text: 'v2.14.1: rollback of v2.14.0' },
  { id: 4, time: t0 + 62 * DAY + 3 * 3600 + 300, text: 'v2.15.0' },
  { id: 5, time: t0 + 75 * DAY + 9 * 3600 + 1800, text: 'v2.16.0' },
];

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SloCounts {
  valid: number;
  bad: number;
}
// Per step, per SLO: what the SLI counts (the same selectors as provisioning/slo/slos.yaml).
export type StepTotals = Record<'api-availability' | 'api-latency' | 'payment-success', SloCounts>;

interface Series {
  r: RouteDef;
  codes: Record<string, number>; // cumulative per status code
  buckets: number[]; // cumulative per bucket (le), last = +Inf
  sum: number;
}

const isWrite = (r: RouteDef) => r.method !== 'GET';
const isOrders = (r: RouteDef) => r.method === 'POST' && r.route === '/api/v1/orders';
// Codes each route can answer: all series exist from the first sample (at 0), so increase() never misses a start.
const codesOf = (r: RouteDef) => [String(r.ok), ...(isOrders(r) ? ['502', '503'] : ['500', '503'])];

// outDir null: the same counts (onStep) without writing anything, to recompute expected figures for an existing
// history (the backtest's ground truth, stack/history/backtestTruth.ts) without rewriting its blocks.
export function generate(end: number, outDir: string | null, onStep?: (t: number, totals: StepTotals) => void) {
  const rnd = mulberry32(SEED);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const draw = (n: number, p: number) =>
    Math.max(0, Math.min(n, Math.round(n * p + gauss() * Math.sqrt(n * p * (1 - p))))); // binomial, normal approx.
  const start = end - DAYS * DAY;
  const incidents = INCIDENTS(start);
  const during = (id: string, t: number) => incidents.some((i) => i.id === id && t > i.start && t <= i.end);
  const series: Series[] = ROUTES.map((r) => ({
    r,
    codes: Object.fromEntries(codesOf(r).map((c) => [c, 0])),
    buckets: BUCKETS.map(() => 0).concat(0),
    sum: 0,
  }));
  if (outDir) {
    fs.mkdirSync(outDir, { recursive: true });
  }
  const files: string[] = [];

  let counters: string[] = [];
  let hist: string[] = [];
  // One file per UTC day: promtool cuts 2 h blocks on the epoch grid, so day files never share a block.
  const flush = (t: number) => {
    if (!outDir) {
      return;
    }
    const f = path.join(outDir, `${new Date((t - STEP) * 1000).toISOString().slice(0, 10)}.om`);
    // Time-major lines are fine: promtool sorts samples per series, each line carries its own timestamp.
    fs.writeFileSync(
      f,
      `# TYPE http_requests counter\n${counters.join('\n')}\n# TYPE http_request_duration_seconds histogram\n${hist.join('\n')}\n# EOF\n`
    );
    files.push(f);
    counters = [];
    hist = [];
  };
  // Sample at t covers the traffic of (t - STEP, t]; the very first sample (t = start) is all zeros.
  for (let t = start; t <= end; t += STEP) {
    if (t % DAY === 0 && counters.length) {
      flush(t);
    }
    {
      const totals: StepTotals = {
        'api-availability': { valid: 0, bad: 0 },
        'api-latency': { valid: 0, bad: 0 },
        'payment-success': { valid: 0, bad: 0 },
      };
      const hour = (t % DAY) / 3600;
      const weekday = new Date(t * 1000).getUTCDay();
      const load = (1 + 0.5 * Math.sin((2 * Math.PI * (hour - 9)) / 24)) * (weekday === 0 || weekday === 6 ? 0.7 : 1);
      for (const s of series) {
        if (t === start) {
          break;
        }
        const r = s.r;
        const n = Math.max(0, Math.round(r.rps * STEP * load * (1 + 0.05 * gauss())));
        let e5 = 0;
        let e502 = 0;
        if (during('failover', t)) {
          e5 = isWrite(r) ? n : draw(n, 0.3);
        } else {
          e5 = draw(n, isWrite(r) ? (isOrders(r) ? 0.0002 : 0.0003) : 0.0004);
          if (isOrders(r)) {
            e502 = draw(n - e5, during('payment-provider-outage', t) ? 0.6 : 0.0008);
          }
        }
        const e500 = isOrders(r) ? 0 : draw(e5, 0.7);
        const e503 = e5 - e500;
        s.codes[String(r.ok)] += n - e5 - e502;
        s.codes[isOrders(r) ? '502' : '500'] += isOrders(r) ? e502 : e500;
        s.codes['503'] += e503;
        const slow = draw(n, during('latency-regression', t) && isWrite(r) ? 0.2 : isWrite(r) ? 0.002 : 0.001);
        const fast = n - slow;
        // Cumulative buckets: fast requests spread below 0.5 s, slow ones between 0.5 s and 2.5 s.
        const shares = [0.55, 0.8, 0.95, 1, 1, 1];
        const slowShares = [0, 0, 0, 0, 0.8, 0.99];
        BUCKETS.forEach((_, i) => (s.buckets[i] += Math.round(fast * shares[i]) + Math.round(slow * slowShares[i])));
        s.buckets[BUCKETS.length] += n;
        s.sum += fast * 0.06 + slow * 0.8;
        if (!isWrite(r)) {
          totals['api-availability'].valid += n;
          totals['api-availability'].bad += e5;
        } else {
          totals['api-latency'].valid += n;
          totals['api-latency'].bad += n - (Math.round(fast * shares[3]) + Math.round(slow * slowShares[3]));
        }
        if (isOrders(r)) {
          totals['payment-success'].valid += n;
          totals['payment-success'].bad += e5 + e502;
        }
      }
      onStep?.(t, totals);
      for (const s of outDir ? series : []) {
        const base = `job="veza-api",instance="${INSTANCE}",method="${s.r.method}",route="${s.r.route}"`;
        for (const [code, v] of Object.entries(s.codes)) {
          counters.push(`http_requests_total{${base},code="${code}"} ${v} ${t}`);
        }
        BUCKETS.forEach((b, i) =>
          hist.push(`http_request_duration_seconds_bucket{${base},le="${b}"} ${s.buckets[i]} ${t}`)
        );
        hist.push(`http_request_duration_seconds_bucket{${base},le="+Inf"} ${s.buckets[BUCKETS.length]} ${t}`);
        hist.push(`http_request_duration_seconds_count{${base}} ${s.buckets[BUCKETS.length]} ${t}`);
        hist.push(`http_request_duration_seconds_sum{${base}} ${s.sum.toFixed(3)} ${t}`);
      }
    }
  }
  flush(end + STEP);
  return { start, end, incidents, deploys: DEPLOYS(start), files };
}
