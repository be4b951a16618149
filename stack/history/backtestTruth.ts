// Ground truth of the alert policy backtest (docs/backtest.md): each tier's burn condition computed from the
// history generator's own counts in plain TypeScript — sums of (t − W, t] over the 5-minute steps, no PromQL — then
// the same `for:` state machine and incident matching as the replay (src/slo/backtest.ts), so a test can hold what
// Prometheus answers against what it must answer. The history is regenerated in memory from its end time
// (generate() is deterministic and writes nothing with outDir null): an existing stack's blocks are never rewritten.
import {
  alertEpisodes,
  scorePolicy,
  scoreTier,
  type BacktestTier,
  type Evaluation,
  type Incident,
  type StepCounts,
  type TierOutcome,
} from '../../src/slo/backtest';
import { type DeployMark, STEP, type StepTotals, generate } from './generate';

export type HistorySlo = keyof StepTotals;

export interface History {
  start: number;
  end: number;
  step: number;
  /** Per SLO, the counts of each step (t = the sample's time; counts of (t − STEP, t]). */
  counts: Record<HistorySlo, StepCounts[]>;
  incidents: Array<{ id: string; title: string; slos: string[]; start: number; end: number }>;
  /** Deploy marks (the ledger's): unix seconds on the step grid. */
  deploys: DeployMark[];
}

/**
 * Days a backtest replays: the last 90 of the history (a what-if over the whole 430 days would cost nearly five times the
 * queries for incidents the deployed rules never saw); the replay starts one longest window after their start.
 */
export const BACKTEST_DAYS = 90;

/** First evaluation of a replay over the history (start, end] with windows up to `longestSeconds`. */
export function backtestFrom(start: number, end: number, longestSeconds: number): number {
  return Math.max(start, end - BACKTEST_DAYS * 86400) + longestSeconds;
}

/** The history that ends at `end` (expected.json's endUnix), recomputed in memory. */
export function regenerate(end: number): History {
  const counts: History['counts'] = { 'api-availability': [], 'api-latency': [], 'payment-success': [] };
  const { start, incidents, deploys } = generate(end, null, (t, totals) => {
    for (const k of Object.keys(counts) as HistorySlo[]) {
      counts[k].push({ t, bad: totals[k].bad, valid: totals[k].valid });
    }
  });
  return { start, end, step: STEP, counts, incidents, deploys };
}

/** Sum of the steps in (t − seconds, t], from prefix sums (index i holds the steps before i). */
function windowSum(prefix: number[], i: number, seconds: number): number {
  return prefix[i + 1] - prefix[Math.max(0, i + 1 - Math.round(seconds / STEP))];
}

/** The tier's condition at every step from `from` to `to`: both windows above burn × (1 − objective), guard met. */
export function truthEvaluations(
  steps: StepCounts[],
  tier: BacktestTier,
  objective: number,
  minEvents: number,
  from: number,
  to: number
): Evaluation[] {
  const prefix = (key: 'bad' | 'valid') => steps.reduce((acc, s) => (acc.push(acc[acc.length - 1] + s[key]), acc), [0]);
  const bad = prefix('bad');
  const valid = prefix('valid');
  const threshold = tier.burnRate * (1 - objective);
  const out: Evaluation[] = [];
  steps.forEach((s, i) => {
    if (s.t < from || s.t > to) {
      return;
    }
    const above = (seconds: number) => {
      const v = windowSum(valid, i, seconds);
      return v > 0 && windowSum(bad, i, seconds) / v > threshold;
    };
    out.push({
      t: s.t,
      on: above(tier.longSeconds) && above(tier.shortSeconds) && windowSum(valid, i, tier.longSeconds) >= minEvents,
    });
  });
  return out;
}

/** An incident's cost from the counts: bad events in it, valid events of the SLO window ending at its end. */
export function truthIncident(
  steps: StepCounts[],
  i: { id: string; title?: string; start: number; end: number },
  windowSeconds: number
): Incident {
  const sum = (key: 'bad' | 'valid', from: number) =>
    steps.filter((s) => s.t > from && s.t <= i.end).reduce((n, s) => n + s[key], 0);
  return {
    id: i.id,
    title: i.title,
    start: i.start,
    end: i.end,
    bad: sum('bad', i.start),
    windowValid: sum('valid', i.end - windowSeconds),
  };
}

export interface TruthOptions {
  slo: HistorySlo;
  objective: number;
  windowSeconds: number;
  tiers: Array<BacktestTier & { minEvents: number }>;
  /** First evaluation (unix s, on the step grid); default: the history start + the longest long window. */
  from?: number;
  minShare: number;
}

/** Expected backtest figures of one SLO over the history: the same shape as the replay's tiers and policy. */
export function expectedBacktest(h: History, o: TruthOptions) {
  const steps = h.counts[o.slo];
  const from = o.from ?? backtestFrom(h.start, h.end, Math.max(...o.tiers.map((t) => t.longSeconds)));
  // Incidents the replay cannot see (before its first evaluation) are not scored.
  const incidents = h.incidents
    .filter((i) => i.slos.includes(o.slo) && i.start >= from)
    .map((i) => truthIncident(steps, i, o.windowSeconds));
  const tiers: TierOutcome[] = o.tiers.map((tier) =>
    scoreTier(
      tier,
      tier.minEvents,
      alertEpisodes(truthEvaluations(steps, tier, o.objective, tier.minEvents, from, h.end), tier.forSeconds),
      incidents,
      o.objective,
      o.minShare
    )
  );
  return { from, to: h.end, incidents, tiers, policy: scorePolicy(tiers) };
}
