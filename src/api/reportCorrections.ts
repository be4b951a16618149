/**
 * The report's corrections as one query plan: the reported period's windows cut at its local midnights (so each
 * day bucket loses its own excluded events: the corrected burn-down and worst day) and each earlier period's
 * windows (the history table's corrected cells), all read in one pinned instant query (correctionQuery.ts), and the
 * answer folded back per period and per day. Pure: the loader sends the query and passes the answer.
 */
import { type Correction, sloWindows, splitWindows, type Window } from '../slo/corrections';
import { type Counts, countsByWindow } from '../slo/correctionQuery';
import type { Period } from '../slo/periods';
import type { Slo } from '../slo/types';
import type { PromSample } from './types';

export interface ReportCorrectionPlan {
  /** The reported period's merged windows per SLO (to its evaluation end). */
  windows: Map<string, Window[]>;
  /** Every piece the query reads, per SLO: the reported period's (cut at `dayEnds`), then the earlier periods'. */
  pieces: Map<string, Window[]>;
  /** Per SLO and piece: the earlier period's key it belongs to, or null for the reported period. */
  owner: Map<string, Array<string | null>>;
  /** The day buckets' ends of the reported period (local midnights, then its evaluation end). */
  dayEnds: number[];
  /** Earlier period key → SLO → merged windows. */
  historyWindows: Map<string, Map<string, Window[]>>;
}

export function planReportCorrections(
  slos: Slo[],
  corrections: Correction[],
  period: Pick<Period, 'startMs'>,
  evalEnd: number,
  dayEnds: number[],
  historyPeriods: Array<Pick<Period, 'key' | 'startMs' | 'endMs'>>
): ReportCorrectionPlan {
  const windows = new Map(slos.map((s) => [s.id, sloWindows(corrections, s.id, period.startMs, evalEnd)]));
  const historyWindows = new Map(
    historyPeriods.map((m) => [
      m.key,
      new Map(slos.map((s) => [s.id, sloWindows(corrections, s.id, m.startMs, m.endMs)])),
    ])
  );
  const pieces = new Map<string, Window[]>();
  const owner = new Map<string, Array<string | null>>();
  for (const s of slos) {
    const current = splitWindows(windows.get(s.id)!, dayEnds);
    const earlier = historyPeriods.flatMap((m) =>
      historyWindows
        .get(m.key)!
        .get(s.id)!
        .map((w) => [m.key, w] as const)
    );
    pieces.set(s.id, [...current, ...earlier.map(([, w]) => w)]);
    owner.set(s.id, [...current.map(() => null), ...earlier.map(([k]) => k)]);
  }
  return { windows, pieces, owner, dayEnds, historyWindows };
}

export interface ReportExclusions {
  /** The reported period, per SLO with windows: the events inside them (undefined counts: the read failed). */
  excluded: Map<string, Counts & { windows: Window[] }>;
  /** The same per day bucket of the reported period (key: the bucket's end). */
  excludedDaily: Map<string, Map<number, Counts>>;
  /** Earlier period key → SLO with windows → the events inside them. */
  historyExcluded: Map<string, Map<string, Counts & { windows: Window[] }>>;
}

const add = (a: Counts, b: Counts): Counts => ({
  bad: a.bad === undefined || b.bad === undefined ? undefined : a.bad + b.bad,
  valid: a.valid === undefined || b.valid === undefined ? undefined : a.valid + b.valid,
});

/** Folds the query's answer (undefined: it failed) back per period and day; counts stay unknown on a failure. */
export function readReportCorrections(plan: ReportCorrectionPlan, answer: PromSample[] | undefined): ReportExclusions {
  const unknown: Counts = { bad: undefined, valid: undefined };
  const byPiece = answer
    ? countsByWindow(answer, plan.pieces)
    : new Map([...plan.pieces].map(([id, ps]) => [id, ps.map(() => unknown)]));
  const excluded = new Map<string, Counts & { windows: Window[] }>();
  const excludedDaily = new Map<string, Map<number, Counts>>();
  const historyExcluded = new Map<string, Map<string, Counts & { windows: Window[] }>>(
    [...plan.historyWindows.keys()].map((k) => [k, new Map()])
  );
  for (const [id, counts] of byPiece) {
    const owners = plan.owner.get(id)!;
    const pieces = plan.pieces.get(id)!;
    let total: Counts = { bad: 0, valid: 0 };
    const days = new Map<number, Counts>();
    const earlier = new Map<string, Counts>();
    counts.forEach((c, i) => {
      const key = owners[i];
      if (key === null) {
        total = add(total, c);
        const end = plan.dayEnds.find((e) => e >= pieces[i].to)!;
        days.set(end, add(days.get(end) ?? { bad: 0, valid: 0 }, c));
      } else {
        earlier.set(key, add(earlier.get(key) ?? { bad: 0, valid: 0 }, c));
      }
    });
    const ws = plan.windows.get(id)!;
    if (ws.length) {
      excluded.set(id, { ...total, windows: ws });
      excludedDaily.set(id, days);
    }
    for (const [key, c] of earlier) {
      historyExcluded.get(key)!.set(id, { ...c, windows: plan.historyWindows.get(key)!.get(id)! });
    }
  }
  return { excluded, excludedDaily, historyExcluded };
}
