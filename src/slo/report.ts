/** Error-budget report maths over a period (calendar month, quarter or ISO week in a time zone). Pure. */
import { budgetRemaining, errorBudget, errorRatio } from './budget';
import { type Period, parsePeriod, periodEvalEnd, periodKindOf, periodOf } from './periods';
import type { Point } from './series';

/** A report period (calendar month, quarter or ISO week, in a time zone): see periods.ts. */
export type Month = Period;

/** The calendar month (UTC) containing `ms`, shifted by `offset` months. */
export function monthOf(ms: number, offset = 0): Month {
  return periodOf('month', ms, 'UTC', offset);
}

/** A month key ("2026-07") as a UTC calendar month; undefined for anything else. */
export function parseMonthKey(key: string | null | undefined): Month | undefined {
  return periodKindOf(key) === 'month' ? parsePeriod(key, 'UTC') : undefined;
}

/** The month's evaluation end: its end, or now while it is still running. */
export const monthEvalEnd = periodEvalEnd;

/**
 * Sums buckets (t = the end of each bucket, as range queries of `increase(…[bucket])` return them) into the local
 * days that hold them: a bucket ending at a day's end belongs to that day. Days come out in order, t = the day's
 * end, only days with at least one bucket.
 */
export function sumIntoDays(points: Point[], days: Array<{ startMs: number; endMs: number }>): Point[] {
  const out: Point[] = [];
  let i = 0;
  const sorted = [...points].filter((p) => Number.isFinite(p.v)).sort((a, b) => a.t - b.t);
  for (const d of days) {
    let sum = 0;
    let any = false;
    for (; i < sorted.length && sorted[i].t <= d.endMs; i++) {
      if (sorted[i].t > d.startMs) {
        sum += sorted[i].v;
        any = true;
      }
    }
    if (any) {
      out.push({ t: d.endMs, v: sum });
    }
  }
  return out;
}

export interface MonthResult {
  bad?: number;
  valid?: number;
  ratio?: number;
  sli?: number;
  /** Share of the month's budget used (0.4 = 40 %), > 1 when overspent. */
  budgetUsed?: number;
  remaining?: number;
  met?: boolean;
  /** Budget as time: the minutes of full outage the used budget equals over the elapsed month. */
  badMinutesEquivalent?: number;
  noTraffic: boolean;
}

/** Totals of one SLO over one month. The budget is that of the month itself (1 − objective of its events). */
export function monthResult(
  bad: number | undefined,
  valid: number | undefined,
  objective: number,
  elapsedMs: number
): MonthResult {
  if (valid !== undefined && Number.isFinite(valid) && valid <= 0) {
    return { bad: 0, valid: 0, ratio: undefined, budgetUsed: 0, remaining: 1, met: true, noTraffic: true };
  }
  const ratio = errorRatio(bad, valid);
  if (ratio === undefined) {
    return { noTraffic: false };
  }
  const budget = errorBudget(objective);
  const budgetUsed = budget > 0 ? ratio / budget : ratio > 0 ? Infinity : 0;
  return {
    bad,
    valid,
    ratio,
    sli: 1 - ratio,
    budgetUsed,
    remaining: budgetRemaining(ratio, objective),
    met: ratio <= budget,
    badMinutesEquivalent: (ratio * elapsedMs) / 60000,
    noTraffic: false,
  };
}

export interface BurndownPoint {
  t: number;
  /** Share of the month's budget left, measured against the month's final traffic so far. */
  remaining: number;
  /** The straight line that ends the month at exactly 0. */
  ideal: number;
}

/**
 * Budget burn-down over a month from daily (or hourly) bad/valid buckets: the budget is the objective applied
 * to all valid events of the month so far, so the curve ends at the month's remaining share.
 */
export function burndown(
  bad: Point[],
  valid: Point[],
  objective: number,
  month: Pick<Period, 'startMs' | 'endMs'>
): BurndownPoint[] {
  const totalValid = valid.reduce((s, p) => s + (Number.isFinite(p.v) ? p.v : 0), 0);
  const allowed = errorBudget(objective) * totalValid;
  const badAt = new Map(bad.map((p) => [p.t, p.v]));
  const span = month.endMs - month.startMs;
  let spent = 0;
  const out: BurndownPoint[] = [{ t: month.startMs, remaining: 1, ideal: 1 }];
  for (const p of [...valid].sort((a, b) => a.t - b.t)) {
    const b = badAt.get(p.t);
    spent += b !== undefined && Number.isFinite(b) ? b : 0;
    out.push({
      t: p.t,
      remaining: allowed > 0 ? 1 - spent / allowed : spent > 0 ? -Infinity : 1,
      ideal: 1 - (p.t - month.startMs) / span,
    });
  }
  return out;
}

/** The day that used the most budget (share of the month's budget), for the "worst day" column. */
export function worstBucket(bad: Point[], valid: Point[], objective: number): { t: number; share: number } | undefined {
  const totalValid = valid.reduce((s, p) => s + (Number.isFinite(p.v) ? p.v : 0), 0);
  const allowed = errorBudget(objective) * totalValid;
  if (allowed <= 0) {
    return undefined;
  }
  let worst: { t: number; share: number } | undefined;
  for (const p of bad) {
    if (Number.isFinite(p.v) && p.v > 0 && (!worst || p.v / allowed > worst.share)) {
      worst = { t: p.t, share: p.v / allowed };
    }
  }
  return worst;
}

/** CSV of the report rows (RFC 4180 quoting). */
export function toCsv(rows: Array<Record<string, string | number | undefined>>): string {
  if (!rows.length) {
    return '';
  }
  const cols = Object.keys(rows[0]);
  const cell = (v: string | number | undefined) => {
    const s = v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}
