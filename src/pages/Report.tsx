import React, { useCallback, useMemo, useState } from 'react';
import { PolicyChip } from '../components/slo/PolicyChip';
import { Link, useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import { dateTimeFormat, GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Button, Combobox, Stack, useStyles2, useTheme2 } from '@grafana/ui';
import { prometheusClient } from '../api/client';
import { loadFailoverObjective } from '../api/pgha';
import { PrintView } from '../components/report/PrintView';
import { FailoverObjectiveCard } from '../components/slo/FailoverObjectiveCard';
import { loadReport, type ReportData } from '../api/loaders';
import { reportRows } from '../api/reportRows';
import { TimeChart } from '../components/charts/TimeChart';
import { useAppSettings } from '../components/settingsContext';
import { sloPath } from '../components/slo/links';
import { PartialBanner, StaleBanner, sloPageState } from '../components/states/PageStates';
import { testIds } from '../components/testIds';
import { useNow, usePolling } from '../components/usePolling';
import { parseDuration } from '../slo/duration';
import { burndown, formatPercent, formatSli, humanDuration, monthOf, monthResult, parseMonthKey, toCsv } from '../slo';

/** The monthly error-budget report (calendar months, UTC): attainment, budget used, burn-down, history, CSV. */
function ReportPage() {
  const s = useStyles2(getStyles);
  const { prometheusUid, pghaUid } = useAppSettings();
  const [params, setParams] = useSearchParams();
  const [openedAt] = useState(() => Date.now());
  const nowMonth = monthOf(openedAt);
  const month = parseMonthKey(params.get('month')) ?? nowMonth;
  const options = Array.from({ length: 12 }, (_, i) => monthOf(nowMonth.startMs, -i)).map((m) => ({
    value: m.key,
    label: m.label,
  }));

  const load = useCallback(
    (signal: AbortSignal) =>
      loadReport(prometheusClient(prometheusUid, 30000), parseMonthKey(month.key)!, Date.now(), signal),
    [prometheusUid, month.key]
  );
  // Re-read every 5 minutes (`?refresh=` to change): the current month moves on, and a report opened while
  // Prometheus was down recovers by itself; a failed refresh keeps the figures, marked stale.
  const refreshMs = (parseDuration(params.get('refresh') ?? '5m') ?? 300) * 1000;
  const { data, dataAt, error, errorAt, reload } = usePolling(load, `${prometheusUid}|${month.key}`, refreshMs);
  const now = useNow(5000);
  const stale = !!data && !!error && (errorAt ?? 0) >= (dataAt ?? 0);
  // The month's failovers against the objective, from the PG HA data source (independent of Prometheus).
  const loadObjective = useCallback(
    (_: AbortSignal) => {
      const m = parseMonthKey(month.key)!;
      return pghaUid
        ? loadFailoverObjective(pghaUid, m.startMs, Math.min(m.endMs, Date.now()))
        : Promise.resolve(undefined);
    },
    [pghaUid, month.key]
  );
  const objective = usePolling(
    loadObjective,
    pghaUid ? `${pghaUid}|${month.key}` : '',
    pghaUid ? refreshMs : undefined
  );

  const printing = params.has('print');
  const setPrinting = (on: boolean) =>
    setParams(new URLSearchParams(on ? { month: month.key, print: '' } : { month: month.key }));
  let body = sloPageState(data, error, reload, 'Adding up the month…');
  if (!body && data) {
    const content = (
      <>
        {stale && <StaleBanner since={dataAt!} error={error} now={now} />}
        <ReportBody data={data} />
        {objective.data && <FailoverObjectiveCard view={objective.data} rangeLabel={`in ${month.label}`} />}
      </>
    );
    body = printing ? (
      <PrintView
        title="Veza SLO — error budget report"
        period={`${month.label}, UTC calendar month${data.evalEnd < data.month.endMs ? `, to ${new Date(data.evalEnd).toISOString().slice(0, 16).replace('T', ' ')} (running)` : ''}`}
        timeZone="UTC"
        generatedAt={dataAt!}
        onClose={() => setPrinting(false)}
      >
        {content}
      </PrintView>
    ) : (
      content
    );
  }

  return (
    <PluginPage
      subTitle={`${month.label} (UTC calendar month)${month.key === nowMonth.key ? ', so far' : ''}`}
      actions={
        <Stack gap={1} alignItems="center">
          <Button
            variant="secondary"
            icon="file-alt"
            onClick={() => setPrinting(true)}
            data-testid={testIds.report.printButton}
          >
            Print / PDF
          </Button>
          <div data-testid={testIds.report.month}>
            <Combobox
              aria-label="Month"
              width={24}
              options={options}
              value={month.key}
              onChange={(v) => setParams(new URLSearchParams({ month: v.value }))}
            />
          </div>
        </Stack>
      }
    >
      <div data-testid={testIds.pages.Report} className={s.page}>
        {body}
      </div>
    </PluginPage>
  );
}

export default ReportPage;

/**
 * The UTC day a bucket covers: a bucket ends at midnight (its day is the one before) or, for the running day, at
 * evalEnd (today, "so far").
 */
function worstDayLabel(t: number, evalEnd: number): string {
  const day = dateTimeFormat(t - 1, { format: 'MMM D', timeZone: 'utc' });
  return t === evalEnd && t % 86400000 !== 0 ? `${day} (so far)` : day;
}

function ReportBody({ data }: { data: ReportData }) {
  const s = useStyles2(getStyles);
  const theme = useTheme2();
  const rows = reportRows(data);
  const met = rows.filter((r) => r.met).length;

  const historyRows = useMemo(
    () =>
      data.slos.flatMap((slo) =>
        [data.month, ...data.historyMonths].map((m) => {
          const t = m.key === data.month.key ? data.totals.get(slo.id) : data.history.get(m.key)?.get(slo.id);
          const r = monthResult(t?.bad, t?.valid, slo.objective, Math.min(m.endMs, data.evalEnd) - m.startMs);
          return {
            month: m.key,
            slo: slo.id,
            objective: slo.objective,
            valid: t?.valid !== undefined ? Math.round(t.valid) : undefined,
            bad: t?.bad !== undefined ? Math.round(t.bad) : undefined,
            sli: r.sli !== undefined ? Number(r.sli.toFixed(6)) : undefined,
            budget_used: r.budgetUsed !== undefined ? Number(r.budgetUsed.toFixed(4)) : undefined,
            met: r.ratio === undefined && !r.noTraffic ? 'no data' : r.met ? 'yes' : 'no',
          };
        })
      ),
    [data]
  );

  const download = () => {
    const blob = new Blob([toCsv(historyRows)], { type: 'text/csv' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `veza-slo-report-${data.month.key}.csv`;
    a.click();
    URL.revokeObjectURL(a.href);
  };

  return (
    <>
      <PartialBanner problems={data.problems} />
      <p className={s.lead}>
        <strong>
          {met} of {rows.length} SLOs
        </strong>{' '}
        met their objective in {data.month.label}
        {data.evalEnd < data.month.endMs ? ` (to ${dateTimeFormat(data.evalEnd)})` : ''}. The budget is the month&apos;s
        own: (1 − objective) × the month&apos;s valid events.
      </p>
      <table className={s.table} data-testid={testIds.report.table}>
        <thead>
          <tr>
            <th scope="col">SLO</th>
            <th scope="col">Objective</th>
            <th scope="col">Achieved</th>
            <th scope="col">Budget used</th>
            <th scope="col">Bad / valid events</th>
            <th scope="col">As full outage</th>
            <th scope="col">Worst day</th>
            <th scope="col" title="The error-budget policy state at the month's budget left">
              Budget policy
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.slo}>
              <td>
                <Link to={sloPath(r.slo)}>{r.title}</Link>
              </td>
              <td className={s.num}>{formatPercent(r.objective)}</td>
              <td className={s.num}>
                {r.noTraffic ? 'no traffic' : formatSli(r.sli)}{' '}
                {r.met !== undefined && <span className={r.met ? s.ok : s.bad}>{r.met ? 'met' : 'missed'}</span>}
              </td>
              <td className={s.num}>{formatPercent(r.budgetUsed, 1)}</td>
              <td className={s.num}>
                {r.bad !== undefined ? Math.round(r.bad).toLocaleString() : '—'} /{' '}
                {r.valid !== undefined ? Math.round(r.valid).toLocaleString() : '—'}
              </td>
              <td className={s.num}>
                {r.fullOutageMinutes !== undefined ? humanDuration(r.fullOutageMinutes * 60) : '—'}
              </td>
              <td className={s.num}>
                {r.worstDayEndMs !== undefined
                  ? `${worstDayLabel(r.worstDayEndMs, data.evalEnd)}: ${formatPercent(r.worstDayShare, 1)}`
                  : '—'}
              </td>
              <td>
                {r.policy ? (
                  <PolicyChip policy={data.slos.find((x) => x.id === r.slo)?.budgetPolicy} state={r.policy} />
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3 className={s.h3}>Budget burn-down</h3>
      <div className={s.charts}>
        {data.slos.map((slo) => {
          const daily = data.daily.get(slo.id);
          const b = daily ? burndown(daily.bad, daily.valid, slo.objective, data.month) : [];
          return (
            <div key={slo.id} className={s.chartBox}>
              <div className={s.chartTitle}>{slo.title}</div>
              <TimeChart
                ariaLabel={`${slo.title}: share of the month's budget left, day by day, against the even-spend line`}
                series={[
                  {
                    name: 'budget left',
                    points: b.map((p) => ({ t: p.t, v: p.remaining })),
                    color: theme.colors.success.main,
                    width: 2,
                  },
                  {
                    name: 'even spend',
                    points: b.map((p) => ({ t: p.t, v: p.ideal })),
                    color: theme.colors.text.disabled,
                  },
                ]}
                thresholds={[{ value: 0, label: 'spent', color: theme.colors.error.text }]}
                from={data.month.startMs}
                to={data.month.endMs}
                height={180}
                yMax={1}
                formatY={(v) => formatPercent(v, 0)}
              />
            </div>
          );
        })}
      </div>

      <div className={s.historyHead}>
        <h3 className={s.h3}>Month by month</h3>
        <Button size="sm" variant="secondary" icon="download-alt" onClick={download} data-testid={testIds.report.csv}>
          Download CSV
        </Button>
      </div>
      <table className={s.table} data-testid={testIds.report.history}>
        <thead>
          <tr>
            <th scope="col">SLO</th>
            {[data.month, ...data.historyMonths].map((m) => (
              <th scope="col" key={m.key}>
                {m.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.slos.map((slo) => (
            <tr key={slo.id}>
              <td>{slo.title}</td>
              {historyRows
                .filter((h) => h.slo === slo.id)
                .map((h) => (
                  <td key={h.month} className={s.num}>
                    {h.met === 'no data' ? (
                      <span className={s.muted}>no data</span>
                    ) : (
                      <>
                        <span className={h.met === 'yes' ? s.ok : s.bad}>{h.met === 'yes' ? 'met' : 'missed'}</span>
                        {' · '}
                        {formatPercent(h.budget_used, 0)} of budget used
                        {h.month === data.month.key && data.evalEnd < data.month.endMs ? ' so far' : ''}
                      </>
                    )}
                  </td>
                ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ maxWidth: 1400 }),
  lead: css({ fontSize: theme.typography.h5.fontSize }),
  h3: css({ marginTop: theme.spacing(3), fontSize: theme.typography.h4.fontSize }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': { textAlign: 'left', padding: theme.spacing(1), borderBottom: `1px solid ${theme.colors.border.weak}` },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  num: css({ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }),
  ok: css({ color: theme.colors.success.text, fontWeight: theme.typography.fontWeightMedium }),
  bad: css({ color: theme.colors.error.text, fontWeight: theme.typography.fontWeightMedium }),
  muted: css({ color: theme.colors.text.secondary }),
  charts: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(420px, 1fr))', gap: theme.spacing(2) }),
  chartBox: css({
    breakInside: 'avoid',
    padding: theme.spacing(1.5),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  chartTitle: css({ fontWeight: theme.typography.fontWeightMedium, marginBottom: theme.spacing(1) }),
  // Printed, the month-by-month history starts its own page.
  historyHead: css({
    display: 'flex',
    alignItems: 'baseline',
    gap: theme.spacing(2),
    h3: { flex: 1 },
    '@media print': { breakBefore: 'page' },
  }),
});
