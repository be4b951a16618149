/** Domain types of the SLO pages. Pure data: no I/O, no React. */
import type { BudgetPolicy } from './policy';
import type { RecurringCorrection } from './recurringCorrections';

export type SloKind = 'availability' | 'latency' | 'success' | 'other';
export type AlertState = 'inactive' | 'pending' | 'firing';
/** The four windows every SLO records (CONTRIBUTING.md rule contract). */
export const WINDOWS = ['5m', '30m', '1h', '6h'] as const;
/**
 * A recorded window: one of WINDOWS, or one an extra alert tier needs (2h, 24h, 3d; Sloth's 1d). Any Prometheus
 * duration, so rules with more tiers are read without a code change.
 */
export type SliWindow = string;

/** Where an SLO's rules came from: our generator (`slo_*` labels) or Sloth (`sloth_*` labels). */
export type SloSource = 'veza' | 'sloth';

/**
 * The low-traffic guard of a burn alert: `and on() sum(increase(<valid>[<window>])) >= <minEvents>`. The alert
 * cannot fire while the long window holds fewer valid events.
 */
export interface AlertGuard {
  /** The guard's event count, e.g. `sum(increase(http_requests_total{…}[1h]))`. */
  countExpr: string;
  window: string;
  minEvents: number;
}

/** One alert rule of an SLO: a multi-window burn-rate tier, or the no-data alert (signal lost). */
export interface SloAlert {
  name: string;
  kind: 'burn' | 'no-data';
  /** The tier key (`slo_tier`: FastBurn, SlowBurn, Burn24h, Burn3d …); from the name or severity for older rules. */
  tier: string;
  /** `slo_tier_rank`: 1 = the tier with the shortest long window. */
  tierRank?: number;
  /** `slo_min_events`: valid events the long window must hold for the alert to fire (undefined: no guard). */
  minEvents?: number;
  /** The guard as parsed from the expression (rules generated before the guard have none). */
  guard?: AlertGuard;
  /** Evaluation interval of the rule's group in seconds (resolution of its firing history). */
  evalIntervalSeconds?: number;
  state: AlertState;
  severity: string;
  burnRate: number;
  longWindow: string;
  shortWindow: string;
  /** `for:` in seconds (0 when the rule has none). */
  forSeconds: number;
  expr: string;
  summary?: string;
  description?: string;
  runbookUrl?: string;
  dashboardUrl?: string;
  /** Since when the alert is pending/firing (ISO time), when it is. */
  activeAt?: string;
  /** The value Prometheus reported for the active alert. */
  value?: number;
  /** Rule health as reported by Prometheus ("ok", "err", "unknown") and its last error. */
  health?: string;
  lastError?: string;
}

/** One SLO as discovered from the rules API. */
export interface Slo {
  id: string;
  title: string;
  /** e.g. 0.995 */
  objective: number;
  /** SLO period in seconds (30d = 2592000). */
  windowSeconds: number;
  windowLabel: string;
  kind: SloKind;
  latencyThresholdSeconds?: number;
  source: SloSource;
  /** Label matcher that selects this SLO's recording-rule series, e.g. `slo="api-availability"`. */
  matcher: string;
  /** Recording-rule expressions by window (the 5m one is the base of derived raw-counter queries). */
  ratioExprs: Partial<Record<SliWindow, string>>;
  /** Burn-rate alerts, fastest tier first. */
  alerts: SloAlert[];
  /** `<Name>SLONoData` (label slo_alert="no-data"): the SLI's target is down or its series are absent. */
  noDataAlerts: SloAlert[];
  /** Low-traffic guard of the SLO's burn alerts (largest slo_min_events among them), when they have one. */
  minEvents?: number;
  /** The error-budget policy its burn alerts carry (annotation slo_budget_policy), when the spec sets one. */
  budgetPolicy?: BudgetPolicy;
  /** Recurring correction windows from the spec (annotation slo_corrections), when it sets some. */
  corrections?: RecurringCorrection[];
}

/** Live numbers of one SLO (what a tile shows). `undefined` = no data for that number. */
/**
 * The rolling window with its corrections left out (src/api/rollingCorrections.ts): the window's raw counts, the
 * events inside the merged correction windows, and the corrected error ratio (NaN: every event was inside a
 * correction). A count is undefined when its read failed; the ratio then is too.
 */
export interface CorrectedWindow {
  windows: Array<{ from: number; to: number }>;
  valid?: number;
  bad?: number;
  excludedValid?: number;
  excludedBad?: number;
  errorRatio?: number;
}

export interface SloStatus {
  /** Error ratio over the SLO period (bad / valid events), from raw counters. */
  periodErrorRatio?: number;
  /** Valid events over the period (to detect "no traffic"). */
  periodValid?: number;
  /** Error ratio over each recorded window. */
  ratios: Partial<Record<SliWindow, number>>;
  /** Valid events over each guarded window (only for SLOs with a low-traffic guard). */
  validEvents?: Partial<Record<string, number>>;
  /**
   * When the budget and guard counts were read from the recorded buckets: the end of their window (ms), the last
   * settled 5-minute mark (2–7 min ago). Undefined when they came from the raw counters (up to now).
   */
  budgetAsOf?: number;
  /** Only for an SLO whose window holds a correction (maintenance, accepted incident). */
  corrected?: CorrectedWindow;
}
