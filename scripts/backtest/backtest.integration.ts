// The replay (rules' own expressions over the raw counters, by Prometheus) against the ground truth (the same
// conditions computed from the history generator's counts in TypeScript): alerts, detection and reset times,
// incident costs, precision and recall, for the deployed tiers and for a what-if. Needs the stack (suite 63-stack-backtest).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { backtestSegments, runBacktest, sparseDataEnd, type BacktestResult } from '../../src/api/backtest';
import { httpBackendSrv } from '../../src/api/httpBackendSrv';
import { PrometheusClient } from '../../src/api/prometheus';
import type { PromRulesData } from '../../src/api/types';
import { discoverSlos } from '../../src/slo';
import {
  DEFAULT_MIN_SHARE,
  defaultMinEvents,
  parseTierList,
  tiersOfSlo,
  type BacktestTier,
} from '../../src/slo/backtest';
import type { Slo } from '../../src/slo/types';
import {
  backtestFrom,
  expectedBacktest,
  regenerate,
  type History,
  type HistorySlo,
} from '../../stack/history/backtestTruth';

const PROM = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
const ROOT = path.join(__dirname, '../..');
const expected = JSON.parse(fs.readFileSync(path.join(ROOT, 'stack/history/expected.json'), 'utf8'));
/** Stated tolerance (docs/backtest.md): alert edges within one 5-minute step, incident costs within 1e-6. */
const STEP_TOLERANCE = 300;

let history: History;
let slos: Slo[];
const client = new PrometheusClient('prometheus', httpBackendSrv(PROM), { timeoutMs: 120000 });

beforeAll(async () => {
  history = regenerate(expected.endUnix);
  const rules = (await (await fetch(`${PROM}/api/v1/rules`)).json()) as { data: PromRulesData };
  slos = discoverSlos(rules.data).filter((s) => s.id in history.counts);
});

test('the history regenerated in memory is the one in Prometheus (same 30-day counts as expected.json)', () => {
  expect(history.start).toBe(expected.startUnix);
  for (const [id, fig] of Object.entries(expected.last30d.slos) as Array<
    [HistorySlo, { valid: number; bad: number }]
  >) {
    const inWindow = history.counts[id].filter((s) => s.t > expected.endUnix - 30 * 86400);
    expect(inWindow.reduce((n, s) => n + s.valid, 0)).toBe(fig.valid);
    expect(inWindow.reduce((n, s) => n + s.bad, 0)).toBe(fig.bad);
  }
  expect(slos.map((s) => s.id)).toEqual(['api-availability', 'api-latency', 'payment-success']);
});

function compare(got: BacktestResult, want: ReturnType<typeof expectedBacktest>) {
  expect(got.incidents.map((i) => i.id)).toEqual(want.incidents.map((i) => i.id));
  got.incidents.forEach((i, k) => {
    expect(i.bad).toBeCloseTo(want.incidents[k].bad, 3);
    expect(i.windowValid).toBeCloseTo(want.incidents[k].windowValid, 3);
  });
  expect(got.tiers.map((t) => t.tier)).toEqual(want.tiers.map((t) => t.tier));
  got.tiers.forEach((t, k) => {
    const w = want.tiers[k];
    expect({ tier: t.tier, alerts: t.alerts.length, minEvents: t.minEvents }).toEqual({
      tier: w.tier,
      alerts: w.alerts.length,
      minEvents: w.minEvents,
    });
    t.alerts.forEach((e, n) => {
      expect(Math.abs(e.start - w.alerts[n].start)).toBeLessThanOrEqual(STEP_TOLERANCE);
      // Both still firing at the end of the history, or both resolved within a step of each other.
      expect(e.end === undefined).toBe(w.alerts[n].end === undefined);
      expect(Math.abs((e.end ?? 0) - (w.alerts[n].end ?? 0))).toBeLessThanOrEqual(STEP_TOLERANCE);
    });
    expect([t.precision, t.recall]).toEqual([w.precision, w.recall]);
    t.incidents.forEach((o, n) => {
      const wo = w.incidents[n];
      expect([o.id, o.counted, o.alerts]).toEqual([wo.id, wo.counted, wo.alerts]);
      expect(o.share).toBeCloseTo(wo.share, 6);
      if (wo.detectionSeconds !== undefined) {
        expect(Math.abs(o.detectionSeconds! - wo.detectionSeconds)).toBeLessThanOrEqual(STEP_TOLERANCE);
        expect(o.resetSeconds === null).toBe(wo.resetSeconds === null);
        expect(Math.abs((o.resetSeconds ?? 0) - (wo.resetSeconds ?? 0))).toBeLessThanOrEqual(STEP_TOLERANCE);
      } else {
        expect(o.detectionSeconds).toBeUndefined();
      }
    });
  });
  expect(got.policy).toEqual(want.policy);
}

async function both(
  slo: Slo,
  tiers: BacktestTier[],
  objective: number,
  minEvents: (t: BacktestTier) => number,
  whatIf?: BacktestTier[]
) {
  const from = backtestFrom(history.start, history.end, Math.max(...tiers.map((t) => t.longSeconds)));
  const scripted = history.incidents
    .filter((i) => i.slos.includes(slo.id) && i.start >= from)
    .map(({ id, title, start, end }) => ({ id, title, start, end }));
  const got = await runBacktest(client, slo, {
    segments: backtestSegments(from, history.end),
    objective,
    tiers: whatIf,
    incidents: scripted,
  });
  const want = expectedBacktest(history, {
    slo: slo.id as HistorySlo,
    objective,
    windowSeconds: slo.windowSeconds,
    tiers: tiers.map((t) => ({ ...t, minEvents: minEvents(t) })),
    from,
    minShare: DEFAULT_MIN_SHARE,
  });
  return { got, want };
}

test.each(['api-availability', 'api-latency', 'payment-success'])(
  '%s: the deployed tiers replayed over the last 90 days match the counts',
  async (id) => {
    const slo = slos.find((s) => s.id === id)!;
    const tiers = tiersOfSlo(slo);
    expect(tiers.length).toBeGreaterThanOrEqual(2);
    const { got, want } = await both(slo, tiers, slo.objective, (t) => t.minEvents!);
    compare(got, want);
    // The figures docs/backtest.md quotes: every scripted incident above 2 % of the budget pages, except the
    // failover on GETs (30 % of reads for 10 min never reaches 14.4× over an hour).
    const fast = got.tiers.find((t) => t.tier === 'FastBurn')!;
    expect(fast.precision ?? 1).toBe(1);
    if (id !== 'api-availability') {
      expect(fast.recall).toBe(1);
    }
  }
);

test('what-if: objective 99.9 % with the SRE workbook four tiers matches the counts', async () => {
  const tiers = parseTierList('FastBurn,SlowBurn,Burn24h,Burn3d');
  const guard = defaultMinEvents(tiers, 0.999);
  for (const slo of slos) {
    const { got, want } = await both(slo, tiers, 0.999, () => guard, tiers);
    expect(got.whatIf).toBe(true);
    compare(got, want);
  }
});

test('npm run backtest -- --format json prints the same replay; a bad --tiers is refused with the reason', async () => {
  const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
  const out = execFileSync(
    tsx,
    ['scripts/backtest/main.ts', '--slo', 'payment-success', '--history-only', '--format', 'json'],
    { cwd: ROOT, env: { ...process.env, PROMETHEUS_URL: PROM } }
  ).toString();
  const [r] = JSON.parse(out) as BacktestResult[];
  const slo = slos.find((s) => s.id === 'payment-success')!;
  const { want } = await both(slo, tiersOfSlo(slo), slo.objective, (t) => t.minEvents!);
  expect(r.slo).toBe('payment-success');
  compare(r, want);
  const bad = spawnSync(tsx, ['scripts/backtest/main.ts', '--tiers', 'FastBurn,Nope'], { cwd: ROOT });
  expect(bad.status).toBe(2);
  expect(bad.stderr.toString()).toContain('unknown tier "Nope"');
});

test('history then live data: the live part replays at the exact windows every 15 s, the history part unchanged', async () => {
  const slo = slos.find((s) => s.id === 'payment-success')!;
  const from = backtestFrom(history.start, history.end, 6 * 3600);
  const now = Math.floor(Date.now() / 1000);
  const segments = backtestSegments(from, now, history.end);
  expect(segments.map((s) => [s.step, s.pad])).toEqual([
    [300, 150],
    [15, 0],
  ]);
  const all = await runBacktest(client, slo, { segments });
  const past = await runBacktest(client, slo, { segments: segments.slice(0, 1) });
  expect(all.queries['FastBurn@history']).toContain('[3750s]');
  expect(all.queries['FastBurn@live']).toContain('[1h]');
  expect(all.queries['FastBurn@live']).not.toMatch(/\[[0-9]+s\]/);
  for (const [k, t] of all.tiers.entries()) {
    const before = (a: { start: number }) => a.start <= history.end;
    // Every alert that fired in the history is the same with live data appended (the drills' live alerts, if any,
    // come after).
    expect(t.alerts.filter(before).map((a) => a.start)).toEqual(past.tiers[k].alerts.map((a) => a.start));
  }
});

test('the page finds where the 5-minute history ends from the samples per hour (within the hour after it)', async () => {
  const slo = slos.find((s) => s.id === 'api-availability')!;
  const now = Math.floor(Date.now() / 1000);
  const end = await sparseDataEnd(client, slo, now - 90 * 86400, now);
  expect(end).toBeGreaterThanOrEqual(history.end);
  expect(end).toBeLessThanOrEqual(Math.min(now, history.end + 2 * 3600));
});
