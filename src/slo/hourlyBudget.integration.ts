/**
 * The hourly budget rules (provisioning/prometheus/slo-budget.yml, backfilled over the 90-day history by `stack up`)
 * against the stack's real Prometheus: the 30-day budget read from recorded hours plus raw edges equals
 * stack/history/expected.json's last30d counts to the event, and equals the raw-counter budget. (The overview
 * loader does not read it yet: on this stack it is slower than the raw query, docs/BENCHMARKS.md "SLO pages".)
 * Run: VEZA_INTEGRATION=1 npx jest --selectProjects integration src/slo/hourlyBudget.integration.ts
 */
import fs from 'fs';
import path from 'path';
import { httpBackendSrv } from '../api/httpBackendSrv';
import { PrometheusClient } from '../api/prometheus';
import type { PromRulesData } from '../api/types';
import { discoverSlos, periodRatioBySlo, periodRatioQuery, type Slo } from '.';
import { BUDGET_PIECE_LABEL, BUDGET_RECORDS, hourlyBudgetIds, hourlyBudgetQuery, hourlyPlan } from './hourlyBudget';
import { SLO_LABEL } from './promql';

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

describe('hourly budget rules on the stack', () => {
  it('are loaded for every SLO of expected.json', () => {
    const ids = hourlyBudgetIds(rules);
    expect([...ids].sort()).toEqual(Object.keys(expected.last30d.slos).sort());
  });

  it('last 30 days: recorded hours + raw edges give exactly the generated bad and valid counts', async () => {
    // Cut in 360 h segments to get the per-part event counts (the 30-day form answers with the ratio only).
    const plan = hourlyPlan(at, 30 * 86400)!;
    const samples = [
      ...(await client.query(hourlyBudgetQuery(slos, at, 0, 360)!, { time: at * 1000 })),
      ...(await client.query(hourlyBudgetQuery(slos, at, 1, 360)!, { time: at * 1000 })),
    ];
    for (const [id, e] of Object.entries(expected.last30d.slos)) {
      const piece = (p: string) =>
        samples
          .filter((s) => s.metric[SLO_LABEL] === id && s.metric[BUDGET_PIECE_LABEL] === p)
          .reduce((sum, s) => sum + Number(s.value[1]), 0);
      // Every whole hour of the window is one recorded sample: no gap, no hour counted twice.
      expect(piece('valid_count')).toBe(plan.hours);
      expect(piece('bad_count')).toBe(plan.hours);
      // Integers: to the event, not within a tolerance.
      expect(piece('valid_events')).toBe(e.valid);
      expect(piece('bad_events')).toBe(e.bad);
    }
    // The 30-day form (one series per SLO: the ratio), as the overview sends it.
    const ratios = periodRatioBySlo(await client.query(hourlyBudgetQuery(slos, at)!, { time: at * 1000 }));
    for (const [id, e] of Object.entries(expected.last30d.slos)) {
      expect(Math.abs(ratios.get(id)! - e.errorRatio)).toBeLessThanOrEqual(tol);
    }
  });

  it('equals the raw-counter budget (increase over 30 days) within the tolerance', async () => {
    const hourly = periodRatioBySlo(await client.query(hourlyBudgetQuery(slos, at)!, { time: at * 1000 }));
    const raw = periodRatioBySlo(await client.query(periodRatioQuery(slos)!, { time: at * 1000 }));
    for (const slo of slos) {
      expect(Math.abs(hourly.get(slo.id)! - raw.get(slo.id)!)).toBeLessThanOrEqual(tol);
    }
  });

  it('one recorded sample per clock hour, written in the first 5 minutes of the hour', async () => {
    // The live rules' samples (the last day) and the backfilled ones before them.
    const body = new URLSearchParams({ query: `${BUDGET_RECORDS.valid}[3d]` });
    const r = (await (await fetch(`${PROM}/api/v1/query`, { method: 'POST', body })).json()) as {
      data: { result: Array<{ values: Array<[number, string]> }> };
    };
    expect(r.data.result).toHaveLength(Object.keys(expected.last30d.slos).length);
    for (const s of r.data.result) {
      const minutes = s.values.map(([t]) => (t % 3600) / 60);
      expect(minutes.every((m) => m < 5)).toBe(true);
      const hours = s.values.map(([t]) => Math.floor(t / 3600));
      expect(new Set(hours).size).toBe(hours.length);
    }
  });
});
