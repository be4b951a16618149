import React, { useCallback, useMemo, useState } from 'react';
import { PolicyChip } from '../components/slo/PolicyChip';
import { Link, useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import { dateTimeFormat, GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, Button, Combobox, Stack, useStyles2, useTheme2 } from '@grafana/ui';
import { prometheusClient } from '../api/client';
import type { PrometheusClient } from '../api/prometheus';
import { canWriteCorrections, CORRECTIONS_LIMIT, loadCorrections } from '../api/annotations';
import { errorText } from '../api/errors';
import { CorrectionForm, type CorrectionDraft } from '../components/corrections/CorrectionForm';
import { CorrectionsSection } from '../components/corrections/CorrectionsSection';
import { loadFailoverObjective } from '../api/pgha';
import { PrintView } from '../components/report/PrintView';
import { Ledger } from '../components/report/Ledger';
import { FailoverObjectiveCard } from '../components/slo/FailoverObjectiveCard';
import { loadReport, type ReportData } from '../api/loaders';
import { correctedDaily, earlierPeriodRows, reportRows, type ReportRow } from '../api/reportRows';
import { reportCsv, verdict } from '../api/reportCsv';
import { TimeChart } from '../components/charts/TimeChart';
import { useAppSettings } from '../components/settingsContext';
import { sloPath } from '../components/slo/links';
import { PartialBanner, StaleBanner, sloPageState } from '../components/states/PageStates';
import { testIds } from '../components/testIds';
import { useNow, usePolling } from '../components/usePolling';
import { parseDuration } from '../slo/duration';
import { burndown, formatPercent, formatSli, humanDuration } from '../slo';
import { FORECAST_BASIS } from '../slo/forecast';
import { isRunning, localDays, parsePeriod, type Period, PERIOD_KINDS, periodOf, shiftPeriod } from '../slo/periods';
import { PERIOD_NOUN, readReportParams, recentPeriods, reportSearch } from '../components/report/reportParams';

/**
 * The error-budget report over a calendar period (month, quarter or ISO week) in a time zone: attainment, budget
 * used, forecast at the period's end while it runs, burn-down, history, CSV. The URL (`?period=&tz=`) is the view.
 */
function ReportPage() {
  const s = useStyles2(getStyles);
  const { prometheusUid, pghaUid, timeZone: settingTz } = useAppSettings();
  const [params, setParams] = useSearchParams();
  const [openedAt] = useState(() => Date.now());
  const search = params.toString();
  const { period, problems: urlProblems } = useMemo(
    () => readReportParams(new URLSearchParams(search), settingTz, openedAt),
    [search, settingTz, openedAt]
  );
  const periodKey = period.key;
  const tz = period.timeZone;
  const nowPeriod = periodOf(period.kind, openedAt, tz);
  const options = recentPeriods(period.kind, openedAt, tz, period.kind === 'week' ? 26 : 12).map((m) => ({
    value: m.key,
    label: m.label,
  }));
  const noun = PERIOD_NOUN[period.kind];
  const viewKey = `${period.key}|${tz}`;

  const load = useCallback(
    (signal: AbortSignal) =>
      loadCorrectedReport(prometheusClient(prometheusUid, 30000), parsePeriod(periodKey, tz)!, signal),
    [prometheusUid, periodKey, tz]
  );
  // Re-read every 5 minutes (`?refresh=` to change): the current period moves on, and a report opened while
  // Prometheus was down recovers by itself; a failed refresh keeps the figures, marked stale.
  const refreshMs = (parseDuration(params.get('refresh') ?? '5m') ?? 300) * 1000;
  const { data, dataAt, error, errorAt, reload } = usePolling(load, `${prometheusUid}|${viewKey}`, refreshMs);
  const now = useNow(5000);
  const stale = !!data && !!error && (errorAt ?? 0) >= (dataAt ?? 0);
  // The period's failovers against the objective, from the PG HA data source (independent of Prometheus).
  const loadObjective = useCallback(
    (_: AbortSignal) => {
      const m = parsePeriod(periodKey, tz)!;
      return pghaUid
        ? loadFailoverObjective(pghaUid, m.startMs, Math.min(m.endMs, Date.now()))
        : Promise.resolve(undefined);
    },
    [pghaUid, periodKey, tz]
  );
  const objective = usePolling(loadObjective, pghaUid ? `${pghaUid}|${viewKey}` : '', pghaUid ? refreshMs : undefined);

  const printing = params.has('print');
  // Every change writes period and tz, so the address bar is always a permalink of what is shown.
  const show = (p: Period, extra: Record<string, string> = {}) => setParams(reportSearch(p, extra));
  const setPrinting = (on: boolean) => show(period, on ? { print: '' } : {});
  let body = sloPageState(data, error, reload, `Adding up the ${noun}…`);
  if (!body && data) {
    const content = (
      <>
        {stale && <StaleBanner since={dataAt!} error={error} now={now} />}
        <ReportBody data={data} onChanged={reload} />
        <Ledger report={data} />
        {objective.data && <FailoverObjectiveCard view={objective.data} rangeLabel={`in ${period.label}`} />}
      </>
    );
    body = printing ? (
      <PrintView
        title="Veza SLO — error budget report"
        period={`${period.label}, ${tz} ${noun}${data.evalEnd < data.period.endMs ? `, to ${dateTimeFormat(data.evalEnd, { format: 'YYYY-MM-DD HH:mm', timeZone: tz })} (running)` : ''}`}
        timeZone={tz}
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
      subTitle={`${period.label}: ${noun} in ${tz}${period.key === nowPeriod.key ? ', so far' : ''}. Budgets here are the period's own, not the rolling 30 d of the SLO pages.`}
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
          <div data-testid={testIds.report.periodKind}>
            <Combobox
              aria-label="Period kind"
              width={16}
              options={PERIOD_KINDS.map((k) => ({ value: k.kind, label: k.label }))}
              value={period.kind}
              onChange={(v) => show(periodOf(v.value, openedAt, tz))}
            />
          </div>
          <div data-testid={testIds.report.month}>
            <Combobox
              aria-label="Period"
              width={30}
              options={options}
              value={period.key}
              onChange={(v) => show(parsePeriod(v.value, tz)!)}
            />
          </div>
        </Stack>
      }
    >
      <div data-testid={testIds.pages.Report} className={s.page}>
        {urlProblems.length > 0 && (
          <Alert
            severity="warning"
            title="Part of this link could not be used"
            data-testid={testIds.report.urlProblems}
          >
            {urlProblems.map((p) => (
              <div key={p}>{p}</div>
            ))}
          </Alert>
        )}
        {body}
      </div>
    </PluginPage>
  );
}

export default ReportPage;

/**
 * The local day a bucket covers: a bucket ends at the zone's midnight (its day is the one before) or, for the
 * running day, at evalEnd (today, "so far").
 */
function worstDayLabel(t: number, evalEnd: number, period: Period): string {
  const day = dateTimeFormat(t - 1, { format: 'MMM D', timeZone: period.timeZone });
  return t === evalEnd && evalEnd < period.endMs ? `${day} (so far)` : day;
}

/** "12 % left at the end (gone Dec 20)", at the forecast's basis. */
function forecastText(f: NonNullable<ReportRow['forecast']>, tz: string): string {
  const left =
    f.budgetLeftAtEnd >= 0
      ? `${formatPercent(f.budgetLeftAtEnd, 0)} left at the end`
      : `overspent by ${formatPercent(-f.budgetLeftAtEnd, 0)} at the end`;
  return f.exhaustedAt
    ? `${left} (gone ${dateTimeFormat(Date.parse(f.exhaustedAt), { format: 'MMM D HH:mm', timeZone: tz })})`
    : left;
}

/** Earlier periods in the report's history table. */
const HISTORY_COUNT = 6;

/**
 * The report with the period's corrections (annotations read first, then loadReport subtracts their events). A
 * failed read of the annotations leaves the raw figures, said in the partial-data banner.
 */
async function loadCorrectedReport(client: PrometheusClient, period: Period, signal: AbortSignal) {
  const now = Date.now();
  // From the first earlier period the history table shows: its cells are corrected too.
  const read = await loadCorrections(shiftPeriod(period, -HISTORY_COUNT).startMs, Math.min(period.endMs, now)).then(
    (r) => ({ ...r, problem: undefined as string | undefined }),
    (e) => ({ corrections: [], truncated: false, problem: errorText(e) })
  );
  const data = await loadReport(client, period, now, signal, HISTORY_COUNT, read.corrections);
  if (read.problem) {
    data.problems.push(read.problem);
  }
  if (read.truncated) {
    data.problems.push(`more than ${CORRECTIONS_LIMIT} corrections in this period: only the first are applied`);
  }
  return data;
}

/** The window a row's "Correct…" prefills: the row's worst local day, else the period so far. */
function rowWindow(r: ReportRow, data: ReportData): { from: number; to: number } {
  const day = localDays(data.period).find(
    (d) => r.worstDayEndMs !== undefined && d.startMs < r.worstDayEndMs && r.worstDayEndMs <= d.endMs
  );
  return day
    ? { from: day.startMs, to: Math.min(day.endMs, data.evalEnd) }
    : { from: data.period.startMs, to: data.evalEnd };
}

/** " · 99.95 % corrected" beside a raw figure, only for an SLO with correction windows in the period. */
function Corrected({ text }: { text?: string }) {
  const s = useStyles2(getStyles);
  return text === undefined ? null : (
    <div className={s.corrected} data-testid={testIds.report.corrected}>
      {text} corrected
    </div>
  );
}

function ReportBody({ data, onChanged }: { data: ReportData; onChanged: () => void }) {
  const s = useStyles2(getStyles);
  const canWrite = canWriteCorrections();
  const [draft, setDraft] = useState<CorrectionDraft>();
  const theme = useTheme2();
  const rows = reportRows(data);
  const met = rows.filter((r) => r.met).length;
  const tz = data.period.timeZone;
  const noun = PERIOD_NOUN[data.period.kind];
  const running = isRunning(data.period, data.evalEnd);

  const earlier = useMemo(() => earlierPeriodRows(data), [data]);
  // The history table: each SLO's reported period then the earlier ones, as the CSV has them.
  const historyCell = (sloId: string, key: string) =>
    (key === data.period.key ? rows : earlier).find((r) => r.slo === sloId && r.period === key);

  const download = () => {
    const blob = new Blob([reportCsv([...rows, ...earlier])], { type: 'text/csv' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `veza-slo-report-${data.period.key}.csv`;
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
        met their objective in {data.period.label}
        {running ? ` (to ${dateTimeFormat(data.evalEnd, { timeZone: tz })})` : ''}, {noun} in {tz}. The budget is the{' '}
        {noun}&apos;s own: (1 − objective) × its valid events, not the rolling 30 d of the SLO pages.
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
            <th scope="col">Worst day ({tz})</th>
            <th scope="col" title={`The error-budget policy state at the ${noun}'s budget left`}>
              Budget policy
            </th>
            {running && (
              <th
                scope="col"
                title={`Budget left at the ${noun}'s end if the rest of it burns like the ${FORECAST_BASIS}: their valid events and error ratio carried on to the end`}
              >
                Forecast at the {FORECAST_BASIS}&apos;s burn
              </th>
            )}
            {canWrite && <th scope="col" />}
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
                <Corrected
                  text={
                    r.corrected
                      ? `${formatSli(r.corrected.sli)}${r.corrected.met === undefined ? '' : r.corrected.met ? ' met' : ' missed'}`
                      : undefined
                  }
                />
              </td>
              <td className={s.num}>
                {formatPercent(r.budgetUsed, 1)}
                <Corrected text={r.corrected ? formatPercent(r.corrected.budgetUsed, 1) : undefined} />
              </td>
              <td className={s.num}>
                {r.bad !== undefined ? Math.round(r.bad).toLocaleString() : '—'} /{' '}
                {r.valid !== undefined ? Math.round(r.valid).toLocaleString() : '—'}
              </td>
              <td className={s.num}>
                {r.fullOutageMinutes !== undefined ? humanDuration(r.fullOutageMinutes * 60) : '—'}
              </td>
              <td className={s.num}>
                {r.worstDayEndMs !== undefined
                  ? `${worstDayLabel(r.worstDayEndMs, data.evalEnd, data.period)}: ${formatPercent(r.worstDayShare, 1)}`
                  : '—'}
              </td>
              <td>
                {r.policy ? (
                  <PolicyChip policy={data.slos.find((x) => x.id === r.slo)?.budgetPolicy} state={r.policy} />
                ) : (
                  '—'
                )}
              </td>
              {running && (
                <td className={s.num} data-testid={testIds.report.forecast}>
                  {r.forecast ? forecastText(r.forecast, tz) : '—'}
                </td>
              )}
              {canWrite && (
                <td>
                  <Button
                    size="sm"
                    variant="secondary"
                    icon="pen"
                    onClick={() => setDraft({ sloIds: [r.slo], ...rowWindow(r, data) })}
                    data-testid={testIds.report.correct}
                  >
                    Correct…
                  </Button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>

      <CorrectionsSection
        corrections={data.corrections}
        slos={data.slos}
        timeZone={tz}
        canWrite={canWrite}
        onChanged={onChanged}
      />
      {draft && (
        <CorrectionForm
          draft={draft}
          slos={data.slos}
          timeZone={tz}
          onClose={() => setDraft(undefined)}
          onSaved={() => {
            setDraft(undefined);
            onChanged();
          }}
        />
      )}

      <h3 className={s.h3}>Budget burn-down</h3>
      <div className={s.charts}>
        {data.slos.map((slo) => {
          const daily = data.daily.get(slo.id);
          const b = daily ? burndown(daily.bad, daily.valid, slo.objective, data.period) : [];
          // With corrections: the corrected burn-down is the budget line, the raw one stays beside it, thinner.
          const cd = correctedDaily(data, slo.id);
          const c = cd ? burndown(cd.bad, cd.valid, slo.objective, data.period) : undefined;
          return (
            <div key={slo.id} className={s.chartBox}>
              <div className={s.chartTitle}>{slo.title}</div>
              <TimeChart
                ariaLabel={`${slo.title}: share of the ${noun}'s budget left, day by day (${tz}), against the even-spend line`}
                series={[
                  ...(c
                    ? [
                        {
                          name: 'budget left, corrected',
                          points: c.map((p) => ({ t: p.t, v: p.remaining })),
                          color: theme.colors.success.main,
                          width: 2,
                        },
                      ]
                    : []),
                  {
                    name: c ? 'budget left, raw' : 'budget left',
                    points: b.map((p) => ({ t: p.t, v: p.remaining })),
                    color: c ? theme.colors.text.secondary : theme.colors.success.main,
                    width: c ? 1 : 2,
                  },
                  {
                    name: 'even spend',
                    points: b.map((p) => ({ t: p.t, v: p.ideal })),
                    color: theme.colors.text.disabled,
                  },
                ]}
                thresholds={[{ value: 0, label: 'spent', color: theme.colors.error.text }]}
                from={data.period.startMs}
                to={data.period.endMs}
                height={180}
                yMax={1}
                formatY={(v) => formatPercent(v, 0)}
                onSelectRange={canWrite ? (from, to) => setDraft({ sloIds: [slo.id], from, to }) : undefined}
                selectLabel="Correct…"
              />
            </div>
          );
        })}
      </div>

      <div className={s.historyHead}>
        <h3 className={s.h3}>{HISTORY_TITLE[data.period.kind]}</h3>
        <Button size="sm" variant="secondary" icon="download-alt" onClick={download} data-testid={testIds.report.csv}>
          Download CSV
        </Button>
      </div>
      <table className={s.table} data-testid={testIds.report.history}>
        <thead>
          <tr>
            <th scope="col">SLO</th>
            {[data.period, ...data.historyPeriods].map((m) => (
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
              {[data.period, ...data.historyPeriods].map((m) => {
                const h = historyCell(slo.id, m.key);
                const v = h ? verdict(h) : 'no data';
                return (
                  <td key={m.key} className={s.num}>
                    {v === 'no data' ? (
                      <span className={s.muted}>no data</span>
                    ) : (
                      <>
                        <span className={h?.met ? s.ok : s.bad}>{h?.met ? 'met' : 'missed'}</span>
                        {' · '}
                        {formatPercent(h?.budgetUsed, 0)} of budget used
                        {m.key === data.period.key && running ? ' so far' : ''}
                        {h?.corrected && (
                          <div className={s.corrected} data-testid={testIds.report.historyCorrected}>
                            {h.corrected.budgetUsed === undefined
                              ? 'corrected: unknown'
                              : `${formatPercent(h.corrected.budgetUsed, 0)} corrected (${h.corrected.met ? 'met' : 'missed'})`}
                          </div>
                        )}
                      </>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

const HISTORY_TITLE: Record<Period['kind'], string> = {
  month: 'Month by month',
  quarter: 'Quarter by quarter',
  week: 'Week by week',
};

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
  corrected: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
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
