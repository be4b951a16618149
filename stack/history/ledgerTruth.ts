// Expected budget ledger (src/slo/ledger.ts) of a window of the generated history, from the generator's own
// counts — no PromQL, no segments: every 5-minute step (t − STEP, t] goes to the first cause by precedence whose
// window holds the whole step, else to "unattributed". Windows must lie on the step grid (the history's deploys and
// incidents do), so a step is never split. Pure.
import type { GrafanaAnnotation } from '../../src/slo/corrections';
import { type AttributedCause, type LedgerCause, PRECEDENCE } from '../../src/slo/ledger';
import type { History, HistorySlo } from './backtestTruth';

/** [from, to) in unix seconds, on the step grid. */
export interface TruthWindow {
  cause: AttributedCause;
  from: number;
  to: number;
}

/** Bad events per cause of `slo` in (from, to]. */
export function expectedLedger(
  h: Pick<History, 'counts' | 'step'>,
  slo: HistorySlo,
  from: number,
  to: number,
  windows: TruthWindow[]
): Record<LedgerCause, number> {
  for (const w of windows) {
    if (w.from % h.step || w.to % h.step) {
      throw new Error(`window ${w.cause} [${w.from}, ${w.to}) is off the ${h.step} s grid: a step would be split`);
    }
  }
  const out = { correction: 0, failover: 0, alert: 0, deploy: 0, unattributed: 0 };
  for (const s of h.counts[slo]) {
    if (s.t <= from || s.t > to) {
      continue;
    }
    const holds = (c: AttributedCause) => windows.some((w) => w.cause === c && w.from <= s.t - h.step && s.t <= w.to);
    out[PRECEDENCE.find(holds) ?? 'unattributed'] += s.bad;
  }
  return out;
}

/** The history's deploys as GET /api/annotations would answer them (what the stack could post to Grafana). */
export function deployAnnotations(h: Pick<History, 'deploys'>): GrafanaAnnotation[] {
  return h.deploys.map((d) => ({ id: d.id, time: d.time * 1000, tags: ['deploy'], text: d.text }));
}
