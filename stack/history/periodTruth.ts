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
  /** Per local day of the period that the history covers in full. */
  days: Array<{ date: string; end: number; slos: Record<HistorySlo, Counts> }>;
}

/** Counts of the steps in (from, to] (unix s) per SLO. */
export function windowCounts(h: Pick<History, 'counts'>, from: number, to: number): Record<HistorySlo, Counts> {
  const out = {} as Record<HistorySlo, Counts>;
  for (const [slo, steps] of Object.entries(h.counts) as Array<[HistorySlo, History['counts'][HistorySlo]]>) {
    let valid = 0;
    let bad = 0;
    for (const s of steps) {
      if (s.t > from && s.t <= to) {
        valid += s.valid;
        bad += s.bad;
      }
    }
    out[slo] = { valid, bad, errorRatio: valid ? bad / valid : 0 };
  }
  return out;
}

/** The expected figures of one period, clipped to the history (a running period ends at the history's end). */
export function expectedPeriod(h: Pick<History, 'counts' | 'start' | 'end'>, p: Period): ExpectedPeriod {
  const from = Math.max(p.startMs / 1000, h.start);
  const at = Math.min(p.endMs / 1000, h.end);
  return {
    key: p.key,
    kind: p.kind,
    timeZone: p.timeZone,
    from,
    at,
    complete: from === p.startMs / 1000 && at === p.endMs / 1000,
    slos: windowCounts(h, from, at),
    days: localDays(p)
      .filter((d) => d.startMs / 1000 >= h.start && d.endMs / 1000 <= h.end)
      .map((d) => ({ date: d.date, end: d.endMs / 1000, slos: windowCounts(h, d.startMs / 1000, d.endMs / 1000) })),
  };
}

/** Every period of each kind, in each zone, that overlaps the history. */
export function expectedPeriods(
  h: Pick<History, 'counts' | 'start' | 'end'>,
  zones: string[],
  kinds: PeriodKind[] = ['month', 'quarter', 'week']
): ExpectedPeriod[] {
  const out: ExpectedPeriod[] = [];
  for (const tz of zones) {
    for (const kind of kinds) {
      for (let p = periodOf(kind, h.start * 1000, tz); p.startMs < h.end * 1000; p = shiftPeriod(p, 1)) {
        out.push(expectedPeriod(h, p));
      }
    }
  }
  return out;
}
