import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import {
  alertRule,
  errorRatio,
  normalizeGrafanaUrl,
  recordingRule,
  renderRuleFile,
  ruleFile,
  sloWindows,
  tierContexts,
  tierRanks,
} from './rules';
import { defaultMinEvents, parseSpec, seconds, Slo, Spec, SpecError } from './spec';

const root = path.resolve(__dirname, '../..');
const schema = JSON.parse(fs.readFileSync(path.join(root, 'provisioning/slo/slos.schema.json'), 'utf8'));
const specText = fs.readFileSync(path.join(root, 'provisioning/slo/slos.yaml'), 'utf8');
const spec = parseSpec(specText, schema);
const byId = (id: string) => spec.slos.find((s) => s.id === id) as Slo;

/** The spec with one change applied to a fresh copy. */
function mutated(change: (doc: any) => void): string {
  const doc = yaml.load(specText) as any;
  change(doc);
  return yaml.dump(doc);
}
function problems(text: string): string[] {
  try {
    parseSpec(text, schema);
  } catch (err) {
    if (err instanceof SpecError) {
      return err.problems;
    }
    throw err;
  }
  return [];
}

describe('spec validation', () => {
  it('accepts the committed spec', () => {
    expect(spec.slos.map((s) => s.id)).toEqual(['api-availability', 'api-latency', 'payment-success']);
  });

  it.each([
    ['objective above 1', (d: any) => (d.slos[0].objective = 1.5), 'slos[0].objective: must be < 1'],
    ['objective with a decimal comma', (d: any) => (d.slos[1].objective = '99,5'), 'slos[1].objective: must be number'],
    ['objective as a percentage', (d: any) => (d.slos[0].objective = 99.5), 'slos[0].objective: must be < 1'],
    [
      'unknown alert window',
      (d: any) => (d.alertPolicy.FastBurn.longWindow = '90m'),
      'alertPolicy.FastBurn.longWindow: must be equal to one of the allowed values',
    ],
    [
      'unknown SLO window',
      (d: any) => (d.slos[2].window = '1month'),
      'slos[2].window: must be equal to one of the allowed values',
    ],
    ['missing SLI', (d: any) => delete d.slos[0].sli, 'slos[0].sli: is required'],
    [
      'SLI with both good and bad',
      (d: any) => (d.slos[0].sli.good = d.slos[0].sli.valid),
      'slos[0].sli: must set exactly one of',
    ],
    [
      'SLI that is not a selector',
      (d: any) => (d.slos[0].sli.valid = 'rate(x[5m])'),
      'slos[0].sli.valid: must match pattern',
    ],
    [
      'SLI with an unquoted value',
      (d: any) => (d.slos[1].sli.valid = 'http_request_duration_seconds_count{job=veza-api}'),
      'slos[1].sli.valid: not a valid selector: expected a double-quoted value for job',
    ],
    [
      'SLI with a regex that does not compile',
      (d: any) => (d.slos[1].sli.good = d.slos[1].sli.good.replace('POST|PUT', '(POST|PUT')),
      'slos[1].sli.good: not a valid selector: the regex of method does not compile',
    ],
    [
      'SLI with a lookahead (not RE2)',
      (d: any) => (d.slos[0].sli.valid = 'http_requests_total{job="veza-api",method=~"(?!POST).*"}'),
      'slos[0].sli.valid: not a valid selector: the regex of method does not compile (lookaround',
    ],
    [
      'SLI with a template in a value',
      (d: any) => (d.slos[0].sli.valid = 'http_requests_total{job="{{ $x }}"}'),
      'slos[0].sli.valid: must not contain {{, }} or a backtick',
    ],
    [
      'SLI without a job matcher',
      (d: any) => (d.slos[0].sli.valid = 'http_requests_total{method="GET"}'),
      'slos[0].sli.valid: needs a job="…" matcher',
    ],
    [
      'good selector that drops a matcher of valid',
      (d: any) => (d.slos[1].sli.good = 'http_request_duration_seconds_bucket{job="veza-api",le="0.5"}'),
      'slos[1].sli.good: must keep every matcher of sli.valid (missing method=~"POST|PUT|PATCH|DELETE")',
    ],
    [
      'bad selector on code instead of badCodes',
      (d: any) => {
        delete d.slos[0].sli.badCodes;
        d.slos[0].sli.bad = 'http_requests_total{job="veza-api",method="GET",code=~"5.."}';
      },
      'slos[0].sli.bad: matches on code; state which answers are bad with sli.badCodes',
    ],
    [
      'badCodes with both only and allBut',
      (d: any) => (d.slos[2].sli.badCodes = { only: ['5xx'], allBut: ['2xx'] }),
      'slos[2].sli.badCodes: must NOT have more than 1 properties',
    ],
    [
      'badCodes with a code that is not one',
      (d: any) => (d.slos[2].sli.badCodes = { only: ['5XX'] }),
      'slos[2].sli.badCodes.only[0]: must match pattern',
    ],
    ['template in a title', (d: any) => (d.slos[0].title = 'API {{ $value }}'), 'slos[0].title: must not contain {{'],
    [
      'template in a description',
      (d: any) => (d.slos[1].description = 'ends with }}'),
      'slos[1].description: must not contain {{',
    ],
    ['template in an owner', (d: any) => (d.slos[2].owner = '{{ .x }}'), 'slos[2].owner: must not contain {{'],
    [
      'repeated duration unit',
      (d: any) => (d.alertPolicy.FastBurn.for = '5m5m'),
      'alertPolicy.FastBurn.for: "5m5m" is not a Prometheus duration',
    ],
    ['zero duration', (d: any) => (d.alertPolicy.SlowBurn.for = '0m'), 'alertPolicy.SlowBurn.for: "0m" is zero'],
    [
      'overflowing duration',
      (d: any) => (d.alertPolicy.FastBurn.for = '300y'),
      'alertPolicy.FastBurn.for: "300y" overflows',
    ],
    ['minEvents of zero', (d: any) => (d.slos[2].minEvents = 0), 'slos[2].minEvents: must be >= 1'],
    ['minEvents not whole', (d: any) => (d.slos[2].minEvents = 2.5), 'slos[2].minEvents: must be integer'],
    [
      'every tier off',
      (d: any) => (d.slos[0].alerts = { FastBurn: { enabled: false }, SlowBurn: { enabled: false } }),
      'slos[0].alerts: every tier is off',
    ],
    [
      'tier on without a runbook',
      (d: any) => (d.slos[0].alerts.SlowBurn = { enabled: true }),
      'slos[0].alerts.SlowBurn.runbook: is required',
    ],
    [
      'latency without threshold',
      (d: any) => delete d.slos[1].latencyThresholdSeconds,
      'slos[1].latencyThresholdSeconds: is required',
    ],
    [
      'latency bucket unlike threshold',
      (d: any) => (d.slos[1].latencyThresholdSeconds = 0.3),
      'slos[1].sli.good: a latency SLI counts the histogram bucket le="0.3"',
    ],
    [
      'short window not shorter',
      (d: any) => (d.alertPolicy.SlowBurn.shortWindow = '6h'),
      'alertPolicy.SlowBurn.shortWindow: must be shorter',
    ],
    [
      'duplicate id',
      (d: any) => (d.slos[1].id = 'api-availability'),
      'slos[1].id: "api-availability" is already used by slos[0]',
    ],
    [
      'missing runbook for a tier',
      (d: any) => delete d.slos[2].alerts.SlowBurn,
      'slos[2].alerts.SlowBurn: is required',
    ],
    [
      'threshold that can never fire',
      (d: any) => (d.slos[0].objective = 0.9),
      'slos[0].objective: 0.9 makes the FastBurn threshold',
    ],
    ['unknown field', (d: any) => (d.slos[0].objetive = 0.9), 'slos[0].objetive: is not a known field'],
    [
      'malformed recurring correction',
      (d: any) =>
        (d.slos[1].corrections = [{ rrule: 'FREQ=YEARLY;DURATION=PT1H', kind: 'maintenance', reason: 'upgrade' }]),
      'slos[1].corrections[0].rrule: FREQ=YEARLY: DAILY, WEEKLY or MONTHLY',
    ],
    [
      'recurring correction without a duration',
      (d: any) => (d.slos[1].corrections = [{ rrule: 'FREQ=WEEKLY;BYDAY=SU', kind: 'maintenance', reason: 'x' }]),
      'slos[1].corrections[0].rrule: DURATION: an ISO 8601 duration such as PT2H is needed',
    ],
    [
      'budget policy out of order',
      (d: any) => (d.budgetPolicy[1].minBudgetLeft = 0.7),
      'budgetPolicy[1].minBudgetLeft: must be below the state before it (0.5)',
    ],
    [
      'budget policy without a catch-all',
      (d: any) => (d.budgetPolicy[2].minBudgetLeft = 0),
      'budgetPolicy[2].minBudgetLeft: the last state catches the rest and has none',
    ],
    [
      'budget policy text with a template',
      (d: any) => (d.budgetPolicy[0].text = 'ship {{ $value }}'),
      'budgetPolicy[0].text: must not contain {{ or }}',
    ],
    [
      'budget policy state name with spaces',
      (d: any) => (d.budgetPolicy[0].state = 'all good'),
      'budgetPolicy[0].state: must match pattern',
    ],
    [
      "an SLO's own budget policy, checked the same way",
      (d: any) =>
        (d.slos[2].budgetPolicy = [
          { state: 'ok', text: 'a' },
          { state: 'freeze', text: 'b' },
        ]),
      'slos[2].budgetPolicy[0].minBudgetLeft: is required except on the last state',
    ],
  ])('rejects %s, naming the field', (_name, change, expected) => {
    const found = problems(mutated(change));
    expect(found.some((p) => p.includes(expected))).toBe(true);
  });

  it('reports YAML syntax errors', () => {
    expect(problems('slos: [')[0]).toMatch(/^not valid YAML/);
  });
});

describe('error-budget policy in the rules', () => {
  it("every burn alert carries its SLO's policy; an SLO's own policy wins over the spec's", () => {
    const own = [
      { state: 'ok', minBudgetLeft: 0.7, text: 'Payments ship when most of the budget is left.' },
      { state: 'freeze', blocksDeploys: true, text: 'Payments freeze early.' },
    ];
    const s = parseSpec(
      mutated((d) => (d.slos[2].budgetPolicy = own)),
      schema
    );
    const alerts = ruleFile(s, 'http://g').groups.flatMap((g) => g.rules.filter((r) => 'alert' in r));
    const policyOf = (id: string) =>
      [...new Set(alerts.filter((a) => a.labels?.slo === id).map((a) => a.annotations!.slo_budget_policy!))].map((j) =>
        JSON.parse(j)
      );
    expect(policyOf('payment-success')).toEqual([own]);
    expect(policyOf('api-availability')).toHaveLength(1);
    expect(policyOf('api-availability')[0][2]).toMatchObject({ state: 'freeze', blocksDeploys: true });
  });

  it('recurring corrections travel in the slo_corrections annotation of that SLO only', () => {
    const weekly = { rrule: 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=3;DURATION=PT1H', kind: 'maintenance', reason: 'DB patching' };
    const s = parseSpec(
      mutated((d) => (d.slos[2].corrections = [weekly])),
      schema
    );
    const alerts = ruleFile(s, 'http://g').groups.flatMap((g) => g.rules.filter((r) => 'alert' in r));
    const burn = alerts.filter((a) => a.labels?.slo === 'payment-success' && a.annotations?.slo_budget_policy);
    expect(burn.length).toBeGreaterThan(0);
    for (const a of burn) {
      expect(JSON.parse(a.annotations!.slo_corrections!)).toEqual([weekly]);
    }
    expect(alerts.some((a) => a.labels?.slo !== 'payment-success' && 'slo_corrections' in (a.annotations ?? {}))).toBe(
      false
    );
  });

  it('no policy in the spec: no annotation', () => {
    const s = parseSpec(
      mutated((d) => delete d.budgetPolicy),
      schema
    );
    const alerts = ruleFile(s, 'http://g').groups.flatMap((g) => g.rules.filter((r) => 'alert' in r));
    expect(alerts.some((a) => a.annotations && 'slo_budget_policy' in a.annotations)).toBe(false);
  });
});

describe('rules', () => {
  it('keeps the ratio form the app parses', () => {
    expect(errorRatio(byId('api-availability'), '5m')).toBe(
      '(sum(rate(http_requests_total{job="veza-api",method="GET",code=~"5.."}[5m])) or vector(0)) / sum(rate(http_requests_total{job="veza-api",method="GET"}[5m]))'
    );
    expect(errorRatio(byId('api-latency'), '30d', 'increase')).toMatch(
      /^1 - sum\(increase\(.*le="0.5"\}\[30d\]\)\) \/ sum\(increase\(/
    );
  });

  it('labels recording rules with the SLO metadata', () => {
    expect(recordingRule(byId('api-latency'), '1h').labels).toEqual({
      slo: 'api-latency',
      slo_title: 'API write latency',
      slo_objective: '0.99',
      slo_window: '30d',
      slo_kind: 'latency',
      slo_latency_threshold_seconds: '0.5',
    });
    expect(recordingRule(byId('payment-success'), '6h').labels).not.toHaveProperty('slo_latency_threshold_seconds');
  });

  it('builds multi-window alerts with the low-traffic guard and links', () => {
    const slo = byId('payment-success');
    const fast = tierContexts(spec, slo).find((t) => t.name === 'FastBurn')!;
    const rule = alertRule(slo, fast, 'https://grafana.example/g');
    expect(rule.alert).toBe('PaymentSuccessSLOFastBurn');
    // The exact shape the app parses (alert contract): two windows, then `and on()` the event count.
    expect(rule.expr).toBe(
      [
        'slo:sli_error:ratio_rate1h{slo="payment-success"} > (14.4 * (1 - 0.995))',
        'and',
        'slo:sli_error:ratio_rate5m{slo="payment-success"} > (14.4 * (1 - 0.995))',
        'and on()',
        'sum(increase(http_requests_total{job="veza-api",method="POST",route="/api/v1/orders"}[1h])) >= 14',
      ].join('\n')
    );
    expect(rule.labels).toEqual({
      slo: 'payment-success',
      severity: 'page',
      slo_tier: 'FastBurn',
      slo_tier_rank: '1',
      slo_burn_rate: '14.4',
      slo_long_window: '1h',
      slo_short_window: '5m',
      slo_min_events: '14',
    });
    expect(rule.annotations.runbook_url).toBe(
      'https://grafana.example/g/a/veza-slo-app/runbooks/payment-success-slo-burn'
    );
    expect(rule.annotations.dashboard_url).toBe(
      'https://grafana.example/g/a/veza-slo-app/slos/payment-success?alert=PaymentSuccessSLOFastBurn'
    );
    expect(rule.annotations.summary).toContain('2 % of the 30d budget in 1h');
  });

  it('writes 12 recording rules and 6 alerts', () => {
    const rules = ruleFile(spec, 'http://x').groups.flatMap((g) => g.rules);
    expect(rules.filter((r) => 'record' in r)).toHaveLength(12);
    expect(
      rules
        .filter((r) => 'alert' in r)
        .map((r) => (r as { alert: string }).alert)
        .sort()
    ).toEqual([
      'APIAvailabilitySLOFastBurn',
      'APIAvailabilitySLOSlowBurn',
      'APILatencySLOFastBurn',
      'APILatencySLOSlowBurn',
      'PaymentSuccessSLOFastBurn',
      'PaymentSuccessSLOSlowBurn',
    ]);
  });

  it('is deterministic', () => {
    expect(renderRuleFile(spec as Spec, 'http://x')).toBe(renderRuleFile(parseSpec(specText, schema), 'http://x'));
  });

  it('checks the Grafana URL option', () => {
    expect(normalizeGrafanaUrl('https://g.example/grafana/')).toBe('https://g.example/grafana');
    expect(() => normalizeGrafanaUrl('g.example')).toThrow('--grafana-url');
    expect(() => normalizeGrafanaUrl('ftp://g.example')).toThrow('--grafana-url');
  });

  it.each([
    ['credentials', 'https://admin:s3cret@g.example', 'must not hold credentials'],
    ['a user name', 'https://admin@g.example', 'must not hold credentials'],
    ['a query string', 'https://g.example/?orgId=1', 'must not have a query string'],
    ['an empty query string', 'https://g.example/?', 'must not have a query string'],
    ['a fragment', 'https://g.example/#x', 'must not have a fragment'],
    ['a template', 'https://g.example/{{ .x }}', 'must not contain {{ or }}'],
  ])('refuses a Grafana URL with %s', (_name, url, message) => {
    expect(() => normalizeGrafanaUrl(url)).toThrow(`--grafana-url: ${message}`);
  });

  it('never repeats credentials in its error', () => {
    expect(() => normalizeGrafanaUrl('https://admin:s3cret@g.example')).toThrow(/^(?!.*s3cret)/s);
  });

  it('builds the bad selector from badCodes, as the spec states it', () => {
    expect(byId('api-availability').sli.bad).toBe('http_requests_total{job="veza-api",method="GET",code=~"5.."}');
    expect(byId('payment-success').sli.bad).toBe(
      'http_requests_total{job="veza-api",method="POST",route="/api/v1/orders",code!~"2.."}'
    );
    const only = parseSpec(
      mutated((d) => (d.slos[2].sli.badCodes = { only: ['5xx', '429'] })),
      schema
    ).slos[2].sli.bad;
    expect(only).toBe('http_requests_total{job="veza-api",method="POST",route="/api/v1/orders",code=~"5..|429"}');
  });

  it('defaults minEvents to one bad event under the fastest threshold', () => {
    expect(defaultMinEvents(spec, byId('payment-success'))).toBe(14); // ceil(1 / 0.072)
    expect(defaultMinEvents(spec, byId('api-latency'))).toBe(7); // ceil(1 / 0.144)
    // An exact quotient stays exact: 10 × (1 − 0.99) = 0.1 → 10, not 11.
    const exact = parseSpec(
      mutated((d) => (d.alertPolicy.FastBurn.burnRate = 10)),
      schema
    );
    expect(defaultMinEvents(exact, exact.slos[1])).toBe(10);
    // With the fast tier off, the slow tier is the fastest: ceil(1 / (6 × 0.005)) = 34.
    const slowOnly = parseSpec(
      mutated((d) => (d.slos[2].alerts.FastBurn = { enabled: false })),
      schema
    );
    expect(defaultMinEvents(slowOnly, slowOnly.slos[2])).toBe(34);
    const set = parseSpec(
      mutated((d) => (d.slos[2].minEvents = 50)),
      schema
    );
    expect(tierContexts(set, set.slos[2]).map((t) => t.minEvents)).toEqual([50, 50]);
  });

  it('adds the workbook tiers with their windows and ranks, and turns a tier off per SLO', () => {
    const text = fs.readFileSync(path.join(__dirname, 'testdata/tiers.slos.yaml'), 'utf8');
    const tiered = parseSpec(text, schema);
    expect(Object.fromEntries(tierRanks(tiered))).toEqual({ FastBurn: 1, SlowBurn: 2, Burn24h: 3, Burn3d: 4 });
    const pay = tiered.slos.find((s) => s.id === 'payment-success')!;
    expect(sloWindows(tiered, pay)).toEqual(['5m', '30m', '1h', '2h', '6h', '24h', '3d']);
    // api-latency turns Burn3d off: no 3d recording rule and no alert for it.
    const lat = tiered.slos.find((s) => s.id === 'api-latency')!;
    expect(sloWindows(tiered, lat)).toEqual(['5m', '30m', '1h', '2h', '6h', '24h']);
    expect(tierContexts(tiered, lat).map((t) => t.name)).toEqual(['FastBurn', 'SlowBurn', 'Burn24h']);
    // The default spec records only the four base windows.
    expect(sloWindows(spec, pay)).toEqual(['5m', '30m', '1h', '6h']);
  });

  it('orders tier ranks by long window whatever the policy order', () => {
    const reordered = parseSpec(
      mutated((d) => {
        const { FastBurn, SlowBurn } = d.alertPolicy;
        d.alertPolicy = { SlowBurn, FastBurn };
      }),
      schema
    );
    expect(Object.fromEntries(tierRanks(reordered))).toEqual({ FastBurn: 1, SlowBurn: 2 });
  });

  it('parses durations', () => {
    expect([seconds('5m'), seconds('6h'), seconds('30d')]).toEqual([300, 21600, 2592000]);
  });
});
