import { conditionPeriods, extent, rollingBudget, seriesPoints } from './series';

const pts = (vals: number[], step = 60000) => vals.map((v, i) => ({ t: i * step, v }));

describe('conditionPeriods', () => {
  it('shades steps where both windows exceed the threshold', () => {
    const long = pts([0.01, 0.08, 0.09, 0.08, 0.01, 0.08]);
    const short = pts([0.2, 0.1, 0.01, 0.1, 0.1, 0.1]);
    expect(conditionPeriods(long, short, 0.072, 60000)).toEqual([
      { start: 60000, end: 120000 },
      { start: 180000, end: 240000 },
      { start: 300000, end: 360000 },
    ]);
  });

  it('merges consecutive steps and ignores NaN and missing short points', () => {
    const long = pts([0.1, 0.1, 0.1, NaN]);
    const short = pts([0.1, 0.1, 0.1, 0.1]).slice(0, 3).concat([]);
    expect(conditionPeriods(long, short, 0.05, 60000)).toEqual([{ start: 0, end: 180000 }]);
    expect(conditionPeriods(long, [], 0.05, 60000)).toEqual([]);
  });
});

describe('rollingBudget', () => {
  it('sums the last N buckets', () => {
    // objective 0.99 → budget 1 %; 100 valid per step
    const bad = pts([0, 1, 0, 2]);
    const valid = pts([100, 100, 100, 100]);
    const out = rollingBudget(bad, valid, 2, 0.99);
    expect(out.map((p) => Number(p.v.toFixed(6)))).toEqual([1, 0.5, 0.5, 0]);
  });

  it('no traffic in the window keeps the budget whole; counter resets (negative) count as 0', () => {
    const out = rollingBudget(pts([0, -5]), pts([0, 0]), 10, 0.995);
    expect(out.map((p) => p.v)).toEqual([1, 1]);
  });

  it('drops points before `from` but keeps them in the sums', () => {
    const out = rollingBudget(pts([1, 0]), pts([100, 100]), 5, 0.99, 60000);
    expect(out).toHaveLength(1);
    expect(out[0].t).toBe(60000);
    expect(out[0].v).toBeCloseTo(0.5, 9);
  });
});

describe('helpers', () => {
  it('seriesPoints converts seconds to ms and strings to numbers', () => {
    expect(
      seriesPoints({
        metric: {},
        values: [
          [1, '0.5'],
          [2, 'NaN'],
        ],
      })
    ).toEqual([
      { t: 1000, v: 0.5 },
      { t: 2000, v: NaN },
    ]);
    expect(seriesPoints(undefined)).toEqual([]);
  });

  it('extent skips NaN', () => {
    expect(extent(pts([NaN, 2, -1]))).toEqual([-1, 2]);
    expect(extent(pts([NaN]))).toBeUndefined();
  });
});
