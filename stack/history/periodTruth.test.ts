import { excludedCounts, windowCounts } from './periodTruth';

const t0 = 1_700_006_400;
const series = (bad: (i: number) => number) =>
  Array.from({ length: 100 }, (_, i) => ({ t: t0 + (i + 1) * 300, bad: bad(i), valid: 10 }));
const h = {
  counts: {
    'api-availability': series(() => 1),
    'api-latency': series((i) => (i < 50 ? 0 : 2)),
    'payment-success': series(() => 0),
  },
};

describe('windowCounts', () => {
  it('sums the steps in (from, to], off-grid bounds included', () => {
    const c = windowCounts(h, t0, t0 + 3000);
    expect(c['api-availability']).toMatchObject({ valid: 100, bad: 10 });
    expect(windowCounts(h, t0 + 150, t0 + 3150)['api-availability']).toMatchObject({ valid: 100, bad: 10 });
    expect(windowCounts(h, t0 + 50 * 300, t0 + 100 * 300)['api-latency']).toMatchObject({ valid: 500, bad: 100 });
  });
  it('is empty outside the history and for an empty window', () => {
    expect(windowCounts(h, t0 - 9000, t0)['api-availability']).toMatchObject({ valid: 0, bad: 0 });
    expect(windowCounts(h, t0 + 600, t0 + 600)['api-availability']).toMatchObject({ valid: 0, bad: 0 });
  });
});

describe('excludedCounts', () => {
  const c = (start: number, end: number, slos = ['api-availability', 'api-latency', 'payment-success']) => ({
    start: t0 + start * 300,
    end: t0 + end * 300,
    slos,
  });
  it('is undefined when no correction overlaps the period', () => {
    expect(excludedCounts(h, [c(10, 20)], t0 + 30 * 300, t0 + 40 * 300)).toBeUndefined();
  });
  it('counts overlapping corrections once, clipped to the period', () => {
    const x = excludedCounts(h, [c(10, 20), c(15, 30)], t0, t0 + 25 * 300)!;
    expect(x['api-availability']).toMatchObject({ valid: 150, bad: 15 });
  });
  it('only for the SLOs a correction names', () => {
    const x = excludedCounts(h, [c(60, 70, ['api-latency'])], t0, t0 + 100 * 300)!;
    expect(x['api-latency']).toMatchObject({ valid: 100, bad: 20 });
    expect(x['api-availability']).toMatchObject({ valid: 0, bad: 0 });
  });
});
