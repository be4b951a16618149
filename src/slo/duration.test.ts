import { humanDuration, parseDuration, toPromDuration } from './duration';

describe('durations', () => {
  it.each([
    ['5m', 300],
    ['30m', 1800],
    ['1h', 3600],
    ['6h', 21600],
    ['30d', 2592000],
    ['1h30m', 5400],
    ['2w', 1209600],
    ['500ms', 0.5],
    ['90', 90],
    ['', undefined],
    ['abc', undefined],
    ['5x', undefined],
    ['m5', undefined],
  ])('parseDuration(%p) = %p', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each([
    [2592000, '30d'],
    [3600, '1h'],
    [5400, '90m'],
    [7, '7s'],
    [2678400, '31d'],
  ])('toPromDuration(%p) = %p', (s, text) => {
    expect(toPromDuration(s)).toBe(text);
  });

  it.each([
    [undefined, '—'],
    [Infinity, 'never at this rate'],
    [45, '45s'],
    [2700, '45m'],
    [3 * 3600 + 1200, '3h 20m'],
    [2 * 86400 + 4 * 3600, '2d 4h'],
    [7 * 86400, '7d'],
  ])('humanDuration(%p) = %p', (s, text) => {
    expect(humanDuration(s)).toBe(text);
  });
});
