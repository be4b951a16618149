// Pure functions from the SLO spec to the dashboards the app ships (src/dashboards/*.json, plugin.json `includes`),
// built with Grafana's foundation SDK (TypeScript builders) so the JSON is Grafana's own schema, not hand-written.
// `npm run dashboards` writes them; a test fails when a committed file differs from a fresh generation.
//
// Every data source reference names a uid that provisioning/datasources/datasources.yaml provisions, and every
// Prometheus expression reads only what the generated rules record (slo.yml, slo-budget.yml) or Prometheus' own
// ALERTS, so the dashboards work on any Prometheus that runs our rules.
import * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import {
  AnnotationQueryBuilder,
  DashboardBuilder,
  DashboardLinkBuilder,
  DashboardLinkType,
  PanelBuilder as RawPanelBuilder,
  QueryVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
  type DataSourceRef,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder as PromQuery } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { BUDGET_BUCKETS } from '../../src/slo/hourlyBudget';
import { APP_PATH, recordName, RULE_WINDOWS } from '../rules/rules';
import { enabledTiers, seconds, type Slo, type Spec } from '../rules/spec';

/** The provisioned data sources (provisioning/datasources/datasources.yaml). */
export const PROMETHEUS: DataSourceRef = { type: 'prometheus', uid: 'prometheus' };
export const PGHA: DataSourceRef = { type: 'veza-pgha-datasource', uid: 'pgha' };
/** Our panel types; every other panel is a stock Grafana panel. */
export const TOPOLOGY_PANEL = 'veza-pgtopology-panel';
export const SLO_PANEL = 'veza-slo-panel';
export const OUR_PANEL_TYPES = [TOPOLOGY_PANEL, SLO_PANEL] as const;

export const DASHBOARD_UIDS = {
  nocWall: 'veza-noc-wall',
  sloDetail: 'veza-slo-detail',
  postgresHa: 'veza-postgres-ha',
} as const;
/** Grafana's grid: 30 px rows with 8 px between them; a 1080-pixel kiosk screen holds this many rows. */
export const KIOSK_ROWS_1080 = 27;
export const TAGS = ['veza', 'slo'];
/** The SLO detail dashboard's variable: one SLO id (from the recorded series' `slo` label). */
export const SLO_VAR = 'slo';

/** A PG HA data source query (pkg/models Query) as a foundation-SDK builder. */
class PghaQuery implements cog.Builder<cog.Dataquery> {
  constructor(private readonly query: Record<string, unknown>) {}
  build(): cog.Dataquery {
    // The marker method satisfies the SDK's Dataquery variant type; JSON.stringify leaves it out.
    const q = { _implementsDataqueryVariant() {}, refId: 'A', datasource: PGHA, ...this.query };
    return q;
  }
}

/**
 * `expr` per group of SLOs sharing a value, joined with `or`, each group's selectors restricted to its ids: how a
 * per-SLO constant (objective, window) enters one expression that a `$slo` variable then filters.
 */
function perValue<T>(slos: Slo[], valueOf: (s: Slo) => T, expr: (value: T, only: string) => string): string {
  const groups = new Map<T, string[]>();
  for (const s of slos) {
    groups.set(valueOf(s), [...(groups.get(valueOf(s)) ?? []), s.id]);
  }
  if (groups.size === 1) {
    return expr([...groups.keys()][0], '');
  }
  return [...groups].map(([v, ids]) => `(${expr(v, `,slo=~"${ids.map(escapeRegex).join('|')}"`)})`).join(' or ');
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&');

/** 1 − objective per SLO as a vector keyed by `slo`, for `/ on(slo) group_left()`. */
export function budgetTable(slos: Slo[]): string {
  return slos
    .map((s) => `label_replace(vector(${+(1 - s.objective).toFixed(12)}), "slo", "${s.id}", "", "")`)
    .join(' or ');
}

/** The burn rate of `$slo` over a recorded window: error ratio / (1 − objective). */
export const burnRateExpr = (slos: Slo[], window: string) =>
  `${recordName(window)}{slo="$${SLO_VAR}"} / on(slo) group_left() (${budgetTable(slos)})`;

/**
 * `$slo`'s error budget left over its window (1 = untouched, ≤ 0 = spent), from the hourly buckets: whole clock
 * hours (the app's pages add the 5-minute buckets at both ends; this chart moves hour by hour).
 */
export function budgetLeftExpr(slos: Slo[]): string {
  const events = (part: 'bad' | 'valid', window: string, only: string) =>
    `sum by (slo) (sum_over_time(${BUDGET_BUCKETS.hour.records[part]}{slo="$${SLO_VAR}"${only}}[${window}]))`;
  const ratio = perValue(
    slos,
    (s) => s.window,
    (window, only) => `${events('bad', window, only)} / ${events('valid', window, only)}`
  );
  return `1 - (${ratio}) / on(slo) group_left() (${budgetTable(slos)})`;
}

/** `$slo`'s alerts firing now (0 when none, so the stat reads 0 rather than "No data"). */
export const firingExpr = () => `count(ALERTS{slo="$${SLO_VAR}",alertstate="firing"}) or vector(0)`;

/** Every tier any SLO enables, in the spec's order, with the SLOs that enable it. */
function tiersOf(spec: Spec) {
  return Object.entries(spec.alertPolicy)
    .map(([name, tier]) => ({
      name,
      tier,
      slos: spec.slos.filter((s) => enabledTiers(spec, s).some(([n]) => n === name)),
    }))
    .filter((t) => t.slos.length);
}

const pct = (n: number) => `${+(n * 100).toFixed(3)} %`;

const thresholds = (steps: Array<{ value: number | null; color: string }>) =>
  new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps);

/** Failover episodes of the PG HA data source as region annotations (its `episodes` query answers Grafana's). */
const failoverAnnotations = () =>
  new AnnotationQueryBuilder()
    .name('Failovers')
    .datasource(PGHA)
    .enable(true)
    .iconColor('orange')
    .target(new PghaQuery({ refId: 'Failovers', queryType: 'episodes' }));

/**
 * What the topology panel draws from, all live: the formation, its verdict (status) and the last state changes,
 * as its own panel page sends them.
 */
const topologyQueries = () => [
  new PghaQuery({ refId: 'A', queryType: 'topology', live: true }),
  new PghaQuery({ refId: 'B', queryType: 'status', live: true }),
  new PghaQuery({ refId: 'C', queryType: 'events', live: true, limit: 50 }),
];

/** A dropdown of every dashboard tagged veza (Grafana's "dashboards" link type). */
const vezaDashboards = () =>
  new DashboardLinkBuilder('Veza dashboards').type(DashboardLinkType.Dashboards).tags(['veza']).asDropdown(true);

/** "Veza SLO — SLO detail": one SLO chosen by `$slo`, its burn-rate windows per tier, budget and failovers. */
export function sloDetailDashboard(spec: Spec) {
  const slos = spec.slos;
  const tiers = tiersOf(spec);
  const d = new DashboardBuilder('Veza SLO — SLO detail')
    .uid(DASHBOARD_UIDS.sloDetail)
    .description(
      'One SLO of the Veza API: budget left, burn rates against each alert tier, failovers. Generated from the SLO spec.'
    )
    .tags(TAGS)
    .editable()
    .time({ from: 'now-24h', to: 'now' })
    .refresh('1m')
    .timezone('browser')
    .withVariable(
      new QueryVariableBuilder(SLO_VAR)
        .label('SLO')
        .description('The SLOs the generated recording rules record (their `slo` label).')
        .datasource(PROMETHEUS)
        .query({ query: `label_values(${recordName('5m')}, slo)`, refId: 'SloVariable', qryType: 1 })
        .definition(`label_values(${recordName('5m')}, slo)`)
        .refresh(VariableRefresh.OnDashboardLoad)
        .sort(VariableSort.AlphabeticalAsc)
        .current({ text: slos[0].id, value: slos[0].id })
    )
    .annotation(failoverAnnotations())
    .link(
      new DashboardLinkBuilder('Open in Veza SLO')
        .type(DashboardLinkType.Link)
        .url(`${APP_PATH}/slos/\${${SLO_VAR}}`)
        .icon('external link')
        .tooltip("The app's SLO page: exact budget, alert history, backtest")
        .keepTime(true)
    )
    .link(vezaDashboards());

  // Row 1: where the SLO stands now.
  d.withPanel(
    new StatPanel()
      .title('Error budget left')
      .description(`Rolling window of the SLO (whole clock hours, from the hourly budget buckets); ≤ 0 % is spent.`)
      .datasource(PROMETHEUS)
      .withTarget(new PromQuery().expr(budgetLeftExpr(slos)).instant().legendFormat('{{slo}}').refId('A'))
      .unit('percentunit')
      .decimals(1)
      .thresholds(
        thresholds([
          { value: null, color: 'red' },
          { value: 0.25, color: 'orange' },
          { value: 0.5, color: 'green' },
        ])
      )
      .gridPos({ x: 0, y: 0, w: 8, h: 5 })
  );
  d.withPanel(
    new StatPanel()
      .title('Burn rate (1 h)')
      .description(
        'Error ratio over the last hour divided by the error budget (1 − objective): 1× spends the budget exactly over the window.'
      )
      .datasource(PROMETHEUS)
      .withTarget(new PromQuery().expr(burnRateExpr(slos, '1h')).instant().legendFormat('1h').refId('A'))
      .unit('x')
      .decimals(2)
      .thresholds(
        thresholds([
          { value: null, color: 'green' },
          { value: 1, color: 'orange' },
          { value: Math.min(...tiers.map((t) => t.tier.burnRate)), color: 'red' },
        ])
      )
      .gridPos({ x: 8, y: 0, w: 8, h: 5 })
  );
  d.withPanel(
    new StatPanel()
      .title('Alerts firing')
      .description('Burn-rate and no-data alerts of this SLO firing now (Prometheus ALERTS).')
      .datasource(PROMETHEUS)
      .withTarget(new PromQuery().expr(firingExpr()).instant().legendFormat('firing').refId('A'))
      .thresholds(
        thresholds([
          { value: null, color: 'green' },
          { value: 1, color: 'red' },
        ])
      )
      .gridPos({ x: 16, y: 0, w: 8, h: 5 })
  );

  // One chart per tier: both windows of its burn condition with the threshold drawn, as the alert reads them.
  d.withRow(new RowBuilder('Burn rates against the alert tiers').gridPos({ x: 0, y: 5, w: 24, h: 1 }));
  tiers.forEach(({ name, tier }, i) => {
    const windows = [tier.longWindow, tier.shortWindow];
    const p = new TimeseriesPanel()
      .title(`${name} (${tier.severity}): ${tier.longWindow} and ${tier.shortWindow} burn rate`)
      .description(
        `The alert fires when both windows stay above ${tier.burnRate}× for ${tier.for} ` +
          `(${pct((tier.burnRate * seconds(tier.longWindow)) / seconds(slos[0].window))} of a ${slos[0].window} budget in ${tier.longWindow}).`
      )
      .datasource(PROMETHEUS)
      .unit('x')
      .min(0)
      .thresholds(
        thresholds([
          { value: null, color: 'transparent' },
          { value: tier.burnRate, color: 'red' },
        ])
      )
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed))
      .gridPos({ x: (i % 2) * 12, y: 6 + Math.floor(i / 2) * 8, w: 12, h: 8 });
    windows.forEach((w, k) =>
      p.withTarget(
        new PromQuery()
          .expr(burnRateExpr(slos, w))
          .legendFormat(w)
          .refId(String.fromCharCode(65 + k))
      )
    );
    d.withPanel(p);
  });
  const below = 6 + Math.ceil(tiers.length / 2) * 8;
  d.withRow(new RowBuilder('Error budget').gridPos({ x: 0, y: below, w: 24, h: 1 }));
  d.withPanel(
    new TimeseriesPanel()
      .title('Error budget left over the rolling window')
      .description(
        'Recomputed every hour from the hourly budget buckets. Failovers of the Postgres formation are drawn as regions.'
      )
      .datasource(PROMETHEUS)
      .withTarget(new PromQuery().expr(budgetLeftExpr(slos)).legendFormat('budget left').refId('A'))
      .interval('1h')
      .unit('percentunit')
      .thresholds(
        thresholds([
          { value: null, color: 'red' },
          { value: 0, color: 'transparent' },
        ])
      )
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.LineAndArea))
      .gridPos({ x: 0, y: below + 1, w: 24, h: 8 })
  );
  d.withPanel(
    new TimeseriesPanel()
      .title('Error ratio by window')
      .description(`The recorded error ratios (${RULE_WINDOWS.join(', ')}); the budget is 1 − objective.`)
      .datasource(PROMETHEUS)
      .withTarget(
        new PromQuery()
          .expr(`{__name__=~"slo:sli_error:ratio_rate.+",slo="$${SLO_VAR}"}`)
          .legendFormat('{{__name__}}')
          .refId('A')
      )
      .unit('percentunit')
      .min(0)
      .gridPos({ x: 0, y: below + 9, w: 24, h: 8 })
  );
  return numberPanels(d.build());
}

/** "Postgres HA": the formation's topology (live), its verdict and measures, events and failover episodes. */
export function postgresHaDashboard() {
  const d = new DashboardBuilder('Veza SLO — Postgres HA')
    .uid(DASHBOARD_UIDS.postgresHa)
    .description(
      'The pg_auto_failover formation behind the Veza API and the PgBouncer in front of it (Veza PG HA data source).'
    )
    .tags(TAGS)
    .editable()
    .time({ from: 'now-24h', to: 'now' })
    .refresh('30s')
    .timezone('browser')
    .annotation(failoverAnnotations())
    .link(
      new DashboardLinkBuilder('Open in Veza SLO')
        .type(DashboardLinkType.Link)
        .url(`${APP_PATH}/topology`)
        .icon('external link')
        .tooltip("The app's Postgres HA page")
    )
    .link(vezaDashboards());
  d.withPanel(
    new RawPanelBuilder()
      .type(TOPOLOGY_PANEL)
      .title('Formation')
      .description('Nodes, their pg_auto_failover states, replication and where PgBouncer routes; live.')
      .datasource(PGHA)
      .targets(topologyQueries())
      .gridPos({ x: 0, y: 0, w: 14, h: 14 })
  );
  d.withPanel(
    new StatPanel()
      .title('Verdict and measures')
      .description(
        'The numbers a Grafana alert rule reads (measures query): healthy, verdict code, lag, eligible standbys, PgBouncer routing stale, last failover.'
      )
      .datasource(PGHA)
      .withTarget(new PghaQuery({ queryType: 'measures' }))
      .gridPos({ x: 14, y: 0, w: 10, h: 14 })
  );
  d.withPanel(
    new TablePanel()
      .title('Failover episodes')
      .description('Monitor events folded into episodes, with the time until a primary was writable again.')
      .datasource(PGHA)
      .withTarget(new PghaQuery({ queryType: 'episodes', limit: 200 }))
      .gridPos({ x: 0, y: 14, w: 24, h: 8 })
  );
  d.withPanel(
    new TablePanel()
      .title('Monitor events')
      .description("pg_auto_failover's event log, newest first.")
      .datasource(PGHA)
      .withTarget(new PghaQuery({ queryType: 'events', limit: 200 }))
      .gridPos({ x: 0, y: 22, w: 24, h: 10 })
  );
  return numberPanels(d.build());
}

/**
 * Panel ids 1, 2, … in grid order (rows included), stable across generations: Grafana alert rules point at a panel
 * by id (`__panelId__`, scripts/rules/grafana.ts), and links to `viewPanel` use it too.
 */
function numberPanels<T extends { panels?: Array<{ id?: number }> }>(d: T): T {
  d.panels?.forEach((p, i) => (p.id = i + 1));
  return d;
}

/** The SLO detail dashboard's panel id of a tier's burn chart (the Grafana alert rules point at it). */
export function tierPanelId(spec: Spec, tier: string): number {
  const p = (sloDetailDashboard(spec).panels ?? []).find((x) => 'title' in x && x.title?.startsWith(`${tier} (`));
  if (!p?.id) {
    throw new Error(`no burn chart for tier ${tier} on the SLO detail dashboard`);
  }
  return p.id;
}

/**
 * "Veza SLO — NOC wall": every SLO worst first at wall size (the SLO panel), the formation (topology, live) and the
 * alerts firing or pending (Grafana's alert list), on one 1920×1080 kiosk screen without scrolling
 * (KIOSK_ROWS_1080 rows; a test checks the grid).
 */
export function nocWallDashboard() {
  const d = new DashboardBuilder('Veza SLO — NOC wall')
    .uid(DASHBOARD_UIDS.nocWall)
    .description(
      'For the NOC screen (kiosk mode, e.g. in a playlist): SLOs worst first, the Postgres formation, firing alerts.'
    )
    .tags([...TAGS, 'noc'])
    .editable()
    .time({ from: 'now-6h', to: 'now' })
    .refresh('30s')
    .timezone('browser')
    .annotation(failoverAnnotations())
    .link(vezaDashboards());
  d.withPanel(
    new RawPanelBuilder()
      .type(SLO_PANEL)
      .title('SLOs, worst first')
      .description('Error budget, SLI against the objective, burn rates and alert state of every SLO (Veza SLO panel).')
      .options({ prometheusUid: PROMETHEUS.uid, slos: '', order: 'worst', size: 'wall', refresh: '30s' })
      .gridPos({ x: 0, y: 0, w: 24, h: 14 })
  );
  d.withPanel(
    new RawPanelBuilder()
      .type(TOPOLOGY_PANEL)
      .title('Postgres formation')
      .description('Nodes, their states and where PgBouncer routes; live.')
      .datasource(PGHA)
      .targets(topologyQueries())
      .options({ eventCount: 3 })
      .gridPos({ x: 0, y: 14, w: 14, h: 13 })
  );
  d.withPanel(
    new RawPanelBuilder()
      .type('alertlist')
      .title('Alerts firing or pending')
      .description("Grafana's alert list: the SLO burn and no-data alerts and the infrastructure alerts, newest first.")
      .options({
        viewMode: 'list',
        groupMode: 'default',
        groupBy: [],
        maxItems: 20,
        sortOrder: 1,
        dashboardAlerts: false,
        alertName: '',
        alertInstanceLabelFilter: '',
        stateFilter: { firing: true, pending: true, noData: false, normal: false, error: true },
      })
      .gridPos({ x: 14, y: 14, w: 10, h: 13 })
  );
  return numberPanels(d.build());
}

/** Every dashboard the app ships: file name under src/dashboards/ → dashboard JSON model. */
export function dashboards(spec: Spec): Record<string, object> {
  return {
    'noc-wall.json': nocWallDashboard(),
    'slo-detail.json': sloDetailDashboard(spec),
    'postgres-ha.json': postgresHaDashboard(),
  };
}

/** The stable text of a dashboard file (2-space JSON, trailing newline). */
export const renderDashboard = (d: object) => `${JSON.stringify(d, null, 2)}\n`;
