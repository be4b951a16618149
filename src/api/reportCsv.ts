// The error-budget report's CSV: one column layout for `npm run budget -- report --format csv` and the report
// page's download (one row per SLO and period; corrected and excluded columns empty where a period has no
// correction windows). Pure.
import { toCsv } from '../slo/report';
import type { ReportRow } from './reportRows';

/** The verdict in words: met, missed, no traffic or no data. */
export const verdict = (r: Pick<ReportRow, 'noTraffic' | 'met'>) =>
  r.noTraffic ? 'no traffic' : r.met === undefined ? 'no data' : r.met ? 'met' : 'missed';

export function reportCsv(rows: ReportRow[]): string {
  return toCsv(
    rows.map((r) => ({
      period: r.period,
      period_kind: r.periodKind,
      time_zone: r.timeZone,
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
      forecast_budget_left_at_end: r.forecast ? Number(r.forecast.budgetLeftAtEnd.toFixed(4)) : undefined,
      forecast_exhausted_at: r.forecast?.exhaustedAt,
      forecast_basis: r.forecast?.basis,
      // Corrections (maintenance, accepted incidents): empty for an SLO without windows in the period.
      corrected_valid: r.corrected?.valid !== undefined ? Math.round(r.corrected.valid) : undefined,
      corrected_bad: r.corrected?.bad !== undefined ? Math.round(r.corrected.bad) : undefined,
      corrected_sli: r.corrected?.sli !== undefined ? Number(r.corrected.sli.toFixed(6)) : undefined,
      corrected_budget_used:
        r.corrected?.budgetUsed !== undefined ? Number(r.corrected.budgetUsed.toFixed(4)) : undefined,
      corrected_met: r.corrected ? verdict({ ...r, ...r.corrected, noTraffic: r.corrected.valid === 0 }) : undefined,
      excluded_valid: r.corrected?.excludedValid !== undefined ? Math.round(r.corrected.excludedValid) : undefined,
      excluded_bad: r.corrected?.excludedBad !== undefined ? Math.round(r.corrected.excludedBad) : undefined,
      excluded_minutes: r.corrected ? Number(r.corrected.excludedMinutes.toFixed(1)) : undefined,
    }))
  );
}
