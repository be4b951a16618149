// One row per SLO of the error-budget report: the figures the report page's table shows and `npm run budget --
// report` prints, from loadReport's answer and the report maths (src/slo/report.ts, forecast.ts). Pure.
import { FORECAST_BASIS, FORECAST_BASIS_SECONDS, forecastPeriodEnd } from '../slo/forecast';
import { localDate, type Period, type PeriodKind } from '../slo/periods';
import type { Slo } from '../slo/types';
import type { Point } from '../slo/series';
import { type BudgetPolicyState, policyState } from '../slo/policy';
import { type MonthResult, monthResult, worstBucket } from '../slo/report';
import { type Counts, subtractCounts } from '../slo/correctionQuery';
import { type Window, windowsLength } from '../slo/corrections';
import type { ReportData } from './loaders';

export interface ReportRow {
  /** The period's id: "2026-11", "2026-Q4", "2026-W48". */
  period: string;
  periodKind: PeriodKind;
  /** The IANA time zone whose local midnights bound the period and its days. */
  timeZone: string;
  /** The period was still running when evaluated: every figure runs to `to`. */
  running: boolean;
  /** Instants in UTC (ISO 8601): the period's start and the evaluation end. */
  from: string;
  to: string;
  slo: string;
  title: string;
  objective: number;
  valid?: number;
  bad?: number;
  sli?: number;
  /** Share of the period's budget used (0.4 = 40 %), > 1 when overspent. */
  budgetUsed?: number;
  met?: boolean;
  noTraffic: boolean;
  /** The local day (in timeZone) that used the most budget ("2026-11-30"), and the share of the period's budget. */
  worstDay?: string;
  /** When that day's bucket ends: its local midnight, or the evaluation end for the running day. */
  worstDayEndMs?: number;
  worstDayShare?: number;
  /** The used budget as minutes of full outage over the elapsed period. */
  fullOutageMinutes?: number;
  /** The error-budget policy state at the period's budget left (so far, for a running period). */
  policy?: BudgetPolicyState;
  /**
   * Only for an SLO with correction windows in the period: its figures without the events inside them (raw ones
   * above stay as measured). Counts undefined when the windows could not be read. The policy state follows these.
   */
  corrected?: {
    valid?: number;
    bad?: number;
    sli?: number;
    budgetUsed?: number;
    met?: boolean;
    excludedValid?: number;
    excludedBad?: number;
    /** How long the merged windows cover, in minutes. */
    excludedMinutes: number;
    windows: number;
  };
  /** Running period: the budget left projected at its end at the burn of the last 24 h (forecast.ts). */
  forecast?: { basis: string; budgetLeftAtEnd: number; exhaustedAt?: string };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The SLO's day buckets with the events inside its corrections taken out (the burn-down and the worst day of a
 * corrected period); undefined without corrections or when a day's excluded count is unknown (a failed read).
 */
export function correctedDaily(data: ReportData, sloId: string): { bad: Point[]; valid: Point[] } | undefined {
  const daily = data.daily.get(sloId);
  const ex = data.excludedDaily.get(sloId);
  if (!daily || !ex || [...ex.values()].some((c) => c.bad === undefined || c.valid === undefined)) {
    return undefined;
  }
  const minus = (points: Point[], part: 'bad' | 'valid') =>
    points.map((p) => ({ t: p.t, v: Math.max(0, p.v - (ex.get(p.t)?.[part] ?? 0)) }));
  return { bad: minus(daily.bad, 'bad'), valid: minus(daily.valid, 'valid') };
}

/** A period's corrected figures beside its raw ones; undefined when no correction falls in it. */
function correctedFigures(
  t: { bad?: number; valid?: number } | undefined,
  ex: (Counts & { windows: Window[] }) | undefined,
  slo: Slo,
  elapsedMs: number
): ReportRow['corrected'] {
  if (!ex) {
    return undefined;
  }
  const kept = subtractCounts(t, ex);
  // The corrected period is the period less its windows: "as full outage" is not shown for it (it would be
  // measured against a shorter clock), so the elapsed time passed here only feeds that unused figure.
  const c = monthResult(kept?.bad, kept?.valid, slo.objective, elapsedMs);
  return {
    valid: c.valid,
    bad: c.bad,
    sli: c.sli,
    budgetUsed: c.budgetUsed,
    met: c.met,
    excludedValid: ex.valid,
    excludedBad: ex.bad,
    excludedMinutes: windowsLength(ex.windows) / 60000,
    windows: ex.windows.length,
  };
}

export function reportRows(data: ReportData): ReportRow[] {
  const p = data.period;
  const running = data.evalEnd < p.endMs;
  return data.slos.map((slo) => {
    const t = data.totals.get(slo.id);
    const r = monthResult(t?.bad, t?.valid, slo.objective, data.evalEnd - p.startMs);
    const ex = data.excluded.get(slo.id);
    const corrected = correctedFigures(t, ex, slo, data.evalEnd - p.startMs);
    const used = corrected ? corrected.budgetUsed : r.budgetUsed;
    // The worst day of the corrected days when the period holds corrections (a maintenance day is not "worst").
    const daily = (ex && correctedDaily(data, slo.id)) || data.daily.get(slo.id);
    const worst = daily ? worstBucket(daily.bad, daily.valid, slo.objective) : undefined;
    const basis = data.lastDay.get(slo.id);
    const f =
      running && basis && t
        ? forecastPeriodEnd({
            objective: slo.objective,
            bad: t.bad ?? NaN,
            valid: t.valid ?? NaN,
            basisBad: basis.bad ?? NaN,
            basisValid: basis.valid ?? NaN,
            basisSeconds: FORECAST_BASIS_SECONDS,
            nowMs: data.evalEnd,
            endMs: p.endMs,
          })
        : undefined;
    return {
      ...periodFigures(p, running, data.evalEnd, slo, r),
      // A bucket ends at a local midnight (its day is the one before) or, for the running day, at the evaluation end.
      worstDay: worst ? localDate(worst.t - 1, p.timeZone) : undefined,
      worstDayEndMs: worst?.t,
      worstDayShare: worst?.share,
      fullOutageMinutes: r.badMinutesEquivalent,
      corrected,
      policy: policyState(slo.budgetPolicy, used === undefined ? undefined : 1 - used),
      forecast: f
        ? {
            basis: FORECAST_BASIS,
            budgetLeftAtEnd: f.budgetLeftAtEnd,
            exhaustedAt: f.exhaustedAtMs !== undefined ? iso(f.exhaustedAtMs) : undefined,
          }
        : undefined,
    };
  });
}

/**
 * The earlier periods of the report (its history), as rows of the same shape for the CSV: their counts, verdict and
 * corrected figures (no worst day, forecast or policy: those are read for the reported period alone).
 */
export function earlierPeriodRows(data: ReportData): ReportRow[] {
  return data.historyPeriods.flatMap((m) =>
    data.slos.map((slo) => {
      const t = data.history.get(m.key)?.get(slo.id);
      const r = monthResult(t?.bad, t?.valid, slo.objective, m.endMs - m.startMs);
      return {
        ...periodFigures(m, false, m.endMs, slo, r),
        fullOutageMinutes: r.badMinutesEquivalent,
        corrected: correctedFigures(t, data.historyExcluded.get(m.key)?.get(slo.id), slo, m.endMs - m.startMs),
      };
    })
  );
}

/** The figures every row has: which period and SLO, and its counts and verdict. */
function periodFigures(p: Period, running: boolean, toMs: number, slo: Slo, r: MonthResult) {
  return {
    period: p.key,
    periodKind: p.kind,
    timeZone: p.timeZone,
    running,
    from: iso(p.startMs),
    to: iso(toMs),
    slo: slo.id,
    title: slo.title,
    objective: slo.objective,
    valid: r.valid,
    bad: r.bad,
    sli: r.sli,
    budgetUsed: r.budgetUsed,
    met: r.met,
    noTraffic: r.noTraffic,
  };
}
