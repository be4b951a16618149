/**
 * The counts inside correction windows, read exactly: one `increase(<counter>[<window>] @ <window end>)` per window
 * and part, over the raw counters the SLO's own 5m rule reads (counterWindowsQuery), so a window is measured to
 * the scrape like the period totals it is taken from, not in hourly buckets. All SLOs and windows go in one
 * instant query (series tagged slo, slo_part and the window's key), whatever the number of windows. Pure.
 */
import type { PromSample } from '../api/types';
import { counterWindowsQuery, PART_LABEL, SLO_LABEL, WINDOW_LABEL } from './promql';
import type { Window } from './recurrence';
import type { Slo } from './types';

/** Event counts; undefined where Prometheus had none to give. */
export interface Counts {
  bad?: number;
  valid?: number;
}

/**
 * A window's edges in whole seconds (PromQL's `@` and ranges are read in seconds here): widened outward, so an
 * event at the very edge of a correction is never counted in the budget by rounding.
 */
export function secondsWindow(w: Window): { from: number; to: number } {
  return { from: Math.floor(w.from / 1000), to: Math.ceil(w.to / 1000) };
}

/**
 * The instant query of the counts inside each SLO's windows (merged and clipped beforehand: sloWindows), or
 * undefined when no SLO has one. Evaluate it at any time at or after the last window's end (every term is pinned).
 */
export function excludedCountsQuery(slos: Slo[], windowsBySlo: Map<string, Window[]>): string | undefined {
  const parts = slos
    .map((slo) =>
      counterWindowsQuery(
        [slo],
        (windowsBySlo.get(slo.id) ?? []).map((w, i) => {
          const s = secondsWindow(w);
          return { range: `${s.to - s.from}s`, at: s.to, key: `c${i}` };
        })
      )
    )
    .filter((q): q is string => !!q);
  return parts.length ? parts.join(' or ') : undefined;
}

/**
 * The answer per SLO and window, in the windows' order (the keys excludedCountsQuery gives them). A window with no
 * series had no samples: nothing in it (0), not unknown; NaN (a counter that reset twice inside the window) makes
 * that window's count unknown, never wrong.
 */
export function countsByWindow(samples: PromSample[], windowsBySlo: Map<string, Window[]>): Map<string, Counts[]> {
  const out = new Map<string, Counts[]>();
  for (const [id, ws] of windowsBySlo) {
    out.set(
      id,
      ws.map(() => ({ bad: 0, valid: 0 }))
    );
  }
  for (const s of samples) {
    const key = /^c(\d+)$/.exec(s.metric[WINDOW_LABEL] ?? '');
    const e = key ? out.get(s.metric[SLO_LABEL] ?? '')?.[Number(key[1])] : undefined;
    const part = s.metric[PART_LABEL];
    const v = Number(s.value[1]);
    if (e && (part === 'bad' || part === 'valid')) {
      e[part] = Number.isFinite(v) ? v : undefined;
    }
  }
  return out;
}

/** Sums the answer per SLO over its windows (countsByWindow): unknown when any window's count is. */
export function excludedCounts(samples: PromSample[], windowsBySlo: Map<string, Window[]>): Map<string, Counts> {
  const out = new Map<string, Counts>();
  for (const [id, windows] of countsByWindow(samples, windowsBySlo)) {
    if (!windows.length) {
      continue;
    }
    const sum = (part: keyof Counts) =>
      windows.reduce<number | undefined>(
        (n, c) => (n === undefined || c[part] === undefined ? undefined : n + c[part]!),
        0
      );
    out.set(id, { bad: sum('bad'), valid: sum('valid') });
  }
  return out;
}

/**
 * Raw counts minus the excluded ones. Excluded events are a subset of the raw ones; a result below 0 can only
 * come from increase()'s extrapolation at unaligned edges, and is clamped so no figure reads below "none".
 */
export function subtractCounts(raw: Counts | undefined, excluded: Counts | undefined): Counts | undefined {
  if (!raw || !excluded) {
    return undefined;
  }
  const minus = (a?: number, b?: number) => (a === undefined || b === undefined ? undefined : Math.max(0, a - b));
  return { bad: minus(raw.bad, excluded.bad), valid: minus(raw.valid, excluded.valid) };
}
