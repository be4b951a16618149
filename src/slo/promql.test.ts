import {
  counterIncreaseQuery,
  counterParts,
  isCounterRatio,
  latencyQuantileQuery,
  periodRatioQuery,
  RAW_WINDOW_LABEL,
  rawRatiosQuery,
  retargetRange,
  splitTopLevelDivision,
  stripOuterParens,
  withLabel,
  guardWindows,
  validEventsQuery,
} from './promql';
import { discoverSlos } from './discovery';
import { RULES_BEFORE_GUARD, RULES_FOUR_TIERS, rulesFromFile, rulesFromFiles, slothRules } from './testdata/fixtures';

const AVAIL =
  'sum(rate(http_requests_total{job="veza-api",method="GET",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="veza-api",method="GET"}[5m]))';
const LAT =
  '1 - sum(rate(http_request_duration_seconds_bucket{job="veza-api",method=~"POST|PUT|PATCH|DELETE",le="0.5"}[5m])) / sum(rate(http_request_duration_seconds_count{job="veza-api",method=~"POST|PUT|PATCH|DELETE"}[5m]))';

describe('expression rewriting', () => {
  it('retargets rate over 5m to increase over 30d', () => {
    expect(retargetRange(AVAIL, '30d')).toBe(
      'sum(increase(http_requests_total{job="veza-api",method="GET",code=~"5.."}[30d])) / sum(increase(http_requests_total{job="veza-api",method="GET"}[30d]))'
    );
  });

  it('leaves irate and other ranges alone', () => {
    expect(retargetRange('irate(x[1m]) + rate(y[5m])', '1h')).toBe('irate(x[1m]) + increase(y[1h])');
  });

  it('recognises counter ratios', () => {
    expect(isCounterRatio(AVAIL)).toBe(true);
    expect(isCounterRatio('vector(1)')).toBe(false);
    expect(isCounterRatio(undefined)).toBe(false);
  });

  it('splits at the top-level division only, ignoring strings', () => {
    expect(splitTopLevelDivision('sum(a{r="/x/y"}) / sum(b)')).toEqual(['sum(a{r="/x/y"})', 'sum(b)']);
    expect(splitTopLevelDivision('a / b / c')).toBeUndefined();
    expect(splitTopLevelDivision('sum(a)')).toBeUndefined();
  });

  it('strips wrapping parentheses only', () => {
    expect(stripOuterParens('((a))')).toBe('a');
    expect(stripOuterParens('(a) / (b)')).toBe('(a) / (b)');
  });

  it('derives bad/valid from the bad-events form', () => {
    expect(counterParts(AVAIL)).toEqual({
      bad: 'sum(rate(http_requests_total{job="veza-api",method="GET",code=~"5.."}[5m]))',
      valid: 'sum(rate(http_requests_total{job="veza-api",method="GET"}[5m]))',
    });
  });

  it('derives bad = valid − good from the good-events form', () => {
    const cp = counterParts(LAT)!;
    expect(cp.valid).toContain('_count');
    expect(cp.bad).toMatch(
      /^\(sum\(rate\(http_request_duration_seconds_count.*\) - \(sum\(rate\(http_request_duration_seconds_bucket/
    );
  });

  it('derives Sloth-style parenthesised ratios', () => {
    const cp = counterParts('(sum(rate(a{c="5"}[5m])))\n/\n(sum(rate(a[5m])))');
    expect(cp).toEqual({ bad: 'sum(rate(a{c="5"}[5m]))', valid: 'sum(rate(a[5m]))' });
  });

  it('gives up on other shapes', () => {
    expect(counterParts('vector(0.1)')).toBeUndefined();
    expect(counterParts('avg(x) / avg(y)')).toBeUndefined();
  });

  it('escapes label values, including $ in replacements', () => {
    expect(withLabel('x', 'slo', 'a"b$1')).toBe('label_replace(x, "slo", "a\\"b$$1", "", "")');
  });
});

describe('queries for all SLOs at once', () => {
  const slos = discoverSlos(rulesFromFile());

  it('one period-ratio expression covers every SLO', () => {
    const q = periodRatioQuery(slos)!;
    // One tagged part per SLO (the rules' own `or vector(0)` sits inside the parts).
    expect(q.match(/"slo", "/g)).toHaveLength(3);
    for (const s of slos) {
      expect(q).toContain(`"slo", "${s.id}"`);
    }
    expect(q).not.toContain('[5m]');
    expect(q).toContain('[30d]');
  });

  it('a custom range (report months) is used instead of the SLO window', () => {
    expect(periodRatioQuery(slos, 31 * 86400)).toContain('[31d]');
  });

  it('falls back to averaging the 1h ratio for rules not built from counters', () => {
    const odd = { ...slos[0], id: 'odd', ratioExprs: { '5m': 'vector(0.01)' } };
    expect(periodRatioQuery([odd])).toBe(
      'label_replace((avg_over_time(slo:sli_error:ratio_rate1h{slo="api-availability"}[30d])), "slo", "odd", "", "")'
    );
  });

  it('counter increases: two tagged series per SLO in one expression', () => {
    const q = counterIncreaseQuery(slos, '1h')!;
    expect(q.match(/"slo_part", "/g)).toHaveLength(6);
    expect(q).toContain('"slo_part", "bad"');
    expect(q).toContain('"slo_part", "valid"');
  });

  it('no SLOs, no query', () => {
    expect(periodRatioQuery([])).toBeUndefined();
    expect(counterIncreaseQuery([], '1h')).toBeUndefined();
  });

  it('latency p95 reads the histogram of the valid selector', () => {
    const lat = slos.find((s) => s.kind === 'latency')!;
    expect(latencyQuantileQuery(lat)).toBe(
      'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="veza-api",method=~"POST|PUT|PATCH|DELETE"}[5m])))'
    );
    expect(latencyQuantileQuery(slos.find((s) => s.kind === 'availability')!)).toBeUndefined();
  });

  it('works for Sloth rules too', () => {
    const sloth = discoverSlos(slothRules());
    expect(periodRatioQuery(sloth)).toContain('increase(http_request_duration_seconds_count{job="myservice"}[30d])');
  });
});

describe('rawRatiosQuery', () => {
  const slos = discoverSlos(rulesFromFile());

  it("is every recorded window's own rule expression, tagged with its window, in one expression", () => {
    const slo = slos.find((s) => s.id === 'api-availability')!;
    const q = rawRatiosQuery(slo)!;
    for (const w of ['5m', '30m', '1h', '6h'] as const) {
      expect(q).toContain(withLabel(`(${slo.ratioExprs[w]})`, RAW_WINDOW_LABEL, w));
    }
    expect(q.split(' or label_replace(')).toHaveLength(4);
  });

  it('is undefined for an SLO without recorded expressions', () => {
    expect(rawRatiosQuery({ ...slos[0], ratioExprs: {} })).toBeUndefined();
  });
});

describe('valid events of the low-traffic guard', () => {
  const slos = discoverSlos(rulesFromFiles([RULES_FOUR_TIERS]));

  it('counts each guarded tier window plus the tiles 1h and 6h, tagged by SLO and window', () => {
    expect(guardWindows(slos[2])).toEqual(['1h', '6h', '24h', '3d']);
    expect(guardWindows(slos[1])).toEqual(['1h', '6h', '24h']);
    const q = validEventsQuery(slos)!;
    expect(q.split(' or ')).toHaveLength(11);
    expect(q).toContain(
      'label_replace(label_replace((sum(increase(http_requests_total{job="veza-api",method="POST",route="/api/v1/orders"}[3d]))), "slo", "payment-success", "", ""), "slo_valid_window", "3d", "", "")'
    );
  });

  it('nothing for rules without a guard', () => {
    expect(validEventsQuery(discoverSlos(rulesFromFiles([RULES_BEFORE_GUARD])))).toBeUndefined();
  });
});
