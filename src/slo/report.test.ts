import { burndown, monthOf, monthResult, parseMonthKey, toCsv, worstBucket } from './report';

describe('months', () => {
  it('computes UTC calendar months with offsets across years', () => {
    const m = monthOf(Date.UTC(2026, 0, 15), -1);
    expect(m).toMatchObject({ key: '2025-12', label: 'December 2025' });
    expect(m.endMs - m.startMs).toBe(31 * 86400000);
    expect(monthOf(Date.UTC(2026, 1, 3)).endMs - monthOf(Date.UTC(2026, 1, 3)).startMs).toBe(28 * 86400000);
  });

  it('parses month keys', () => {
    expect(parseMonthKey('2026-07')?.label).toBe('July 2026');
    expect(parseMonthKey('2026-13')).toBeUndefined();
    expect(parseMonthKey(null)).toBeUndefined();
  });
});

describe('monthResult', () => {
  const MONTH = 30 * 86400000;
  it.each([
    ['met with room', 20, 10000, 0.995, { ratio: 0.002, met: true, budgetUsed: 0.4 }],
    ['exactly spent is met', 50, 10000, 0.995, { met: true, budgetUsed: 1 }],
    ['missed', 100, 10000, 0.995, { met: false, budgetUsed: 2 }],
  ])('%s', (_n, bad, valid, objective, expected) => {
    const r = monthResult(bad, valid, objective, MONTH);
    expect(r.ratio).toBeCloseTo(bad / valid, 12);
    expect(r.met).toBe(expected.met);
    expect(r.budgetUsed).toBeCloseTo(expected.budgetUsed, 9);
  });

  it('budget as minutes of full outage', () => {
    expect(monthResult(50, 10000, 0.995, MONTH).badMinutesEquivalent).toBeCloseTo(0.005 * 30 * 1440, 6);
  });

  it('no traffic (0/0) meets the objective with the budget untouched', () => {
    expect(monthResult(0, 0, 0.995, MONTH)).toMatchObject({ noTraffic: true, met: true, remaining: 1, budgetUsed: 0 });
  });

  it('missing data is unknown, not met', () => {
    expect(monthResult(undefined, undefined, 0.995, MONTH)).toEqual({ noTraffic: false });
  });
});

describe('burndown and worst day', () => {
  const month = monthOf(Date.UTC(2026, 5, 1));
  const day = (d: number) => month.startMs + d * 86400000;
  const valid = [1, 2, 3].map((d) => ({ t: day(d), v: 1000 }));
  const bad = [
    { t: day(1), v: 0 },
    { t: day(2), v: 6 },
    { t: day(3), v: 3 },
  ];

  it('starts full and ends at the month remaining share', () => {
    const b = burndown(bad, valid, 0.995, month);
    expect(b[0]).toEqual({ t: month.startMs, remaining: 1, ideal: 1 });
    // allowed = 0.005 × 3000 = 15; spent 9 → 40 % left
    expect(b[b.length - 1].remaining).toBeCloseTo(0.4, 9);
    expect(b[1].ideal).toBeCloseTo(1 - 1 / 30, 9);
  });

  it('finds the day that used the most budget', () => {
    const w = worstBucket(bad, valid, 0.995)!;
    expect(w.t).toBe(day(2));
    expect(w.share).toBeCloseTo(0.4, 9);
    expect(worstBucket(bad, [], 0.995)).toBeUndefined();
  });
});

describe('toCsv', () => {
  it('quotes what needs quoting', () => {
    expect(toCsv([{ a: 'x,y', b: 1, c: undefined }])).toBe('a,b,c\n"x,y",1,\n');
    expect(toCsv([])).toBe('');
  });
});
