import type { Slo } from './types';
import { excludedCounts, excludedCountsQuery, secondsWindow, subtractCounts } from './correctionQuery';

const slo = {
  id: 'payment-success',
  ratioExprs: {
    '5m': 'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))',
  },
} as unknown as Slo;
const sample = (part: string, key: string, v: string) => ({
  metric: { slo: 'payment-success', slo_part: part, slo_window_key: key },
  value: [0, v] as [number, string],
});

describe('excludedCountsQuery', () => {
  it('pins one increase() per window and part at the window end, over the window', () => {
    const q = excludedCountsQuery(
      [slo],
      new Map([
        [
          slo.id,
          [
            { from: 1_000_000_000_000, to: 1_000_003_600_000 },
            { from: 1_000_007_200_500, to: 1_000_010_800_200 },
          ],
        ],
      ])
    )!;
    expect(q).toContain('increase(http_requests_total{code=~"5.."}[3600s] @ 1000003600)');
    expect(q).toContain('increase(http_requests_total[3600s] @ 1000003600)');
    // Widened to whole seconds: (7200, 10801].
    expect(q).toContain('increase(http_requests_total[3601s] @ 1000010801)');
    expect(q.match(/slo_window_key/g)).toHaveLength(4);
  });

  it('nothing to ask without windows', () => {
    expect(excludedCountsQuery([slo], new Map([[slo.id, []]]))).toBeUndefined();
  });

  it('secondsWindow widens outward', () => {
    expect(secondsWindow({ from: 1500, to: 2500 })).toEqual({ from: 1, to: 3 });
  });
});

describe('excludedCounts', () => {
  const windows = new Map([
    [
      slo.id,
      [
        { from: 0, to: 1000 },
        { from: 5000, to: 6000 },
      ],
    ],
  ]);
  it('sums the windows of an SLO; no series in a window is zero, not unknown', () => {
    expect(
      excludedCounts([sample('bad', 'c0', '3'), sample('bad', 'c1', '4'), sample('valid', 'c0', '10')], windows)
    ).toEqual(new Map([[slo.id, { bad: 7, valid: 10 }]]));
    expect(excludedCounts([], windows)).toEqual(new Map([[slo.id, { bad: 0, valid: 0 }]]));
  });
  it('NaN makes the part unknown', () => {
    expect(excludedCounts([sample('bad', 'c0', 'NaN'), sample('bad', 'c1', '4')], windows).get(slo.id)?.bad).toBe(
      undefined
    );
  });
});

describe('subtractCounts', () => {
  it('raw minus excluded, clamped at 0; unknown stays unknown', () => {
    expect(subtractCounts({ bad: 10, valid: 100 }, { bad: 4, valid: 30 })).toEqual({ bad: 6, valid: 70 });
    expect(subtractCounts({ bad: 1, valid: 100 }, { bad: 1.2, valid: 30 })).toEqual({ bad: 0, valid: 70 });
    expect(subtractCounts({ bad: 1, valid: 100 }, { valid: 30 })).toEqual({ bad: undefined, valid: 70 });
    expect(subtractCounts(undefined, { bad: 1, valid: 1 })).toBeUndefined();
  });
});
