/**
 * Alert policy backtest against Prometheus: each tier's alert condition (src/slo/backtest.ts) evaluated by range
 * queries over the raw counters, `for:` applied, alerts matched to incidents. Shared by `npm run backtest` and the
 * SLO detail page. Range queries are cut into chunks under Prometheus' 11 000-point limit.
 */
import {
  DEFAULT_MIN_SHARE,
  alertEpisodes,
  burningPeriods,
  replayExpr,
  scorePolicy,
  scoreTier,
  policyUnderTest,
  type BacktestTier,
  type Evaluation,
  type Incident,
  type StepCounts,
  type TierOutcome,
} from '../slo/backtest';
import { toPromDuration } from '../slo/duration';
import {
  PART_LABEL,
  SLO_LABEL,
  WINDOW_LABEL,
  counterIncreaseQuery,
  counterParts,
  counterWindowsQuery,
} from '../slo/promql';
import type { Slo } from '../slo/types';
import type { PrometheusClient } from './prometheus';

/** A stretch evaluated at one step (unix seconds, on the step grid), each range widened by `pad` seconds. */
export interface BacktestSegment {
  from: number;
  to: number;
  step: number;
  pad: number;
}

/** Samples of the stack's backfilled history are 5 minutes apart; live scrapes every few seconds. */
export const HISTORY_STEP = 300;
export const LIVE_STEP = 15;
const MAX_POINTS = 10000;

/**
 * Segments for a range: where the data is 5-minute history, evaluations on the 5-minute grid with every window
 * widened by half a step (the same samples whether the range selector is closed, Prometheus 2, or left-open,
 * Prometheus 3); after `historyEnd`, live data at the exact windows every `liveStep` (15 s for the CLI; the page
 * keeps 5 minutes so that 90 days stay a few queries).
 */
export function backtestSegments(from: number, to: number, historyEnd = to, liveStep = LIVE_STEP): BacktestSegment[] {
  const h = HISTORY_STEP;
  const segs: BacktestSegment[] = [];
  const hFrom = Math.ceil(from / h) * h;
  const hTo = Math.floor(Math.min(to, historyEnd) / h) * h;
  if (historyEnd > from && hTo >= hFrom) {
    segs.push({ from: hFrom, to: hTo, step: h, pad: h / 2 });
  }
  // Live data begins after the history's last sample, or at `from` when the range holds no history.
  const lFrom = Math.ceil((historyEnd > from ? historyEnd + 1 : from) / liveStep) * liveStep;
  const lTo = Math.floor(to / liveStep) * liveStep;
  if (historyEnd < to && lTo >= lFrom) {
    segs.push({ from: lFrom, to: lTo, step: liveStep, pad: 0 });
  }
  return segs;
}

/**
 * Where sparse (5-minute, backfilled) data ends in a range, for when no expected.json says it (the page): one range
 * query of the samples per hour of the SLO's valid series; the end of the last hour holding at most one sample per
 * 5 minutes, plus an hour (the hour of the seam, half history and half scrapes, is replayed the history way).
 * `from` when the range has no sparse hour; `to` when the count cannot be read (every window is then widened).
 */
export async function sparseDataEnd(
  client: PrometheusClient,
  slo: Slo,
  from: number,
  to: number,
  signal?: AbortSignal
): Promise<number> {
  const base = slo.ratioExprs['5m'];
  const valid = base ? counterParts(base)?.valid : undefined;
  const m = valid ? /^sum\s*\(\s*rate\s*\(([^()]*)\[5m\]\s*\)\s*\)$/.exec(valid.trim()) : undefined;
  if (!m) {
    return to;
  }
  try {
    const hour = 3600;
    const series = await client.queryRange(`max(count_over_time(${m[1]}[1h]))`, from * 1000, to * 1000, hour, {
      signal,
      what: 'the sample density',
    });
    const sparse = (series[0]?.values ?? []).filter(([, v]) => Number(v) <= hour / HISTORY_STEP + 1);
    return sparse.length ? Math.min(to, Math.round(sparse[sparse.length - 1][0]) + hour) : from;
  } catch (e) {
    if (signal?.aborted) {
      throw e;
    }
    return to;
  }
}

/** An incident known in advance (the history's scripted ones): its cost is read from Prometheus. */
export interface IncidentWindow {
  id: string;
  title?: string;
  start: number;
  end: number;
}

export interface BacktestOptions {
  segments: BacktestSegment[];
  /** What-if objective (default: the SLO's). */
  objective?: number;
  /** What-if tiers (default: the SLO's deployed burn alerts). */
  tiers?: BacktestTier[];
  /** Low-traffic guard for built tiers (default: the deployed one, or the contract's default for a new objective). */
  minEvents?: number;
  /** Ground truth; undefined: incidents read from the data (burningPeriods). */
  incidents?: IncidentWindow[];
  minShare?: number;
  signal?: AbortSignal;
}

export interface BacktestResult {
  slo: string;
  objective: number;
  /** The objective the deployed rules use (differs in a what-if). */
  deployedObjective: number;
  whatIf: boolean;
  segments: BacktestSegment[];
  minShare: number;
  incidentSource: 'given' | 'data';
  incidents: Incident[];
  tiers: TierOutcome[];
  policy: ReturnType<typeof scorePolicy>;
  /** The replayed expression of each tier (`<tier>@history`, `<tier>@live` with both segments), for reading. */
  queries: Record<string, string>;
}

/** Range query cut into chunks on the step grid; returns the timestamps (unix s) where the expression had a value. */
async function trueTimes(
  client: PrometheusClient,
  expr: string,
  seg: BacktestSegment,
  signal?: AbortSignal
): Promise<Set<number>> {
  const out = new Set<number>();
  for (let from = seg.from; from <= seg.to; from += MAX_POINTS * seg.step) {
    const to = Math.min(seg.to, from + (MAX_POINTS - 1) * seg.step);
    const series = await client.queryRange(expr, from * 1000, to * 1000, seg.step, { signal, what: 'the backtest' });
    for (const s of series) {
      for (const [t, v] of s.values) {
        if (Number.isFinite(Number(v))) {
          out.add(Math.round(t));
        }
      }
    }
  }
  return out;
}

/** Per-step bad and valid counts over the segments (for incidents read from the data). */
async function stepCounts(
  client: PrometheusClient,
  slo: Slo,
  segs: BacktestSegment[],
  signal?: AbortSignal
): Promise<StepCounts[]> {
  const out: StepCounts[] = [];
  for (const seg of segs) {
    const q = counterIncreaseQuery([slo], toPromDuration(seg.step));
    if (!q) {
      continue;
    }
    for (let from = seg.from; from <= seg.to; from += MAX_POINTS * seg.step) {
      const to = Math.min(seg.to, from + (MAX_POINTS - 1) * seg.step);
      const series = await client.queryRange(q, from * 1000, to * 1000, seg.step, { signal, what: 'event counts' });
      const part = (p: string) =>
        new Map(
          (series.find((s) => s.metric[PART_LABEL] === p && s.metric[SLO_LABEL] === slo.id)?.values ?? []).map(
            ([t, v]) => [Math.round(t), Number(v)]
          )
        );
      const bad = part('bad');
      const valid = part('valid');
      for (let t = from; t <= to; t += seg.step) {
        out.push({ t, bad: bad.get(t) ?? 0, valid: valid.get(t) ?? 0 });
      }
    }
  }
  return out;
}

/** Bad events of each incident and valid events of the SLO window ending at its end, in one query. */
async function incidentCosts(
  client: PrometheusClient,
  slo: Slo,
  windows: IncidentWindow[],
  signal?: AbortSignal
): Promise<Incident[]> {
  const q = counterWindowsQuery(
    [slo],
    windows.flatMap((w) => [
      { range: toPromDuration(w.end - w.start), at: w.end, key: `${w.id}|in` },
      { range: toPromDuration(slo.windowSeconds), at: w.end, key: `${w.id}|window` },
    ])
  );
  const samples = q ? await client.query(q, { signal, what: 'incident costs' }) : [];
  const value = (key: string, part: string) =>
    Number(samples.find((s) => s.metric[WINDOW_LABEL] === key && s.metric[PART_LABEL] === part)?.value[1] ?? 0);
  return windows.map((w) => ({ ...w, bad: value(`${w.id}|in`, 'bad'), windowValid: value(`${w.id}|window`, 'valid') }));
}

export async function runBacktest(client: PrometheusClient, slo: Slo, opts: BacktestOptions): Promise<BacktestResult> {
  const { objective, whatIf, tiers } = policyUnderTest(slo, opts);
  const minShare = opts.minShare ?? DEFAULT_MIN_SHARE;
  const queries: Record<string, string> = {};
  const outcomes: Array<{ tier: BacktestTier; minEvents: number; evals: Evaluation[] }> = [];
  for (const tier of tiers) {
    const { minEvents } = tier;
    const evals: Evaluation[] = [];
    for (const seg of opts.segments) {
      const expr = replayExpr(slo, tier, objective, minEvents, seg.pad);
      if (!expr) {
        throw new Error(
          `${slo.id}: the ${tier.name} tier cannot be replayed (its ratio rule is not built from counters)`
        );
      }
      queries[opts.segments.length > 1 ? `${tier.name}@${seg.pad ? 'history' : 'live'}` : tier.name] = expr;
      const on = await trueTimes(client, expr, seg, opts.signal);
      for (let t = seg.from; t <= seg.to; t += seg.step) {
        evals.push({ t, on: on.has(t) });
      }
    }
    outcomes.push({ tier, minEvents, evals });
  }
  const incidents = opts.incidents
    ? await incidentCosts(client, slo, opts.incidents, opts.signal)
    : burningPeriods(await stepCounts(client, slo, opts.segments, opts.signal), objective, slo.windowSeconds);
  const scored = outcomes.map(({ tier, minEvents, evals }) =>
    scoreTier(tier, minEvents, alertEpisodes(evals, tier.forSeconds), incidents, objective, minShare)
  );
  return {
    slo: slo.id,
    objective,
    deployedObjective: slo.objective,
    whatIf,
    segments: opts.segments,
    minShare,
    incidentSource: opts.incidents ? 'given' : 'data',
    incidents,
    tiers: scored,
    policy: scorePolicy(scored),
    queries,
  };
}
