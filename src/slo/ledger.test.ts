import fc from 'fast-check';
import {
  alertWindows,
  apportion,
  buildLedger,
  deployWindows,
  DEPLOY_OWNS_MS,
  failoverWindows,
  FAILOVER_TAIL_MS,
  ledgerPlan,
  type LedgerWindow,
  type SegmentCounts,
} from './ledger';

const MIN = 60000;
const T0 = Date.UTC(2026, 10, 1);
const T1 = Date.UTC(2026, 11, 1);
const at = (m: number) => T0 + m * MIN;
const w = (cause: LedgerWindow['cause'], id: string, from: number, to: number): LedgerWindow => ({
  cause,
  id,
  title: id,
  from: at(from),
  to: at(to),
});

/** Counts of each segment from a per-minute bad count (the segment's minutes summed). */
const countsFrom = (plan: ReturnType<typeof ledgerPlan>, badPerMinute: (m: number) => number): SegmentCounts[] =>
  plan.segments.map((s) => {
    let bad = 0;
    for (let t = s.from; t < s.to; t += MIN) {
      bad += badPerMinute((t - T0) / MIN);
    }
    return { bad, valid: ((s.to - s.from) / MIN) * 1000 };
  });

describe('windows of each cause', () => {
  it('a deploy owns the time until the next deploy of its SLOs, at most an hour after it (after a region ends)', () => {
    const ws = deployWindows(
      [
        { id: 'd2', time: at(30), title: 'v2', sloIds: 'all' },
        { id: 'd1', time: at(0), title: 'v1', sloIds: 'all' },
        { id: 'd3', time: at(200), timeEnd: at(220), title: 'v3', sloIds: ['api-latency'] },
        { id: 'dx', time: at(40), title: 'other SLO', sloIds: ['payment-success'] },
      ],
      'api-latency'
    );
    expect(ws.map((x) => [x.id, (x.from - T0) / MIN, (x.to - T0) / MIN])).toEqual([
      ['d1', 0, 30],
      ['d2', 30, 30 + DEPLOY_OWNS_MS / MIN],
      ['d3', 200, 220 + DEPLOY_OWNS_MS / MIN],
    ]);
  });

  it('failovers get a tail; an unsettled one and a still-active alert run to the end of what is measured', () => {
    const [f, g] = failoverWindows(
      [
        { start: at(10), end: at(11), title: 'Failover', settled: true },
        { start: at(50), end: at(51), title: 'Under way', settled: false },
      ],
      at(60)
    );
    expect([f.to, g.to]).toEqual([at(11) + FAILOVER_TAIL_MS, at(60) + FAILOVER_TAIL_MS]);
    const [a] = alertWindows([{ alert: 'X', activeAt: at(5), firedEstimated: false, startedBefore: false }], at(60));
    expect([a.from, a.to]).toEqual([at(5), at(60)]);
  });
});

describe('ledgerPlan', () => {
  it('overlaps go to the first cause by precedence: correction > failover > alert > deploy', () => {
    const plan = ledgerPlan(
      [w('deploy', 'd', 0, 60), w('alert', 'a', 20, 50), w('failover', 'f', 30, 40), w('correction', 'c', 35, 45)],
      T0,
      T1
    );
    expect(plan.segments.map((s) => [s.cause, (s.from - T0) / MIN, (s.to - T0) / MIN, s.incident])).toEqual([
      ['deploy', 0, 20, undefined],
      ['alert', 20, 30, 'i1'],
      ['failover', 30, 35, 'i1'],
      ['correction', 35, 45, 'i1'],
      ['alert', 45, 50, 'i1'],
      ['deploy', 50, 60, undefined],
    ]);
    expect(plan.incidents).toEqual([
      expect.objectContaining({ id: 'i1', kind: 'failover', title: 'f (alerts: a)', from: at(20), to: at(50) }),
    ]);
  });

  it('windows are clipped to the period and widened to whole seconds; separate episodes are separate incidents', () => {
    const plan = ledgerPlan(
      [
        { ...w('alert', 'a1', -10, 10), to: at(10) + 1 },
        w('alert', 'a2', 100, 110),
        { ...w('deploy', 'late', 0, 0), from: T1 - MIN, to: T1 + MIN },
      ],
      T0,
      T1
    );
    expect(plan.segments.map((s) => [s.from, s.to])).toEqual([
      [T0, at(10) + 1000],
      [at(100), at(110)],
      [T1 - MIN, T1],
    ]);
    expect(plan.incidents.map((i) => i.title)).toEqual(['Alert: a1', 'Alert: a2']);
  });
});

describe('buildLedger', () => {
  const plan = ledgerPlan(
    [w('correction', 'c', 0, 10), w('failover', 'f', 100, 110), w('alert', 'a', 105, 130), w('deploy', 'd', 200, 260)],
    T0,
    T1
  );
  // 1 bad event a minute everywhere, plus 100 in the failover's first minute.
  const counts = countsFrom(plan, (m) => (m === 100 ? 101 : 1));

  it('lines add up to the period, each event once; shares of spend to 100 %, shares of budget to budget used', () => {
    const total = 43200 + 100; // a 30-day month at one a minute, plus the burst
    const l = buildLedger({ objective: 0.99, bad: total, valid: 43200 * 1000, plan, counts })!;
    expect(l.lines.map((x) => [x.cause, x.bad])).toEqual([
      ['correction', 10],
      ['failover', 110],
      ['alert', 20],
      ['deploy', 60],
      ['unattributed', total - 200],
    ]);
    expect(l.lines.reduce((s, x) => s + x.bad, 0)).toBe(total);
    expect(l.lines.reduce((s, x) => s + x.spendTenths!, 0)).toBe(1000);
    expect(l.lines.reduce((s, x) => s + x.spendShare!, 0)).toBeCloseTo(1, 12);
    expect(l.lines.reduce((s, x) => s + x.budgetShare!, 0)).toBeCloseTo(l.budgetUsed!, 12);
    expect(l.budget).toBeCloseTo(432000, 6);
    expect(l.correctedBudget).toBeCloseTo(0.01 * (43200 - 10) * 1000, 6);
    expect(l.correctedBudgetUsed).toBeCloseTo((total - 10) / l.correctedBudget!, 12);
    expect(l.drift).toBe(0);
  });

  it('an incident over 20 % of the budget requires a postmortem; its events count whoever the lines give them to', () => {
    const l = buildLedger({ objective: 0.99, bad: 1000, valid: 60000, plan, counts })!; // budget 600 events
    expect(l.incidents).toEqual([
      expect.objectContaining({ id: 'i1', kind: 'failover', bad: 130, postmortem: true, corrected: false }),
    ]);
    expect(l.incidents[0].budgetShare).toBeCloseTo(130 / 600, 12);
    const big = buildLedger({ objective: 0.99, bad: 1000, valid: 65000, plan, counts })!; // 130 = 20 % exactly
    expect(big.incidents[0].postmortem).toBe(false);
  });

  it('no bad events: no division by zero, no share of spend; no traffic: no share of budget', () => {
    const zero = plan.segments.map(() => ({ bad: 0, valid: 0 }));
    const l = buildLedger({ objective: 0.995, bad: 0, valid: 0, plan, counts: zero })!;
    expect(l.lines.every((x) => x.bad === 0 && x.spendShare === undefined && x.budgetShare === undefined)).toBe(true);
    expect(l.budgetUsed).toBeUndefined();
    expect(l.incidents[0]).toMatchObject({ bad: 0, postmortem: false });
    const quiet = buildLedger({ objective: 0.995, bad: 0, valid: 5000, plan, counts: zero })!;
    expect(quiet.lines.map((x) => x.budgetShare)).toEqual([0, 0, 0, 0, 0]);
  });

  it('an empty period (no window) is all unattributed; a running period ends where it is measured', () => {
    const empty = ledgerPlan([], T0, at(600));
    const l = buildLedger({ objective: 0.995, bad: 7, valid: 1000, plan: empty, counts: [] })!;
    expect(l.lines.map((x) => x.bad)).toEqual([0, 0, 0, 0, 7]);
    expect(l.lines[4].spendTenths).toBe(1000);
    const running = ledgerPlan(
      alertWindows([{ alert: 'X', activeAt: at(590), firedEstimated: false, startedBefore: false }], at(600)),
      T0,
      at(600)
    );
    expect(running.segments).toEqual([expect.objectContaining({ from: at(590), to: at(600), cause: 'alert' })]);
  });

  it('unknown counts make the ledger unknown, never a guess', () => {
    expect(buildLedger({ objective: 0.99, bad: undefined, valid: 10, plan, counts })).toBeUndefined();
    expect(buildLedger({ objective: 0.99, bad: 1, valid: 10, plan, counts: counts.slice(1) })).toBeUndefined();
    const nan = counts.map((c, i) => (i === 0 ? { bad: NaN, valid: 1 } : c));
    expect(buildLedger({ objective: 0.99, bad: 1, valid: 10, plan, counts: nan })).toBeUndefined();
  });

  it('segments measuring more than the total (edge extrapolation) are capped from the lowest precedence: drift', () => {
    const l = buildLedger({ objective: 0.99, bad: 150, valid: 1e6, plan, counts })!;
    expect(l.lines.map((x) => x.bad)).toEqual([10, 110, 20, 10, 0]);
    expect(l.drift).toBe(50);
  });
});

describe('property: every bad event once, shares to exactly 100 %', () => {
  const windowArb = fc.record({
    cause: fc.constantFrom('correction', 'failover', 'alert', 'deploy') as fc.Arbitrary<LedgerWindow['cause']>,
    from: fc.integer({ min: -60, max: 1500 }),
    len: fc.integer({ min: 0, max: 400 }),
  });
  it('holds for any windows and counts', () => {
    fc.assert(
      fc.property(
        fc.array(windowArb, { maxLength: 12 }),
        fc.array(fc.nat({ max: 50 }), { minLength: 1440, maxLength: 1440 }),
        (ws, perMinute) => {
          const plan = ledgerPlan(
            ws.map((x, i) => w(x.cause, `w${i}`, x.from, x.from + x.len)),
            T0,
            at(1440)
          );
          // Segments never overlap and never leave the period.
          plan.segments.forEach((s, i) => {
            expect(s.to).toBeGreaterThan(s.from);
            expect(s.from).toBeGreaterThanOrEqual(i ? plan.segments[i - 1].to : T0);
          });
          const counts = countsFrom(plan, (m) => perMinute[m]);
          const total = perMinute.reduce((s, v) => s + v, 0);
          const l = buildLedger({ objective: 0.999, bad: total, valid: 1440 * 100, plan, counts })!;
          expect(l.lines.reduce((s, x) => s + x.bad, 0)).toBe(total);
          expect(l.drift).toBe(0);
          if (total > 0) {
            expect(l.lines.reduce((s, x) => s + x.spendTenths!, 0)).toBe(1000);
          }
          // Each cause's line is exactly the events of the minutes it owns.
          for (const line of l.lines.slice(0, 4)) {
            const own = plan.segments.filter((s) => s.cause === line.cause);
            const n = own.reduce(
              (s, seg) => s + perMinute.slice((seg.from - T0) / MIN, (seg.to - T0) / MIN).reduce((a, b) => a + b, 0),
              0
            );
            expect(line.bad).toBe(n);
          }
        }
      ),
      { numRuns: 200 }
    );
  });

  it('apportion: integer parts that add up to the total', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1e6 }), { minLength: 1, maxLength: 8 }), (vs) => {
        const parts = apportion(vs, 1000);
        const sum = vs.reduce((s, v) => s + v, 0);
        expect(parts.reduce((s, v) => s + v, 0)).toBe(sum > 0 ? 1000 : 0);
        parts.forEach((p, i) => sum > 0 && expect(Math.abs(p - (vs[i] / sum) * 1000)).toBeLessThan(1));
      })
    );
  });
});
