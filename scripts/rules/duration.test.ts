import { parsePromDuration } from './duration';

describe('parsePromDuration', () => {
  it.each([
    ['2m', 120_000],
    ['1h30m', 5_400_000],
    ['1d', 86_400_000],
    ['1w2d', 777_600_000],
    ['1s500ms', 1_500],
  ])('reads %s', (text, ms) => {
    expect(parsePromDuration(text)).toBe(ms);
  });

  it.each([
    ['5m5m', 'is not a Prometheus duration'],
    ['1m1h', 'is not a Prometheus duration'],
    ['5', 'is not a Prometheus duration'],
    ['1.5h', 'is not a Prometheus duration'],
    ['', 'is not a Prometheus duration'],
    ['0m', 'is zero'],
    ['300y', 'overflows'],
    ['106752d', 'overflows'],
    ['99999999999999999999h', 'overflows'],
  ])('refuses %s', (text, message) => {
    expect(() => parsePromDuration(text)).toThrow(message);
  });

  it('accepts the longest duration Go can hold', () => {
    expect(parsePromDuration('106751d')).toBe(106751 * 86_400_000);
  });
});
