import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { guardFile, noDataRule, retentionRule } from './guards';
import { parseSpec } from './spec';

const root = path.resolve(__dirname, '../..');
const schema = JSON.parse(fs.readFileSync(path.join(root, 'provisioning/slo/slos.schema.json'), 'utf8'));
const specText = fs.readFileSync(path.join(root, 'provisioning/slo/slos.yaml'), 'utf8');
const spec = parseSpec(specText, schema);
const slo = (id: string) => spec.slos.find((s) => s.id === id)!;

describe('NoData alerts', () => {
  it('watch the job of the valid selector and the SLI series over the fast long window', () => {
    const rule = noDataRule(spec, slo('payment-success'), 'https://g.example');
    expect(rule.alert).toBe('PaymentSuccessSLONoData');
    expect(rule.expr).toBe(
      [
        '(sum(up{job="veza-api"}) or vector(0)) == 0',
        'or',
        'sum(absent_over_time(http_requests_total{job="veza-api",method="POST",route="/api/v1/orders"}[1h]))',
      ].join('\n')
    );
    expect(rule.labels).toEqual({ slo: 'payment-success', severity: 'page', slo_alert: 'no-data' });
    expect(rule.annotations.runbook_url).toBe(
      'https://g.example/a/veza-slo-app/runbooks/payment-success-slo-burn#no-data'
    );
    expect(rule.annotations.dashboard_url).toBe(
      'https://g.example/a/veza-slo-app/slos/payment-success?alert=PaymentSuccessSLONoData'
    );
  });

  it('also watch the good series of a good-events SLI (a renamed bucket empties the ratio)', () => {
    expect(noDataRule(spec, slo('api-latency'), 'http://x').expr).toContain(
      'sum(absent_over_time(http_request_duration_seconds_bucket{job="veza-api",method=~"POST|PUT|PATCH|DELETE",le="0.5"}[1h]))'
    );
  });

  it('keep a regex job matcher as written', () => {
    const doc = yaml.load(specText) as any;
    doc.slos[0].sli.valid = 'http_requests_total{job=~"veza-api|veza-api-canary",method="GET"}';
    const s = parseSpec(yaml.dump(doc), schema);
    expect(noDataRule(s, s.slos[0], 'http://x').expr).toMatch(/^\(sum\(up\{job=~"veza-api\|veza-api-canary"\}\)/);
  });

  it('use the slowest tier left when the fast one is off', () => {
    const doc = yaml.load(specText) as any;
    doc.slos[2].alerts.FastBurn = { enabled: false };
    const s = parseSpec(yaml.dump(doc), schema);
    expect(noDataRule(s, s.slos[2], 'http://x').expr).toContain('[6h]))');
  });
});

describe('retention alert', () => {
  it('asks for the longest SLO window', () => {
    expect(retentionRule(spec, 'http://x').expr).toContain('< 2592000');
    const doc = yaml.load(specText) as any;
    doc.slos[1].window = '90d';
    expect(retentionRule(parseSpec(yaml.dump(doc), schema), 'http://x').expr).toContain('< 7776000');
  });

  it('is one ticket with a runbook', () => {
    const file = guardFile(spec, 'http://x');
    const rules = file.groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual([
      'APIAvailabilitySLONoData',
      'APILatencySLONoData',
      'PaymentSuccessSLONoData',
      'SLOPrometheusRetentionTooShort',
    ]);
    expect(rules[3].labels).toEqual({ severity: 'ticket', slo_alert: 'retention' });
    expect(rules[3].annotations.runbook_url).toBe(
      'http://x/a/veza-slo-app/runbooks/disk-full#prometheus-keeps-less-than-30-days'
    );
  });
});
