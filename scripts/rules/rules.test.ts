import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { alertRule, errorRatio, normalizeGrafanaUrl, recordingRule, renderRuleFile, ruleFile } from './rules';
import { parseSpec, seconds, Slo, Spec, SpecError } from './spec';

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
      (d: any) => (d.alertPolicy.FastBurn.longWindow = '2h'),
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
      (d: any) => (d.slos[0].sli.good = d.slos[0].sli.bad),
      'slos[0].sli: must set exactly one of',
    ],
    [
      'SLI that is not a selector',
      (d: any) => (d.slos[0].sli.valid = 'rate(x[5m])'),
      'slos[0].sli.valid: must match pattern',
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
  ])('rejects %s, naming the field', (_name, change, expected) => {
    const found = problems(mutated(change));
    expect(found.some((p) => p.includes(expected))).toBe(true);
  });

  it('reports YAML syntax errors', () => {
    expect(problems('slos: [')[0]).toMatch(/^not valid YAML/);
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

  it('builds multi-window alerts with links', () => {
    const rule = alertRule(byId('payment-success'), 'FastBurn', spec.alertPolicy.FastBurn, 'https://grafana.example/g');
    expect(rule.alert).toBe('PaymentSuccessSLOFastBurn');
    expect(rule.expr).toBe(
      'slo:sli_error:ratio_rate1h{slo="payment-success"} > (14.4 * (1 - 0.995))\nand\nslo:sli_error:ratio_rate5m{slo="payment-success"} > (14.4 * (1 - 0.995))'
    );
    expect(rule.labels).toEqual({
      slo: 'payment-success',
      severity: 'page',
      slo_burn_rate: '14.4',
      slo_long_window: '1h',
      slo_short_window: '5m',
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

  it('parses durations', () => {
    expect([seconds('5m'), seconds('6h'), seconds('30d')]).toEqual([300, 21600, 2592000]);
  });
});
