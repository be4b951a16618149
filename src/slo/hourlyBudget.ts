/**
 * The budget read from the bucket budget rules (provisioning/prometheus/slo-budget.yml, docs/alerting.md "Hourly
 * budget rules"): every SLO records its bad and valid events per clock hour and per 5-minute mark. A window
 * (F, T], T the last settled 5-minute mark, splits into a 5-minute head (F, A], whole hours (A, B] and a 5-minute
 * tail (B, T]; each piece is a sum of recorded buckets, so the read is exact to the event and its cost follows
 * SLOs × (hours + 24), not raw samples.
 *
 * The query names no SLO: its selectors are name-level (`slo:sli_bad_events:increase1h`, …) summed `by (slo)`, so
 * one request holds a fixed number of terms whatever the number of SLOs (Prometheus' cost of a joined query grows
 * with the square of its `or` operands: docs/BENCHMARKS.md). Every piece is `@`-pinned and its bucket count is
 * checked, so a missing bucket sends that SLO back to the raw counters instead of giving a wrong budget.
 */
import type { PromRulesData, PromSample } from '../api/types';
import { parseDuration } from './duration';
import { SLO_LABEL, VALID_WINDOW_LABEL, withLabel } from './promql';
import type { Slo } from './types';

export type BudgetPart = 'bad' | 'valid';
export type BudgetBucket = 'day' | 'hour' | 'fiveMinutes';

/**
 * The two bucket sizes, shared with the generator (scripts/rules/budget.ts). `settle`: how long after a bucket ends
 * its sample may still be unwritten (the gated group writes it in its first evaluation after the bucket: < interval
 * later, plus the evaluation itself). `subquery`/`resetsWindow`/`range`: see the generator's header.
 */
export const BUDGET_BUCKETS = {
  // Days are summed from the hourly records (not from raw counters: a day of raw samples read every 5 minutes would
  // cost what the buckets save), written 10-15 min after midnight UTC, once, and only when all 24 hours are there.
  day: {
    seconds: 86400,
    records: { bad: 'slo:sli_bad_events:increase1d', valid: 'slo:sli_valid_events:increase1d' },
    interval: '5m',
    gate: 'hour() * 60 + minute() >= 10 < 15',
    settle: 1200,
    group: (id: string) => `slo-budget-1d-${id}`,
  },
  hour: {
    seconds: 3600,
    records: { bad: 'slo:sli_bad_events:increase1h', valid: 'slo:sli_valid_events:increase1h' },
    interval: '5m',
    gate: 'minute() < 5',
    subquery: '2h:1h',
    resetsWindow: '65m',
    range: '1h',
    settle: 600,
    group: (id: string) => `slo-budget-${id}`,
  },
  fiveMinutes: {
    seconds: 300,
    records: { bad: 'slo:sli_bad_events:increase5m', valid: 'slo:sli_valid_events:increase5m' },
    interval: '1m',
    gate: 'minute() % 5 < 1',
    subquery: '10m:5m',
    resetsWindow: '6m',
    range: '5m',
    settle: 120,
    group: (id: string) => `slo-budget-5m-${id}`,
  },
} as const;

/** The hourly records (kept as a name: backfill and tests read them). */
export const BUDGET_RECORDS = BUDGET_BUCKETS.hour.records;

/** Labels naming which piece of the budget a series is, and for which window (see bucketBudgetQuery). */
export const BUDGET_PIECE_LABEL = 'slo_budget_piece';
export const BUDGET_WINDOW_LABEL = 'slo_budget_window';

const DAY = 86400;
const HOUR = 3600;
const FIVE = 300;

/**
 * Hours a single request may span: Mimir's default query-length limit is 768 h (32 days); 720 h leaves room for the
 * edges and the lookback. A window longer than that (90 days) is read in several requests of ≤ 720 h each.
 */
export const MAX_SEGMENT_HOURS = 720;

export interface BucketPiece {
  bucket: BudgetBucket;
  /** (from, to], unix seconds, both on the bucket's marks. */
  from: number;
  to: number;
}

/** A window cut into recorded pieces, grouped in segments of ≤ MAX_SEGMENT_HOURS (one request each). */
export interface BucketPlan {
  /** The window's end: the last 5-minute mark whose bucket is written at `to`. */
  asOf: number;
  from: number;
  segments: BucketPiece[][];
  /** Buckets a complete history holds over the whole window, per part. */
  buckets: number;
}

/**
 * The plan of the window of `windowSeconds` read at `to` (unix seconds). Undefined when the window is not a whole
 * number of 5-minute marks (its edge would cut a bucket): that SLO is read from the raw counters.
 */
export function bucketPlan(to: number, windowSeconds: number, maxHours = MAX_SEGMENT_HOURS): BucketPlan | undefined {
  if (!(windowSeconds > 0) || windowSeconds % FIVE !== 0) {
    return undefined;
  }
  const asOf = Math.floor((Math.floor(to) - BUDGET_BUCKETS.fiveMinutes.settle) / FIVE) * FIVE;
  const from = asOf - windowSeconds;
  const hoursFrom = Math.ceil(from / HOUR) * HOUR;
  const hoursTo = Math.floor((asOf - BUDGET_BUCKETS.hour.settle) / HOUR) * HOUR;
  const daysTo = Math.floor((asOf - BUDGET_BUCKETS.day.settle) / DAY) * DAY;
  const piece = (bucket: BudgetBucket, a: number, b: number): BucketPiece[] =>
    b > a ? [{ bucket, from: a, to: b }] : [];
  const fine = (a: number, b: number) => piece('fiveMinutes', a, b);
  // (a, b] on the hours, read as whole settled days between partial days of hours.
  const coarse = (a: number, b: number): BucketPiece[] => {
    const dayFrom = Math.ceil(a / DAY) * DAY;
    const dayTo = Math.min(Math.floor(b / DAY) * DAY, daysTo);
    if (dayTo <= dayFrom) {
      return piece('hour', a, b);
    }
    return [...piece('hour', a, dayFrom), ...piece('day', dayFrom, dayTo), ...piece('hour', dayTo, b)];
  };
  let segments: BucketPiece[][];
  if (hoursTo <= hoursFrom) {
    segments = [fine(from, asOf)];
  } else {
    segments = [];
    for (let a = hoursFrom; a < hoursTo; a += maxHours * HOUR) {
      segments.push(coarse(a, Math.min(hoursTo, a + maxHours * HOUR)));
    }
    segments[0].unshift(...fine(from, hoursFrom));
    segments[segments.length - 1].push(...fine(hoursTo, asOf));
  }
  const buckets = segments.flat().reduce((n, p) => n + (p.to - p.from) / BUDGET_BUCKETS[p.bucket].seconds, 0);
  return { asOf, from, segments, buckets };
}

/** The ids of SLOs whose six bucket rules (bad and valid; daily, hourly and 5-minute) are loaded (rules API answer). */
export function hourlyBudgetIds(rules: PromRulesData | undefined): Set<string> {
  const names = new Set<string>(Object.values(BUDGET_BUCKETS).flatMap((b) => Object.values(b.records)));
  const seen = new Map<string, Set<string>>();
  for (const g of rules?.groups ?? []) {
    for (const r of g.rules ?? []) {
      const id = r.labels?.slo;
      if (r.type === 'recording' && id && names.has(r.name)) {
        seen.set(id, (seen.get(id) ?? new Set()).add(r.name));
      }
    }
  }
  return new Set([...seen].filter(([, n]) => n.size === names.size).map(([id]) => id));
}

/**
 * One piece's selector over every SLO: its buckets are written at mark + offset, offset < half a bucket (5m group:
 * < 1 min; hourly: < 5 min; daily: < 15 min), so the samples in (from + s/2, to + s/2] are exactly the buckets of (from, to]. The
 * `@` time never passes the evaluation time `at` (the range shrinks with it: nothing later is written yet).
 */
function pieceSelector(p: BucketPiece, part: BudgetPart, at: number): string {
  const half = BUDGET_BUCKETS[p.bucket].seconds / 2;
  const end = Math.min(p.to + half, Math.floor(at));
  return `${BUDGET_BUCKETS[p.bucket].records[part]}[${end - (p.from + half)}s] @ ${end}`;
}

const sumBySlo = (fn: string, pieces: BucketPiece[], part: BudgetPart, at: number) =>
  pieces.map((p) => `sum by (${SLO_LABEL}) (${fn}(${pieceSelector(p, part, at)}))`).join(' + ');

/**
 * Segment `segment` of the budget of every window in `windows` (seconds), for ALL SLOs at once, at evaluation time
 * `at` (unix seconds): per window and part, `<part>_events` and `<part>_count` series by SLO, tagged
 * BUDGET_PIECE_LABEL and BUDGET_WINDOW_LABEL; bucketBudgetRatios adds segments up and checks the counts. Four
 * terms per distinct window, whatever the number of SLOs. Undefined when no window has that segment.
 */
export function bucketBudgetQuery(
  windows: number[],
  at: number,
  segment = 0,
  parts: readonly BudgetPart[] = ['bad', 'valid']
): string | undefined {
  const terms: string[] = [];
  for (const w of [...new Set(windows)].sort((a, b) => a - b)) {
    const pieces = bucketPlan(at, w)?.segments[segment];
    if (!pieces?.length) {
      continue;
    }
    const tag = (e: string, piece: string) =>
      withLabel(withLabel(e, BUDGET_PIECE_LABEL, piece), BUDGET_WINDOW_LABEL, String(w));
    for (const part of parts) {
      terms.push(
        tag(sumBySlo('sum_over_time', pieces, part, at), `${part}_events`),
        tag(sumBySlo('count_over_time', pieces, part, at), `${part}_count`)
      );
    }
  }
  return terms.length ? terms.join(' or ') : undefined;
}

/** How many requests (segments) the longest of `windows` needs at `at`. */
export function bucketSegmentCount(windows: number[], at: number): number {
  return Math.max(1, ...windows.map((w) => bucketPlan(at, w)?.segments.length ?? 1));
}

/**
 * Valid events over each guard window (`1h`, `6h`, …) of every SLO, from the 5-minute and hourly buckets up to the
 * plan's `asOf`: one term per window, tagged VALID_WINDOW_LABEL like validEventsQuery's, present only for SLOs
 * whose buckets are all there. Windows past one segment are left out (the raw read answers them).
 */
export function bucketGuardQuery(windows: string[], at: number): string | undefined {
  const parts: string[] = [];
  for (const w of [...new Set(windows)].sort()) {
    const plan = bucketPlan(at, parseDuration(w) ?? NaN);
    if (!plan || plan.segments.length !== 1) {
      continue;
    }
    const pieces = plan.segments[0];
    const events = sumBySlo('sum_over_time', pieces, 'valid', at);
    const count = sumBySlo('count_over_time', pieces, 'valid', at);
    parts.push(withLabel(`(${events}) and on(${SLO_LABEL}) ((${count}) == ${plan.buckets})`, VALID_WINDOW_LABEL, w));
  }
  return parts.length ? parts.join(' or ') : undefined;
}

/**
 * The error ratios by SLO from the pieces of every segment, and the SLOs they cannot answer for (a missing or
 * extra bucket, a failed segment, a window with no plan): those are read from the raw counters instead. An SLO
 * with no valid event in its window reads NaN, as the raw query's 0 / 0 does (the tiles say "no traffic").
 */
export function bucketBudgetRatios(
  samples: PromSample[],
  slos: Slo[],
  at: number
): { ratios: Map<string, number>; incomplete: Set<string> } {
  const pieces = new Map<string, Record<string, number>>();
  for (const s of samples) {
    const id = s.metric[SLO_LABEL];
    const piece = s.metric[BUDGET_PIECE_LABEL];
    const w = s.metric[BUDGET_WINDOW_LABEL];
    if (id && piece && w) {
      const key = `${id}\u0000${w}`;
      const p = pieces.get(key) ?? {};
      p[piece] = (p[piece] ?? 0) + Number(s.value[1]); // segments of a long window add up
      pieces.set(key, p);
    }
  }
  const ratios = new Map<string, number>();
  const incomplete = new Set<string>();
  for (const slo of slos) {
    const plan = bucketPlan(at, slo.windowSeconds);
    const p = pieces.get(`${slo.id}\u0000${slo.windowSeconds}`) ?? {};
    const total = (part: BudgetPart) =>
      plan && p[`${part}_count`] === plan.buckets && Number.isFinite(p[`${part}_events`])
        ? p[`${part}_events`]
        : undefined;
    const bad = total('bad');
    const valid = total('valid');
    if (bad === undefined || valid === undefined) {
      incomplete.add(slo.id);
    } else {
      ratios.set(slo.id, valid > 0 ? bad / valid : NaN); // NaN: no traffic, as the raw 0 / 0 reads
    }
  }
  return { ratios, incomplete };
}
