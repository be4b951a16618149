// The monthly report as rows and as text (`npm run budget -- report`): the same figures as the app's report page,
// from the same loader (src/api/loaders.ts loadReport) and the same maths (src/slo/report.ts). Pure.
import type { ReportData } from '../../src/api/loaders';
import { monthResult, toCsv, worstBucket } from '../../src/slo/report';

export interface ReportRow {
  month: string;
  /** The month was still running when evaluated: every figure runs to `to`. */
  running: boolean;
  from: string;
  to: string;
  slo: string;
  title: string;
  objective: number;
  valid?: number;
  bad?: number;
  sli?: number;
  /** Share of the month's budget used (0.4 = 40 %), > 1 when overspent. */
  budgetUsed?: number;
  met?: boolean;
  noTraffic: boolean;
  /** The UTC day that used the most budget ("2026-11-30"), and the share of the month's budget it used. */
  worstDay?: string;
  worstDayShare?: number;
  /** The used budget as minutes of full outage over the elapsed month. */
  fullOutageMinutes?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const dayOf = (ms: number) => iso(ms).slice(0, 10);

export function reportRows(data: ReportData): ReportRow[] {
  const running = data.evalEnd < data.month.endMs;
  return data.slos.map((slo) => {
    const t = data.totals.get(slo.id);
    const r = monthResult(t?.bad, t?.valid, slo.objective, data.evalEnd - data.month.startMs);
    const daily = data.daily.get(slo.id);
    const worst = daily ? worstBucket(daily.bad, daily.valid, slo.objective) : undefined;
    return {
      month: data.month.key,
      running,
      from: iso(data.month.startMs),
      to: iso(data.evalEnd),
      slo: slo.id,
      title: slo.title,
      objective: slo.objective,
      valid: r.valid,
      bad: r.bad,
      sli: r.sli,
      budgetUsed: r.budgetUsed,
      met: r.met,
      noTraffic: r.noTraffic,
      // A bucket ends at midnight (its day is the one before) or, for the running day, at the evaluation end.
      worstDay: worst ? dayOf(worst.t - 1) : undefined,
      worstDayShare: worst?.share,
      fullOutageMinutes: r.badMinutesEquivalent,
    };
  });
}

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
    '| SLO | objective | achieved | | budget used | bad / valid events | as full outage | worst day |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.title} | ${pct(r.objective)} | ${pct(r.sli, 3)} | ${verdict(r)} | ${pct(r.budgetUsed, 1)} | ` +
        `${count(r.bad)} / ${count(r.valid)} | ${r.fullOutageMinutes === undefined ? '—' : `${r.fullOutageMinutes.toFixed(1)} min`} | ` +
        `${r.worstDay ? `${r.worstDay}${r.running && r.worstDay === r.to.slice(0, 10) ? ' (so far)' : ''}: ${pct(r.worstDayShare, 1)}` : '—'} |`
    ),
  ];
  if (problems.length) {
    lines.push('', `Partial data: ${problems.join('; ')}.`);
  }
  return lines.join('\n') + '\n';
}
