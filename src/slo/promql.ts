/**
 * PromQL builders. Every overview query covers ALL SLOs at once (by label, or one expression joined with `or`),
 * so the number of Prometheus requests does not grow with the number of SLOs.
 */
import { toPromDuration } from './duration';
import type { Slo } from './types';

export const RATIO_METRIC_PREFIX = 'slo:sli_error:ratio_rate';
/**
 * The recorded windows of all SLOs in one selector; the window is the suffix of __name__. Any window: extra tiers
 * record 2h, 24h and 3d (Sloth 2h, 1d, 3d), and their burn now is read from the same answer.
 */
export const ALL_RATIOS_SELECTOR = '{__name__=~"slo:sli_error:ratio_rate[0-9]+[a-z]+"}';

/** A PromQL string literal. */
export function promString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** A label_replace replacement literal: `$` would start a capture reference. */
function replacementString(s: string): string {
  return promString(s.replace(/\$/g, '$$$$'));
}

/** Adds the constant label `name="value"` to every series of `expr`. */
export function withLabel(expr: string, name: string, value: string): string {
  return `label_replace(${expr}, ${promString(name)}, ${replacementString(value)}, "", "")`;
}

/** The ratio rule's expression over another range: rate → increase, [5m] → [range]. */
export function retargetRange(expr: string, range: string, fromRange = '5m', atSeconds?: number): string {
  const escaped = fromRange.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const at = atSeconds !== undefined ? ` @ ${Math.round(atSeconds)}` : '';
  return expr
    .replace(/\brate\s*\(/g, 'increase(')
    .replace(new RegExp(`\\[\\s*${escaped}\\s*\\]`, 'g'), `[${range}]${at}`);
}

/** Whether a ratio expression can be turned into exact raw-counter queries (it is built from rate()). */
export function isCounterRatio(expr: string | undefined, fromRange = '5m'): expr is string {
  return !!expr && /\brate\s*\(/.test(expr) && expr.includes(`[${fromRange}]`);
}

/**
 * Calls `visit` with each character of `expr` from index `from` on that lies outside a string literal (quotes and
 * backslash escapes skipped); stops when `visit` returns true.
 */
export function scanOutsideStrings(expr: string, from: number, visit: (c: string, i: number) => boolean | void): void {
  let quote: string | undefined;
  for (let i = from; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === '\\') {
        i++;
      } else if (c === quote) {
        quote = undefined;
      }
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
    } else if (visit(c, i)) {
      return;
    }
  }
}

/** Splits `a / b` at its top-level division (outside parentheses, brackets, braces and strings). */
export function splitTopLevelDivision(expr: string): [string, string] | undefined {
  let depth = 0;
  const positions: number[] = [];
  scanOutsideStrings(expr, 0, (c, i) => {
    if (c === '(' || c === '[' || c === '{') {
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      depth--;
    } else if (c === '/' && depth === 0) {
      positions.push(i);
    }
  });
  if (positions.length !== 1) {
    return undefined;
  }
  const at = positions[0];
  return [expr.slice(0, at).trim(), expr.slice(at + 1).trim()];
}

/** Removes parentheses that wrap a whole expression: "((a))" → "a". */
export function stripOuterParens(expr: string): string {
  let e = expr.trim();
  while (e.startsWith('(') && e.endsWith(')')) {
    let depth = 0;
    let wrapsAll = true;
    let quote: string | undefined; // parentheses inside a label value ({route="("}) do not count
    for (let i = 0; i < e.length; i++) {
      if (quote) {
        if (e[i] === '\\') {
          i++;
        } else if (e[i] === quote) {
          quote = undefined;
        }
      } else if (e[i] === '"' || e[i] === "'" || e[i] === '`') {
        quote = e[i];
      } else if (e[i] === '(') {
        depth++;
      } else if (e[i] === ')') {
        depth--;
        if (depth === 0 && i < e.length - 1) {
          wrapsAll = false;
          break;
        }
      }
    }
    if (!wrapsAll) {
      break;
    }
    e = e.slice(1, -1).trim();
  }
  return e;
}

/** Raw-counter parts of a ratio rule: bad and valid event rates (good-events form: bad = valid − good). */
export interface CounterParts {
  bad: string;
  valid: string;
}

/** Derives the bad and valid event expressions of a 5m ratio rule, or undefined when it has another shape. */
export function counterParts(expr: string): CounterParts | undefined {
  let body = stripOuterParens(expr);
  let goodForm = false;
  const oneMinus = /^1\s*-\s*/.exec(body);
  if (oneMinus) {
    goodForm = true;
    body = stripOuterParens(body.slice(oneMinus[0].length));
  }
  const parts = splitTopLevelDivision(body);
  if (!parts) {
    return undefined;
  }
  const [num, den] = parts.map(stripOuterParens);
  if (!/\brate\s*\(/.test(num) || !/\brate\s*\(/.test(den)) {
    return undefined;
  }
  return goodForm ? { bad: `(${den}) - (${num})`, valid: den } : { bad: num, valid: den };
}

/** The bad and valid parts of an SLO's 5m ratio rule (the base of every derived counter query). */
export function sloCounterParts(slo: Slo): CounterParts | undefined {
  const base = slo.ratioExprs['5m'];
  return base ? counterParts(base) : undefined;
}

/** Label that carries the SLO id in the joined queries below. */
export const SLO_LABEL = 'slo';
/** Label that says which part (bad / valid) a series of a joined counter query is. */
export const PART_LABEL = 'slo_part';

/**
 * Error ratio over the last `range` (e.g. "30d") for every SLO, in ONE expression: each SLO's 5m rule with
 * rate→increase and [5m]→[range], tagged with its id and joined with `or`. Exact under uneven traffic
 * (ratio of increases, not an average of ratios). SLOs whose rule is not built from counters fall back to
 * the average of their recorded 1h ratio (approximate, see `periodRatioIsExact`).
 */
export function periodRatioQuery(slos: Slo[], rangeSeconds?: number): string | undefined {
  const parts = slos
    .map((slo) => {
      const range = toPromDuration(rangeSeconds ?? slo.windowSeconds);
      const base = slo.ratioExprs['5m'];
      const expr = isCounterRatio(base)
        ? retargetRange(base, range)
        : `avg_over_time(${RATIO_METRIC_PREFIX}1h{${slo.matcher}}[${range}])`;
      return withLabel(`(${expr})`, SLO_LABEL, slo.id);
    })
    .filter(Boolean);
  return parts.length ? parts.join(' or ') : undefined;
}

/** Label that names the window of a valid-events count series (validEventsQuery). */
export const VALID_WINDOW_LABEL = 'slo_valid_window';

/**
 * The windows whose valid events the low-traffic guard reads for an SLO: each guarded tier's long window, and the
 * 1h and 6h burns the tiles show. None for SLOs whose rules have no guard.
 */
export function guardWindows(slo: Slo): string[] {
  if (slo.minEvents === undefined) {
    return [];
  }
  const tiers = slo.alerts.filter((a) => a.minEvents !== undefined && a.longWindow).map((a) => a.longWindow);
  return [...new Set(['1h', '6h', ...tiers])];
}

/**
 * Valid events of every guarded SLO over each of its guard windows, as `or`-joined parts (series tagged slo and
 * slo_valid_window): the 5m rule's valid part with rate→increase — the same `sum(increase(<valid>[<long>]))` the
 * alert's guard line evaluates. Undefined when no SLO has a guard. Meant to ride in the period query's request.
 */
export function validEventsQuery(slos: Slo[]): string | undefined {
  const parts: string[] = [];
  for (const slo of slos) {
    const cp = sloCounterParts(slo);
    if (!cp) {
      continue;
    }
    for (const w of guardWindows(slo)) {
      parts.push(withLabel(withLabel(`(${retargetRange(cp.valid, w)})`, SLO_LABEL, slo.id), VALID_WINDOW_LABEL, w));
    }
  }
  return parts.length ? parts.join(' or ') : undefined;
}

export function periodRatioIsExact(slo: Slo): boolean {
  return isCounterRatio(slo.ratioExprs['5m']);
}

/**
 * Bad and valid event counts over `range` per SLO, in ONE expression (series tagged slo and slo_part).
 * Used as a range query with step = range for budget-over-time and reports: adjacent buckets add up.
 */
export function counterIncreaseQuery(slos: Slo[], range: string): string | undefined {
  return counterWindowsQuery(slos, [{ range }]);
}

/** Label that names the window of a multi-window counter query (report months). */
export const WINDOW_LABEL = 'slo_window_key';

/**
 * Bad and valid counts of every SLO over several fixed windows (`range` ending `@ at`), in ONE expression:
 * series tagged slo, slo_part and (when a key is given) slo_window_key. The report's month history uses it.
 */
export function counterWindowsQuery(
  slos: Slo[],
  windows: Array<{ range: string; at?: number; key?: string }>
): string | undefined {
  const parts: string[] = [];
  for (const slo of slos) {
    const cp = sloCounterParts(slo);
    if (!cp) {
      continue;
    }
    for (const w of windows) {
      for (const [part, expr] of Object.entries(cp)) {
        let e = withLabel(
          withLabel(`(${retargetRange(expr, w.range, '5m', w.at)})`, SLO_LABEL, slo.id),
          PART_LABEL,
          part
        );
        if (w.key) {
          e = withLabel(e, WINDOW_LABEL, w.key);
        }
        parts.push(e);
      }
    }
  }
  return parts.length ? parts.join(' or ') : undefined;
}

/** All recorded windows of one SLO (range query for the burn-rate charts): one query, one series per window. */
export function sloRatiosSelector(slo: Slo): string {
  return `{__name__=~"${RATIO_METRIC_PREFIX}[0-9]+[a-z]+", ${slo.matcher}}`;
}

/** Label that names the window of a raw-counter ratio series (rawRatiosQuery). */
export const RAW_WINDOW_LABEL = 'slo_raw_window';

/**
 * The SLO's error ratio for every recorded window, computed from the recording rules' own expressions over the raw
 * counters, in ONE expression (series tagged slo_raw_window). For where the recorded series have no samples yet:
 * rules deployed after the traffic began, or a history backfilled only in part.
 */
export function rawRatiosQuery(slo: Slo): string | undefined {
  const parts = Object.entries(slo.ratioExprs)
    .filter((e): e is [string, string] => !!e[1])
    .map(([w, expr]) => withLabel(`(${expr})`, RAW_WINDOW_LABEL, w));
  return parts.length ? parts.join(' or ') : undefined;
}

/**
 * p95 of the SLO's requests (latency SLOs): the valid selector's `_count` series swapped for `_bucket`.
 * Undefined when the rule does not read a histogram.
 */
export function latencyQuantileQuery(slo: Slo, quantile = 0.95, range = '5m'): string | undefined {
  const cp = sloCounterParts(slo);
  const m = cp && /([a-zA-Z_:][a-zA-Z0-9_:]*)_count\s*(\{[^}]*\})?/.exec(cp.valid);
  if (!m) {
    return undefined;
  }
  const selector = `${m[1]}_bucket${m[2] ?? ''}`;
  return `histogram_quantile(${quantile}, sum by (le) (rate(${selector}[${range}])))`;
}
