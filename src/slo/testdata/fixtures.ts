/** Test fixtures: the generated rule file as the rules API would serve it, and a Sloth-style group. */
import fs from 'fs';
import path from 'path';
import yaml from 'js-yaml';
import type { PromAlertingRule, PromRule, PromRulesData } from '../../api/types';
import { parseDuration } from '../duration';

interface RuleFileRule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Rule files generated before issue 10 (two tiers, no guard) and after it (four tiers, guards, NoData). */
export const RULES_BEFORE_GUARD = path.join(__dirname, 'rules-before-guard.yml');
export const RULES_FOUR_TIERS = path.join(__dirname, 'rules-four-tiers.yml');
export const RULES_FOUR_TIERS_GUARDS = path.join(__dirname, 'rules-four-tiers-guards.yml');

/** provisioning/prometheus/slo.yml → the shape of GET /api/v1/rules (all alerts inactive unless overridden). */
export function rulesFromFile(
  file = path.join(__dirname, '../../../provisioning/prometheus/slo.yml'),
  states: Record<string, PromAlertingRule['state']> = {}
): PromRulesData {
  return rulesFromFiles([file], states);
}

/** Several rule files as Prometheus serves them together (groups in file order, evaluated every 5 s). */
export function rulesFromFiles(
  files: string[],
  states: Record<string, PromAlertingRule['state']> = {}
): PromRulesData {
  return { groups: files.flatMap((file) => groupsOf(file, states)) };
}

function groupsOf(file: string, states: Record<string, PromAlertingRule['state']>): PromRulesData['groups'] {
  const doc = yaml.load(fs.readFileSync(file, 'utf8')) as { groups: Array<{ name: string; rules: RuleFileRule[] }> };
  return doc.groups.map((g) => ({
      name: g.name,
      file,
      interval: 5,
      rules: g.rules.map((r): PromRule => {
        if (r.record) {
          return { type: 'recording', name: r.record, query: r.expr, labels: r.labels, health: 'ok' };
        }
        const state = states[r.alert!] ?? 'inactive';
        return {
          type: 'alerting',
          name: r.alert!,
          query: r.expr,
          duration: parseDuration(r.for) ?? 0,
          labels: r.labels,
          annotations: r.annotations,
          state,
          alerts:
            state === 'inactive'
              ? []
              : [{ labels: { alertname: r.alert!, ...r.labels }, state, activeAt: '2026-01-01T00:00:00Z', value: '0.1' }],
          health: 'ok',
        };
      }),
    }));
}

/** A trimmed Sloth output (examples/_gen/getting-started.yml shape). */
export function slothRules(): PromRulesData {
  const labels = { sloth_id: 'myservice-requests-availability', sloth_service: 'myservice', sloth_slo: 'requests-availability' };
  const sli = (w: string) => ({
    type: 'recording' as const,
    name: `slo:sli_error:ratio_rate${w}`,
    query: `(sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[${w}])))\n/\n(sum(rate(http_request_duration_seconds_count{job="myservice"}[${w}])))`,
    labels: { ...labels, sloth_window: w },
  });
  return {
    groups: [
      { name: 'sloth-slo-sli-recordings-myservice-requests-availability', rules: ['5m', '30m', '1h', '2h', '6h', '1d', '3d'].map(sli) },
      {
        name: 'sloth-slo-meta-recordings-myservice-requests-availability',
        rules: [
          { type: 'recording', name: 'slo:objective:ratio', query: 'vector(0.9990000000000001)', labels },
          { type: 'recording', name: 'slo:error_budget:ratio', query: 'vector(1-0.9990000000000001)', labels },
          { type: 'recording', name: 'slo:time_period:days', query: 'vector(30)', labels },
        ],
      },
      {
        name: 'sloth-slo-alerts-myservice-requests-availability',
        rules: [
          {
            type: 'alerting',
            name: 'MyServiceHighErrorRate',
            query: '(max(slo:sli_error:ratio_rate5m{sloth_id="myservice-requests-availability"} > (14.4 * 0.0009999999999999432)) ...)',
            labels: { ...labels, sloth_severity: 'page', severity: 'pageteam' },
            annotations: { summary: 'High error rate on myservice requests responses' },
            state: 'firing',
            alerts: [{ labels: {}, state: 'firing', activeAt: '2026-01-01T00:00:00Z', value: '1' }],
          },
          {
            type: 'alerting',
            name: 'MyServiceHighErrorRate',
            query: '(max(slo:sli_error:ratio_rate2h{sloth_id="myservice-requests-availability"} > (3 * 0.0009999999999999432)) ...)',
            labels: { ...labels, sloth_severity: 'ticket', severity: 'slack' },
            state: 'inactive',
            alerts: [],
          },
        ],
      },
    ],
  };
}
