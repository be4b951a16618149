import { discoverSlos } from './discovery';
import { rulesFromFile } from './testdata/fixtures';
import { alertInWords, formatBurn, formatPercent, formatSli, objectiveInWords, runbookName } from './words';

describe('words', () => {
  const [avail, lat] = discoverSlos(rulesFromFile());

  it.each([
    [0.072, '7.2 %'],
    [0.995, '99.5 %'],
    [0.005, '0.5 %'],
    [0.00123, '0.123 %'],
    [1, '100 %'],
    [0, '0 %'],
    [-0.5, '−50 %'],
    [undefined, '—'],
    [NaN, '—'],
  ])('formatPercent(%p) = %p', (r, text) => {
    expect(formatPercent(r)).toBe(text);
  });

  it.each([
    [0.99949, '99.949 %'],
    [0.999999, '99.999 %'],
    [1, '100.000 %'],
    [undefined, '—'],
  ])('formatSli(%p) = %p', (v, text) => {
    expect(formatSli(v)).toBe(text);
  });

  it.each([
    [14.4, '14.4×'],
    [0.5, '0.5×'],
    [123.4, '123×'],
    [undefined, '—'],
    [Infinity, '∞×'],
  ])('formatBurn(%p) = %p', (b, text) => {
    expect(formatBurn(b)).toBe(text);
  });

  it('says what the fast-burn alert checks', () => {
    expect(alertInWords(avail.alerts[0], avail)).toBe(
      'Fires when more than 7.2 % of requests failed over both the last 1h and the last 5m (14.4× the 0.5 % budget: 2 % of the 30d budget gone in 1h), for at least 2m. Severity page.'
    );
    expect(alertInWords(lat.alerts[1], lat)).toContain(
      '6 % of requests were slower than the threshold over both the last 6h and the last 30m'
    );
  });

  it('objective line', () => {
    expect(objectiveInWords(lat)).toBe('99 % faster than 500 ms over 30d');
    expect(objectiveInWords(avail)).toBe('99.5 % over 30d');
  });

  it.each([
    ['http://g/a/veza-slo-app/runbooks/api-latency-slo-burn', 'api-latency-slo-burn'],
    ['https://x/docs/runbooks/db-failover.md#steps', 'db-failover'],
    ['https://example.com/other', undefined],
    [undefined, undefined],
  ])('runbookName(%p)', (url, name) => {
    expect(runbookName(url)).toBe(name);
  });
});
