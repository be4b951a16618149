/**
 * The report's figures for every period of the 430-day history — calendar months, quarters and ISO weeks in each
 * time zone expected.json lists (UTC and two with daylight saving) — against the figures stack/history/periodTruth.ts
 * computed from the generator's counts without PromQL, raw and corrected by the history's scripted correction (the
 * planned maintenance). Needs the stack: VEZA_INTEGRATION=1 npx jest --selectProjects integration periods
 */
import fs from 'fs';
import path from 'path';
import { httpBackendSrv } from '../api/httpBackendSrv';
import { loadReport } from '../api/loaders';
import { PrometheusClient } from '../api/prometheus';
import type { Correction } from './corrections';
import { parsePeriod, shiftPeriod } from './periods';
import { earlierPeriodRows } from '../api/reportRows';
import type { ExpectedPeriod } from '../../stack/history/periodTruth';

const PROM = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';

interface Expected {
  startUnix: number;
  endUnix: number;
  corrections: Array<{ id: string; kind: 'maintenance'; slos: string[]; reason: string; start: string; end: string }>;
  periods: ExpectedPeriod[];
}

const expected: Expected = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../stack/history/expected.json'), 'utf8')
);
const client = new PrometheusClient('prometheus', httpBackendSrv(PROM), { timeoutMs: 30000 });
// The scripted correction as the app reads it from an annotation: [from, to) in ms, its SLOs.
const corrections: Correction[] = expected.corrections.map((c) => ({
  id: c.id,
  sloIds: c.slos,
  from: Date.parse(c.start),
  to: Date.parse(c.end),
  kind: c.kind,
  reason: c.reason,
}));
// Periods the history covers from their first instant: one that starts before the history has no counter samples
// for its head (increase() would extrapolate over the gap), the report says so and is not compared here.
const covered = expected.periods.filter((p) => parsePeriod(p.key, p.timeZone)!.startMs / 1000 === p.from);
const rel = (got: number | undefined, want: number) =>
  want === 0 ? Math.abs(got ?? NaN) : Math.abs((got ?? NaN) - want) / want;

describe('expected.json', () => {
  it('covers 13 whole months in every zone, quarters and weeks, and the scripted correction', () => {
    const zones = [...new Set(expected.periods.map((p) => p.timeZone))];
    expect(zones).toContain('UTC');
    expect(zones.length).toBeGreaterThanOrEqual(3);
    for (const z of zones) {
      const months = expected.periods.filter((p) => p.timeZone === z && p.kind === 'month' && p.complete);
      expect(months.length).toBeGreaterThanOrEqual(13);
    }
    expect(covered.some((p) => p.kind === 'quarter' && p.complete)).toBe(true);
    expect(covered.some((p) => p.kind === 'week')).toBe(true);
    expect(expected.corrections).toHaveLength(1);
    expect(expected.periods.filter((p) => p.excluded).length).toBeGreaterThanOrEqual(3);
  });
});

describe.each(['month', 'quarter', 'week'] as const)('report, %s periods', (kind) => {
  const periods = covered.filter((p) => p.kind === kind);
  it.each(periods.map((p) => [`${p.key} ${p.timeZone}`, p] as const))(
    '%s: raw and corrected totals equal the counts',
    async (_name, p) => {
      const period = parsePeriod(p.key, p.timeZone)!;
      const r = await loadReport(client, period, p.at * 1000, undefined, 0, corrections);
      expect(r.problems).toEqual([]);
      expect(r.evalEnd).toBe(p.at * 1000);
      for (const [id, e] of Object.entries(p.slos)) {
        const got = r.totals.get(id)!;
        expect(rel(got.valid, e.valid)).toBeLessThan(1e-9);
        expect(rel(got.bad, e.bad)).toBeLessThan(1e-9);
        const x = p.excluded?.[id as keyof typeof p.slos];
        const ex = r.excluded.get(id);
        if (!x) {
          expect(ex).toBeUndefined();
          continue;
        }
        // The events inside the correction, to the event: corrected = raw − excluded.
        expect(ex?.valid).toBeDefined();
        expect(Math.abs(ex!.valid! - x.valid)).toBeLessThan(0.5);
        expect(Math.abs(ex!.bad! - x.bad)).toBeLessThan(0.5);
        expect(x.bad).toBeGreaterThan(0);
      }
    }
  );
});

test("the history table's earlier periods carry their own corrections: the maintenance month, three months on", async () => {
  const m = covered.find((p) => p.kind === 'month' && p.timeZone === 'UTC' && p.excluded && p.complete)!;
  const later = shiftPeriod(parsePeriod(m.key, 'UTC')!, 3);
  const r = await loadReport(client, later, later.endMs, undefined, 6, corrections);
  expect(r.problems).toEqual([]);
  expect(r.historyPeriods.map((p) => p.key)).toContain(m.key);
  const rows = earlierPeriodRows(r).filter((row) => row.period === m.key);
  expect(rows).toHaveLength(3);
  for (const row of rows) {
    const x = m.excluded![row.slo as keyof typeof m.slos];
    expect(row.corrected!.excludedValid! - x.valid).toBeCloseTo(0, 3);
    expect(row.corrected!.excludedBad! - x.bad).toBeCloseTo(0, 3);
    expect(row.corrected!.bad! - (m.slos[row.slo as keyof typeof m.slos].bad - x.bad)).toBeCloseTo(0, 3);
  }
  // The other earlier periods hold no correction.
  expect(earlierPeriodRows(r).filter((row) => row.corrected && row.period !== m.key)).toEqual([]);
});
