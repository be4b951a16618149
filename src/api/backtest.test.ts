import { backtestSegments } from './backtest';

describe('backtestSegments', () => {
  it('history on the 5-minute grid with windows widened by half a step, then live data every 15 s, exact', () => {
    expect(backtestSegments(1000, 10000, 6000)).toEqual([
      { from: 1200, to: 6000, step: 300, pad: 150 },
      { from: 6015, to: 9990, step: 15, pad: 0 },
    ]);
  });
  it('all history when the range ends before the history does (the page: one segment)', () => {
    expect(backtestSegments(1000, 10000)).toEqual([{ from: 1200, to: 9900, step: 300, pad: 150 }]);
  });
  it('all live when the range begins at or after the history end, from its first step', () => {
    expect(backtestSegments(7000, 7100, 6000)).toEqual([{ from: 7005, to: 7095, step: 15, pad: 0 }]);
    // The page on scraped data: sparseDataEnd answers `from`, a range on the grid keeps its first evaluation.
    expect(backtestSegments(6000, 7200, 6000, 300)).toEqual([{ from: 6000, to: 7200, step: 300, pad: 0 }]);
  });
});
