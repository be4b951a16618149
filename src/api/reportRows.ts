// One row per SLO of the monthly report: the figures the report page's table shows and `npm run budget -- report`
// prints, from loadReport's answer and the report maths (src/slo/report.ts). Pure.
import { type BudgetPolicyState, policyState } from '../slo/policy';
import { monthResult, worstBucket } from '../slo/report';
import type { ReportData } from './loaders';

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
  /** When that day's bucket ends: its midnight, or the evaluation end for the running day. */
  worstDayEndMs?: number;
  worstDayShare?: number;
  /** The used budget as minutes of full outage over the elapsed month. */
  fullOutageMinutes?: number;
  /** The error-budget policy state at the month's budget left (so far, for a running month). */
  policy?: BudgetPolicyState;
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
      worstDayEndMs: worst?.t,
      worstDayShare: worst?.share,
      fullOutageMinutes: r.badMinutesEquivalent,
      policy: policyState(slo.budgetPolicy, r.budgetUsed === undefined ? undefined : 1 - r.budgetUsed),
    };
  });
}
