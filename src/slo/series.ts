/** Time-series maths for the detail charts: firing periods and the rolling budget. Pure. */
import type { PromSeries } from '../api/types';
import { budgetRemaining, errorRatio } from './budget';

/** One point: t in milliseconds, v may be NaN (gap). */
export interface Point {
  t: number;
  v: number;
}

export interface Period {
  start: number;
  end: number;
}

export function seriesPoints(series: PromSeries | undefined): Point[] {
  return (series?.values ?? []).map(([t, v]) => ({ t: t * 1000, v: Number(v) }));
}

/**
 * Periods where the alert condition held: both windows above the threshold at the same evaluation step.
 * `stepMs` closes a period at the next step (the chart shades whole steps).
 */
export function conditionPeriods(long: Point[], short: Point[], threshold: number, stepMs: number): Period[] {
  const shortAt = new Map(short.map((p) => [p.t, p.v]));
  const periods: Period[] = [];
  let open: Period | undefined;
  for (const p of long) {
    const s = shortAt.get(p.t);
    const on = p.v > threshold && s !== undefined && s > threshold;
    if (on) {
      if (open && p.t <= open.end) {
        open.end = p.t + stepMs;
      } else {
        open = { start: p.t, end: p.t + stepMs };
        periods.push(open);
      }
    }
  }
  return periods;
}

/**
 * Budget remaining over time from per-step bad/valid increases: at each step, the sum of the last `windowSteps`
 * buckets (e.g. 720 hourly buckets = 30d). Buckets of adjacent ranges add up, so one cheap range query
 * replaces a 30d increase at every step. Steps without any bucket in the window give NaN (gap).
 */
export function rollingBudget(
  bad: Point[],
  valid: Point[],
  windowSteps: number,
  objective: number,
  from = -Infinity
): Point[] {
  const validAt = new Map(valid.map((p) => [p.t, p.v]));
  const times = [...new Set([...bad.map((p) => p.t), ...valid.map((p) => p.t)])].sort((a, b) => a - b);
  const badAt = new Map(bad.map((p) => [p.t, p.v]));
  const out: Point[] = [];
  let sumBad = 0;
  let sumValid = 0;
  let seen = 0;
  const queue: Array<[number, number]> = [];
  for (const t of times) {
    const b = clean(badAt.get(t));
    const v = clean(validAt.get(t));
    queue.push([b, v]);
    sumBad += b;
    sumValid += v;
    seen++;
    if (queue.length > windowSteps) {
      const [ob, ov] = queue.shift()!;
      sumBad -= ob;
      sumValid -= ov;
    }
    if (t < from) {
      continue;
    }
    const ratio = sumValid > 0 ? errorRatio(sumBad, sumValid) : seen > 0 ? 0 : undefined;
    out.push({ t, v: budgetRemaining(ratio, objective) ?? NaN });
  }
  return out;
}

function clean(v: number | undefined): number {
  return v === undefined || !Number.isFinite(v) || v < 0 ? 0 : v;
}

/** Min and max of the finite values (for chart scales), or undefined when there are none. */
export function extent(points: Point[]): [number, number] | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const p of points) {
    if (Number.isFinite(p.v)) {
      min = Math.min(min, p.v);
      max = Math.max(max, p.v);
    }
  }
  return min === Infinity ? undefined : [min, max];
}
