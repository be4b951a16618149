import fc from 'fast-check';
import { forecastPeriodEnd, type ForecastInput } from './forecast';

const DAY = 86400000;
const now = Date.UTC(2026, 10, 11);
const end = Date.UTC(2026, 11, 1); // 20 days left
// 10 days × 10 000 valid events so far, a 24 h basis like them; each test says what differs.
const input = (o: Partial<ForecastInput>): ForecastInput => ({
  objective: 0.995,
  bad: 0,
  valid: 100000,
  basisBad: 0,
  basisValid: 10000,
  basisSeconds: 86400,
  nowMs: now,
  endMs: end,
  ...o,
});

describe('forecastPeriodEnd', () => {
  it('a steady burn carries on: half the budget used in 10 days of 30 ends at 3/2 used', () => {
    // 10 days × 10 000 valid, 250 bad (budget 0.5 % of 300 000 = 1500 at the end); the last day like the others.
    const f = forecastPeriodEnd(input({ bad: 250, basisBad: 25 }))!;
    expect(f.projectedValid).toBeCloseTo(300000, 6);
    expect(f.projectedBad).toBeCloseTo(750, 6);
    expect(f.budgetLeftAtEnd).toBeCloseTo(0.5, 9);
    expect(f.exhaustedAtMs).toBeUndefined();
  });

  it('an incident in the last 24 h: the budget runs out before the end, and when', () => {
    const f = forecastPeriodEnd(input({ bad: 500, basisBad: 100 }))!;
    // bad at end 500 + 20 × 100 = 2500 against 1500 allowed
    expect(f.budgetLeftAtEnd).toBeCloseTo(1 - 2500 / 1500, 9);
    // 1000 more bad events at 100 a day: 10 days from now
    expect(f.exhaustedAtMs).toBeCloseTo(now + 10 * DAY, -1);
  });

  it('already spent against the projected budget: exhausted now', () => {
    const f = forecastPeriodEnd(input({ bad: 2000, basisBad: 0 }))!;
    expect(f.exhaustedAtMs).toBe(now);
  });

  it('no traffic at all leaves the budget whole; unknown counts or an ended period give no forecast', () => {
    const base = input({ valid: 0, basisValid: 0 });
    expect(forecastPeriodEnd(base)?.budgetLeftAtEnd).toBe(1);
    expect(forecastPeriodEnd({ ...base, bad: NaN })).toBeUndefined();
    expect(forecastPeriodEnd({ ...base, nowMs: end })).toBeUndefined();
    expect(forecastPeriodEnd({ ...base, objective: 1 })).toBeUndefined();
  });

  it('property: more bad events in the basis never leave more budget at the end', () => {
    const n = fc.integer({ min: 0, max: 1e6 });
    fc.assert(
      fc.property(n, n, n, n, fc.integer({ min: 1, max: 1e6 }), (bad, valid, basisBad, extra, basisValid) => {
        const i = { objective: 0.99, bad, valid, basisBad, basisValid, basisSeconds: 86400, nowMs: now, endMs: end };
        const a = forecastPeriodEnd(i)!;
        const b = forecastPeriodEnd({ ...i, basisBad: basisBad + extra })!;
        expect(b.budgetLeftAtEnd).toBeLessThanOrEqual(a.budgetLeftAtEnd + 1e-12);
        expect(Number.isFinite(a.budgetLeftAtEnd)).toBe(true);
      })
    );
  });
});
