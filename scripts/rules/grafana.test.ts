// The Grafana-managed alert rules (`npm run rules -- --format grafana`, scripts/rules/grafana.ts): committed =
// fresh generation, the same alerts as the Prometheus rule files (expression, for, labels, runbook), condition
// "A returns a series", templates Grafana can expand, and a dashboard panel behind each. Their queries run on the
// stack's Prometheus in grafana.integration.ts.
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { allPanels, type Dashboard } from '../dashboards/model';
import { generate, root } from './commands';
import { ruleUid } from './grafana';
import type { PromRule } from './rules';

jest.setTimeout(60_000); // spawns tsx

interface GrafanaRule {
  uid: string;
  title: string;
  condition: string;
  data: Array<{ refId: string; datasourceUid: string; model: { expr?: string; type?: string; expression?: string } }>;
  noDataState: string;
  execErrState: string;
  for: string;
  annotations: Record<string, string>;
  labels: Record<string, string>;
}
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');
const FILE = 'provisioning/grafana-managed/slo-alerts.yaml';
const doc = yaml.load(read(FILE)) as {
  apiVersion: number;
  groups: Array<{ folder: string; interval: string; rules: GrafanaRule[] }>;
};
const rules = doc.groups.flatMap((g) => g.rules);
const promAlerts = ['provisioning/prometheus/slo.yml', 'provisioning/prometheus/slo-guards.yml'].flatMap((f) =>
  (yaml.load(read(f)) as { groups: Array<{ rules: PromRule[] }> }).groups.flatMap((g) => g.rules).filter((r) => r.alert)
);
const detail = JSON.parse(read('src/dashboards/slo-detail.json')) as Dashboard & { panels: Array<{ id: number }> };

test('generator: the committed Grafana rules equal a fresh generation', () => {
  const r = generate('--format', 'grafana', '--check');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});

test('generator: an unknown --format is refused (exit 2) and nothing is written', () => {
  const r = generate('--format', 'sloth');
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('--format sloth: expected prometheus or grafana');
});

test('every Prometheus alert (slo.yml, slo-guards.yml) is one Grafana rule: same expression, for, labels, links', () => {
  expect(rules.map((r) => r.title).sort()).toEqual(promAlerts.map((r) => r.alert).sort());
  for (const p of promAlerts) {
    const g = rules.find((r) => r.title === p.alert)!;
    expect(g.data.find((d) => d.refId === 'A')!.model.expr).toBe(p.expr);
    expect(g.for).toBe(p.for ?? '0s');
    expect(g.labels).toEqual(p.labels);
    expect(g.annotations.runbook_url).toBe(p.annotations!.runbook_url);
    expect(g.annotations.summary).toBe(p.annotations!.summary);
  }
  expect(doc.apiVersion).toBe(1);
  expect(new Set(doc.groups.map((g) => g.folder))).toEqual(new Set(['Veza SLO']));
});

test('condition: any series of A fires (the no-data guard fires with the value 0); no data is OK, an error alerts', () => {
  for (const r of rules) {
    expect(r.condition).toBe('C');
    const c = r.data.find((d) => d.refId === 'C')!;
    expect([c.datasourceUid, c.model.type, c.model.expression]).toEqual([
      '__expr__',
      'math',
      'is_number($A) || is_nan($A) || is_inf($A)',
    ]);
    expect([r.noDataState, r.execErrState]).toEqual(['OK', 'Error']);
    expect(r.data.filter((d) => d.refId !== 'C').every((d) => d.datasourceUid === 'prometheus')).toBe(true);
  }
});

test("templates are Grafana's: no Prometheus query function, no bare $value, the values of A (and B)", () => {
  for (const r of rules) {
    for (const text of Object.values(r.annotations)) {
      expect(text).not.toMatch(/\bquery\s+`/);
      expect(text).not.toMatch(/\$value\b/);
    }
  }
  const burn = rules.filter((r) => r.labels.slo_tier);
  expect(burn.length).toBe(6);
  for (const r of burn) {
    expect(r.annotations.description).toContain('humanizePercentage $values.A.Value');
    expect(r.annotations.description).toContain('{{ with $values.B }}');
  }
  const noData = rules.find((r) => r.labels.slo_alert === 'no-data')!;
  expect(noData.annotations.description).toContain('{{ if eq $values.A.Value 0.0 }}');
});

test('uids: unique, at most 40 characters of [a-zA-Z0-9-_], stable; a long name keeps a distinct hash', () => {
  const uids = rules.map((r) => r.uid);
  expect(new Set(uids).size).toBe(uids.length);
  for (const u of uids) {
    expect(u).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
  }
  const [a, b] = [ruleUid('X'.repeat(60) + 'FastBurn'), ruleUid('X'.repeat(60) + 'SlowBurn')];
  expect(a).not.toBe(b);
  expect(a.length).toBeLessThanOrEqual(40);
  expect(ruleUid('X'.repeat(60) + 'FastBurn')).toBe(a);
});

test('each SLO rule points at the SLO detail dashboard: a burn alert at its tier chart, a guard at the budget stat', () => {
  for (const r of rules.filter((x) => x.labels.slo)) {
    expect(r.annotations.__dashboardUid__).toBe(detail.uid);
    const panel = allPanels(detail).find((p) => String((p as { id?: number }).id) === r.annotations.__panelId__);
    expect(panel).toBeDefined();
    expect(panel!.title).toMatch(r.labels.slo_tier ? new RegExp(`^${r.labels.slo_tier} \\(`) : /^Error budget left$/);
  }
  const retention = rules.find((r) => r.title === 'SLOPrometheusRetentionTooShort')!;
  expect(retention.annotations.__dashboardUid__).toBeUndefined();
});
