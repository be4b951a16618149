import type { Slo } from '../slo/types';
import { planReportCorrections, readReportCorrections } from './reportCorrections';

const H = 3600000;
const slos = [{ id: 'a' }, { id: 'b' }] as Slo[];
// The reported period: days ending at 24 h and 48 h, evaluated at 60 h; one earlier period [−48 h, 0).
const period = { startMs: 0 };
const dayEnds = [24 * H, 48 * H, 60 * H];
const earlier = [{ key: 'prev', startMs: -48 * H, endMs: 0 }];
const corrections = [
  // Across the first midnight, for every SLO.
  { id: 'x', sloIds: 'all' as const, from: 20 * H, to: 26 * H, kind: 'maintenance' as const, reason: 'x' },
  // In the earlier period only, for b.
  { id: 'y', sloIds: ['b'], from: -10 * H, to: -8 * H, kind: 'accepted-incident' as const, reason: 'y' },
];
const plan = planReportCorrections(slos, corrections, period, 60 * H, dayEnds, earlier);
const sample = (slo: string, key: string, part: string, v: number) => ({
  metric: { slo, slo_window_key: key, slo_part: part },
  value: [0, String(v)] as [number, string],
});

describe('planReportCorrections', () => {
  it("cuts the reported period's windows at the midnights and appends the earlier periods' windows", () => {
    expect(plan.pieces.get('a')).toEqual([
      { from: 20 * H, to: 24 * H },
      { from: 24 * H, to: 26 * H },
    ]);
    expect(plan.pieces.get('b')).toEqual([
      { from: 20 * H, to: 24 * H },
      { from: 24 * H, to: 26 * H },
      { from: -10 * H, to: -8 * H },
    ]);
    expect(plan.owner.get('b')).toEqual([null, null, 'prev']);
    expect(plan.windows.get('a')).toEqual([{ from: 20 * H, to: 26 * H }]);
  });
});

describe('readReportCorrections', () => {
  it('sums the pieces per period and per day', () => {
    const r = readReportCorrections(plan, [
      sample('a', 'c0', 'bad', 4),
      sample('a', 'c0', 'valid', 40),
      sample('a', 'c1', 'bad', 2),
      sample('a', 'c1', 'valid', 20),
      sample('b', 'c0', 'valid', 10),
      sample('b', 'c2', 'bad', 7),
      sample('b', 'c2', 'valid', 70),
    ]);
    expect(r.excluded.get('a')).toEqual({ bad: 6, valid: 60, windows: [{ from: 20 * H, to: 26 * H }] });
    expect(r.excludedDaily.get('a')).toEqual(
      new Map([
        [24 * H, { bad: 4, valid: 40 }],
        [48 * H, { bad: 2, valid: 20 }],
      ])
    );
    // No series for a piece: nothing in it (0), as in the period's totals.
    expect(r.excluded.get('b')).toMatchObject({ bad: 0, valid: 10 });
    expect(r.historyExcluded.get('prev')!.get('b')).toEqual({
      bad: 7,
      valid: 70,
      windows: [{ from: -10 * H, to: -8 * H }],
    });
    expect(r.historyExcluded.get('prev')!.has('a')).toBe(false);
  });

  it('a failed read leaves every count unknown, never zero', () => {
    const r = readReportCorrections(plan, undefined);
    expect(r.excluded.get('a')).toMatchObject({ bad: undefined, valid: undefined });
    expect(r.excludedDaily.get('a')!.get(24 * H)).toEqual({ bad: undefined, valid: undefined });
    expect(r.historyExcluded.get('prev')!.get('b')).toMatchObject({ bad: undefined, valid: undefined });
  });

  it('a NaN count (a counter reset twice inside a piece) makes its period and day unknown', () => {
    const r = readReportCorrections(plan, [sample('a', 'c1', 'bad', NaN), sample('a', 'c0', 'bad', 1)]);
    expect(r.excluded.get('a')!.bad).toBeUndefined();
    expect(r.excludedDaily.get('a')!.get(24 * H)!.bad).toBe(1);
    expect(r.excludedDaily.get('a')!.get(48 * H)!.bad).toBeUndefined();
  });
});
