/**
 * src/api + src/slo against the local stack's real Prometheus, compared with stack/history/expected.json
 * (430 days of generated history with known counts). Run: VEZA_INTEGRATION=1 npx jest --selectProjects integration
 */
import fs from 'fs';
import path from 'path';
import { httpBackendSrv } from '../api/httpBackendSrv';
import { loadDetail, loadOverview, loadReport } from '../api/loaders';
import { PrometheusClient } from '../api/prometheus';
import {
  budgetRemaining,
  burndown,
  discoverSlos,
  monthResult,
  parseMonthKey,
  periodRatioBySlo,
  periodRatioQuery,
  rollingBudget,
  type Slo,
} from '.';
import { validEventsBySlo } from './status';
import { RULES_FOUR_TIERS, rulesFromFiles } from './testdata/fixtures';
import {
  counterWindowsQuery,
  validEventsQuery,
  PART_LABEL,
  RAW_WINDOW_LABEL,
  rawRatiosQuery,
  SLO_LABEL,
  sloRatiosSelector,
  WINDOW_LABEL,
} from './promql';

import { periodOf } from './periods';
import { regenerate } from '../../stack/history/backtestTruth';
import { expectedPeriod, windowCounts } from '../../stack/history/periodTruth';

const PROM = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';

interface Expected {
  tolerance: { errorRatioAbs: number };
  endUnix: number;
  last30d: Window;
  months: Array<Window & { month: string; complete: boolean }>;
}
interface Window {
  at: number;
  range: string;
  slos: Record<string, { objective: number; valid: number; bad: number; errorRatio: number; budgetRemaining: number }>;
}

const expected: Expected = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../stack/history/expected.json'), 'utf8')
);
const tol = expected.tolerance.errorRatioAbs;
let requests = 0;
const client = new PrometheusClient('prometheus', httpBackendSrv(PROM), {
  timeoutMs: 30000,
  onRequest: () => requests++,
});
let slos: Slo[] = [];

beforeAll(async () => {
  slos = discoverSlos(await client.rules());
});

const seconds = (range: string) => Number(range.replace(/s$/, ''));

describe('discovery from the real rules API', () => {
  it('finds the SLOs of expected.json with their objectives', () => {
    for (const [id, e] of Object.entries(expected.last30d.slos)) {
      const slo = slos.find((s) => s.id === id);
      expect(slo).toBeDefined();
      expect(slo!.objective).toBeCloseTo(e.objective, 12);
      expect(slo!.alerts.map((a) => a.severity).sort()).toEqual(['page', 'ticket']);
    }
  });
});

describe('error ratio and budget from raw counters (one joined query for all SLOs)', () => {
  const windows = [
    { name: 'last 30 days', w: expected.last30d },
    ...expected.months.map((m) => ({ name: m.month, w: m as Window })),
  ];

  it.each(windows)('$name: every SLO within the tolerance', async ({ w }) => {
    const q = periodRatioQuery(slos, seconds(w.range))!;
    const got = periodRatioBySlo(await client.query(q, { time: w.at * 1000 }));
    for (const [id, e] of Object.entries(w.slos)) {
      const ratio = got.get(id);
      expect(ratio).toBeDefined();
      expect(Math.abs(ratio! - e.errorRatio)).toBeLessThanOrEqual(tol);
      const remaining = budgetRemaining(ratio, e.objective)!;
      expect(Math.abs(remaining - e.budgetRemaining)).toBeLessThanOrEqual(tol / (1 - e.objective) + 1e-12);
    }
  });

  it('bad and valid counts of all months in ONE query (pinned with @) equal the generated counts', async () => {
    const q = counterWindowsQuery(
      slos,
      expected.months.map((m) => ({ range: m.range, at: m.at, key: m.month }))
    )!;
    const before = requests;
    const samples = await client.query(q);
    expect(requests - before).toBe(1);
    for (const m of expected.months) {
      for (const [id, e] of Object.entries(m.slos)) {
        const get = (part: string) =>
          Number(
            samples.find(
              (s) => s.metric[SLO_LABEL] === id && s.metric[PART_LABEL] === part && s.metric[WINDOW_LABEL] === m.month
            )?.value[1]
          );
        expect(get('valid')).toBeCloseTo(e.valid, 3);
        expect(get('bad')).toBeCloseTo(e.bad, 3);
      }
    }
  });
});

describe('page loaders', () => {
  it('overview: 4 requests (6 if a live bucket is missing), every SLO has a budget and burn rates', async () => {
    const before = requests;
    const o = await loadOverview(client);
    // Budgets from the recorded buckets; a 5-minute mark the live rules missed right after a reload sends the
    // SLOs to the raw counters until the next `stack up` fills it (exactly 3: hourlyBudget.integration.ts).
    expect([4, 6]).toContain(requests - before);
    expect(o.problems).toEqual([]);
    for (const id of Object.keys(expected.last30d.slos)) {
      const st = o.status.get(id)!;
      expect(st.periodErrorRatio).toBeGreaterThanOrEqual(0);
      expect(st.ratios['1h']).toBeGreaterThanOrEqual(0);
      // 5m may be empty when the live stack has had no traffic in the last minutes (0/0 gives no sample).
      expect(st.ratios['6h']).toBeGreaterThanOrEqual(0);
      // The generated rules carry the low-traffic guard: its counts came back in the same requests.
      expect(o.slos.find((s) => s.id === id)!.minEvents).toBeGreaterThan(0);
      expect(st.validEvents?.['1h']).toBeGreaterThanOrEqual(0);
      expect(st.validEvents?.['6h']).toBeGreaterThanOrEqual(0);
    }
  });

  it('report: the totals of a complete month equal expected.json', async () => {
    const m = expected.months.find((x) => x.complete)!;
    const r = await loadReport(client, parseMonthKey(m.month)!, Date.now(), undefined, 1);
    expect(r.problems).toEqual([]);
    for (const [id, e] of Object.entries(m.slos)) {
      expect(r.totals.get(id)!.valid).toBeCloseTo(e.valid, 3);
      expect(r.totals.get(id)!.bad).toBeCloseTo(e.bad, 3);
      const days = r.daily.get(id)!;
      const sum = days.valid.reduce((s, p) => s + p.v, 0);
      // Daily increase buckets add up to the month within 0.1 % (increase() extrapolates at each bucket edge).
      expect(Math.abs(sum - e.valid) / e.valid).toBeLessThan(0.001);
    }
  });

  it('report: the month still running at the end of the history equals expected.json, chart and table agree', async () => {
    // The last month of the history ends mid-day (the backfill ends when the stack came up): the report evaluated
    // then must count the day under way in its daily buckets, so the burn-down ends at the table's budget.
    const m = expected.months[expected.months.length - 1];
    expect(m.complete).toBe(false);
    const month = parseMonthKey(m.month)!;
    const r = await loadReport(client, month, m.at * 1000, undefined, 1);
    expect(r.problems).toEqual([]);
    expect(r.evalEnd).toBe(m.at * 1000);
    for (const [id, e] of Object.entries(m.slos)) {
      const t = r.totals.get(id)!;
      const table = monthResult(t.bad, t.valid, e.objective, r.evalEnd - month.startMs);
      expect(Math.abs(table.ratio! - e.errorRatio)).toBeLessThan(expected.tolerance.errorRatioAbs);
      const days = r.daily.get(id)!;
      expect(days.valid[days.valid.length - 1].t).toBe(r.evalEnd);
      const sum = days.valid.reduce((s, p) => s + p.v, 0);
      expect(Math.abs(sum - e.valid) / e.valid).toBeLessThan(0.001);
      const chart = burndown(days.bad, days.valid, e.objective, month);
      expect(Math.abs(chart[chart.length - 1].remaining - table.remaining!)).toBeLessThan(0.01);
    }
  });

  it('report: a running quarter in Europe/Berlin equals the history, day by local day, with the forecast basis', async () => {
    // The quarter under way in Berlin at the end of the history: totals, every whole local day (the last Sunday of
    // March or October has 23 or 25 h) from the hourly buckets, the day under way and the last 24 h, each against
    // the generator's counts.
    const history = regenerate(expected.endUnix);
    const period = periodOf('quarter', expected.endUnix * 1000 - 1, 'Europe/Berlin');
    const truth = expectedPeriod(history, period);
    const r = await loadReport(client, period, expected.endUnix * 1000, undefined, 1);
    expect(r.problems).toEqual([]);
    if (/-Q[14]$/.test(period.key)) {
      // Q1 and Q4 hold a daylight-saving change; its day is one whole local day like the others.
      const change = truth.days.find((d, i) => i > 0 && Math.abs(d.end - truth.days[i - 1].end - 86400) === 3600);
      expect(change).toBeDefined();
    }
    const lastDay = windowCounts(history, expected.endUnix - 86400, expected.endUnix);
    for (const [id, e] of Object.entries(truth.slos)) {
      expect(r.totals.get(id)!.valid).toBeCloseTo(e.valid, 3);
      expect(r.totals.get(id)!.bad).toBeCloseTo(e.bad, 3);
      const days = r.daily.get(id)!;
      expect(days.valid).toHaveLength(truth.days.length + 1); // the whole days and the one under way
      truth.days.forEach((d, i) => {
        expect(days.valid[i].t).toBe(d.end * 1000);
        expect(days.valid[i].v).toBeCloseTo(d.slos[id as keyof typeof d.slos].valid, 3);
        expect(days.bad[i].v).toBeCloseTo(d.slos[id as keyof typeof d.slos].bad, 3);
      });
      const total = days.valid.reduce((n, p) => n + p.v, 0);
      expect(total).toBeCloseTo(e.valid, 3);
      expect(r.lastDay.get(id)!.valid).toBeCloseTo(lastDay[id as keyof typeof lastDay].valid, 3);
      expect(r.lastDay.get(id)!.bad).toBeCloseTo(lastDay[id as keyof typeof lastDay].bad, 3);
    }
  });

  it('detail: the rolling budget from hourly buckets matches the 30-day budget at the end of the history', async () => {
    const at = expected.last30d.at * 1000;
    for (const [id, e] of Object.entries(expected.last30d.slos)) {
      const slo = slos.find((s) => s.id === id)!;
      const d = await loadDetail(client, slo, at - 6 * 3600000, at);
      expect(d.problems).toEqual([]);
      const budget = rollingBudget(d.bad, d.valid, slo.windowSeconds / d.bucketSeconds, slo.objective);
      const last = budget.filter((p) => p.t <= at).pop()!;
      expect(Math.abs(last.v - e.budgetRemaining)).toBeLessThan(0.01);
    }
  });
});

describe("burn rates before the recording rules (raw counters, the rules' own expressions)", () => {
  it('equal the recorded series wherever both exist (a 6 h span inside the rules backfill)', async () => {
    const end = expected.endUnix - 2 * 86400;
    for (const slo of slos) {
      // promtool evaluated each rule group at its own offset from the 5 min grid (as Prometheus does): evaluate the
      // raw expressions at exactly the recorded samples' times.
      const last = await fetch(
        `${PROM}/api/v1/query?time=${end}&query=${encodeURIComponent(`slo:sli_error:ratio_rate1h{${slo.matcher}}[10m]`)}`
      ).then((r) => r.json());
      const samples: Array<[number, string]> = last.data.result[0].values;
      const t0 = samples[samples.length - 1][0] * 1000;
      const [recorded, raw] = await Promise.all([
        client.queryRange(sloRatiosSelector(slo), t0 - 6 * 3600000, t0, 300),
        client.queryRange(rawRatiosQuery(slo)!, t0 - 6 * 3600000, t0, 300),
      ]);
      let compared = 0;
      for (const w of ['30m', '1h', '6h']) {
        const rec = recorded.find((r) => r.metric.__name__ === `slo:sli_error:ratio_rate${w}`)!;
        const rw = new Map(raw.find((r) => r.metric[RAW_WINDOW_LABEL] === w)!.values.map(([t, v]) => [t, Number(v)]));
        for (const [t, v] of rec.values) {
          expect(Math.abs(Number(v) - rw.get(t)!)).toBeLessThan(1e-12);
          compared++;
        }
      }
      expect(compared).toBe(3 * 73);
    }
  });

  it('detail over 30 days: the head before the 7-day rules backfill is filled, one step grid throughout', async () => {
    const at = expected.last30d.at * 1000;
    const from = at - 30 * 86400000;
    const slo = slos.find((s) => s.id === 'api-availability')!;
    const d = await loadDetail(client, slo, from, at);
    expect(d.problems).toEqual([]);
    // The rules were backfilled for the last 7 days of the history: the raw part ends about there.
    expect(Math.abs(d.rawUntil! - (expected.endUnix - 7 * 86400) * 1000)).toBeLessThan(3 * d.step * 1000);
    const h1 = d.ratios['1h']!;
    expect(h1[0].t - from).toBeLessThan(2 * d.step * 1000);
    expect(h1.filter((p) => p.t < d.rawUntil!).length).toBeGreaterThan(100);
    expect(new Set(h1.map((p) => p.t)).size).toBe(h1.length);
  });
});

describe('low-traffic guard and landing from an alert (issue 10)', () => {
  it("valid events of the guard windows, in one joined query, equal the guard's own expression", async () => {
    // The four-tier fixture reads the same metrics as the stack's rules; its guard lines are what Prometheus runs.
    const four = discoverSlos(rulesFromFiles([RULES_FOUR_TIERS]));
    const at = expected.last30d.at * 1000;
    const counts = validEventsBySlo(await client.query(validEventsQuery(four)!, { time: at }));
    let compared = 0;
    for (const slo of four) {
      for (const a of slo.alerts) {
        const [direct] = await client.query(a.guard!.countExpr, { time: at });
        expect(counts.get(slo.id)![a.longWindow]).toBeCloseTo(Number(direct.value[1]), 6);
        compared++;
      }
    }
    expect(compared).toBe(11);
  });

  it('a 70-minute range: the budget at its end equals the 30-day budget of expected.json; the history query answers', async () => {
    const at = expected.last30d.at * 1000;
    for (const [id, e] of Object.entries(expected.last30d.slos)) {
      const slo = slos.find((s) => s.id === id)!;
      const d = await loadDetail(client, slo, at - 70 * 60000, at);
      expect(d.problems).toEqual([]);
      expect(d.history).toEqual(expect.any(Array));
      expect(d.budgetFromMs).toBe(at - slo.windowSeconds * 1000);
      expect(Math.abs(d.budgetAtEnds!.to! - e.budgetRemaining)).toBeLessThan(0.001);
      // The chart now holds the window's hourly points instead of one.
      expect(
        rollingBudget(d.bad, d.valid, slo.windowSeconds / d.bucketSeconds, slo.objective, d.budgetFromMs).length
      ).toBeGreaterThan(700);
    }
  });
});
