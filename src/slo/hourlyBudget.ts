/**
 * The budget read from the hourly budget rules (provisioning/prometheus/slo-budget.yml, docs/alerting.md "Hourly
 * budget rules"): a window (to − W, to] splits into a head (to − W, A] and a tail (B, to] read from the raw counters
 * as exact differences of counter values, and the whole clock hours (A, B] read as the sum of their recorded hourly
 * buckets, one sample per hour. Every per-SLO piece is `@`-pinned, so the cost depends on the number of SLOs and
 * hours, not on the raw samples. Prometheus without those rules: the SLO keeps the raw `increase(…[30d])` query.
 */
import type { PromRulesData, PromSample } from '../api/types';
import { scanOutsideStrings, SLO_LABEL, sloCounterParts, withLabel } from './promql';
import type { Slo } from './types';

/** Rule names shared with the generator (scripts/rules/budget.ts). */
export const BUDGET_RECORDS = {
  bad: 'slo:sli_bad_events:increase1h',
  valid: 'slo:sli_valid_events:increase1h',
} as const;
export type BudgetPart = keyof typeof BUDGET_RECORDS;
/** Label naming which piece of the hourly budget a series is (see hourlyBudgetQuery). */
export const BUDGET_PIECE_LABEL = 'slo_budget_piece';

const HOUR = 3600;
/**
 * How long after an hour ends its bucket may still be unwritten: the rule group evaluates every 5 min (its first
 * evaluation in the hour records it), plus the evaluation itself. The hour before is read from the raw counters.
 */
export const SETTLE_SECONDS = 600;

/** The pieces of a window (unix seconds): raw head (from, hoursFrom], recorded hours (hoursFrom, hoursTo], raw tail. */
export interface HourlyPlan {
  from: number;
  hoursFrom: number;
  hoursTo: number;
  to: number;
  /** Whole hours in (hoursFrom, hoursTo]: the recorded samples a complete history holds. */
  hours: number;
}

/** Splits (to − windowSeconds, to] at clock hours; undefined when no whole recorded hour fits. */
export function hourlyPlan(toSeconds: number, windowSeconds: number, settle = SETTLE_SECONDS): HourlyPlan | undefined {
  const to = Math.floor(toSeconds); // PromQL durations and `@` take whole seconds here
  const from = to - windowSeconds;
  const hoursFrom = Math.ceil(from / HOUR) * HOUR;
  const hoursTo = Math.floor((to - settle) / HOUR) * HOUR;
  if (hoursTo <= hoursFrom) {
    return undefined;
  }
  return { from, hoursFrom, hoursTo, to, hours: (hoursTo - hoursFrom) / HOUR };
}

/** The ids of SLOs whose bad and valid hourly rules are both loaded (from the rules API answer). */
export function hourlyBudgetIds(rules: PromRulesData | undefined): Set<string> {
  const seen = new Map<string, Set<string>>();
  for (const g of rules?.groups ?? []) {
    for (const r of g.rules ?? []) {
      const id = r.labels?.slo;
      if (r.type === 'recording' && id && (r.name === BUDGET_RECORDS.bad || r.name === BUDGET_RECORDS.valid)) {
        seen.set(id, (seen.get(id) ?? new Set()).add(r.name));
      }
    }
  }
  return new Set([...seen].filter(([, names]) => names.size === 2).map(([id]) => id));
}

/** Finds `rate(` calls and the index of their closing parenthesis (outside strings). */
function rateCalls(expr: string): Array<{ start: number; open: number; close: number }> {
  const out: Array<{ start: number; open: number; close: number }> = [];
  const re = /\brate\s*\(/g;
  for (let m = re.exec(expr); m; m = re.exec(expr)) {
    const open = m.index + m[0].length - 1;
    let depth = 0;
    scanOutsideStrings(expr, open, (c, i) => {
      depth += c === '(' ? 1 : c === ')' ? -1 : 0;
      if (c === ')' && depth === 0) {
        out.push({ start: m!.index, open, close: i });
        re.lastIndex = i + 1;
        return true;
      }
      return false;
    });
  }
  return out;
}

/**
 * A counter-part expression (`sum(rate(<sel>[5m]))`…) turned into its events in (t1, t2]: each `rate(<sel>[5m])`
 * becomes the per-series difference of the counter's values at t2 and t1, no extrapolation. A series whose value
 * dropped (a reset) or that had none at t1 (it started) counts its value at t2: the events since it (re)started.
 * Only instant lookups, no range read: the edges are the part of the budget query that grows with raw series, and
 * resets()/increase() over them cost 3× more (bench, docs/BENCHMARKS.md). A reset after which the counter climbs
 * past its old value inside an edge is missed; the edge is at most 70 min, and once its hours are recorded the
 * reset-safe rules count them. Undefined when a rate() does not read a plain `[5m]` range.
 */
export function counterDelta(expr: string, t1: number, t2: number): string | undefined {
  let out = '';
  let last = 0;
  for (const { start, open, close } of rateCalls(expr)) {
    const inner = expr.slice(open + 1, close).trim();
    const m = /^([\s\S]*?)\s*\[\s*5m\s*\]$/.exec(inner);
    if (!m) {
      return undefined;
    }
    const at = (t: number) => `${m[1]} @ ${Math.round(t)}`;
    // `* 1` drops the metric name so both sides of `or` carry the same labels (a series is counted once).
    out += `${expr.slice(last, start)}(${at(t2)} - ${at(t1)} >= 0 or ${at(t2)} * 1)`;
    last = close + 1;
  }
  return last === 0 ? undefined : out + expr.slice(last);
}

/**
 * Hours a single request may span: Mimir's default query-length limit is 768 h (32 days); 720 h leaves room for the
 * edges and the lookback. A window longer than that (90 days) is read in several requests of ≤ 720 h each.
 */
export const MAX_SEGMENT_HOURS = 720;

/** The recorded hours of a plan cut into segments of ≤ MAX_SEGMENT_HOURS, oldest first: [start, end] in seconds. */
export function planSegments(plan: HourlyPlan, maxHours = MAX_SEGMENT_HOURS): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let a = plan.hoursFrom; a < plan.hoursTo; a += maxHours * HOUR) {
    out.push([a, Math.min(plan.hoursTo, a + maxHours * HOUR)]);
  }
  return out;
}

/** How many requests (segments) the longest window of `slos` needs. */
export function budgetSegmentCount(slos: Slo[], to: number): number {
  return Math.max(1, ...slos.map((s) => hourlyPlan(to, s.windowSeconds)).map((p) => (p ? planSegments(p).length : 1)));
}

/**
 * Segment `segment` of the budget of every SLO in `slos` (each with its hourly rules loaded), in ONE expression.
 * A window of one segment (30 days) gives ONE series per SLO, tagged `slo` like periodRatioQuery's: its error
 * ratio (recorded hours + raw edges), absent when an hour is missing. Longer windows give, per segment and part,
 * `<part>_events` (recorded hours of the segment, plus the raw head in the first segment and the raw tail in the
 * last) and `<part>_count` (buckets found), tagged BUDGET_PIECE_LABEL, added up by hourlyBudgetRatios. `to` is the
 * evaluation time (unix seconds). Undefined when no SLO has that segment.
 */
export function hourlyBudgetQuery(
  slos: Slo[],
  to: number,
  segment = 0,
  maxHours = MAX_SEGMENT_HOURS
): string | undefined {
  const parts: string[] = [];
  for (const slo of slos) {
    const plan = hourlyPlan(to, slo.windowSeconds);
    const cp = sloCounterParts(slo);
    const segments = plan ? planSegments(plan, maxHours) : [];
    if (!plan || !cp || segment >= segments.length) {
      continue;
    }
    const [a, b] = segments[segment];
    // The bucket of hour (h − 1h, h] is written at h + (group offset < 5 min): the samples in
    // (a + 30 min, b + 30 min] are exactly the hours of (a, b].
    const end = Math.min(plan.to, b + HOUR / 2);
    const sel = (part: BudgetPart) => `${BUDGET_RECORDS[part]}{${slo.matcher}}[${end - (a + HOUR / 2)}s] @ ${end}`;
    const edges = (part: BudgetPart) => [
      segment === 0 ? counterDelta(cp[part], plan.from, plan.hoursFrom) : '',
      segment === segments.length - 1 ? counterDelta(cp[part], plan.hoursTo, plan.to) : '',
    ];
    if ([...edges('bad'), ...edges('valid')].some((e) => e === undefined)) {
      continue; // no exact edge: the SLO is read from the raw counters
    }
    const total = (part: BudgetPart) =>
      [
        `sum(sum_over_time(${sel(part)}))`,
        ...edges(part)
          .filter(Boolean)
          .map((e) => `(${e})`),
      ].join(' + ');
    const complete = (part: BudgetPart) => `sum(count_over_time(${sel(part)})) == ${plan.hours}`;
    if (segments.length === 1) {
      // ONE operand per SLO (Prometheus' cost grows with the square of `or` operands): the ratio itself, present
      // only when every hour is recorded, so a missing series means "read this SLO from the raw counters".
      parts.push(
        withLabel(
          `(${total('bad')}) / (${total('valid')}) and on() (${complete('bad')}) and on() (${complete('valid')})`,
          SLO_LABEL,
          slo.id
        )
      );
      continue;
    }
    const tag = (e: string, piece: string) => withLabel(withLabel(e, SLO_LABEL, slo.id), BUDGET_PIECE_LABEL, piece);
    for (const part of ['bad', 'valid'] as const) {
      parts.push(tag(total(part), `${part}_events`), tag(`sum(count_over_time(${sel(part)}))`, `${part}_count`));
    }
  }
  return parts.length ? parts.join(' or ') : undefined;
}

/**
 * The error ratios the pieces of multi-segment windows give, by SLO, and the SLOs they cannot answer for (a missing
 * or extra hour, a missing edge, a failed segment): those are read from the raw counters instead. An SLO with no
 * valid event has no ratio.
 */
export function hourlyBudgetRatios(
  samples: PromSample[],
  slos: Slo[],
  to: number
): { ratios: Map<string, number>; incomplete: Set<string> } {
  const pieces = new Map<string, Record<string, number>>();
  for (const s of samples) {
    const id = s.metric[SLO_LABEL];
    const piece = s.metric[BUDGET_PIECE_LABEL];
    if (id && piece) {
      const p = pieces.get(id) ?? {};
      p[piece] = (p[piece] ?? 0) + Number(s.value[1]); // segments of a long window add up
      pieces.set(id, p);
    }
  }
  const ratios = new Map<string, number>();
  const incomplete = new Set<string>();
  for (const slo of slos) {
    const plan = hourlyPlan(to, slo.windowSeconds);
    const p = pieces.get(slo.id) ?? {};
    const total = (part: BudgetPart) =>
      p[`${part}_count`] === plan?.hours && Number.isFinite(p[`${part}_events`]) ? p[`${part}_events`] : undefined;
    const bad = total('bad');
    const valid = total('valid');
    if (bad === undefined || valid === undefined) {
      incomplete.add(slo.id);
    } else if (valid > 0) {
      ratios.set(slo.id, bad / valid);
    }
  }
  return { ratios, incomplete };
}
