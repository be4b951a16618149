// Pure functions from the SLO spec to the Prometheus rule file (no I/O).
// The recording-rule expressions keep the exact form the app parses (CONTRIBUTING.md):
//   (sum(rate(<bad>[W])) or vector(0)) / sum(rate(<valid>[W]))   or   1 - sum(rate(<good>[W])) / sum(rate(<valid>[W]))
// `or vector(0)`: a counter of errors that never happened has no series at all, and a bare sum over it would make
// the ratio vanish instead of reading 0 while traffic flows. No traffic still gives 0/0 = NaN, which never fires.
import yaml from 'js-yaml';
import { type BudgetPolicy, encodePolicy, POLICY_ANNOTATION } from '../../src/slo/policy';
import { CORRECTIONS_ANNOTATION, encodeRecurring } from '../../src/slo/recurringCorrections';
import { enabledTiers, minEvents, RuleWindow, seconds, Slo, sloPolicy, Spec, Tier } from './spec';

/** Windows every SLO records (the app reads them); a tier's other windows are added per SLO, see sloWindows. */
export const RULE_WINDOWS: RuleWindow[] = ['5m', '30m', '1h', '6h'];
export const DEFAULT_GRAFANA_URL = 'http://127.0.0.1:3000';
export const DEFAULT_SPEC = 'provisioning/slo/slos.yaml';
export const APP_PATH = '/a/veza-slo-app';

/** A rule of a Prometheus rule file as read back from YAML (tests and the Grafana format read the files). */
export interface PromRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export const recordName = (w: string) => `slo:sli_error:ratio_rate${w}`;
export const alertName = (slo: Slo, tier: string) => `${slo.name}SLO${tier}`;

/** The SLO's error ratio over a window, using `fn` (rate for the rules, increase for the budget). */
export function errorRatio(slo: Slo, window: string, fn: 'rate' | 'increase' = 'rate'): string {
  const sum = (sel: string) => `sum(${fn}(${sel}[${window}]))`;
  return slo.sli.bad !== undefined
    ? `(${sum(slo.sli.bad)} or vector(0)) / ${sum(slo.sli.valid)}`
    : `1 - ${sum(slo.sli.good!)} / ${sum(slo.sli.valid)}`;
}

/** 1 - objective, written the way it reads in the alert expression. */
export const budget = (slo: Slo) => `(1 - ${slo.objective})`;

/** The base windows plus those the SLO's enabled tiers need (2h, 24h, 3d for the workbook's ticket tiers). */
export function sloWindows(spec: Spec, slo: Slo): RuleWindow[] {
  const wanted = new Set<RuleWindow>(RULE_WINDOWS);
  for (const [, tier] of enabledTiers(spec, slo)) {
    wanted.add(tier.longWindow);
    wanted.add(tier.shortWindow);
  }
  return [...wanted].sort((a, b) => seconds(a) - seconds(b));
}

/**
 * Each policy tier's rank: 1 for the shortest long window (the fastest detection), then 2, 3, ...; a tie goes
 * to the higher burn rate. Alertmanager lets a firing tier mute the higher ranks of the same SLO.
 */
export function tierRanks(spec: Spec): Map<string, number> {
  const order = Object.entries(spec.alertPolicy).sort(
    ([an, a], [bn, b]) =>
      seconds(a.longWindow) - seconds(b.longWindow) || b.burnRate - a.burnRate || an.localeCompare(bn)
  );
  return new Map(order.map(([name], i) => [name, i + 1]));
}

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

export const sloLinks = (slo: Slo, alert: string, grafanaUrl: string, runbook: string) => ({
  runbook_url: `${grafanaUrl}${APP_PATH}/runbooks/${runbook}`,
  // The SLO page highlights the alert named here; Alertmanager's templates add the alert's time range.
  dashboard_url: `${grafanaUrl}${APP_PATH}/slos/${slo.id}?alert=${alert}`,
});

export interface TierContext {
  name: string;
  tier: Tier;
  rank: number;
  minEvents: number;
  /** The SLO's error-budget policy, carried in an annotation for the app and the deploy gate. */
  policy?: BudgetPolicy;
}

export function alertRule(slo: Slo, t: TierContext, grafanaUrl: string) {
  const { tier } = t;
  const threshold = `(${tier.burnRate} * ${budget(slo)})`;
  const over = (w: string) => `${recordName(w)}{slo="${slo.id}"} > ${threshold}`;
  const consumed = pct((tier.burnRate * seconds(tier.longWindow)) / seconds(slo.window));
  const enough = `sum(increase(${slo.sli.valid}[${tier.longWindow}])) >= ${t.minEvents}`;
  return {
    alert: alertName(slo, t.name),
    // Both windows: the long one proves the burn is real, the short one that it is still going on.
    // With no traffic the ratios are 0/0 = NaN and NaN > x is false, so an idle SLO stays silent.
    // The third clause is the low-traffic guard: at 12 orders an hour one failed order is an 8 % error ratio,
    // so the long window must hold minEvents valid events before a ratio means anything. `and on()` keeps the
    // left side's value ($value, the long-window ratio) and labels.
    expr: `${over(tier.longWindow)}\nand\n${over(tier.shortWindow)}\nand on()\n${enough}`,
    for: tier.for,
    labels: {
      slo: slo.id,
      severity: tier.severity,
      slo_tier: t.name,
      slo_tier_rank: String(t.rank),
      slo_burn_rate: String(tier.burnRate),
      slo_long_window: tier.longWindow,
      slo_short_window: tier.shortWindow,
      slo_min_events: String(t.minEvents),
    },
    annotations: {
      summary: `${slo.title}: error budget burning ${tier.burnRate}× too fast (${consumed} % of the ${slo.window} budget in ${tier.longWindow})`,
      description: description(slo, tier),
      ...sloLinks(slo, alertName(slo, t.name), grafanaUrl, slo.alerts[t.name].runbook!),
      ...(t.policy ? { [POLICY_ANNOTATION]: encodePolicy(t.policy) } : {}),
      ...(slo.corrections?.length ? { [CORRECTIONS_ANNOTATION]: encodeRecurring(slo.corrections) } : {}),
    },
  };
}

/** The enabled tiers of an SLO with what its alerts need to know. */
export function tierContexts(spec: Spec, slo: Slo): TierContext[] {
  const ranks = tierRanks(spec);
  return enabledTiers(spec, slo).map(([name, tier]) => ({
    name,
    tier,
    rank: ranks.get(name)!,
    minEvents: minEvents(spec, slo),
    policy: sloPolicy(spec, slo),
  }));
}

/** The whole rule file: one group per SLO, recording rules first so its alerts read fresh values. */
export function ruleFile(spec: Spec, grafanaUrl: string) {
  return {
    groups: spec.slos.map((slo) => ({
      name: `slo-${slo.id}`,
      rules: [
        ...sloWindows(spec, slo).map((w) => recordingRule(slo, w)),
        ...tierContexts(spec, slo).map((t) => alertRule(slo, t, grafanaUrl)),
      ],
    })),
  };
}

/** A generated rule file's text: the header that marks it generated, then the YAML. */
export function renderGenerated(doc: object, grafanaUrl: string, source = DEFAULT_SPEC): string {
  const header = [
    `# GENERATED by \`npm run rules\` (scripts/rules/generate.ts) from ${source}.`,
    '# Do not edit: change the spec and regenerate. A test fails when this file is stale.',
    `# Grafana base URL in links: ${grafanaUrl}`,
    '',
  ].join('\n');
  return header + yaml.dump(doc, { lineWidth: -1, noRefs: true, quotingType: "'" });
}

export const renderRuleFile = (spec: Spec, grafanaUrl: string, source = DEFAULT_SPEC) =>
  renderGenerated(ruleFile(spec, grafanaUrl), grafanaUrl, source);

/**
 * Checks and normalizes the --grafana-url option (no trailing slash). The generator appends paths and its own
 * `?alert=`, and the links land in annotations Prometheus expands as templates and in every notification, so a
 * query string, a fragment, credentials or `{{` are refused rather than copied into 12 links.
 */
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
  if (url.username || url.password || /^[a-z]+:\/\/[^/]*@/i.test(raw)) {
    // Never echo the value: it holds a secret.
    throw new Error('--grafana-url: must not hold credentials (user:password@); links end up in every notification');
  }
  if (raw.includes('?')) {
    throw new Error(`--grafana-url: must not have a query string (the generator adds ?alert=…): ${raw}`);
  }
  if (raw.includes('#')) {
    throw new Error(`--grafana-url: must not have a fragment (#…): ${raw}`);
  }
  if (/\{\{|\}\}/.test(raw)) {
    throw new Error(`--grafana-url: must not contain {{ or }} (Prometheus would run it as a template): ${raw}`);
  }
  if (/[\s"'`<>\\]/.test(raw)) {
    throw new Error(`--grafana-url: must not contain spaces, quotes, <, > or backslashes: ${raw}`);
  }
  return raw.replace(/\/+$/, '');
}
