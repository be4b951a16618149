/** Turns query results into per-SLO numbers and orders SLOs worst first. Pure. */
import { attention, type Attention } from './attention';
import { type BudgetPolicyState, policyState } from './policy';
import type { PromSample } from '../api/types';
import { budgetLevel, budgetRemaining, burnRate, finite, timeToExhaustion } from './budget';
import { sloIdOfSeries, windowOfSeries } from './discovery';
import { SLO_LABEL, VALID_WINDOW_LABEL } from './promql';
import { AlertState, Slo, SloAlert, SloStatus } from './types';

/** Reads a Prometheus sample value: "NaN" (0/0) stays NaN so callers can tell "no traffic" from "no series". */
export function sampleValue(s: PromSample): number {
  return Number(s.value[1]);
}

/** Error ratios by SLO and window from the single all-windows query. */
export function ratiosBySlo(samples: PromSample[]): Map<string, SloStatus['ratios']> {
  const out = new Map<string, SloStatus['ratios']>();
  for (const s of samples) {
    const id = sloIdOfSeries(s.metric);
    const w = windowOfSeries(s.metric);
    if (!id || !w) {
      continue;
    }
    const entry = out.get(id) ?? {};
    entry[w] = sampleValue(s);
    out.set(id, entry);
  }
  return out;
}

/** Period error ratio by SLO from the joined `or` query (series tagged with `slo`; valid-event counts skipped). */
export function periodRatioBySlo(samples: PromSample[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples) {
    const id = s.metric[SLO_LABEL];
    if (id && !s.metric[VALID_WINDOW_LABEL]) {
      out.set(id, sampleValue(s));
    }
  }
  return out;
}

/** Valid events by SLO and window from the same answer (series tagged slo_valid_window, see validEventsQuery). */
export function validEventsBySlo(samples: PromSample[]): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const s of samples) {
    const id = s.metric[SLO_LABEL];
    const w = s.metric[VALID_WINDOW_LABEL];
    if (id && w) {
      out.set(id, { ...out.get(id), [w]: sampleValue(s) });
    }
  }
  return out;
}

/** A window whose valid events are below the SLO's guard: its burn rate means nothing, and no tier on it fires. */
export interface LowTraffic {
  window: string;
  /** Valid events in the window (increase() may extrapolate to a fraction). */
  events: number;
  needs: number;
}

/** The guard verdict for `window`, or undefined when the SLO has no guard, the count is unknown, or it suffices. */
export function lowTraffic(slo: Slo, status: SloStatus | undefined, window: string): LowTraffic | undefined {
  const needs =
    slo.alerts.find((a) => a.longWindow === window && a.minEvents !== undefined)?.minEvents ?? slo.minEvents;
  const events = status?.validEvents?.[window];
  if (needs === undefined || events === undefined || !Number.isFinite(events)) {
    return undefined;
  }
  return events < needs ? { window, events, needs } : undefined;
}

/** "too few events (9 in 1 h, needs 14)". */
export function lowTrafficText(l: LowTraffic): string {
  const w = l.window.replace(/([0-9]+)([a-z]+)/g, '$1 $2 ').trim();
  return `too few events (${Math.round(l.events)} in ${w}, needs ${l.needs})`;
}

/** What one overview tile shows, derived from the raw status. */
export interface SloView {
  slo: Slo;
  /** SLI over the period (1 − error ratio). */
  sli?: number;
  remaining?: number;
  level: ReturnType<typeof budgetLevel>;
  burn1h?: number;
  burn6h?: number;
  /** The 1h / 6h windows hold fewer valid events than the guard needs: show that instead of the burn. */
  lowTraffic1h?: LowTraffic;
  lowTraffic6h?: LowTraffic;
  /** Burn rate over every recorded window (5m, 30m, 1h, 6h, …): the short window behind each long one. */
  burns: Partial<Record<string, number>>;
  /**
   * Time to exhaustion at the 6h burn (steadier than the 1h one, which swings with every short blip), or the 1h burn
   * when the 6h one is unknown; unknown when that window has too few events for its burn to mean anything.
   */
  exhaustionSeconds?: number;
  /** The window whose burn the exhaustion estimate assumes. */
  exhaustionBasis?: '6h' | '1h';
  /** What needs attention now: the worse of the budget band and the burn/alert state, with the reason. */
  attention: Attention;
  /** A `<Name>SLONoData` alert fires: the target is down or the SLI is absent, every number here is suspect. */
  noDataFiring: boolean;
  /** The period saw no valid events (0/0): budget untouched, SLI unknown. */
  noTraffic: boolean;
  /** No number at all came back for this SLO. */
  noData: boolean;
  worstAlert: AlertState;
  /** The budget's window ends here (ms) when read from the recorded buckets, not now (SloStatus.budgetAsOf). */
  budgetAsOf?: number;
  /**
   * The error-budget policy state at the budget left (none without a policy or a budget): the corrected budget when
   * the window holds a correction, as in the report.
   */
  policy?: BudgetPolicyState;
  /** Only when the window holds a correction: the budget left and SLI with its events left out. */
  corrected?: { remaining?: number; sli?: number; noTraffic: boolean; windows: number };
}

const ALERT_RANK: Record<AlertState, number> = { firing: 2, pending: 1, inactive: 0 };

/** Every alert of the SLO: burn tiers and NoData (older rules and Sloth have no NoData alert). */
export function allAlerts(slo: Slo): SloAlert[] {
  return [...slo.alerts, ...(slo.noDataAlerts ?? [])];
}

export function worstAlertState(slo: Slo): AlertState {
  return allAlerts(slo).reduce<AlertState>((w, a) => (ALERT_RANK[a.state] > ALERT_RANK[w] ? a.state : w), 'inactive');
}

export function toView(slo: Slo, status: SloStatus | undefined): SloView {
  const period = status?.periodErrorRatio;
  const noTraffic = period !== undefined && Number.isNaN(period);
  const c = status?.corrected;
  const cNoTraffic = c?.errorRatio !== undefined && Number.isNaN(c.errorRatio);
  const cRatio = cNoTraffic ? 0 : finite(c?.errorRatio);
  const corrected = c
    ? {
        remaining: budgetRemaining(cRatio, slo.objective),
        sli: cNoTraffic || cRatio === undefined ? undefined : 1 - cRatio,
        noTraffic: cNoTraffic,
        windows: c.windows.length,
      }
    : undefined;
  const ratio = noTraffic ? 0 : finite(period);
  const remaining = budgetRemaining(ratio, slo.objective);
  const burn1h = burnRate(status?.ratios['1h'], slo.objective);
  const burn6h = burnRate(status?.ratios['6h'], slo.objective);
  const hasRatios = Object.values(status?.ratios ?? {}).some((v) => v !== undefined);
  const lowTraffic1h = lowTraffic(slo, status, '1h');
  const lowTraffic6h = lowTraffic(slo, status, '6h');
  const burns: Partial<Record<string, number>> = {};
  for (const [w, r] of Object.entries(status?.ratios ?? {})) {
    burns[w] = burnRate(r, slo.objective);
  }
  const basis: '6h' | '1h' | undefined =
    burn6h !== undefined && !lowTraffic6h
      ? '6h'
      : !lowTraffic1h && (burn1h !== undefined || noTraffic)
        ? '1h'
        : undefined;
  return {
    slo,
    sli: noTraffic || ratio === undefined ? undefined : 1 - ratio,
    remaining,
    level: budgetLevel(remaining),
    burn1h,
    burn6h,
    burns,
    lowTraffic1h,
    lowTraffic6h,
    exhaustionSeconds: basis
      ? timeToExhaustion(
          remaining,
          (basis === '6h' ? burn6h : burn1h) ?? (noTraffic ? 0 : undefined),
          slo.windowSeconds
        )
      : undefined,
    exhaustionBasis: basis,
    attention: attention(slo, status, remaining),
    noDataFiring: (slo.noDataAlerts ?? []).some((a) => a.state === 'firing'),
    noTraffic,
    noData: period === undefined && !hasRatios,
    worstAlert: worstAlertState(slo),
    budgetAsOf: status?.budgetAsOf,
    // A failed corrected read keeps the raw state (less budget: never a laxer state than the data allows).
    policy: policyState(slo.budgetPolicy, corrected?.remaining ?? remaining),
    corrected,
  };
}

/**
 * Worst first: a firing page, then any firing, then pending, then the least budget left; unknown budgets last
 * among equals, ties by title so tiles do not jump between refreshes.
 */
export function sortWorstFirst(views: SloView[]): SloView[] {
  const pageFiring = (v: SloView) =>
    allAlerts(v.slo).some((a) => a.state === 'firing' && (a.severity === 'page' || a.severity === 'critical')) ? 1 : 0;
  return [...views].sort(
    (a, b) =>
      pageFiring(b) - pageFiring(a) ||
      ALERT_RANK[b.worstAlert] - ALERT_RANK[a.worstAlert] ||
      (a.remaining ?? Infinity) - (b.remaining ?? Infinity) ||
      a.slo.title.localeCompare(b.slo.title)
  );
}
