// Pure functions from the SLO spec to provisioning/prometheus/slo-guards.yml: the alerts that watch the SLO
// signal itself rather than its value. A burn-rate alert reads ratios of counters; when the API's target is down
// or the SLI's series are gone, those ratios vanish and no burn alert can fire, so without these an outage that
// kills the process reads as "no errors". Kept out of slo.yml, whose 12 + 6 rules are Veza's acceptance figure.
import { alertName, APP_PATH, sloLinks, tierContexts } from './rules';
import { jobMatcher, seconds, Slo, Spec } from './spec';

export const noDataName = (slo: Slo) => alertName(slo, 'NoData');
export const RETENTION_ALERT = 'SLOPrometheusRetentionTooShort';
export const RETENTION_RUNBOOK = 'disk-full#prometheus-keeps-less-than-30-days';

/**
 * <Name>SLONoData. Two ways an SLO loses its signal, one expression so one page:
 * - no target of the SLI's job answers: `sum(up{job})` is 0, or there is no such target at all (vector(0)).
 *   Prometheus writes up=0 on every failed scrape, so this keeps firing as long as the process is down.
 * - the job answers but the SLI's series have had no sample for the fastest tier's long window (renamed metric,
 *   broken relabelling, the route no longer instrumented). A window that long lets a low-traffic SLI
 *   (12 orders an hour) sit idle after a restart without paging.
 * $value says which: 0 = targets down, 1 = series missing.
 */
export function noDataRule(spec: Spec, slo: Slo, grafanaUrl: string) {
  const tiers = tierContexts(spec, slo).sort((a, b) => a.rank - b.rank);
  const lookback = tiers[0].tier.longWindow;
  const job = jobMatcher(slo.sli.valid);
  const series = [slo.sli.valid, ...(slo.sli.good ? [slo.sli.good] : [])];
  const expr = [
    `(sum(up{${job}}) or vector(0)) == 0`,
    ...series.map((s) => `sum(absent_over_time(${s}[${lookback}]))`),
  ].join('\nor\n');
  const name = noDataName(slo);
  const links = sloLinks(slo, name, grafanaUrl, slo.alerts[tiers[0].name].runbook!);
  return {
    alert: name,
    expr,
    // Longer than a scrape hiccup or a restart (a few 5 s scrapes), far shorter than a fast burn's detection.
    for: '2m',
    labels: { slo: slo.id, severity: 'page', slo_alert: 'no-data' },
    annotations: {
      summary: `${slo.title}: no data — the SLO cannot be measured and its burn-rate alerts cannot fire`,
      description: [
        `{{ if eq $value 0.0 }}No target of ${job} answers its scrape (up is 0, or no such target is scraped).`,
        `{{ else }}${job} answers, but the SLI's series have had no sample for ${lookback}: ${series.join(' / ')}.{{ end }}`,
        ` Until data returns, ${slo.title} reads as nothing at all: no burn-rate alert can fire and the SLO page shows no data.`,
        ` Owner: ${slo.owner}.`,
      ].join(''),
      ...links,
      runbook_url: `${links.runbook_url}#no-data`,
    },
  };
}

/**
 * SLOPrometheusRetentionTooShort: the budget of the longest SLO window needs that much history. Prometheus 2.42
 * does not export its retention setting (prometheus_tsdb_retention_limit_seconds arrived in later releases, and
 * the first branch uses it where it exists), so the second branch reads the effect: Prometheus has deleted data
 * for retention (time or size) in the last 7 days and what it still holds spans less than the window. A new
 * Prometheus that simply has not collected 30 days yet is not flagged: its data is short, not its retention.
 */
export function retentionRule(spec: Spec, grafanaUrl: string) {
  const longest = spec.slos.reduce((a, s) => (seconds(s.window) > seconds(a.window) ? s : a));
  const need = seconds(longest.window);
  const deleted = ['time', 'size'].map((k) => `increase(prometheus_tsdb_${k}_retentions_total[7d]) > 0`).join(' or ');
  return {
    alert: RETENTION_ALERT,
    expr: [
      `prometheus_tsdb_retention_limit_seconds > 0 < ${need}`,
      'or',
      `(time() - prometheus_tsdb_lowest_timestamp_seconds) < ${need}`,
      'and on(instance, job)',
      `(${deleted})`,
    ].join('\n'),
    for: '1h',
    labels: { severity: 'ticket', slo_alert: 'retention' },
    annotations: {
      summary: `Prometheus keeps less than ${longest.window}: the ${longest.window} error budgets are computed over missing data`,
      description:
        `Prometheus {{ $labels.instance }} keeps {{ $value | humanizeDuration }} of samples, less than the ${longest.window} window of ` +
        `the SLO "${longest.title}". The error budget (increase over ${longest.window}) then covers only what is left and reads better ` +
        `than it is. Set --storage.tsdb.retention.time to at least ${longest.window} (and --storage.tsdb.retention.size high enough).`,
      runbook_url: `${grafanaUrl}${APP_PATH}/runbooks/${RETENTION_RUNBOOK}`,
    },
  };
}

export function guardFile(spec: Spec, grafanaUrl: string) {
  return {
    groups: [
      { name: 'slo-no-data', rules: spec.slos.map((slo) => noDataRule(spec, slo, grafanaUrl)) },
      { name: 'slo-prometheus', rules: [retentionRule(spec, grafanaUrl)] },
    ],
  };
}
