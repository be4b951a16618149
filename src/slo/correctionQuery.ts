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
 * Sums the answer per SLO over its windows. An SLO with windows but no series had no samples in them: nothing to
 * exclude (0), not unknown.
 */
export function excludedCounts(samples: PromSample[], windowsBySlo: Map<string, Window[]>): Map<string, Counts> {
  const out = new Map<string, Counts>();
  for (const [id, ws] of windowsBySlo) {
    if (ws.length) {
      out.set(id, { bad: 0, valid: 0 });
    }
  }
  for (const s of samples) {
    const e = out.get(s.metric[SLO_LABEL] ?? '');
    const part = s.metric[PART_LABEL];
    const v = Number(s.value[1]);
    if (e && s.metric[WINDOW_LABEL] && (part === 'bad' || part === 'valid')) {
      // NaN (a counter that reset twice inside the window) makes the corrected figure unknown, never wrong.
      const sum = e[part];
      e[part] = sum !== undefined && Number.isFinite(v) ? sum + v : undefined;
    }
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
