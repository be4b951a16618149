/**
 * Alert policy backtest, the pure part: which burn-rate tiers to replay, each tier's alert expression rewritten
 * over the raw counters (the recorded ratios of a backfilled history exist for a few days only), `for:` applied to
 * the evaluations, alert episodes matched to incidents, precision and recall. No I/O: src/api/backtest.ts runs the
 * queries, stack/history/backtestTruth.ts computes the same conditions from the generated counts without PromQL.
 */
import { humanDuration, parseDuration, toPromDuration } from './duration';
import { RATIO_METRIC_PREFIX, counterParts, retargetRange } from './promql';
import type { Slo } from './types';

/** One burn-rate tier as the replay needs it (seconds everywhere). */
export interface BacktestTier {
  name: string;
  burnRate: number;
  longSeconds: number;
  shortSeconds: number;
  forSeconds: number;
  /** Low-traffic guard; undefined: the contract's default for the objective and tier set. */
  minEvents?: number;
  /** The deployed rule's own expression; undefined for a what-if tier (built from the SLO's ratio rule). */
  expr?: string;
}

/** The SRE workbook's four tiers as the spec names them (provisioning/slo/slos.yaml). */
export const TIER_PRESETS: Record<string, Omit<BacktestTier, 'name'>> = {
  FastBurn: { burnRate: 14.4, longSeconds: 3600, shortSeconds: 300, forSeconds: 120 },
  SlowBurn: { burnRate: 6, longSeconds: 21600, shortSeconds: 1800, forSeconds: 900 },
  Burn24h: { burnRate: 3, longSeconds: 86400, shortSeconds: 7200, forSeconds: 3600 },
  Burn3d: { burnRate: 1, longSeconds: 259200, shortSeconds: 21600, forSeconds: 10800 },
};

/** Default share of the SLO window's budget above which an incident must raise an alert (recall). */
export const DEFAULT_MIN_SHARE = 0.02;

/** The alert contract's default guard: one bad event among this many never crosses the fastest threshold. */
export function defaultMinEvents(tiers: BacktestTier[], objective: number): number {
  const fastest = Math.max(...tiers.map((t) => t.burnRate));
  return Math.ceil(1 / (fastest * (1 - objective)) - 1e-9);
}

/**
 * The tiers a backtest replays and the guard of each: the SLO's deployed tiers with their own guard, or (what-if:
 * another objective or tier set) the given tiers with `minEvents`, else the deployed guard when the objective is
 * unchanged, else the contract's default for the new objective.
 */
export function policyUnderTest(
  slo: Slo,
  opts: { objective?: number; tiers?: BacktestTier[]; minEvents?: number }
): { objective: number; whatIf: boolean; tiers: Array<BacktestTier & { minEvents: number }> } {
  const objective = opts.objective ?? slo.objective;
  const tiers = opts.tiers ?? tiersOfSlo(slo);
  const whatIf = objective !== slo.objective || !!opts.tiers;
  const guard =
    opts.minEvents ?? (objective === slo.objective ? slo.minEvents : undefined) ?? defaultMinEvents(tiers, objective);
  return {
    objective,
    whatIf,
    tiers: tiers.map((t) => ({ ...t, minEvents: !whatIf && t.minEvents !== undefined ? t.minEvents : guard })),
  };
}

/** The deployed burn tiers of an SLO, fastest first, with their own expressions. */
export function tiersOfSlo(slo: Slo): BacktestTier[] {
  return slo.alerts
    .filter((a) => a.kind === 'burn')
    .map((a) => ({
      name: a.tier,
      burnRate: a.burnRate,
      longSeconds: parseDuration(a.longWindow) ?? 0,
      shortSeconds: parseDuration(a.shortWindow) ?? 0,
      forSeconds: a.forSeconds,
      // A rule without the guard line (generated before issue 10) replays with none: 0 events always pass.
      minEvents: a.minEvents ?? a.guard?.minEvents ?? 0,
      expr: a.expr,
    }))
    .filter((t) => t.burnRate > 0 && t.longSeconds > 0 && t.shortSeconds > 0);
}

/**
 * A what-if tier list: preset names (`FastBurn,Burn24h`) and/or custom tiers `Name:burn:long:short[:for]`
 * (`Page2:10:2h:10m:5m`). Throws with the offending item.
 */
export function parseTierList(text: string): BacktestTier[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length) {
    throw new Error('no tier given: name presets (FastBurn, SlowBurn, Burn24h, Burn3d) or Name:burn:long:short[:for]');
  }
  const tiers = items.map((item) => {
    const parts = item.split(':');
    if (parts.length === 1) {
      const preset = TIER_PRESETS[item];
      if (!preset) {
        throw new Error(`unknown tier "${item}": presets are ${Object.keys(TIER_PRESETS).join(', ')}`);
      }
      return { name: item, ...preset };
    }
    const [name, burn, long, short, forText = '0s'] = parts;
    const tier = {
      name,
      burnRate: Number(burn),
      longSeconds: parseDuration(long) ?? NaN,
      shortSeconds: parseDuration(short) ?? NaN,
      forSeconds: parseDuration(forText) ?? NaN,
    };
    const ok =
      /^[A-Za-z][A-Za-z0-9]*$/.test(name) &&
      tier.burnRate > 0 &&
      tier.longSeconds > 0 &&
      tier.shortSeconds > 0 &&
      tier.shortSeconds < tier.longSeconds &&
      tier.forSeconds >= 0;
    if (parts.length > 5 || !ok) {
      throw new Error(`bad tier "${item}": expected Name:burn:long:short[:for], e.g. Page2:10:2h:10m:5m`);
    }
    return tier;
  });
  const names = new Set(tiers.map((t) => t.name));
  if (names.size !== tiers.length) {
    throw new Error('each tier name may appear once');
  }
  return tiers;
}

/** Every `[<duration>]` range of an expression widened by `padSeconds` (0: unchanged). */
export function padRanges(expr: string, padSeconds: number): string {
  if (!padSeconds) {
    return expr;
  }
  return expr.replace(/\[\s*([0-9]+[a-z]+)\s*\]/g, (whole, d: string) => {
    const s = parseDuration(d);
    return s === undefined ? whole : `[${toPromDuration(s + padSeconds)}]`;
  });
}

/** The SLO's error ratio over `seconds` from its own recording expression (the 5m one retargeted if needed). */
function ratioOver(slo: Slo, seconds: number): string | undefined {
  // The recorded window may be spelled 24h or 1d.
  const own = Object.entries(slo.ratioExprs).find(([w]) => parseDuration(w) === seconds)?.[1];
  if (own) {
    return own;
  }
  const base = slo.ratioExprs['5m'];
  return base && base.includes('[5m]') ? base.split('[5m]').join(`[${toPromDuration(seconds)}]`) : undefined;
}

/**
 * The tier's alert condition over the raw counters, evaluated by a range query: a point where it holds, none
 * where it does not. A deployed tier keeps its own expression with each `slo:sli_error:ratio_rate<W>` reference
 * replaced by that recording rule's expression; a what-if tier (or another objective) is built in the contract's
 * shape. Every range is widened by `padSeconds` (see docs/backtest.md: half a step over 5-minute history).
 */
export function replayExpr(
  slo: Slo,
  tier: BacktestTier,
  objective: number,
  minEvents: number,
  padSeconds: number
): string | undefined {
  if (tier.expr && objective === slo.objective) {
    let missing = false;
    const ref = new RegExp(`${RATIO_METRIC_PREFIX}([0-9]+[a-z]+)\\s*(\\{[^}]*\\})?`, 'g');
    const inlined = tier.expr.replace(ref, (_whole, w: string) => {
      const seconds = parseDuration(w);
      const e = seconds ? ratioOver(slo, seconds) : undefined;
      missing ||= !e;
      return `(${e})`;
    });
    return missing ? undefined : padRanges(inlined, padSeconds);
  }
  const long = ratioOver(slo, tier.longSeconds);
  const short = ratioOver(slo, tier.shortSeconds);
  const base = slo.ratioExprs['5m'];
  const valid = base ? counterParts(base)?.valid : undefined;
  if (!long || !short || !valid) {
    return undefined;
  }
  const threshold = `(${tier.burnRate} * (1 - ${objective}))`;
  const guard = retargetRange(valid, toPromDuration(tier.longSeconds));
  return padRanges(
    `(${long}) > ${threshold}\nand\n(${short}) > ${threshold}\nand on()\n${guard} >= ${minEvents}`,
    padSeconds
  );
}

/** One evaluation of a tier's condition (t in unix seconds). */
export interface Evaluation {
  t: number;
  on: boolean;
}

/** One alert from firing to resolved (unix seconds); `end` undefined: still firing at the end of the replay. */
export interface AlertEpisode {
  /** When the condition first held (Prometheus' activeAt: pending from here). */
  activeAt: number;
  /** When `for:` had elapsed at an evaluation: the alert fires. */
  start: number;
  /** First evaluation where the condition no longer held: the alert resolves. */
  end?: number;
}

/**
 * Prometheus' alert state machine over ordered evaluations: pending when the condition first holds, firing at
 * the first evaluation at least `for:` later while it still holds, resolved at the first evaluation where it
 * does not (so `for:` rounds up to whole evaluation steps, as with a rule group evaluated at that interval).
 */
export function alertEpisodes(evals: Evaluation[], forSeconds: number): AlertEpisode[] {
  const out: AlertEpisode[] = [];
  let activeAt: number | undefined;
  let firing: AlertEpisode | undefined;
  for (const { t, on } of evals) {
    if (!on) {
      if (firing) {
        firing.end = t;
        out.push(firing);
      }
      activeAt = undefined;
      firing = undefined;
      continue;
    }
    activeAt ??= t;
    if (!firing && t - activeAt >= forSeconds) {
      firing = { activeAt, start: t };
    }
  }
  if (firing) {
    out.push(firing);
  }
  return out;
}

/** An incident (unix seconds) with what it cost: bad events in it, valid events of the SLO window ending at its end. */
export interface Incident {
  id: string;
  title?: string;
  start: number;
  end: number;
  bad: number;
  windowValid: number;
}

/** Share of the SLO window's error budget an incident used: bad / ((1 − objective) × valid of the window). */
export function budgetShare(i: Incident, objective: number): number {
  const budget = (1 - objective) * i.windowValid;
  return budget > 0 ? i.bad / budget : i.bad > 0 ? Infinity : 0;
}

/**
 * Whether an alert belongs to an incident: it fires before the incident's errors have left the tier's long window
 * (end + long window) and is still firing after the incident began.
 */
export function overlaps(e: AlertEpisode, i: Incident, longSeconds: number): boolean {
  return e.start <= i.end + longSeconds && (e.end ?? Infinity) > i.start;
}

export interface IncidentOutcome {
  id: string;
  share: number;
  /** Above the stated share: counts for recall. */
  counted: boolean;
  /** Alerts of this tier that belong to it. */
  alerts: number;
  /** First fire − incident start (s); undefined: no alert. */
  detectionSeconds?: number;
  /** Last resolve − incident end (s); null: still firing at the end of the replay. */
  resetSeconds?: number | null;
}

export interface TierOutcome {
  tier: string;
  burnRate: number;
  longSeconds: number;
  shortSeconds: number;
  forSeconds: number;
  minEvents: number;
  alerts: AlertEpisode[];
  /** Alerts that belong to an incident. */
  matched: number;
  /** Alerts that belong to an incident / all alerts; undefined when none fired. */
  precision?: number;
  /** Counted incidents with an alert / counted incidents; undefined when none is counted. */
  recall?: number;
  incidents: IncidentOutcome[];
}

const ratio = (n: number, d: number) => (d > 0 ? n / d : undefined);

/** Scores one tier's alerts against the incidents. */
export function scoreTier(
  tier: BacktestTier,
  minEvents: number,
  alerts: AlertEpisode[],
  incidents: Incident[],
  objective: number,
  minShare: number
): TierOutcome {
  const outcomes = incidents.map((i): IncidentOutcome => {
    const mine = alerts.filter((e) => overlaps(e, i, tier.longSeconds));
    const share = budgetShare(i, objective);
    const last = mine[mine.length - 1];
    return {
      id: i.id,
      share,
      counted: share >= minShare,
      alerts: mine.length,
      detectionSeconds: mine.length ? mine[0].start - i.start : undefined,
      resetSeconds: last ? (last.end === undefined ? null : last.end - i.end) : undefined,
    };
  });
  const matched = alerts.filter((e) => incidents.some((i) => overlaps(e, i, tier.longSeconds))).length;
  const counted = outcomes.filter((o) => o.counted);
  return {
    tier: tier.name,
    burnRate: tier.burnRate,
    longSeconds: tier.longSeconds,
    shortSeconds: tier.shortSeconds,
    forSeconds: tier.forSeconds,
    minEvents,
    alerts,
    matched,
    precision: ratio(matched, alerts.length),
    recall: ratio(counted.filter((o) => o.alerts > 0).length, counted.length),
    incidents: outcomes,
  };
}

/** The whole policy: an incident is caught when any tier alerted; precision over every tier's alerts. */
export function scorePolicy(tiers: TierOutcome[]): { alerts: number; precision?: number; recall?: number } {
  const alerts = tiers.reduce((n, t) => n + t.alerts.length, 0);
  const matched = tiers.reduce((n, t) => n + t.matched, 0);
  const ids = tiers[0]?.incidents.filter((o) => o.counted).map((o) => o.id) ?? [];
  const caught = ids.filter((id) => tiers.some((t) => t.incidents.find((o) => o.id === id)!.alerts > 0));
  return { alerts, precision: ratio(matched, alerts), recall: ratio(caught.length, ids.length) };
}

/** One step's event counts (unix seconds; the counts of (t − step, t]). */
export interface StepCounts {
  t: number;
  bad: number;
  valid: number;
}

/**
 * Incidents read from the data when no ground truth is known (the detail page): runs of steps that burned the
 * budget at least `minBurn` times the even pace, joined across gaps of up to `gapSteps` steps, kept when they used
 * at least `keepShare` of the budget. The window's valid events are estimated from the mean traffic of the steps
 * (an approximation: the data read may be shorter than the SLO window).
 */
export function burningPeriods(
  steps: StepCounts[],
  objective: number,
  windowSeconds: number,
  opts: { minBurn?: number; gapSteps?: number; keepShare?: number } = {}
): Incident[] {
  const { minBurn = 1, gapSteps = 2, keepShare = 0.001 } = opts;
  if (steps.length < 2) {
    return [];
  }
  // Steps may differ (5-minute history, then live data): each covers (previous t, t].
  const lengthOf = (idx: number) => (idx > 0 ? steps[idx].t - steps[idx - 1].t : steps[1].t - steps[0].t);
  const covered = steps[steps.length - 1].t - steps[0].t + lengthOf(0);
  const windowValid = (steps.reduce((n, s) => n + s.valid, 0) * windowSeconds) / covered;
  const runs: Array<{ from: number; to: number }> = [];
  steps.forEach((s, idx) => {
    const burning = s.valid > 0 && s.bad / s.valid >= minBurn * (1 - objective);
    if (!burning) {
      return;
    }
    const last = runs[runs.length - 1];
    if (last && idx - last.to <= gapSteps + 1) {
      last.to = idx;
    } else {
      runs.push({ from: idx, to: idx });
    }
  });
  return runs
    .map(({ from, to }) => {
      const bad = steps.slice(from, to + 1).reduce((n, s) => n + s.bad, 0);
      const start = steps[from].t - lengthOf(from);
      return { id: new Date(start * 1000).toISOString().slice(0, 16) + 'Z', start, end: steps[to].t, bad, windowValid };
    })
    .filter((i) => budgetShare(i, objective) >= keepShare);
}

/** A share as people read it: "12.5 %", "n/a" when undefined. */
export function percent(x: number | undefined, digits = 0): string {
  return x === undefined ? 'n/a' : `${(x * 100).toFixed(digits)} %`;
}

/** A detection or reset time: "+15m" after the incident's start/end, "still firing", "—" when no alert. */
export function signedDuration(seconds: number | null | undefined): string {
  if (seconds === null) {
    return 'still firing';
  }
  if (seconds === undefined) {
    return '—';
  }
  return `${seconds < 0 ? '−' : '+'}${humanDuration(Math.abs(seconds))}`;
}
