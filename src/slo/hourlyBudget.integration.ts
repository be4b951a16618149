/**
 * The bucket budget rules (provisioning/prometheus/slo-budget.yml: daily and hourly buckets backfilled over the
 * 90-day history, 5-minute buckets over the last 32 days, by `stack up`) against the stack's real Prometheus: the 30-day
 * budget read from recorded buckets equals stack/history/expected.json's last30d counts to the event, and the
 * overview loader reads every budget that way (no raw fallback) and agrees with the raw-counter budget.
 * Run: VEZA_INTEGRATION=1 npx jest --selectProjects integration src/slo/hourlyBudget.integration.ts
 */
import fs from 'fs';
import path from 'path';
import { httpBackendSrv } from '../api/httpBackendSrv';
import { PrometheusClient } from '../api/prometheus';
import type { PromRulesData } from '../api/types';
import { loadOverview } from '../api/loaders';
import { discoverSlos, periodRatioBySlo, periodRatioQuery, type Slo } from '.';
import {
  BUDGET_BUCKETS,
  BUDGET_PIECE_LABEL,
  BUDGET_RECORDS,
  bucketBudgetQuery,
  bucketPlan,
  hourlyBudgetIds,
} from './hourlyBudget';
import { guardWindows, SLO_LABEL } from './promql';

const PROM = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';

interface Counts {
  valid: number;
  bad: number;
  errorRatio: number;
}
const expected: {
  tolerance: { errorRatioAbs: number };
  last30d: { at: number; range: string; slos: Record<string, Counts> };
} = JSON.parse(fs.readFileSync(path.join(__dirname, '../../stack/history/expected.json'), 'utf8'));
const tol = expected.tolerance.errorRatioAbs;
const at = expected.last30d.at;

let requests = 0;
const client = new PrometheusClient('prometheus', httpBackendSrv(PROM), {
  timeoutMs: 30000,
  onRequest: () => requests++,
});
let rules: PromRulesData;
let slos: Slo[] = [];

beforeAll(async () => {
  rules = await client.rules();
  slos = discoverSlos(rules).filter((s) => s.id in expected.last30d.slos);
});

describe('bucket budget rules on the stack', () => {
  // The overview asks at the history's end + 2 min: its window ends at the history's last 5-minute mark.
  const evalAt = at + 120;

  it('are loaded for every SLO of expected.json (daily, hourly and 5-minute; bad and valid)', () => {
    const ids = hourlyBudgetIds(rules);
    expect([...ids].sort()).toEqual(Object.keys(expected.last30d.slos).sort());
  });

  it('last 30 days: 5-minute head + hours + days + hours + 5-minute tail give exactly the generated counts', async () => {
    const plan = bucketPlan(evalAt, 30 * 86400)!;
    expect(plan.asOf).toBe(at);
    expect(plan.segments[0].filter((p) => p.bucket === 'day').length).toBe(1);
    const samples = await client.query(bucketBudgetQuery([30 * 86400], evalAt)!, { time: evalAt * 1000 });
    for (const [id, e] of Object.entries(expected.last30d.slos)) {
      const piece = (p: string) =>
        samples
          .filter((s) => s.metric[SLO_LABEL] === id && s.metric[BUDGET_PIECE_LABEL] === p)
          .reduce((sum, s) => sum + Number(s.value[1]), 0);
      // Every bucket of the window is one recorded sample: no gap, no bucket counted twice.
      expect(piece('valid_count')).toBe(plan.buckets);
      expect(piece('bad_count')).toBe(plan.buckets);
      // Integers: to the event, not within a tolerance.
      expect(piece('valid_events')).toBe(e.valid);
      expect(piece('bad_events')).toBe(e.bad);
    }
  });

  it('the overview loader reads every budget from the buckets in 4 requests, equal to the raw counters', async () => {
    requests = 0;
    const o = await loadOverview(client, undefined, evalAt * 1000);
    expect(o.problems).toEqual([]);
    expect(requests).toBe(4); // rules, burn-rate ratios, bad and valid events (+ guard counts): no raw fallback
    const raw = periodRatioBySlo(await client.query(periodRatioQuery(slos)!, { time: at * 1000 }));
    for (const slo of slos) {
      const st = o.status.get(slo.id)!;
      expect(st.budgetAsOf).toBe(at * 1000);
      expect(Math.abs(st.periodErrorRatio! - expected.last30d.slos[slo.id].errorRatio)).toBeLessThanOrEqual(tol);
      expect(Math.abs(st.periodErrorRatio! - raw.get(slo.id)!)).toBeLessThanOrEqual(tol);
      // Guarded SLOs get their guard windows' counts from the buckets too (integers: whole events).
      for (const w of guardWindows(slo)) {
        expect(Number.isInteger(st.validEvents?.[w])).toBe(true);
      }
    }
  });

  it('one sample per UTC day (10-15 min after midnight), clock hour (first 5 minutes), 5-minute mark (first minute)', async () => {
    // The live rules' samples (the last days) and the backfilled ones before them.
    for (const [name, size, within, range] of [
      [BUDGET_BUCKETS.day.records.valid, 86400, 1200, '10d'],
      [BUDGET_RECORDS.valid, 3600, 300, '2d'],
      [BUDGET_BUCKETS.fiveMinutes.records.valid, 300, 60, '2d'],
    ] as const) {
      const body = new URLSearchParams({ query: `${name}[${range}]` });
      const r = (await (await fetch(`${PROM}/api/v1/query`, { method: 'POST', body })).json()) as {
        data: { result: Array<{ values: Array<[number, string]> }> };
      };
      expect(r.data.result).toHaveLength(Object.keys(expected.last30d.slos).length);
      for (const s of r.data.result) {
        expect(s.values.every(([t]) => t % size < within)).toBe(true);
        const marks = s.values.map(([t]) => Math.floor(t / size));
        expect(new Set(marks).size).toBe(marks.length);
      }
    }
  });
});
