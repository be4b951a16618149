/**
 * Corrections on the rolling window (overview tiles, SLO page): the events inside each SLO's correction windows of
 * its last `windowSeconds`, left out of the budget exactly as the report does (correctionQuery.ts: pinned
 * increase() per window over the raw counters), with the window's raw totals read the same way, so raw and
 * corrected are two exact figures side by side. Two instant queries, sent only when some SLO's window holds a
 * correction: the overview costs nothing more on the usual day without one.
 */
import { type Correction, sloWindows, type Window } from '../slo/corrections';
import { excludedCounts, excludedCountsQuery } from '../slo/correctionQuery';
import { counterWindowsQuery, PART_LABEL, SLO_LABEL, WINDOW_LABEL } from '../slo/promql';
import { expandRecurring } from '../slo/recurringCorrections';
import type { CorrectedWindow, Slo } from '../slo/types';
import { errorText, isCancelled } from './errors';
import type { PrometheusClient } from './prometheus';

/** The corrections a page read (Grafana's annotations) before asking for the figures, or why it could not. */
export interface GivenCorrections {
  corrections: Correction[];
  /** Why some or all could not be read (shown as partial data). */
  problem?: string;
}

/** How far back the pages read correction annotations: the longest SLO window the spec accepts, with a margin. */
export const ROLLING_CORRECTIONS_SPAN_MS = 91 * 86400000;

/** Each SLO's merged windows inside (now − its window, now], annotations and the spec's recurring ones. */
export function rollingWindows(
  slos: Slo[],
  given: Correction[],
  nowMs: number,
  timeZone: string
): Map<string, Window[]> {
  const longest = Math.max(...slos.map((s) => s.windowSeconds)) * 1000;
  const all = [...given, ...expandRecurring(slos, nowMs - longest, nowMs, timeZone)];
  return new Map(slos.map((s) => [s.id, sloWindows(all, s.id, nowMs - s.windowSeconds * 1000, nowMs)]));
}

/** The totals query: every SLO's bad and valid events over its own window, tagged by window length. */
function totalsQuery(slos: Slo[], at: number): string | undefined {
  const byWindow = new Map<number, Slo[]>();
  for (const s of slos) {
    byWindow.set(s.windowSeconds, [...(byWindow.get(s.windowSeconds) ?? []), s]);
  }
  const parts = [...byWindow].map(([w, group]) => counterWindowsQuery(group, [{ range: `${w}s`, at, key: String(w) }]));
  return parts.filter(Boolean).join(' or ') || undefined;
}

/**
 * The corrected rolling figures of every SLO whose window holds a correction (absent for the others). Counts
 * unknown (and no corrected ratio) when a read failed; the failure is in `problems`, never raw figures under the
 * corrected name.
 */
export async function loadRollingCorrected(
  client: PrometheusClient,
  slos: Slo[],
  given: Correction[],
  nowMs: number,
  timeZone: string,
  signal?: AbortSignal
): Promise<{ corrected: Map<string, CorrectedWindow>; problems: string[] }> {
  const windows = rollingWindows(slos, given, nowMs, timeZone);
  const affected = slos.filter((s) => windows.get(s.id)!.length);
  const corrected = new Map<string, CorrectedWindow>();
  if (!affected.length) {
    return { corrected, problems: [] };
  }
  const at = Math.floor(nowMs / 1000);
  const [totals, excluded] = await Promise.allSettled([
    client.query(totalsQuery(affected, at)!, { time: at * 1000, signal, what: 'the rolling totals to correct' }),
    client.query(excludedCountsQuery(affected, windows)!, {
      time: at * 1000,
      signal,
      what: 'the events inside the corrections',
    }),
  ]);
  const problems: string[] = [];
  for (const r of [totals, excluded]) {
    if (r.status === 'rejected') {
      if (isCancelled(r.reason)) {
        throw r.reason;
      }
      problems.push(errorText(r.reason));
    }
  }
  const ex = excluded.status === 'fulfilled' ? excludedCounts(excluded.value, windows) : new Map();
  for (const s of affected) {
    const sample = (part: 'bad' | 'valid') =>
      totals.status === 'fulfilled'
        ? totals.value.find(
            (x) =>
              x.metric[SLO_LABEL] === s.id &&
              x.metric[PART_LABEL] === part &&
              x.metric[WINDOW_LABEL] === String(s.windowSeconds)
          )
        : undefined;
    const bad = sample('bad');
    const valid = sample('valid');
    const e = ex.get(s.id);
    const w: CorrectedWindow = {
      windows: windows.get(s.id)!,
      valid: valid ? Number(valid.value[1]) : undefined,
      bad: bad ? Number(bad.value[1]) : totals.status === 'fulfilled' && valid ? 0 : undefined,
      excludedValid: e?.valid,
      excludedBad: e?.bad,
    };
    if (w.valid !== undefined && w.bad !== undefined && w.excludedValid !== undefined && w.excludedBad !== undefined) {
      const v = Math.max(0, w.valid - w.excludedValid);
      // All traffic inside corrections: no event counts, the budget is untouched (NaN: "no traffic", as raw).
      w.errorRatio = v > 0 ? Math.max(0, w.bad - w.excludedBad) / v : NaN;
    }
    corrected.set(s.id, w);
  }
  return { corrected, problems };
}
