import React, { useCallback } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, useStyles2, useTheme2 } from '@grafana/ui';
import { backendSrv, prometheusClient } from '../../api/client';
import { errorText } from '../../api/errors';
import { type LedgerData, type LedgerSources, loadDeploys, loadLedger, type SourceState } from '../../api/ledger';
import type { ReportData } from '../../api/loaders';
import { loadEpisodes } from '../../api/pgha';
import { formatPercent } from '../../slo/words';
import {
  CAUSE_LABEL,
  DEPLOY_OWNS_MS,
  FAILOVER_TAIL_MS,
  type Ledger as LedgerFigures,
  type LedgerCause,
  type LedgerLine,
  POSTMORTEM_SHARE,
} from '../../slo/ledger';
import { useAppSettings } from '../settingsContext';
import { testIds } from '../testIds';
import { usePolling } from '../usePolling';

/**
 * The budget ledger under the report: where each SLO's bad events of the period went (corrections, failover
 * episodes, its own burn alerts, deploys, unattributed), and the incidents that need a postmortem. Loads on top of
 * the report's answer, again whenever the report reloads.
 */
export function Ledger({ report }: { report: ReportData }) {
  const { prometheusUid, pghaUid } = useAppSettings();
  const load = useCallback(
    async (signal: AbortSignal) => {
      const from = report.period.startMs;
      const to = report.evalEnd;
      // A deploy or an episode shortly before the period still owns its first minutes.
      const lookback = Math.max(DEPLOY_OWNS_MS, FAILOVER_TAIL_MS);
      const [deploys, failovers] = await Promise.allSettled([
        loadDeploys(backendSrv(), from - lookback, to),
        pghaUid ? loadEpisodes(pghaUid, from - lookback, to) : Promise.resolve(undefined),
      ]);
      const sources: LedgerSources = {
        deploys: deploys.status === 'fulfilled' ? deploys.value : undefined,
        deploysWhy: deploys.status === 'rejected' ? `the annotations API failed: ${errorText(deploys.reason)}` : '',
        failovers: failovers.status === 'fulfilled' ? failovers.value : undefined,
        failoversWhy: !pghaUid
          ? 'no Postgres HA data source is set in the app configuration'
          : failovers.status === 'rejected'
            ? errorText(failovers.reason)
            : '',
      };
      return loadLedger(prometheusClient(prometheusUid, 30000), report, sources, signal);
    },
    [report, prometheusUid, pghaUid]
  );
  const key = `${prometheusUid}|${pghaUid}|${report.period.key}|${report.period.timeZone}|${report.evalEnd}`;
  const { data, error } = usePolling(load, key);
  return (
    <section data-testid={testIds.ledger.section}>
      <LedgerHeading />
      {data ? (
        <LedgerView data={data} timeZone={report.period.timeZone} />
      ) : error ? (
        <Alert severity="warning" title="The budget ledger could not be read">
          {errorText(error)}
        </Alert>
      ) : (
        <p>Attributing the budget…</p>
      )}
    </section>
  );
}

function LedgerHeading() {
  const s = useStyles2(getStyles);
  return <h3 className={s.h3}>Budget ledger</h3>;
}

const pctTenths = (t: number | undefined) => (t === undefined ? '—' : `${(t / 10).toFixed(1)} %`);
const count = (n: number) => n.toLocaleString('en-US');

function sourceText(name: string, st: SourceState): string {
  return st.state === 'read' ? `${name}: read` : `${name}: ${st.state} (${st.why})`;
}

/** The ledger of every SLO (presentational: the data is loaded by Ledger). */
export function LedgerView({ data, timeZone }: { data: LedgerData; timeZone: string }) {
  const s = useStyles2(getStyles);
  const when = (ms: number) => dateTimeFormat(ms, { format: 'MMM D HH:mm', timeZone });
  return (
    <>
      <p className={s.lead}>
        Every bad event of the period is attributed once: to a correction, else a failover episode (its span plus{' '}
        {FAILOVER_TAIL_MS / 60000} min), else one of the SLO&apos;s burn alerts being pending or firing, else a deploy
        (until the next deploy, at most {DEPLOY_OWNS_MS / 60000} min), else it is unattributed. &quot;% of budget&quot;
        is against the period&apos;s budget (allowed bad events) and adds up to the budget used; &quot;share of
        spend&quot; adds up to 100 %. Incidents over {POSTMORTEM_SHARE * 100} % of the budget need a postmortem
        {data.running ? ' (against the budget so far)' : ''}.
      </p>
      {data.problems.length > 0 && (
        <Alert severity="warning" title="Part of the ledger could not be read">
          {data.problems.join('; ')}
        </Alert>
      )}
      {data.ledgers.map(({ slo, ledger }) => (
        <div key={slo.id} className={s.slo} data-testid={testIds.ledger.slo(slo.id)}>
          <h4 className={s.h4}>{slo.title}</h4>
          {ledger ? (
            <SloLedger ledger={ledger} when={when} />
          ) : (
            <p className={s.muted}>No ledger: the period&apos;s counts or its windows&apos; could not be read.</p>
          )}
        </div>
      ))}
      <p className={s.muted} data-testid={testIds.ledger.sources}>
        {[
          sourceText('Deploys (annotations tagged deploy)', data.sources.deploys),
          sourceText('failover episodes', data.sources.failovers),
          sourceText('alert history', data.sources.alerts),
        ].join(' · ')}
      </p>
    </>
  );
}

function SloLedger({ ledger, when }: { ledger: LedgerFigures; when: (ms: number) => string }) {
  const s = useStyles2(getStyles);
  const colors = useCauseColors();
  return (
    <>
      <p>
        {count(ledger.bad)} bad events: {formatPercent(ledger.budgetUsed, 1)} of the budget used
        {ledger.correctedBudgetUsed !== undefined &&
          `, ${formatPercent(ledger.correctedBudgetUsed, 1)} of the corrected budget (without the corrections' events)`}
        .
      </p>
      <LedgerBar lines={ledger.lines} colors={colors} />
      <table className={s.table}>
        <thead>
          <tr>
            <th scope="col">Cause</th>
            <th scope="col">Window(s)</th>
            <th scope="col">Bad events</th>
            <th scope="col">% of budget</th>
            <th scope="col">Share of spend</th>
          </tr>
        </thead>
        <tbody>
          {ledger.lines.map((l) => (
            <tr key={l.cause} data-testid={testIds.ledger.line(l.cause)}>
              <td>
                <span className={s.swatch} style={{ background: colors[l.cause] }} aria-hidden />
                {CAUSE_LABEL[l.cause]}
                {l.cause === 'correction' && l.bad > 0 && (
                  <span className={s.muted}> (out of the corrected budget)</span>
                )}
              </td>
              <td>{windowsText(l, when)}</td>
              <td className={s.num}>{count(l.bad)}</td>
              <td className={s.num}>{formatPercent(l.budgetShare, 1)}</td>
              <td className={s.num}>{pctTenths(l.spendTenths)}</td>
            </tr>
          ))}
          <tr className={s.total}>
            <td>Total</td>
            <td />
            <td className={s.num}>{count(ledger.bad)}</td>
            <td className={s.num}>{formatPercent(ledger.budgetUsed, 1)}</td>
            <td className={s.num}>{ledger.bad > 0 ? '100.0 %' : '—'}</td>
          </tr>
        </tbody>
      </table>
      {ledger.drift > 0 && (
        <p className={s.muted}>
          The windows measured {count(ledger.drift)} more events than the period holds (increase() extrapolates at
          window edges between samples): taken off the last causes so the lines add up to the period.
        </p>
      )}
      <h5 className={s.h5}>Incidents</h5>
      {ledger.incidents.length ? (
        <ul className={s.incidents}>
          {[...ledger.incidents]
            .sort((a, b) => b.bad - a.bad || a.from - b.from)
            .map((i) => (
              <li key={i.id} data-testid={testIds.ledger.incident}>
                {i.postmortem && (
                  <span data-testid={testIds.ledger.postmortem}>
                    <Badge color="red" icon="exclamation-triangle" text="postmortem required" />{' '}
                  </span>
                )}
                {i.title} · {when(i.from)}–{when(i.to)} · {count(i.bad)} bad events, {formatPercent(i.budgetShare, 1)}{' '}
                of the budget
                {i.corrected && <span className={s.muted}> (partly in a correction)</span>}
              </li>
            ))}
        </ul>
      ) : (
        <p className={s.muted}>No failover or alert episode in this period.</p>
      )}
    </>
  );
}

/** "2 windows, 75 min: v2.14.0 (Nov 8 14:00) 1,200 · …": the windows that hold events, most first. */
function windowsText(l: LedgerLine, when: (ms: number) => string): string {
  if (l.cause === 'unattributed') {
    return 'the rest of the period';
  }
  if (!l.items.length) {
    return 'none';
  }
  const minutes = Math.round(l.items.reduce((n, i) => n + (i.to - i.from), 0) / 60000);
  const top = [...l.items]
    .filter((i) => i.bad > 0)
    .sort((a, b) => b.bad - a.bad)
    .slice(0, 3)
    .map((i) => `${i.title} (${when(i.from)}) ${count(i.bad)}`);
  const more = l.items.filter((i) => i.bad > 0).length - top.length;
  return [
    `${l.items.length} window${l.items.length === 1 ? '' : 's'}, ${minutes} min`,
    ...top,
    ...(more > 0 ? [`${more} more`] : []),
  ].join(' · ');
}

function useCauseColors(): Record<LedgerCause, string> {
  const theme = useTheme2();
  const c = (name: string) => theme.visualization.getColorByName(name);
  return {
    correction: c('purple'),
    failover: c('red'),
    alert: c('orange'),
    deploy: c('blue'),
    unattributed: theme.colors.text.disabled,
  };
}

/** The lines as one bar of the spend, in the table's order (a bar of nothing when nothing was spent). */
function LedgerBar({ lines, colors }: { lines: LedgerLine[]; colors: Record<LedgerCause, string> }) {
  const s = useStyles2(getStyles);
  const label = lines
    .filter((l) => (l.spendTenths ?? 0) > 0)
    .map((l) => `${CAUSE_LABEL[l.cause]} ${pctTenths(l.spendTenths)}`)
    .join(', ');
  return (
    <div
      className={s.bar}
      role="img"
      aria-label={`Share of spend: ${label || 'no bad event'}`}
      data-testid={testIds.ledger.bar}
    >
      {lines
        .filter((l) => (l.spendTenths ?? 0) > 0)
        .map((l) => (
          <div
            key={l.cause}
            title={`${CAUSE_LABEL[l.cause]}: ${pctTenths(l.spendTenths)}`}
            style={{ width: `${l.spendTenths! / 10}%`, background: colors[l.cause] }}
          />
        ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  h3: css({ marginTop: theme.spacing(3), fontSize: theme.typography.h4.fontSize }),
  h4: css({ fontSize: theme.typography.h5.fontSize, marginBottom: theme.spacing(1) }),
  h5: css({ fontSize: theme.typography.body.fontSize, marginTop: theme.spacing(1.5) }),
  lead: css({ color: theme.colors.text.secondary }),
  muted: css({ color: theme.colors.text.secondary }),
  slo: css({
    breakInside: 'avoid',
    padding: theme.spacing(1.5),
    marginBottom: theme.spacing(2),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      textAlign: 'left',
      padding: theme.spacing(0.75),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  total: css({ fontWeight: theme.typography.fontWeightMedium }),
  num: css({ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }),
  swatch: css({
    display: 'inline-block',
    width: 10,
    height: 10,
    marginRight: theme.spacing(1),
    borderRadius: theme.shape.radius.default,
  }),
  bar: css({
    display: 'flex',
    height: theme.spacing(2),
    margin: theme.spacing(1, 0),
    overflow: 'hidden',
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
    // Printed pages keep the bar's colours.
    printColorAdjust: 'exact',
    WebkitPrintColorAdjust: 'exact',
  }),
  incidents: css({ listStyle: 'none', padding: 0, li: { marginBottom: theme.spacing(0.5) } }),
});
