import React, { useCallback, useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { RadioButtonGroup, Stack, useStyles2, useTheme2 } from '@grafana/ui';
import { prometheusClient } from '../api/client';
import { loadDetail, loadOverview, type DetailData } from '../api/loaders';
import { readRollingCorrections } from '../api/annotations';
import { CorrectedBudget } from '../components/slo/CorrectedBudget';
import { loadEpisodes } from '../api/pgha';
import { TimeChart, type ChartEvent } from '../components/charts/TimeChart';
import { useAppSettings } from '../components/settingsContext';
import { AlertHistory } from '../components/slo/AlertHistory';
import { AlertRules } from '../components/slo/AlertRules';
import { BacktestSection } from '../components/slo/BacktestSection';
import { BudgetGauge } from '../components/slo/BudgetGauge';
import { PolicyChip } from '../components/slo/PolicyChip';
import { FormationEpisodes } from '../components/slo/FormationEpisodes';
import { exploreHref, sloPath } from '../components/slo/links';
import { Loading, PartialBanner, StaleBanner, Unreachable, sloPageState } from '../components/states/PageStates';
import { testIds } from '../components/testIds';
import { resolveRange } from '../components/timeRange';
import { useNow, usePolling } from '../components/usePolling';
import { PLUGIN_BASE_URL, ROUTES } from '../constants';
import {
  budgetRangeInWords,
  burnThreshold,
  conditionPeriods,
  formatBurn,
  formatPercent,
  formatSli,
  humanDuration,
  lastEpisode,
  lowTrafficText,
  objectiveInWords,
  parseDuration,
  rollingBudget,
  toView,
  type Slo,
  type SloAlert,
} from '../slo';

const RANGES = ['now-1h', 'now-6h', 'now-24h', 'now-7d', 'now-30d'].map((v) => ({
  value: v,
  label: v.replace('now-', ''),
}));
const REFRESHES = [
  { value: '', label: 'Off' },
  { value: '30s', label: '30s' },
  { value: '1m', label: '1m' },
  { value: '5m', label: '5m' },
];

/** SLO detail: burn-rate charts against thresholds, budget over time, p95 for latency, alert rules and runbooks. */
function SloDetailPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const s = useStyles2(getStyles);
  const { prometheusUid, pghaUid, timeZone } = useAppSettings();
  const now = useNow(10000);
  const refresh = params.get('refresh') ?? '';
  const refreshMs = (parseDuration(refresh) ?? 0) * 1000 || undefined;
  const range = resolveRange(params);
  const alert = params.get('alert') ?? undefined;
  const alertTime = params.get('time');

  const setParam = (k: string, v: string | undefined, drop: string[] = []) => {
    const next = new URLSearchParams(params);
    for (const d of drop) {
      next.delete(d);
    }
    if (v) {
      next.set(k, v);
    } else {
      next.delete(k);
    }
    setParams(next);
  };

  const loadMeta = useCallback(
    (signal: AbortSignal) =>
      loadOverview(prometheusClient(prometheusUid), signal, Date.now(), readRollingCorrections(), timeZone),
    [prometheusUid, timeZone]
  );
  const meta = usePolling(loadMeta, prometheusUid ?? '', refreshMs);
  const slo = meta.data?.slos.find((x) => x.id === id);

  const rangeKey = `${range.from}|${range.to}`;
  const loadCharts = useCallback(
    async (signal: AbortSignal) => {
      if (!slo) {
        return undefined;
      }
      const [from, to] = rangeKey.split('|');
      const r = resolveRange(new URLSearchParams({ from, to }));
      const client = prometheusClient(prometheusUid);
      const [detail, episodes] = await Promise.all([
        loadDetail(client, slo, r.fromMs, r.toMs, signal),
        pghaUid ? loadEpisodes(pghaUid, r.fromMs, r.toMs).catch((e: Error) => e) : Promise.resolve(undefined),
      ]);
      return { detail, episodes, fromMs: r.fromMs, toMs: r.toMs };
    },
    // A new function each overview refresh is fine: usePolling reloads on its key, not on the function.
    [slo, rangeKey, prometheusUid, pghaUid]
  );
  const charts = usePolling(loadCharts, `${slo?.id ?? ''}|${rangeKey}`, refreshMs);

  const title = slo?.title ?? id;
  const stale = !!meta.data && !!meta.error && (meta.errorAt ?? 0) >= (meta.dataAt ?? 0);
  const view = slo && meta.data ? toView(slo, meta.data.status.get(slo.id)) : undefined;

  let body = sloPageState(meta.data, meta.error, meta.reload);
  if (!body && meta.data && (!slo || !view)) {
    body = (
      <div data-testid={testIds.states.notFound}>
        <p>
          No SLO with id <code>{id}</code> in the Prometheus rules. Known SLOs:{' '}
          {meta.data.slos.map((x, i) => (
            <span key={x.id}>
              {i > 0 && ', '}
              <Link to={sloPath(x.id)}>{x.id}</Link>
            </span>
          ))}
          .
        </p>
      </div>
    );
  } else if (!body && meta.data && slo && view) {
    const episodes = charts.data?.episodes instanceof Error ? undefined : charts.data?.episodes;
    const eventsError = charts.data?.episodes instanceof Error ? charts.data.episodes.message : undefined;
    body = (
      <>
        {stale && <StaleBanner since={meta.dataAt!} error={meta.error} now={now} />}
        <PartialBanner
          problems={[
            ...(meta.data.problems ?? []),
            ...(charts.data?.detail.problems ?? []),
            ...(eventsError ? [eventsError] : []),
          ]}
        />
        {view.noDataFiring && (
          <div className={s.noData} role="alert" data-testid={testIds.overview.noData}>
            no data — target down or SLI absent: {slo.noDataAlerts.find((a) => a.state === 'firing')?.name} is firing,
            so the numbers below are stale or missing and no burn-rate alert can fire.
          </div>
        )}
        <section className={s.summary} aria-label="Now">
          <BudgetGauge remaining={view.remaining} size={150} label={slo.title} window={slo.windowLabel} />
          <dl className={s.facts}>
            <dt>Objective</dt>
            <dd>{objectiveInWords(slo)}</dd>
            <dt>SLI {slo.windowLabel}</dt>
            <dd>{view.noTraffic ? 'no traffic' : formatSli(view.sli)}</dd>
            <dt>Burn 1h / 6h</dt>
            <dd>
              {view.lowTraffic1h ? lowTrafficText(view.lowTraffic1h) : formatBurn(view.burn1h)} /{' '}
              {view.lowTraffic6h ? lowTrafficText(view.lowTraffic6h) : formatBurn(view.burn6h)}
            </dd>
            <dt>Budget gone in{view.exhaustionBasis ? ` (at the ${view.exhaustionBasis} burn)` : ''}</dt>
            <dd>
              {view.remaining !== undefined && view.remaining <= 0 ? 'spent' : humanDuration(view.exhaustionSeconds)}
            </dd>
            <CorrectedBudget view={view} withSli />
            {view.policy && (
              <>
                <dt>Budget policy</dt>
                <dd>
                  <PolicyChip policy={slo.budgetPolicy} state={view.policy} withText />
                </dd>
              </>
            )}
          </dl>
        </section>
        <Section title="Alert rules">
          <AlertRules
            slo={slo}
            status={meta.data.status.get(slo.id)}
            highlight={alert}
            promUid={prometheusUid ?? ''}
            history={charts.data?.detail.history}
            toMs={charts.data?.toMs}
          />
        </Section>
        {charts.data && (
          <Section title="Alert history in this range">
            <AlertHistory
              episodes={charts.data.detail.history}
              alerts={[...slo.alerts, ...slo.noDataAlerts]}
              highlight={alert}
              fromMs={charts.data.fromMs}
              toMs={charts.data.toMs}
            />
          </Section>
        )}
        {charts.error && !charts.data ? (
          <Unreachable error={charts.error} onRetry={charts.reload} />
        ) : !charts.data ? (
          <Loading text="Loading charts…" />
        ) : (
          <Charts
            slo={slo}
            detail={charts.data.detail}
            fromMs={charts.data.fromMs}
            toMs={charts.data.toMs}
            events={episodes?.map((e) => ({ time: e.start, text: e.detail ? `${e.title} — ${e.detail}` : e.title }))}
            promUid={prometheusUid ?? ''}
            range={range}
            alert={alert ? [...slo.alerts, ...slo.noDataAlerts].find((a) => a.name === alert) : undefined}
            alertTime={alertTime}
          />
        )}
        {episodes && episodes.length > 0 && (
          <Section
            title={`Formation changes in this range: ${episodes.length} episode${episodes.length === 1 ? '' : 's'}, ${episodes.reduce(
              (n, e) => n + e.eventCount,
              0
            )} monitor events`}
          >
            <FormationEpisodes episodes={episodes} />
          </Section>
        )}
        <BacktestSection slo={slo} promUid={prometheusUid ?? ''} />
      </>
    );
  }

  return (
    <PluginPage
      pageNav={{ text: title, parentItem: { text: 'SLOs', url: `${PLUGIN_BASE_URL}/${ROUTES.Slos}` } }}
      actions={
        <Stack gap={1} alignItems="center" wrap="wrap">
          <div data-testid={testIds.detail.rangePicker}>
            <RadioButtonGroup
              size="sm"
              options={RANGES}
              value={RANGES.some((r) => r.value === range.from) && range.to === 'now' ? range.from : undefined}
              onChange={(v) => setParam('from', v, ['to', 'time'])}
            />
          </div>
          <RadioButtonGroup size="sm" options={REFRESHES} value={refresh} onChange={(v) => setParam('refresh', v)} />
        </Stack>
      }
    >
      <div data-testid={testIds.pages.SloDetail}>{body}</div>
    </PluginPage>
  );
}

export default SloDetailPage;

function Section({
  title,
  children,
  actions,
}: {
  title: string;
  children: React.ReactNode;
  actions?: React.ReactNode;
}) {
  const s = useStyles2(getStyles);
  return (
    <section className={s.section} aria-label={title}>
      <div className={s.sectionHead}>
        <h3 className={s.h3}>{title}</h3>
        {actions}
      </div>
      {children}
    </section>
  );
}

interface ChartsProps {
  slo: Slo;
  detail: DetailData;
  fromMs: number;
  toMs: number;
  events?: ChartEvent[];
  promUid: string;
  range: { from: string; to: string };
  alert?: SloAlert;
  alertTime: string | null;
}

/** The default tiers when an SLO has no burn alert to read them from (charts still show its ratios). */
const DEFAULT_TIERS = [
  { long: '1h', short: '5m', burn: 14.4, tier: 'FastBurn' },
  { long: '6h', short: '30m', burn: 6, tier: 'SlowBurn' },
];

const TIER_TITLES: Record<string, string> = { FastBurn: 'Fast burn', SlowBurn: 'Slow burn' };

function Charts({ slo, detail, fromMs, toMs, events, promUid, range, alert, alertTime }: ChartsProps) {
  const theme = useTheme2();
  const s = useStyles2(getStyles);
  const stepMs = detail.step * 1000;
  const explore = (expr: string | undefined) =>
    expr ? (
      <a
        className={s.explore}
        href={exploreHref(promUid, expr, range.from, range.to)}
        data-testid={testIds.detail.explore}
      >
        Open in Explore
      </a>
    ) : null;
  const highlightAt = alertTime
    ? /^\d+$/.test(alertTime)
      ? Number(alertTime)
      : Date.parse(alertTime)
    : alert?.activeAt
      ? Date.parse(alert.activeAt)
      : NaN;
  // The alert's own record in the range wins: from when it fired (or became pending) until it resolved.
  const episode = alert ? lastEpisode(detail.history, alert.name) : undefined;
  const highlight = episode
    ? {
        start: Math.max(fromMs, episode.firedAt ?? episode.activeAt),
        end: Math.max(Math.min(toMs, episode.resolvedAt ?? toMs), (episode.firedAt ?? episode.activeAt) + stepMs),
      }
    : Number.isFinite(highlightAt)
      ? { start: highlightAt, end: highlightAt + stepMs }
      : undefined;
  const colors = {
    long: theme.visualization.getColorByName('blue'),
    short: theme.visualization.getColorByName('purple'),
    threshold: theme.colors.error.text,
  };
  // One chart per tier of the SLO (four with the workbook's ticket tiers; a tier switched off has none).
  const tiers = (
    slo.alerts.length
      ? slo.alerts.map((a) => ({ long: a.longWindow, short: a.shortWindow, burn: a.burnRate, tier: a.tier }))
      : DEFAULT_TIERS
  ).map((t) => ({
    ...t,
    title: `${TIER_TITLES[t.tier] ?? t.tier}: error ratio over ${t.long} and ${t.short}`,
  }));
  const budgetFrom = detail.budgetFromMs ?? fromMs;
  const context = budgetFrom < fromMs;
  const budget = useMemo(
    () =>
      rollingBudget(
        detail.bad,
        detail.valid,
        Math.round(slo.windowSeconds / detail.bucketSeconds),
        slo.objective,
        budgetFrom
      ),
    [detail, slo, budgetFrom]
  );
  const ends = detail.budgetAtEnds;
  return (
    <>
      {tiers.map((t) => {
        const a = slo.alerts.find((x) => x.longWindow === t.long && x.shortWindow === t.short);
        const burn = a?.burnRate ?? t.burn;
        const threshold = burnThreshold(burn, slo.objective);
        const long = detail.ratios[t.long] ?? [];
        const short = detail.ratios[t.short] ?? [];
        return (
          <Section key={`${t.tier}-${t.long}`} title={t.title} actions={explore(detail.queries.ratios)}>
            <TimeChart
              testId={testIds.detail.burnChart(t.long)}
              ariaLabel={`${t.title} against the ${formatPercent(threshold)} threshold`}
              series={[
                { name: `${t.long} window`, points: long, color: colors.long, width: 2 },
                { name: `${t.short} window`, points: short, color: colors.short },
              ]}
              thresholds={[
                {
                  value: threshold,
                  label: `${formatBurn(burn)} budget = ${formatPercent(threshold)}`,
                  color: colors.threshold,
                },
              ]}
              bands={conditionPeriods(long, short, threshold, stepMs)}
              bandLabel={`both windows above threshold (${a?.name ?? 'alert'} fires after ${humanDuration(a?.forSeconds ?? 0)}${
                a?.minEvents !== undefined ? `, if the ${t.long} holds at least ${a.minEvents} requests` : ''
              })`}
              highlight={alert && a?.name === alert.name ? highlight : undefined}
              events={events}
              from={fromMs}
              to={toMs}
              yMin={0}
              formatY={(v) => formatPercent(v)}
            />
            {!short.some((p) => Number.isFinite(p.v)) && long.length > 0 && (
              <p className={s.note}>
                No {t.short} data in this range (the recording rule has no samples here), so alert periods cannot be
                shaded: the alert needs both windows above the threshold.
              </p>
            )}
            {detail.rawUntil !== undefined && (
              <p className={s.note} data-testid={testIds.detail.rawNote}>
                Before {new Date(detail.rawUntil).toLocaleString()} the recording rules have no samples: that part is
                computed at query time from the raw counters, with the rules&apos; own expressions.
              </p>
            )}
          </Section>
        );
      })}
      <Section
        title={
          context
            ? `Error budget remaining (rolling ${slo.windowLabel}): the ${slo.windowLabel} up to the end of this range`
            : `Error budget remaining (rolling ${slo.windowLabel})`
        }
        actions={explore(detail.queries.budget)}
      >
        {context && (
          <p className={s.note} data-testid={testIds.detail.budgetContext}>
            {ends?.from !== undefined && ends?.to !== undefined
              ? `${budgetRangeInWords(ends.from, ends.to, slo.windowLabel)} `
              : ''}
            A range this short holds too few hourly points to draw the budget, so the chart shows the whole{' '}
            {slo.windowLabel} before the range end, with the range marked.
          </p>
        )}
        <TimeChart
          testId={testIds.detail.budgetChart}
          ariaLabel={`Share of the ${slo.windowLabel} error budget left over time`}
          series={[{ name: 'budget left', points: budget, color: theme.colors.success.main, width: 2 }]}
          thresholds={[{ value: 0, label: 'budget spent', color: colors.threshold }]}
          highlight={context ? { start: fromMs, end: toMs } : undefined}
          events={context ? undefined : events}
          from={budgetFrom}
          to={toMs}
          yMax={1}
          formatY={(v) => formatPercent(v, 1)}
        />
      </Section>
      {slo.kind === 'latency' && (
        <Section title="p95 latency of writes" actions={explore(detail.queries.p95)}>
          <TimeChart
            testId={testIds.detail.latencyChart}
            ariaLabel="95th percentile latency of write requests against the threshold"
            series={[{ name: 'p95', points: detail.p95 ?? [], color: colors.long, width: 2 }]}
            thresholds={
              slo.latencyThresholdSeconds !== undefined
                ? [
                    {
                      value: slo.latencyThresholdSeconds,
                      label: `${slo.latencyThresholdSeconds * 1000} ms`,
                      color: colors.threshold,
                    },
                  ]
                : []
            }
            events={events}
            from={fromMs}
            to={toMs}
            yMin={0}
            formatY={(v) => `${Math.round(v * 1000)} ms`}
          />
        </Section>
      )}
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  summary: css({
    display: 'flex',
    gap: theme.spacing(4),
    alignItems: 'center',
    flexWrap: 'wrap',
    marginBottom: theme.spacing(2),
  }),
  facts: css({
    display: 'grid',
    gridTemplateColumns: 'auto auto',
    columnGap: theme.spacing(3),
    rowGap: theme.spacing(0.5),
    margin: 0,
    fontVariantNumeric: 'tabular-nums',
    dt: { color: theme.colors.text.secondary },
    dd: { margin: 0, fontWeight: theme.typography.fontWeightMedium },
  }),
  section: css({
    marginBottom: theme.spacing(3),
    padding: theme.spacing(2),
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  sectionHead: css({ display: 'flex', alignItems: 'baseline', gap: theme.spacing(2), marginBottom: theme.spacing(1) }),
  h3: css({ margin: 0, flex: 1, fontSize: theme.typography.h4.fontSize }),
  explore: css({ color: theme.colors.text.link, fontSize: theme.typography.bodySmall.fontSize }),
  noData: css({
    padding: theme.spacing(1, 2),
    marginBottom: theme.spacing(2),
    borderRadius: theme.shape.radius.default,
    background: theme.colors.error.main,
    color: theme.colors.error.contrastText,
    fontWeight: theme.typography.fontWeightMedium,
  }),
  note: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    margin: theme.spacing(1, 0, 0),
  }),
});
