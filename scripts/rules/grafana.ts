// Pure functions from the SLO spec to Grafana-managed alert rules in Grafana's alerting file provisioning format
// (`npm run rules -- --format grafana`, provisioning/grafana-managed/slo-alerts.yaml), for teams that alert from
// Grafana rather than from Prometheus rules. The same alerts as slo.yml and slo-guards.yml: the same expressions,
// `for:`, labels and runbook_url, plus __dashboardUid__/__panelId__ on the SLO detail dashboard (Grafana links the
// alert to that panel).
//
// How a Prometheus alert becomes a Grafana rule: query A is the alert's expression as an instant query; condition C
// is a math expression that is 1 for every series A returns, so "A returns a series" fires, exactly Prometheus'
// rule (the no-data guard's series has the value 0, which a `> 0` threshold would miss). No series is "no data",
// which is OK (nothing fires); a failed query is an error state, which alerts (a Prometheus nobody can read must not
// look quiet). The burn alerts still read the recording rules of slo.yml: Prometheus must keep evaluating those.
// Grafana's templates have no `query` function, so a burn alert's description reads the short window from query B.
import { DASHBOARD_UIDS, tierPanelId } from '../dashboards/dashboards';
import { guardFile } from './guards';
import { recordName, ruleFile, type PromRule } from './rules';
import type { Spec } from './spec';

export const GRAFANA_FOLDER = 'Veza SLO';
export const DEFAULT_GRAFANA_RULES_OUT = 'provisioning/grafana-managed/slo-alerts.yaml';
/** How far back Grafana asks for an instant query (it evaluates at the end of the range). */
const RANGE = { from: 600, to: 0 };

const pct = (n: number) => `${+(n * 100).toFixed(4)}`;

/** A Grafana rule uid: ≤ 40 characters of [a-zA-Z0-9-_], stable for an alert name. */
export function ruleUid(alert: string): string {
  const base = `veza-${alert.replace(/[^a-zA-Z0-9]+/g, '-').toLowerCase()}`;
  if (base.length <= 40) {
    return base;
  }
  // Long names keep their head and a short hash of the whole, so two long names never collide.
  let h = 0;
  for (const c of alert) {
    h = (h * 31 + c.charCodeAt(0)) >>> 0;
  }
  return `${base.slice(0, 31)}-${h.toString(36).padStart(7, '0').slice(0, 8)}`;
}

/** Prometheus' `$value` in a template is Grafana's `$values.A.Value` (query A is the alert's expression). */
const toGrafanaTemplate = (text: string) => {
  if (/\bquery\s+`/.test(text)) {
    throw new Error(`a template uses Prometheus' query function, which Grafana has not: ${text.slice(0, 80)}…`);
  }
  return text.replace(/\$value\b/g, '$values.A.Value');
};

function promQuery(refId: string, expr: string) {
  return {
    refId,
    relativeTimeRange: RANGE,
    datasourceUid: 'prometheus',
    model: { refId, expr, instant: true, range: false, datasource: { type: 'prometheus', uid: 'prometheus' } },
  };
}

/** 1 for every series of A, whatever its value (NaN and ±Inf included): a returned series is a firing alert. */
const anySeries = {
  refId: 'C',
  datasourceUid: '__expr__',
  model: { refId: 'C', type: 'math', expression: 'is_number($A) || is_nan($A) || is_inf($A)' },
};

function grafanaRule(spec: Spec, rule: PromRule) {
  const labels = rule.labels ?? {};
  const slo = spec.slos.find((s) => s.id === labels.slo);
  const tier = labels.slo_tier;
  const { description, ...annotations } = rule.annotations ?? {};
  const data = [promQuery('A', rule.expr)];
  let text: string | undefined;
  if (!(slo && tier)) {
    text = description ? toGrafanaTemplate(description) : undefined;
  } else {
    const t = spec.alertPolicy[tier];
    // B: the short window, for the description only (the condition reads A).
    data.push(promQuery('B', `sum by (slo) (${recordName(t.shortWindow)}{slo="${slo.id}"})`));
    text =
      `Error ratio {{ humanizePercentage $values.A.Value }} over ${t.longWindow}` +
      `{{ with $values.B }} and {{ humanizePercentage .Value }} over ${t.shortWindow}{{ end }}, above ` +
      `${pct(t.burnRate * (1 - slo.objective))} % (${t.burnRate} × the ${pct(1 - slo.objective)} % budget).` +
      ` SLI: ${slo.description} Objective ${pct(slo.objective)} % over ${slo.window}. Owner: ${slo.owner}.`;
  }
  return {
    uid: ruleUid(rule.alert!),
    title: rule.alert!,
    condition: 'C',
    data: [...data, anySeries],
    noDataState: 'OK',
    execErrState: 'Error',
    for: rule.for ?? '0s',
    annotations: {
      ...annotations,
      ...(text ? { description: text } : {}),
      ...(slo
        ? { __dashboardUid__: DASHBOARD_UIDS.sloDetail, __panelId__: String(tier ? tierPanelId(spec, tier) : 1) }
        : {}),
    },
    labels,
    isPaused: false,
  };
}

/** Every alert of slo.yml and slo-guards.yml as Grafana rules, one group per Prometheus group, in folder "Veza SLO". */
export function grafanaRuleFile(spec: Spec, grafanaUrl: string) {
  const groups = [...ruleFile(spec, grafanaUrl).groups, ...guardFile(spec, grafanaUrl).groups];
  return {
    apiVersion: 1,
    groups: groups
      .map((g) => ({
        orgId: 1,
        name: g.name,
        folder: GRAFANA_FOLDER,
        interval: '30s',
        rules: (g.rules as PromRule[]).filter((r) => r.alert).map((r) => grafanaRule(spec, r)),
      }))
      .filter((g) => g.rules.length),
  };
}
