// The error-budget report as markdown (`npm run budget -- report`): the rows the app's report page shows
// (src/api/reportRows.ts). CSV has one owner, src/api/reportCsv.ts, shared with the page's download. Pure.
import type { ReportRow } from '../../src/api/reportRows';
import { PERIOD_NOUN } from '../../src/components/report/reportParams';
import { verdict } from '../../src/api/reportCsv';

const pct = (v: number | undefined, digits = 2) => (v === undefined ? '—' : `${(v * 100).toFixed(digits)} %`);
const count = (v: number | undefined) => (v === undefined ? '—' : Math.round(v).toString());

export function reportMarkdown(rows: ReportRow[], problems: string[] = []): string {
  if (!rows.length) {
    return 'No SLO found in the rules.\n';
  }
  const r0 = rows[0];
  const noun = PERIOD_NOUN[r0.periodKind];
  const forecast = rows.some((r) => r.forecast);
  const corrected = rows.some((r) => r.corrected);
  const basis = rows.find((r) => r.forecast)?.forecast?.basis;
  const lines = [
    `# Error budget report, ${r0.period} (${noun} in ${r0.timeZone}${r0.running ? `, so far: to ${r0.to}` : ''})`,
    '',
    `${rows.filter((r) => r.met).length} of ${rows.length} SLOs met their objective. The budget is the ${noun}'s own: ` +
      '(1 − objective) × its valid events, not the rolling 30 days of the SLO pages.',
    '',
    `| SLO | objective | achieved | | budget used | bad / valid events | as full outage | worst day (${r0.timeZone}) | budget policy |${forecast ? ` forecast at the ${basis}'s burn |` : ''}${corrected ? ' corrected: achieved, budget used, bad / valid (excluded) |' : ''}`,
    `|---|---|---|---|---|---|---|---|---|${forecast ? '---|' : ''}${corrected ? '---|' : ''}`,
    ...rows.map(
      (r) =>
        `| ${r.title} | ${pct(r.objective)} | ${pct(r.sli, 3)} | ${verdict(r)} | ${pct(r.budgetUsed, 1)} | ` +
        `${count(r.bad)} / ${count(r.valid)} | ${r.fullOutageMinutes === undefined ? '—' : `${r.fullOutageMinutes.toFixed(1)} min`} | ` +
        `${r.worstDay ? `${r.worstDay}${r.running && r.worstDayEndMs === Date.parse(r.to) ? ' (so far)' : ''}: ${pct(r.worstDayShare, 1)}` : '—'} | ` +
        `${r.policy ? `${r.policy.state}${r.policy.blocksDeploys ? ' (deploys blocked)' : ''}` : '—'} |` +
        (forecast ? ` ${forecastCell(r)} |` : '') +
        (corrected ? ` ${correctedCell(r)} |` : '')
    ),
  ];
  if (corrected) {
    lines.push(
      '',
      'Corrected figures leave out the events inside maintenance windows and accepted incidents; the raw ones are ' +
        'as measured. Alerts are not changed by corrections.'
    );
  }
  if (problems.length) {
    lines.push('', `Partial data: ${problems.join('; ')}.`);
  }
  return lines.join('\n') + '\n';
}

function forecastCell(r: ReportRow): string {
  if (!r.forecast) {
    return '—';
  }
  const left = `${pct(r.forecast.budgetLeftAtEnd, 1)} left at the end`;
  return r.forecast.exhaustedAt ? `${left} (gone ${r.forecast.exhaustedAt})` : left;
}

function correctedCell(r: ReportRow): string {
  const c = r.corrected;
  if (!c) {
    return '—';
  }
  const mins = `${c.windows} window${c.windows === 1 ? '' : 's'}, ${c.excludedMinutes.toFixed(0)} min`;
  return (
    `${pct(c.sli, 3)}, ${pct(c.budgetUsed, 1)}, ${count(c.bad)} / ${count(c.valid)} ` +
    `(${count(c.excludedBad)} / ${count(c.excludedValid)} in ${mins})`
  );
}
