/** Domain types of the SLO pages. Pure data: no I/O, no React. */

export type SloKind = 'availability' | 'latency' | 'success' | 'other';
export type AlertState = 'inactive' | 'pending' | 'firing';
/** The four windows every SLO records (CONTRIBUTING.md rule contract). */
export const WINDOWS = ['5m', '30m', '1h', '6h'] as const;
export type SliWindow = (typeof WINDOWS)[number];

/** Where an SLO's rules came from: our generator (`slo_*` labels) or Sloth (`sloth_*` labels). */
export type SloSource = 'veza' | 'sloth';

/** One multi-window burn-rate alert rule of an SLO. */
export interface SloAlert {
  name: string;
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
  alerts: SloAlert[];
}

/** Live numbers of one SLO (what a tile shows). `undefined` = no data for that number. */
export interface SloStatus {
  /** Error ratio over the SLO period (bad / valid events), from raw counters. */
  periodErrorRatio?: number;
  /** Valid events over the period (to detect "no traffic"). */
  periodValid?: number;
  /** Error ratio over each recorded window. */
  ratios: Partial<Record<SliWindow, number>>;
}
