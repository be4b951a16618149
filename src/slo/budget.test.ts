import {
  budgetLevel,
  budgetRemaining,
  budgetSpentIn,
  burnRate,
  burnThreshold,
  errorBudget,
  errorRatio,
  timeToExhaustion,
} from './budget';

const DAY = 86400;

describe('errorRatio', () => {
  it.each([
    ['normal traffic', 5, 1000, 0.005],
    ['no errors', 0, 1000, 0],
    ['0/0 (no traffic) is unknown, not NaN', 0, 0, undefined],
    ['bad without valid (counter reset) is unknown', 3, 0, undefined],
    ['NaN from Prometheus', NaN, 10, undefined],
    ['missing series', undefined, 10, undefined],
    ['clamped above 1 (extrapolation)', 11, 10, 1],
  ])('%s', (_name, bad, valid, expected) => {
    expect(errorRatio(bad, valid)).toBe(expected);
  });
});

describe('burn rate and thresholds (DESIGN.md numbers)', () => {
  it.each([
    // objective, ratio, burn
    [0.995, 0.005, 1],
    [0.995, 0.072, 14.4],
    [0.995, 0.03, 6],
    [0.99, 0.144, 14.4],
    [0.995, 0, 0],
  ])('objective %p, ratio %p → burn %p', (objective, ratio, burn) => {
    expect(burnRate(ratio, objective)).toBeCloseTo(burn, 9);
  });

  it('NaN (0/0) and missing give undefined', () => {
    expect(burnRate(NaN, 0.995)).toBeUndefined();
    expect(burnRate(undefined, 0.995)).toBeUndefined();
  });

  it('a 100 % objective has no budget: any error burns infinitely', () => {
    expect(burnRate(0.001, 1)).toBe(Infinity);
    expect(burnRate(0, 1)).toBe(0);
  });

  it.each([
    [14.4, 0.995, 0.072],
    [6, 0.995, 0.03],
    [14.4, 0.99, 0.144],
    [6, 0.99, 0.06],
  ])('threshold of %p× at %p is %p', (burn, objective, t) => {
    expect(burnThreshold(burn, objective)).toBeCloseTo(t, 12);
  });

  it('budget spent by the alert tiers: 2 % in 1h, 5 % in 6h of 30d', () => {
    expect(budgetSpentIn(14.4, 3600, 30 * DAY)).toBeCloseTo(0.02, 12);
    expect(budgetSpentIn(6, 6 * 3600, 30 * DAY)).toBeCloseTo(0.05, 12);
  });

  it('errorBudget', () => {
    expect(errorBudget(0.995)).toBeCloseTo(0.005, 12);
    expect(errorBudget(1.2)).toBe(0);
  });
});

describe('budgetRemaining', () => {
  it.each([
    ['untouched', 0, 0.995, 1],
    ['half spent', 0.0025, 0.995, 0.5],
    ['exactly spent', 0.005, 0.995, 0],
    ['overspent twice', 0.01, 0.995, -1],
    ['latency 99 % with 0.2 % slow', 0.002, 0.99, 0.8],
  ])('%s', (_n, ratio, objective, expected) => {
    expect(budgetRemaining(ratio, objective)).toBeCloseTo(expected, 9);
  });

  it('unknown stays unknown', () => {
    expect(budgetRemaining(undefined, 0.995)).toBeUndefined();
    expect(budgetRemaining(NaN, 0.995)).toBeUndefined();
  });
});

describe('timeToExhaustion', () => {
  it.each([
    ['burn 1 with a full budget lasts the period', 1, 1, 30 * DAY],
    ['burn 14.4 with a full budget: 50 h', 1, 14.4, 50 * 3600],
    ['half the budget at burn 2: 7.5 days', 0.5, 2, 7.5 * DAY],
    ['spent budget is already gone', 0, 5, 0],
    ['overspent budget is already gone', -0.3, 5, 0],
    ['no burn never exhausts', 0.7, 0, Infinity],
  ])('%s', (_n, remaining, burn, expected) => {
    expect(timeToExhaustion(remaining, burn, 30 * DAY)).toBeCloseTo(expected, 6);
  });

  it('unknown inputs give unknown', () => {
    expect(timeToExhaustion(undefined, 1, DAY)).toBeUndefined();
    expect(timeToExhaustion(1, undefined, DAY)).toBeUndefined();
    expect(timeToExhaustion(1, NaN, DAY)).toBeUndefined();
  });
});

describe('budgetLevel', () => {
  it.each([
    [1, 'ok'],
    [0.5, 'ok'],
    [0.49, 'warning'],
    [0.25, 'warning'],
    [0.1, 'critical'],
    [0, 'exhausted'],
    [-2, 'exhausted'],
    [undefined, 'unknown'],
    [NaN, 'unknown'],
  ])('%p → %p', (remaining, level) => {
    expect(budgetLevel(remaining)).toBe(level);
  });
});
