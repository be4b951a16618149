import path from 'path';
import type { PromSample } from '../api/types';
import { discoverSlos } from './discovery';
import {
  BUDGET_PIECE_LABEL,
  BUDGET_RECORDS,
  budgetSegmentCount,
  counterDelta,
  hourlyBudgetIds,
  hourlyBudgetQuery,
  hourlyBudgetRatios,
  hourlyPlan,
  planSegments,
} from './hourlyBudget';
import { rulesFromFile, rulesFromFiles } from './testdata/fixtures';
import type { Slo } from './types';

const PROV = path.join(__dirname, '../../provisioning/prometheus');
const withBudget = rulesFromFiles([path.join(PROV, 'slo.yml'), path.join(PROV, 'slo-budget.yml')]);
const slos = discoverSlos(withBudget);
const avail = slos.find((s) => s.id === 'api-availability')!;
const latency = slos.find((s) => s.id === 'api-latency')!;
const H = 3600;
const T = 1796401500; // 2026-12-04T16:25:00Z, the history's end
const sample = (metric: Record<string, string>, v: number): PromSample => ({ metric, value: [T, String(v)] });

describe('hourlyPlan', () => {
  it('splits 30 days ending 16:25 into a raw head to 17:00, whole hours to 16:00 and a raw tail', () => {
    const p = hourlyPlan(T, 30 * 86400)!;
    expect(p.from).toBe(T - 30 * 86400);
    expect(p.hoursFrom % H).toBe(0);
    expect(p.hoursFrom - p.from).toBe(35 * 60);
    expect(p.hoursTo).toBe(T - 25 * 60);
    expect(p.hours).toBe(719);
  });

  it('keeps the last hour raw until its bucket is written (10 min after the hour)', () => {
    expect(hourlyPlan(T - 25 * 60 + 599, 86400)!.hoursTo).toBe(T - 25 * 60 - H);
    expect(hourlyPlan(T - 25 * 60 + 600, 86400)!.hoursTo).toBe(T - 25 * 60);
  });

  it('is undefined when no whole hour fits, and works in whole seconds', () => {
    expect(hourlyPlan(T, 1800)).toBeUndefined();
    expect(hourlyPlan(T + 0.7, 86400)!.to).toBe(T);
  });
});

describe('planSegments (Mimir query-length limit)', () => {
  it('30 days: one segment; 90 days: three of at most 720 h, adjacent, covering every hour', () => {
    expect(planSegments(hourlyPlan(T, 30 * 86400)!)).toHaveLength(1);
    const p = hourlyPlan(T, 90 * 86400)!;
    const segs = planSegments(p);
    expect(segs).toHaveLength(3);
    expect(segs[0][0]).toBe(p.hoursFrom);
    expect(segs[2][1]).toBe(p.hoursTo);
    for (const [i, [a, b]] of segs.entries()) {
      expect(b - a).toBeLessThanOrEqual(720 * H);
      if (i > 0) {
        expect(a).toBe(segs[i - 1][1]);
      }
    }
    const long: Slo = { ...avail, windowSeconds: 90 * 86400 };
    expect(budgetSegmentCount([avail, long], T)).toBe(3);
    expect(budgetSegmentCount([avail], T)).toBe(1);
  });
});

describe('hourlyBudgetIds', () => {
  it('lists SLOs whose bad and valid hourly rules are both loaded', () => {
    expect([...hourlyBudgetIds(withBudget)].sort()).toEqual(['api-availability', 'api-latency', 'payment-success']);
  });

  it('is empty for a Prometheus without slo-budget.yml (older deployment)', () => {
    expect(hourlyBudgetIds(rulesFromFile()).size).toBe(0);
  });

  it('ignores an SLO with only one of the two rules', () => {
    const one = {
      groups: [
        {
          name: 'g',
          rules: [{ type: 'recording' as const, name: BUDGET_RECORDS.bad, query: 'x', labels: { slo: 'a' } }],
        },
      ],
    };
    expect(hourlyBudgetIds(one).size).toBe(0);
  });
});

describe('counterDelta', () => {
  it('turns each rate(<sel>[5m]) into the per-series difference between two instants (a reset counts from 0)', () => {
    const e = counterDelta('sum(rate(x{a="["}[5m])) or vector(0)', 100, 200)!;
    expect(e).toBe('sum((x{a="["} @ 200 - x{a="["} @ 100 >= 0 or x{a="["} @ 200 * 1)) or vector(0)');
  });

  it('keeps the good-events form (valid − good) and refuses other ranges', () => {
    expect(counterDelta('(sum(rate(v[5m]))) - (sum(rate(g[5m])))', 0, 60)).toContain(') - (sum((g @ 60 - g @ 0');
    expect(counterDelta('sum(rate(v[1h]))', 0, 60)).toBeUndefined();
    expect(counterDelta('sum(v)', 0, 60)).toBeUndefined();
  });
});

describe('hourlyBudgetQuery', () => {
  it('30 days: ONE operand per SLO, its ratio from recorded hours + raw edges, present only when every hour is', () => {
    const q = hourlyBudgetQuery([avail], T)!;
    const p = hourlyPlan(T, 30 * 86400)!;
    const end = Math.min(p.to, p.hoursTo + 1800); // 16:25: before 16:30, so the query time
    const sel = (name: string) => `${name}{slo="api-availability"}[${end - p.hoursFrom - 1800}s] @ ${end}`;
    expect(q.startsWith('label_replace((sum(sum_over_time(')).toBe(true);
    expect(q).toContain(`sum(sum_over_time(${sel(BUDGET_RECORDS.bad)}))`);
    expect(q).toContain(`and on() (sum(count_over_time(${sel(BUDGET_RECORDS.bad)})) == 719)`);
    expect(q).toContain(`and on() (sum(count_over_time(${sel(BUDGET_RECORDS.valid)})) == 719)`);
    expect(q).toContain('"slo", "api-availability", "", "")');
    expect(q).not.toContain(' or label_replace(');
    expect(q).not.toContain(BUDGET_PIECE_LABEL);
    // Edges: head (from, hoursFrom] and tail (hoursTo, to].
    expect(q).toContain(`@ ${p.from}`);
    expect(q).toContain(`@ ${p.hoursFrom}`);
    expect(q).toContain(`@ ${p.to}`);
    // No raw 30-day range anywhere.
    expect(q).not.toMatch(/\[30d\]|\[2592000s\]/);
  });

  it('pins the recorded range at the query time when that comes before hoursTo + 30 min', () => {
    const to = T - 25 * 60 + 700; // 16:11:40 → hoursTo 16:00
    const q = hourlyBudgetQuery([avail], to)!;
    expect(q).toContain(`@ ${to})`);
  });

  it('a 90-day SLO: per-part events and counts per segment; edges only in its first and last segments', () => {
    const long: Slo = { ...avail, windowSeconds: 90 * 86400 };
    const p = hourlyPlan(T, 90 * 86400)!;
    const [s0, s1, s2] = [0, 1, 2].map((k) => hourlyBudgetQuery([long], T, k)!);
    for (const q of [s0, s1, s2]) {
      for (const piece of ['bad_events', 'bad_count', 'valid_events', 'valid_count']) {
        expect(q).toContain(`"${BUDGET_PIECE_LABEL}", "${piece}"`);
      }
    }
    expect(s0).toContain(`@ ${p.from}`);
    expect(s1).not.toContain(`@ ${p.from}`);
    expect(s1).not.toContain(`@ ${p.to})`);
    expect(s2).toContain(`@ ${p.to}`);
    expect(s2).not.toContain(`@ ${p.from}`);
    expect(hourlyBudgetQuery([long], T, 3)).toBeUndefined();
  });

  it('the good-events form reads bad as valid − good at the edges', () => {
    const q = hourlyBudgetQuery([latency], T)!;
    expect(q).toContain('http_request_duration_seconds_bucket');
    expect(q).toContain('http_request_duration_seconds_count');
  });
});

describe('hourlyBudgetRatios (windows of several segments)', () => {
  const long: Slo = { ...avail, windowSeconds: 90 * 86400 };
  const hours = hourlyPlan(T, 90 * 86400)!.hours;
  const pieces = (v: Record<string, number>) =>
    Object.entries(v).map(([k, x]) => sample({ slo: 'api-availability', [BUDGET_PIECE_LABEL]: k }, x));

  it('adds the segments (the same piece in several answers): bad / valid', () => {
    const s = [
      ...pieces({ bad_events: 60, bad_count: 1440, valid_events: 10000, valid_count: 1440 }),
      ...pieces({ bad_events: 40, bad_count: hours - 1440, valid_events: 10000, valid_count: hours - 1440 }),
    ];
    const r = hourlyBudgetRatios(s, [long], T);
    expect(r.ratios.get('api-availability')).toBe(100 / 20000);
    expect(r.incomplete.size).toBe(0);
  });

  it('a missing hour, a missing segment or no answer at all: the SLO goes to the raw counters', () => {
    const gap = pieces({ bad_events: 1, bad_count: hours - 1, valid_events: 10, valid_count: hours });
    expect(hourlyBudgetRatios(gap, [long], T).incomplete.has('api-availability')).toBe(true);
    const partial = pieces({ bad_events: 1, bad_count: 1440, valid_events: 10, valid_count: 1440 });
    expect(hourlyBudgetRatios(partial, [long], T).incomplete.has('api-availability')).toBe(true);
    expect(hourlyBudgetRatios([], [long], T).incomplete.has('api-availability')).toBe(true);
  });

  it('no valid event: no ratio (not 0, not NaN), and not a fallback', () => {
    const s = pieces({ bad_events: 0, bad_count: hours, valid_events: 0, valid_count: hours });
    const r = hourlyBudgetRatios(s, [long], T);
    expect(r.ratios.has('api-availability')).toBe(false);
    expect(r.incomplete.size).toBe(0);
  });
});
