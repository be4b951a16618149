// Pure functions from the SLO spec to the Prometheus rule file (no I/O).
// The recording-rule expressions keep the exact form the app parses (CONTRIBUTING.md):
//   (sum(rate(<bad>[W])) or vector(0)) / sum(rate(<valid>[W]))   or   1 - sum(rate(<good>[W])) / sum(rate(<valid>[W]))
// `or vector(0)`: a counter of errors that never happened has no series at all, and a bare sum over it would make
// the ratio vanish instead of reading 0 while traffic flows. No traffic still gives 0/0 = NaN, which never fires.
import yaml from 'js-yaml';
import { RuleWindow, seconds, Slo, Spec, Tier } from './spec';

export const RULE_WINDOWS: RuleWindow[] = ['5m', '30m', '1h', '6h'];
export const DEFAULT_GRAFANA_URL = 'http://127.0.0.1:3000';
const APP_PATH = '/a/veza-slo-app';

export const recordName = (w: string) => `slo:sli_error:ratio_rate${w}`;
export const alertName = (slo: Slo, tier: string) => `${slo.name}SLO${tier}`;

/** The SLO's error ratio over a window, using `fn` (rate for the rules, increase for the budget). */
export function errorRatio(slo: Slo, window: string, fn: 'rate' | 'increase' = 'rate'): string {
  const sum = (sel: string) => `sum(${fn}(${sel}[${window}]))`;
  return slo.sli.bad !== undefined
    ? `(${sum(slo.sli.bad)} or vector(0)) / ${sum(slo.sli.valid)}`
    : `1 - ${sum(slo.sli.good)} / ${sum(slo.sli.valid)}`;
}

/** 1 - objective, written the way it reads in the alert expression. */
const budget = (slo: Slo) => `(1 - ${slo.objective})`;

/** A number for people: 0.07200000000000006 → "7.2". */
const pct = (ratio: number) => String(Number((ratio * 100).toPrecision(6)));

export function recordingRule(slo: Slo, window: RuleWindow) {
  const labels: Record<string, string> = {
    slo: slo.id,
    slo_title: slo.title,
    slo_objective: String(slo.objective),
    slo_window: slo.window,
    slo_kind: slo.kind,
  };
  if (slo.latencyThresholdSeconds !== undefined) {
    labels.slo_latency_threshold_seconds = String(slo.latencyThresholdSeconds);
  }
  return { record: recordName(window), expr: errorRatio(slo, window), labels };
}

/**
 * The alert description. Prometheus expands it only while the alert is pending or firing, so the
 * 30-day query in it costs nothing the rest of the time. $value is the long-window error ratio
 * (the left operand of `and` in the alert expression).
 */
function description(slo: Slo, tier: Tier): string {
  const sel = `{slo="${slo.id}"}`;
  const burnNow = `${recordName(tier.longWindow)}${sel} / ${budget(slo)}`;
  const budgetLeft = `1 - (${errorRatio(slo, slo.window, 'increase')}) / ${budget(slo)}`;
  // Seconds until the rest of the budget is spent if the long-window burn rate holds.
  const timeLeft = `(${budgetLeft}) * ${seconds(slo.window)} / scalar(${burnNow})`;
  return [
    `Error ratio {{ $value | humanizePercentage }} over ${tier.longWindow}`,
    `{{ with query \`${recordName(tier.shortWindow)}${sel}\` }} and {{ . | first | value | humanizePercentage }} over ${tier.shortWindow}{{ end }}`,
    `, above ${pct(tier.burnRate * (1 - slo.objective))} % (${tier.burnRate} × the ${pct(1 - slo.objective)} % budget).`,
    ` Burn rate now: {{ with query \`${burnNow}\` }}{{ . | first | value | printf "%.1f" }}{{ end }}×.`,
    ` {{ with query \`${timeLeft}\` }}{{ $left := . | first | value }}`,
    `{{ if gt $left 0.0 }}At this rate the rest of the ${slo.window} error budget is gone in {{ $left | humanizeDuration }}.`,
    `{{ else }}The ${slo.window} error budget is already spent.{{ end }}{{ end }}`,
    ` SLI: ${slo.description} Objective ${pct(slo.objective)} % over ${slo.window}. Owner: ${slo.owner}.`,
  ].join('');
}

export function alertRule(slo: Slo, tierName: string, tier: Tier, grafanaUrl: string) {
  const threshold = `(${tier.burnRate} * ${budget(slo)})`;
  const over = (w: string) => `${recordName(w)}{slo="${slo.id}"} > ${threshold}`;
  const consumed = pct((tier.burnRate * seconds(tier.longWindow)) / seconds(slo.window));
  return {
    alert: alertName(slo, tierName),
    // Both windows: the long one proves the burn is real, the short one that it is still going on.
    // With no traffic the ratios are 0/0 = NaN and NaN > x is false, so an idle SLO stays silent.
    expr: `${over(tier.longWindow)}\nand\n${over(tier.shortWindow)}`,
    for: tier.for,
    labels: {
      slo: slo.id,
      severity: tier.severity,
      slo_burn_rate: String(tier.burnRate),
      slo_long_window: tier.longWindow,
      slo_short_window: tier.shortWindow,
    },
    annotations: {
      summary: `${slo.title}: error budget burning ${tier.burnRate}× too fast (${consumed} % of the ${slo.window} budget in ${tier.longWindow})`,
      description: description(slo, tier),
      runbook_url: `${grafanaUrl}${APP_PATH}/runbooks/${slo.alerts[tierName].runbook}`,
      // The SLO page highlights the alert named here; Alertmanager's templates add the alert's time range.
      dashboard_url: `${grafanaUrl}${APP_PATH}/slos/${slo.id}?alert=${alertName(slo, tierName)}`,
    },
  };
}

/** The whole rule file: one group per SLO, recording rules first so its alerts read fresh values. */
export function ruleFile(spec: Spec, grafanaUrl: string) {
  return {
    groups: spec.slos.map((slo) => ({
      name: `slo-${slo.id}`,
      rules: [
        ...RULE_WINDOWS.map((w) => recordingRule(slo, w)),
        ...Object.entries(spec.alertPolicy).map(([name, tier]) => alertRule(slo, name, tier, grafanaUrl)),
      ],
    })),
  };
}

export function renderRuleFile(spec: Spec, grafanaUrl: string): string {
  const header = [
    '# GENERATED by `npm run rules` (scripts/rules/generate.ts) from provisioning/slo/slos.yaml.',
    '# Do not edit: change the spec and regenerate. A test fails when this file is stale.',
    `# Grafana base URL in links: ${grafanaUrl}`,
    '',
  ].join('\n');
  return header + yaml.dump(ruleFile(spec, grafanaUrl), { lineWidth: -1, noRefs: true, quotingType: "'" });
}

/** Checks and normalizes the --grafana-url option (no trailing slash). */
export function normalizeGrafanaUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`--grafana-url: not a URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`--grafana-url: must be http or https: ${raw}`);
  }
  return raw.replace(/\/+$/, '');
}
