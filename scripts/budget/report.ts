// The monthly report as text (`npm run budget -- report`): the rows the app's report page shows
// (src/api/reportRows.ts), as CSV or markdown. Pure.
import type { ReportRow } from '../../src/api/reportRows';
import { toCsv } from '../../src/slo/report';

const pct = (v: number | undefined, digits = 2) => (v === undefined ? '—' : `${(v * 100).toFixed(digits)} %`);
const count = (v: number | undefined) => (v === undefined ? '—' : Math.round(v).toString());
const verdict = (r: ReportRow) =>
  r.noTraffic ? 'no traffic' : r.met === undefined ? 'no data' : r.met ? 'met' : 'missed';

export function reportCsv(rows: ReportRow[]): string {
  return toCsv(
    rows.map((r) => ({
      month: r.month,
      running: r.running ? 'yes' : 'no',
      from: r.from,
      to: r.to,
      slo: r.slo,
      objective: r.objective,
      valid: r.valid !== undefined ? Math.round(r.valid) : undefined,
      bad: r.bad !== undefined ? Math.round(r.bad) : undefined,
      sli: r.sli !== undefined ? Number(r.sli.toFixed(6)) : undefined,
      budget_used: r.budgetUsed !== undefined ? Number(r.budgetUsed.toFixed(4)) : undefined,
      met: verdict(r),
      worst_day: r.worstDay,
      worst_day_share: r.worstDayShare !== undefined ? Number(r.worstDayShare.toFixed(4)) : undefined,
      full_outage_minutes: r.fullOutageMinutes !== undefined ? Number(r.fullOutageMinutes.toFixed(1)) : undefined,
      policy_state: r.policy?.state,
    }))
  );
}

export function reportMarkdown(rows: ReportRow[], problems: string[] = []): string {
  if (!rows.length) {
    return 'No SLO found in the rules.\n';
  }
  const r0 = rows[0];
  const lines = [
    `# Error budget report, ${r0.month} (UTC calendar month${r0.running ? `, so far: to ${r0.to}` : ''})`,
    '',
    `${rows.filter((r) => r.met).length} of ${rows.length} SLOs met their objective. The budget is the month's own: ` +
      '(1 − objective) × its valid events.',
    '',
    '| SLO | objective | achieved | | budget used | bad / valid events | as full outage | worst day | budget policy |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.title} | ${pct(r.objective)} | ${pct(r.sli, 3)} | ${verdict(r)} | ${pct(r.budgetUsed, 1)} | ` +
        `${count(r.bad)} / ${count(r.valid)} | ${r.fullOutageMinutes === undefined ? '—' : `${r.fullOutageMinutes.toFixed(1)} min`} | ` +
        `${r.worstDay ? `${r.worstDay}${r.running && r.worstDay === r.to.slice(0, 10) ? ' (so far)' : ''}: ${pct(r.worstDayShare, 1)}` : '—'} | ` +
        `${r.policy ? `${r.policy.state}${r.policy.blocksDeploys ? ' (deploys blocked)' : ''}` : '—'} |`
    ),
  ];
  if (problems.length) {
    lines.push('', `Partial data: ${problems.join('; ')}.`);
  }
  return lines.join('\n') + '\n';
}
