// Expected report figures for calendar periods (months, quarters, ISO weeks) in a time zone, from the history
// generator's own counts — sums of the 5-minute steps in (start, end], no PromQL — so the report's figures for each
// period kind and zone can be held against what they must be. The periods' boundaries come from the app's
// src/slo/periods.ts (the thing under test is the PromQL and the bucket folding, not the calendar, which has its
// own unit tests); the counts never touch Prometheus.
import { localDays, periodOf, shiftPeriod, type Period, type PeriodKind } from '../../src/slo/periods';
import type { History, HistorySlo } from './backtestTruth';

export interface Counts {
  valid: number;
  bad: number;
  errorRatio: number;
}

export interface ExpectedPeriod {
  key: string;
  kind: PeriodKind;
  timeZone: string;
  /** The window the history covers (unix s): the period clipped to the history; `at` is where it ends. */
  from: number;
  at: number;
  complete: boolean;
  slos: Record<HistorySlo, Counts>;
  /**
   * The events inside the history's scripted corrections (merged, clipped to the period), per SLO: the corrected
   * figures are `slos` minus these. Absent when no correction overlaps the period.
   */
  excluded?: Record<HistorySlo, Counts>;
  /** Per local day of the period that the history covers in full. */
  days: Array<{ date: string; end: number; slos: Record<HistorySlo, Counts> }>;
}

// Prefix sums per SLO, built once per history: 430 days × 3 zones × 3 period kinds ask for ~11 000 windows, and
// summing the 115 000 steps for each would take minutes.
const prefixes = new WeakMap<object, Record<string, { t: number[]; valid: number[]; bad: number[] }>>();

function prefixOf(h: Pick<History, 'counts'>) {
  let p = prefixes.get(h.counts);
  if (!p) {
    p = {};
    for (const [slo, steps] of Object.entries(h.counts)) {
      const valid = [0];
      const bad = [0];
      for (const s of steps) {
        valid.push(valid[valid.length - 1] + s.valid);
        bad.push(bad[bad.length - 1] + s.bad);
      }
      p[slo] = { t: steps.map((s) => s.t), valid, bad };
    }
    prefixes.set(h.counts, p);
  }
  return p;
}

/** How many of the ascending times are ≤ x. */
function countAtMost(t: number[], x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t[mid] <= x) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** Counts of the steps in (from, to] (unix s) per SLO (steps in ascending time, as the generator emits them). */
export function windowCounts(h: Pick<History, 'counts'>, from: number, to: number): Record<HistorySlo, Counts> {
  const out = {} as Record<HistorySlo, Counts>;
  for (const [slo, p] of Object.entries(prefixOf(h)) as Array<[HistorySlo, ReturnType<typeof prefixOf>[string]]>) {
    const a = countAtMost(p.t, from);
    const b = Math.max(a, countAtMost(p.t, to));
    const valid = p.valid[b] - p.valid[a];
    const bad = p.bad[b] - p.bad[a];
    out[slo] = { valid, bad, errorRatio: valid ? bad / valid : 0 };
  }
  return out;
}

/** The expected figures of one period, clipped to the history (a running period ends at the history's end). */
export function expectedPeriod(
  h: Pick<History, 'counts' | 'start' | 'end'>,
  p: Period,
  corrections: CorrectionWindow[] = []
): ExpectedPeriod {
  const from = Math.max(p.startMs / 1000, h.start);
  const at = Math.min(p.endMs / 1000, h.end);
  const excluded = excludedCounts(h, corrections, from, at);
  return {
    key: p.key,
    kind: p.kind,
    timeZone: p.timeZone,
    from,
    at,
    complete: from === p.startMs / 1000 && at === p.endMs / 1000,
    slos: windowCounts(h, from, at),
    ...(excluded ? { excluded } : {}),
    days: localDays(p)
      .filter((d) => d.startMs / 1000 >= h.start && d.endMs / 1000 <= h.end)
      .map((d) => ({ date: d.date, end: d.endMs / 1000, slos: windowCounts(h, d.startMs / 1000, d.endMs / 1000) })),
  };
}

/** Every period of each kind, in each zone, that overlaps the history. */
export function expectedPeriods(
  h: Pick<History, 'counts' | 'start' | 'end'>,
  zones: string[],
  kinds: PeriodKind[] = ['month', 'quarter', 'week'],
  corrections: CorrectionWindow[] = []
): ExpectedPeriod[] {
  const out: ExpectedPeriod[] = [];
  for (const tz of zones) {
    for (const kind of kinds) {
      for (let p = periodOf(kind, h.start * 1000, tz); p.startMs < h.end * 1000; p = shiftPeriod(p, 1)) {
        out.push(expectedPeriod(h, p, corrections));
      }
    }
  }
  return out;
}

/** A correction window of the history script (unix s) and the SLOs it covers. */
export interface CorrectionWindow {
  slos: string[];
  start: number;
  end: number;
}

/**
 * Per SLO, the counts inside the corrections that overlap (from, at], each SLO's windows merged first (an event is
 * left out once) and clipped; undefined when none overlaps.
 */
export function excludedCounts(
  h: Pick<History, 'counts'>,
  corrections: CorrectionWindow[],
  from: number,
  at: number
): Record<HistorySlo, Counts> | undefined {
  const overlapping = corrections.filter((c) => c.end > from && c.start < at);
  if (!overlapping.length) {
    return undefined;
  }
  const out = {} as Record<HistorySlo, Counts>;
  for (const slo of Object.keys(h.counts) as HistorySlo[]) {
    const merged: Array<[number, number]> = [];
    for (const c of overlapping.filter((x) => x.slos.includes(slo)).sort((a, b) => a.start - b.start)) {
      const w: [number, number] = [Math.max(c.start, from), Math.min(c.end, at)];
      const last = merged[merged.length - 1];
      if (last && w[0] <= last[1]) {
        last[1] = Math.max(last[1], w[1]);
      } else {
        merged.push(w);
      }
    }
    let valid = 0;
    let bad = 0;
    for (const [a, b] of merged) {
      const c = windowCounts(h, a, b)[slo];
      valid += c.valid;
      bad += c.bad;
    }
    out[slo] = { valid, bad, errorRatio: valid ? bad / valid : 0 };
  }
  return out;
}
