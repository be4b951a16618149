import { discoverSlos } from './discovery';
import {
  RULES_BEFORE_GUARD,
  RULES_FOUR_TIERS,
  RULES_FOUR_TIERS_GUARDS,
  rulesFromFile,
  rulesFromFiles,
} from './testdata/fixtures';
import {
  alertInWords,
  budgetRangeInWords,
  formatBurn,
  formatPercent,
  formatSli,
  noDataInWords,
  objectiveInWords,
  runbookName,
  tierLabel,
} from './words';

describe('words', () => {
  const [avail, lat] = discoverSlos(rulesFromFile(RULES_BEFORE_GUARD));
  const [, lat4, pay4] = discoverSlos(rulesFromFiles([RULES_FOUR_TIERS, RULES_FOUR_TIERS_GUARDS]));

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

  it('describes the low-traffic guard of the new rules, with the arithmetic that justifies it', () => {
    expect(alertInWords(pay4.alerts[0], pay4)).toBe(
      'Fires when more than 7.2 % of requests failed over both the last 1h and the last 5m (14.4× the 0.5 % budget: 2 % of the 30d budget gone in 1h), for at least 2m, and only once the last 1h holds at least 14 requests (low-traffic guard: one failed request among 14 is 7.14 %, not above the 7.2 % threshold). Severity page.'
    );
    expect(alertInWords(pay4.alerts[3], pay4)).toContain(
      'over both the last 3d and the last 6h (1× the 0.5 % budget: 10 % of the 30d budget gone in 3d), for at least 3h, and only once the last 3d holds at least 14 requests (low-traffic guard)'
    );
    expect(alertInWords(lat4.alerts[0], lat4)).toContain('one slow request among 7 is 14.3 %, not above the 14.4 %');
  });

  it('says what a NoData alert checks', () => {
    expect(noDataInWords(lat4.noDataAlerts[0])).toBe(
      'Fires when no target of job="veza-api" answers its scrape, or the SLI\'s series have had no sample for 1h, for at least 2m: the SLO cannot be measured and its burn-rate alerts cannot fire. Severity page.'
    );
  });

  it('names tiers on badges', () => {
    expect([...pay4.alerts, ...pay4.noDataAlerts].map(tierLabel)).toEqual(['fast', 'slow', '24h', '3d', 'no data']);
    expect(avail.alerts.map(tierLabel)).toEqual(['fast', 'slow']);
  });

  it('the budget at the ends of a short range', () => {
    expect(budgetRangeInWords(0.886, 0.744, '30d')).toBe(
      'Budget left 88.6 % at the start of this range, 74.4 % at its end: 14.2 % of the 30d budget went in this range.'
    );
    expect(budgetRangeInWords(0.5, 0.52, '30d')).toBe(
      'Budget left 50 % at the start of this range, 52 % at its end: it grew by 2 % as older errors left the rolling 30d.'
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
