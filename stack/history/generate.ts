// Seeded, deterministic 400-day history of the demo API's metrics (DESIGN.md contract), with scripted incidents.
// 400 days always hold 13 whole calendar months before the current one, so a year of monthly results is real.
// Writes OpenMetrics in one file per block (BLOCK_SECONDS, aligned like promtool's blocks: promtool re-reads its
// whole input once per block, so a file that spans one block is read once) and returns the expected SLO figures
// computed straight from the counts.
import fs from 'node:fs';
import path from 'node:path';
import { BUCKETS, ROUTES, RouteDef } from '../../demo/routes';

export const STEP = 300; // seconds between samples: 5 min keeps 430 days at ~13 M samples (see docs/stack.md)
// 13 whole calendar months before the current one in any zone, whatever the day: up to 31 days of the current
// month + 397 (the longest 13 consecutive months) + a day for the zones ahead of UTC.
export const DAYS = 430;
export const SEED = 4;
/**
 * One file per 486 h, on the epoch grid: promtool turns `--max-block-duration=486h` into 486 h blocks (the largest
 * of Prometheus' 2 h × 3^n ranges under it), aligned to multiples of 486 h, so each file is one block, read once.
 */
export const BLOCK_HOURS = 486;
const BLOCK_SECONDS = BLOCK_HOURS * 3600;
const INSTANCE = '127.0.0.1:8080'; // same labels as the live scrape, so history and live are one series
const DAY = 86400;

export interface Incident {
  id: string;
  title: string;
  slos: string[];
  start: number; // unix seconds
  end: number;
}

/** A correction the history script declares: a window whose events a report may leave out of the budget. */
export interface ScriptedCorrection {
  id: string;
  kind: 'maintenance' | 'accepted-incident';
  slos: string[];
  reason: string;
  start: number; // unix seconds
  end: number;
}

// Offsets from the history start (older incidents) or from 90 days before its end (the three the backtest and the
// burn-rate charts use, at the same distance from the end as when the history was 90 days long), so every run gets
// the same shape whatever the date.
const INCIDENTS = (t0: number): Incident[] => {
  const r = t0 + (DAYS - 90) * DAY;
  return [
    {
      id: 'cache-stampede',
      title: 'Cache stampede after a Redis flush: 25 % of reads answered 503 for 4 h',
      slos: ['api-availability'],
      start: t0 + 60 * DAY + 14 * 3600,
      end: t0 + 60 * DAY + 18 * 3600,
    },
    {
      id: 'region-outage',
      title: 'Network partition in the hosting region: 60 % of all requests answered 503 for 6 h',
      slos: ['api-availability', 'payment-success'],
      start: t0 + 150 * DAY + 10 * 3600,
      end: t0 + 150 * DAY + 16 * 3600,
    },
    {
      id: 'bad-release',
      title: 'A release with an N+1 query: 40 % of writes slower than 500 ms for 12 h',
      slos: ['api-latency'],
      start: t0 + 230 * DAY + 16 * 3600,
      end: t0 + 231 * DAY + 4 * 3600,
    },
    {
      id: 'planned-maintenance',
      title: 'Planned database maintenance: writes and orders 503, 10 % of reads 503 for 30 min (corrected)',
      slos: ['api-availability', 'payment-success'],
      start: t0 + 280 * DAY + 2 * 3600,
      end: t0 + 280 * DAY + 2 * 3600 + 1800,
    },
    {
      id: 'latency-regression',
      title: 'Latency regression after a deploy: 20 % of writes slower than 500 ms for 8 h',
      slos: ['api-latency'],
      start: r + 38 * DAY + 14 * 3600,
      end: r + 38 * DAY + 22 * 3600,
    },
    {
      id: 'failover',
      title: 'Primary database lost; failover to the standby: writes and orders 503, 30 % of reads 503 for 10 min',
      slos: ['api-availability', 'payment-success'],
      start: r + 62 * DAY + 3 * 3600 + 600,
      end: r + 62 * DAY + 3 * 3600 + 1200,
    },
    {
      id: 'payment-provider-outage',
      title: 'Payment provider outage: 60 % of POST /api/v1/orders answered 502 for 45 min',
      slos: ['payment-success'],
      start: r + 86 * DAY + 19 * 3600,
      end: r + 86 * DAY + 19 * 3600 + 2700,
    },
  ];
};

/** The history's scripted correction: the planned maintenance, declared as such (every SLO). */
export function scriptedCorrections(incidents: Incident[]): ScriptedCorrection[] {
  const m = incidents.find((i) => i.id === 'planned-maintenance')!;
  return [
    {
      id: m.id,
      kind: 'maintenance',
      slos: ['api-availability', 'api-latency', 'payment-success'],
      reason: 'Planned database maintenance (announced; scripted in the history)',
      start: m.start,
      end: m.end,
    },
  ];
}

/** A deploy of the demo API, as the annotation a CI step would post (tag `deploy`); ids are the annotations'. */
export interface DeployMark {
  id: number;
  time: number; // unix seconds, on the step grid
  text: string;
}

// Deploys for the budget ledger (src/slo/ledger.ts): one opens the latency regression and one rolls it back, one
// lands 5 min before the failover (the failover wins the overlap), two are routine. Traffic does not read them.
// Offsets from 90 days before the end, like the incidents they sit beside.
const DEPLOYS = (t0: number): DeployMark[] => {
  const r = t0 + (DAYS - 90) * DAY;
  return [
    { id: 1, time: r + 10 * DAY + 10 * 3600, text: 'v2.12.0' },
    { id: 2, time: r + 38 * DAY + 14 * 3600, text: 'v2.14.0: new order validation' },
    { id: 3, time: r + 38 * DAY + 22 * 3600, text: 'v2.14.1: rollback of v2.14.0' },
    { id: 4, time: r + 62 * DAY + 3 * 3600 + 300, text: 'v2.15.0' },
    { id: 5, time: r + 75 * DAY + 9 * 3600 + 1800, text: 'v2.16.0' },
  ];
};

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
  heads: ReturnType<typeof headsOf>;
}

// Each sample line's series part, built once per series (12 M lines are written).
function headsOf(r: RouteDef) {
  const base = `job="veza-api",instance="${INSTANCE}",method="${r.method}",route="${r.route}"`;
  return {
    codes: codesOf(r).map((code) => `http_requests_total{${base},code="${code}"} `),
    buckets: [...BUCKETS.map(String), '+Inf'].map((le) => `http_request_duration_seconds_bucket{${base},le="${le}"} `),
    count: `http_request_duration_seconds_count{${base}} `,
    sum: `http_request_duration_seconds_sum{${base}} `,
  };
}

const isWrite = (r: RouteDef) => r.method !== 'GET';
const isOrders = (r: RouteDef) => r.method === 'POST' && r.route === '/api/v1/orders';
// Codes each route can answer: all series exist from the first sample (at 0), so increase() never misses a start.
const codesOf = (r: RouteDef) => [String(r.ok), ...(isOrders(r) ? ['502', '503'] : ['500', '503'])];

// outDir null: the same counts (onStep) without writing anything, to recompute expected figures for an existing
// history (the backtest's ground truth, stack/history/backtestTruth.ts) without rewriting its blocks.
/** The span and incidents of the history that ends at `end` (unix s, on the step grid). */
export function historySpan(end: number) {
  const start = end - DAYS * DAY;
  return { start, end, incidents: INCIDENTS(start), deploys: DEPLOYS(start) };
}

export function generate(end: number, outDir: string | null, onStep?: (t: number, totals: StepTotals) => void) {
  const files = [...historyFiles(end, outDir, onStep)];
  return { ...historySpan(end), files };
}

/**
 * The history, one OpenMetrics file per block yielded as soon as it is written (the caller turns it into a block
 * while the next one is generated); outDir null writes nothing and yields nothing.
 */
export function* historyFiles(
  end: number,
  outDir: string | null,
  onStep?: (t: number, totals: StepTotals) => void
): Generator<string> {
  const rnd = mulberry32(SEED);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const draw = (n: number, p: number) =>
    Math.max(0, Math.min(n, Math.round(n * p + gauss() * Math.sqrt(n * p * (1 - p))))); // binomial, normal approx.
  const { start, incidents } = historySpan(end);
  // The incidents under way at the step being generated (t in (start, end]).
  let active = new Set<string>();
  const during = (id: string) => active.has(id);
  const series: Series[] = ROUTES.map((r) => ({
    r,
    codes: Object.fromEntries(codesOf(r).map((c) => [c, 0])),
    buckets: BUCKETS.map(() => 0).concat(0),
    sum: 0,
    heads: headsOf(r),
  }));
  if (outDir) {
    fs.mkdirSync(outDir, { recursive: true });
  }
  let counters: string[] = [];
  let hist: string[] = [];
  // One file per block (samples in [k × BLOCK_SECONDS, (k + 1) × BLOCK_SECONDS)), named by the day it starts.
  let fileStart = start;
  const flush = (t: number) => {
    if (!outDir) {
      return undefined;
    }
    const f = path.join(outDir, `${new Date(fileStart * 1000).toISOString().slice(0, 16).replace(':', '')}.om`);
    fileStart = t;
    // Time-major lines are fine: promtool sorts samples per series, each line carries its own timestamp.
    fs.writeFileSync(
      f,
      `# TYPE http_requests counter\n${counters.join('\n')}\n# TYPE http_request_duration_seconds histogram\n${hist.join('\n')}\n# EOF\n`
    );
    counters = [];
    hist = [];
    return f;
  };
  // Sample at t covers the traffic of (t - STEP, t]; the very first sample (t = start) is all zeros.
  for (let t = start; t <= end; t += STEP) {
    if (t % BLOCK_SECONDS === 0 && counters.length) {
      yield flush(t)!;
    }
    {
      active = new Set(incidents.filter((i) => t > i.start && t <= i.end).map((i) => i.id));
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
        // Writes (and orders) all fail in a failover or the maintenance; otherwise each scripted incident raises
        // the share of 5xx it names, else the background rate.
        if (during('failover') || during('planned-maintenance')) {
          e5 = isWrite(r) ? n : draw(n, during('failover') ? 0.3 : 0.1);
        } else if (during('region-outage')) {
          e5 = draw(n, 0.6);
        } else {
          const readErr = during('cache-stampede') ? 0.25 : 0.0004;
          e5 = draw(n, isWrite(r) ? (isOrders(r) ? 0.0002 : 0.0003) : readErr);
          if (isOrders(r)) {
            e502 = draw(n - e5, during('payment-provider-outage') ? 0.6 : 0.0008);
          }
        }
        const e500 = isOrders(r) ? 0 : draw(e5, 0.7);
        const e503 = e5 - e500;
        s.codes[String(r.ok)] += n - e5 - e502;
        s.codes[isOrders(r) ? '502' : '500'] += isOrders(r) ? e502 : e500;
        s.codes['503'] += e503;
        const slowShare = during('bad-release') ? 0.4 : during('latency-regression') ? 0.2 : 0.002;
        const slow = draw(n, isWrite(r) ? slowShare : 0.001);
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
        const h = s.heads;
        codesOf(s.r).forEach((code, i) => counters.push(`${h.codes[i]}${s.codes[code]} ${t}`));
        BUCKETS.forEach((_, i) => hist.push(`${h.buckets[i]}${s.buckets[i]} ${t}`));
        hist.push(`${h.buckets[BUCKETS.length]}${s.buckets[BUCKETS.length]} ${t}`);
        hist.push(`${h.count}${s.buckets[BUCKETS.length]} ${t}`);
        hist.push(`${h.sum}${s.sum.toFixed(3)} ${t}`);
      }
    }
  }
  if (outDir) {
    yield flush(end + STEP)!;
  }
}
