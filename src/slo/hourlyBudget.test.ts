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
  it('30 days read at 16:25 + 2 min: 5-minute head to 17:00, hours to midnight, whole days, hours to 16:00, 5-minute tail', () => {
    const p = bucketPlan(T + 2 * M, D30)!;
    expect(p.asOf).toBe(T);
    expect(p.from).toBe(T - D30);
    expect(p.segments).toHaveLength(1);
    const midnight = T - 16 * H - 25 * M; // 2026-12-04T00:00Z
    expect(p.segments[0]).toEqual([
      { bucket: 'fiveMinutes', from: T - D30, to: T - D30 + 35 * M },
      { bucket: 'hour', from: T - D30 + 35 * M, to: midnight - 29 * 86400 },
      { bucket: 'day', from: midnight - 29 * 86400, to: midnight },
      { bucket: 'hour', from: midnight, to: T - 25 * M },
      { bucket: 'fiveMinutes', from: T - 25 * M, to: T },
    ]);
    expect(p.buckets).toBe(7 + 7 + 29 + 16 + 5);
  });

  it('reads the last day from hours until its daily bucket is settled (20 min after midnight)', () => {
    const midnight = T - 16 * H - 25 * M;
    const lastDay = (asOf: number) => bucketPlan(asOf + 120, D30)!.segments[0].find((x) => x.bucket === 'day')!.to;
    expect(lastDay(midnight + 15 * M)).toBe(midnight - 86400);
    expect(lastDay(midnight + 20 * M)).toBe(midnight);
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
    for (const seg of p.segments) {
      expect(seg[seg.length - 1].to - seg[0].from).toBeLessThanOrEqual(720 * H + 2 * H);
    }
    const pieces = p.segments.flat();
    for (const [i, x] of pieces.entries()) {
      expect(x.from).toBe(i === 0 ? T - D90 : pieces[i - 1].to);
      expect((x.to - x.from) % BUDGET_BUCKETS[x.bucket].seconds).toBe(0);
    }
    expect(pieces[pieces.length - 1]).toMatchObject({ bucket: 'fiveMinutes', to: T });
    expect(p.segments[1].every((x) => x.bucket !== 'fiveMinutes')).toBe(true);
    // 89 midnights in the window; the two segment edges fall inside a day, read in hours on both sides.
    expect(pieces.filter((x) => x.bucket === 'day').reduce((n, x) => n + (x.to - x.from) / 86400, 0)).toBe(87);
    expect(bucketSegmentCount([D30, D90], T + 120)).toBe(3);
    expect(bucketSegmentCount([D30], T + 120)).toBe(1);
  });
});

describe('hourlyBudgetIds', () => {
  it('lists SLOs whose six bucket rules (daily, hourly and 5-minute; bad and valid) are loaded', () => {
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
    const pieces = bucketPlan(at, D30)!.segments[0];
    const [head, firstHours, days, hours, tail] = pieces;
    const five = BUDGET_BUCKETS.fiveMinutes.records.bad;
    expect(q).toContain(`sum by (slo) (sum_over_time(${five}[${head.to - head.from}s] @ ${head.to + 150}))`);
    expect(q).toContain(
      `sum_over_time(${BUDGET_RECORDS.bad}[${firstHours.to - firstHours.from}s] @ ${firstHours.to + 1800})`
    );
    // Daily buckets are written 10-15 min after midnight: the days piece is pinned at noon after its last day.
    const day = BUDGET_BUCKETS.day.records.bad;
    expect(q).toContain(`sum_over_time(${day}[${days.to - days.from}s] @ ${days.to + 43200})`);
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
