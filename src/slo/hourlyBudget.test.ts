import path from 'path';
import type { PromSample } from '../api/types';
import { discoverSlos } from './discovery';
import {
  BUDGET_BUCKETS,
  BUDGET_PIECE_LABEL,
  BUDGET_RECORDS,
  BUDGET_WINDOW_LABEL,
  bucketBudgetQuery,
  bucketBudgetRatios,
  bucketGuardQuery,
  bucketPlan,
  bucketSegmentCount,
  hourlyBudgetIds,
} from './hourlyBudget';
import { VALID_WINDOW_LABEL } from './promql';
import { rulesFromFile, rulesFromFiles } from './testdata/fixtures';
import type { Slo } from './types';

const PROV = path.join(__dirname, '../../provisioning/prometheus');
const withBudget = rulesFromFiles([path.join(PROV, 'slo.yml'), path.join(PROV, 'slo-budget.yml')]);
const slos = discoverSlos(withBudget);
const avail = slos.find((s) => s.id === 'api-availability')!;
const H = 3600;
const T = 1796401500; // 2026-12-04T16:25:00Z, the history's end
const sample = (metric: Record<string, string>, v: number): PromSample => ({ metric, value: [T, String(v)] });

const M = 60;
const D30 = 30 * 86400;
const D90 = 90 * 86400;

describe('bucketPlan', () => {
  it('30 days read at 16:25 + 2 min: 5-minute head to 17:00, whole hours to 16:00, 5-minute tail to 16:25', () => {
    const p = bucketPlan(T + 2 * M, D30)!;
    expect(p.asOf).toBe(T);
    expect(p.from).toBe(T - D30);
    expect(p.segments).toHaveLength(1);
    const [head, hours, tail] = p.segments[0];
    expect(head).toEqual({ bucket: 'fiveMinutes', from: T - D30, to: T - D30 + 35 * M });
    expect(hours).toEqual({ bucket: 'hour', from: T - D30 + 35 * M, to: T - 25 * M });
    expect(tail).toEqual({ bucket: 'fiveMinutes', from: T - 25 * M, to: T });
    expect(p.buckets).toBe(7 + 719 + 5);
  });

  it('ends at the last 5-minute mark whose bucket is written (2 min after the mark)', () => {
    expect(bucketPlan(T + 119, D30)!.asOf).toBe(T - 5 * M);
    expect(bucketPlan(T + 120, D30)!.asOf).toBe(T);
  });

  it('keeps the last hour in 5-minute buckets until its hourly bucket is settled (10 min after the hour)', () => {
    const hourEnd = T - 25 * M; // 16:00
    const at = (asOf: number) => bucketPlan(asOf + 120, 86400)!.segments[0];
    expect(at(hourEnd + 5 * M).find((p) => p.bucket === 'hour')!.to).toBe(hourEnd - 3600);
    expect(at(hourEnd + 10 * M).find((p) => p.bucket === 'hour')!.to).toBe(hourEnd);
  });

  it('a window shorter than an hour or two is 5-minute buckets only; a window off the 5-minute marks has no plan', () => {
    expect(bucketPlan(T + 120, 3600)!.segments).toEqual([[{ bucket: 'fiveMinutes', from: T - 3600, to: T }]]);
    expect(bucketPlan(T + 120, 3600)!.buckets).toBe(12);
    expect(bucketPlan(T + 120, 1000)).toBeUndefined();
    expect(bucketPlan(T + 120, 0)).toBeUndefined();
  });

  it('90 days: three segments of at most 720 h, adjacent, the head in the first and the tail in the last', () => {
    const p = bucketPlan(T + 120, D90)!;
    expect(p.segments).toHaveLength(3);
    const hours = p.segments.flat().filter((x) => x.bucket === 'hour');
    for (const [i, h] of hours.entries()) {
      expect(h.to - h.from).toBeLessThanOrEqual(720 * H);
      if (i > 0) {
        expect(h.from).toBe(hours[i - 1].to);
      }
    }
    expect(p.segments[0][0].bucket).toBe('fiveMinutes');
    expect(p.segments[2][p.segments[2].length - 1]).toMatchObject({ bucket: 'fiveMinutes', to: T });
    expect(p.segments[1].every((x) => x.bucket === 'hour')).toBe(true);
    expect(bucketSegmentCount([D30, D90], T + 120)).toBe(3);
    expect(bucketSegmentCount([D30], T + 120)).toBe(1);
  });
});

describe('hourlyBudgetIds', () => {
  it('lists SLOs whose four bucket rules (hourly and 5-minute, bad and valid) are loaded', () => {
    expect([...hourlyBudgetIds(withBudget)].sort()).toEqual(['api-availability', 'api-latency', 'payment-success']);
  });

  it('is empty for a Prometheus without slo-budget.yml (older deployment)', () => {
    expect(hourlyBudgetIds(rulesFromFile()).size).toBe(0);
  });

  it('ignores an SLO with only the hourly rules (slo-budget.yml of an earlier version)', () => {
    const rule = (name: string) => ({ type: 'recording' as const, name, query: 'x', labels: { slo: 'a' } });
    const hourlyOnly = { groups: [{ name: 'g', rules: [rule(BUDGET_RECORDS.bad), rule(BUDGET_RECORDS.valid)] }] };
    expect(hourlyBudgetIds(hourlyOnly).size).toBe(0);
  });
});

describe('bucketBudgetQuery', () => {
  const at = T + 120;
  const q = bucketBudgetQuery([D30, D30, D30], at)!;

  it('names no SLO: four name-level terms per distinct window, whatever the number of SLOs', () => {
    expect(q).not.toContain('api-availability');
    expect(q.split(' or ')).toHaveLength(4);
    expect(bucketBudgetQuery(Array(1000).fill(D30), at)).toBe(q);
    expect(bucketBudgetQuery([D30, 7 * 86400], at)!.split(' or ')).toHaveLength(8);
    for (const piece of ['bad_events', 'bad_count', 'valid_events', 'valid_count']) {
      expect(q).toContain(`"${BUDGET_PIECE_LABEL}", "${piece}"`);
    }
    expect(q).toContain(`"${BUDGET_WINDOW_LABEL}", "${D30}"`);
  });

  it('reads each piece from its buckets, pinned with @ half a bucket after its marks, never past the query time', () => {
    const [head, hours, tail] = bucketPlan(at, D30)!.segments[0];
    const five = BUDGET_BUCKETS.fiveMinutes.records.bad;
    expect(q).toContain(`sum by (slo) (sum_over_time(${five}[${head.to - head.from}s] @ ${head.to + 150}))`);
    // The hour piece would end at 16:30 (16:00 + 30 min), after the query time 16:27: the range shrinks with it.
    const end = Math.min(hours.to + 1800, at);
    expect(q).toContain(`sum_over_time(${BUDGET_RECORDS.bad}[${end - hours.from - 1800}s] @ ${end})`);
    expect(q).toContain(`sum_over_time(${five}[${at - tail.from - 150}s] @ ${at})`); // 16:27 < 16:27:30
    expect(q).toContain(`count_over_time(${BUDGET_RECORDS.valid}[`);
    expect(q).not.toMatch(/http_requests_total|\[30d\]|\[2592000s\]/);
  });

  it('a 90-day window: one query per segment; no query past its last segment', () => {
    expect(bucketBudgetQuery([D90], at, 2)).toBeDefined();
    expect(bucketBudgetQuery([D90], at, 3)).toBeUndefined();
    expect(bucketBudgetQuery([D30, D90], at, 1)).not.toContain(`"${D30}"`);
  });
});

describe('bucketGuardQuery', () => {
  it('one term per guard window, tagged like the raw guard counts, present only when every bucket is there', () => {
    const q = bucketGuardQuery(['6h', '1h', '1h'], T + 120)!;
    expect(q.split(' or ')).toHaveLength(2);
    expect(q).toContain(`"${VALID_WINDOW_LABEL}", "1h"`);
    expect(q).toContain('== 12)'); // 1 h = 12 five-minute buckets
    expect(q).toContain(BUDGET_BUCKETS.fiveMinutes.records.valid);
    expect(bucketGuardQuery([], T)).toBeUndefined();
  });
});

describe('bucketBudgetRatios', () => {
  const long: Slo = { ...avail, windowSeconds: D90 };
  const buckets = bucketPlan(T + 120, D90)!.buckets;
  const pieces = (v: Record<string, number>, w = D90) =>
    Object.entries(v).map(([k, x]) =>
      sample({ slo: 'api-availability', [BUDGET_PIECE_LABEL]: k, [BUDGET_WINDOW_LABEL]: String(w) }, x)
    );

  it('adds the segments (the same piece in several answers): bad / valid', () => {
    const s = [
      ...pieces({ bad_events: 60, bad_count: 1440, valid_events: 10000, valid_count: 1440 }),
      ...pieces({ bad_events: 40, bad_count: buckets - 1440, valid_events: 10000, valid_count: buckets - 1440 }),
    ];
    const r = bucketBudgetRatios(s, [long], T + 120);
    expect(r.ratios.get('api-availability')).toBe(100 / 20000);
    expect(r.incomplete.size).toBe(0);
  });

  it('a missing bucket, a missing segment, another window or no answer at all: the SLO goes to the raw counters', () => {
    const gap = pieces({ bad_events: 1, bad_count: buckets - 1, valid_events: 10, valid_count: buckets });
    expect(bucketBudgetRatios(gap, [long], T + 120).incomplete.has('api-availability')).toBe(true);
    const partial = pieces({ bad_events: 1, bad_count: 1440, valid_events: 10, valid_count: 1440 });
    expect(bucketBudgetRatios(partial, [long], T + 120).incomplete.has('api-availability')).toBe(true);
    const other = pieces({ bad_events: 1, bad_count: buckets, valid_events: 10, valid_count: buckets }, D30);
    expect(bucketBudgetRatios(other, [long], T + 120).incomplete.has('api-availability')).toBe(true);
    expect(bucketBudgetRatios([], [long], T + 120).incomplete.has('api-availability')).toBe(true);
  });

  it('no valid event: NaN like the raw 0 / 0 (the tile says "no traffic"), and not a fallback', () => {
    const s = pieces({ bad_events: 0, bad_count: buckets, valid_events: 0, valid_count: buckets });
    const r = bucketBudgetRatios(s, [long], T + 120);
    expect(r.ratios.get('api-availability')).toBeNaN();
    expect(r.incomplete.size).toBe(0);
  });
});
