/** Monthly error-budget report maths (calendar months in UTC). Pure. */
import { budgetRemaining, errorBudget, errorRatio } from './budget';
import type { Point } from './series';

export interface Month {
  /** "2026-07" */
  key: string;
  label: string;
  startMs: number;
  endMs: number;
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** The calendar month (UTC) containing `ms`, shifted by `offset` months. */
export function monthOf(ms: number, offset = 0): Month {
  const d = new Date(ms);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
  const s = new Date(start);
  const end = Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + 1, 1);
  const key = `${s.getUTCFullYear()}-${String(s.getUTCMonth() + 1).padStart(2, '0')}`;
  return { key, label: `${MONTH_NAMES[s.getUTCMonth()]} ${s.getUTCFullYear()}`, startMs: start, endMs: end };
}

export function parseMonthKey(key: string | null | undefined): Month | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(key ?? '');
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) {
    return undefined;
  }
  return monthOf(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
}

/** The month's evaluation end: its end, or now while it is still running. */
export function monthEvalEnd(month: Month, nowMs: number): number {
  return Math.min(month.endMs, nowMs);
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
export function burndown(bad: Point[], valid: Point[], objective: number, month: Month): BurndownPoint[] {
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
