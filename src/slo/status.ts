/** Turns query results into per-SLO numbers and orders SLOs worst first. Pure. */
import type { PromSample } from '../api/types';
import { budgetLevel, budgetRemaining, burnRate, finite, timeToExhaustion } from './budget';
import { sloIdOfSeries, windowOfSeries } from './discovery';
import { SLO_LABEL } from './promql';
import { AlertState, Slo, SloStatus } from './types';

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

/** Period error ratio by SLO from the joined `or` query (series tagged with `slo`). */
export function periodRatioBySlo(samples: PromSample[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples) {
    const id = s.metric[SLO_LABEL];
    if (id) {
      out.set(id, sampleValue(s));
    }
  }
  return out;
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
  /** At the 1h burn. */
  exhaustionSeconds?: number;
  /** The period saw no valid events (0/0): budget untouched, SLI unknown. */
  noTraffic: boolean;
  /** No number at all came back for this SLO. */
  noData: boolean;
  worstAlert: AlertState;
}

const ALERT_RANK: Record<AlertState, number> = { firing: 2, pending: 1, inactive: 0 };

export function worstAlertState(slo: Slo): AlertState {
  return slo.alerts.reduce<AlertState>((w, a) => (ALERT_RANK[a.state] > ALERT_RANK[w] ? a.state : w), 'inactive');
}

export function toView(slo: Slo, status: SloStatus | undefined): SloView {
  const period = status?.periodErrorRatio;
  const noTraffic = period !== undefined && Number.isNaN(period);
  const ratio = noTraffic ? 0 : finite(period);
  const remaining = budgetRemaining(ratio, slo.objective);
  const burn1h = burnRate(status?.ratios['1h'], slo.objective);
  const burn6h = burnRate(status?.ratios['6h'], slo.objective);
  const hasRatios = Object.values(status?.ratios ?? {}).some((v) => v !== undefined);
  return {
    slo,
    sli: noTraffic || ratio === undefined ? undefined : 1 - ratio,
    remaining,
    level: budgetLevel(remaining),
    burn1h,
    burn6h,
    exhaustionSeconds: timeToExhaustion(remaining, burn1h ?? (noTraffic ? 0 : undefined), slo.windowSeconds),
    noTraffic,
    noData: period === undefined && !hasRatios,
    worstAlert: worstAlertState(slo),
  };
}

/**
 * Worst first: a firing page, then any firing, then pending, then the least budget left; unknown budgets last
 * among equals, ties by title so tiles do not jump between refreshes.
 */
export function sortWorstFirst(views: SloView[]): SloView[] {
  const pageFiring = (v: SloView) => (v.slo.alerts.some((a) => a.state === 'firing' && a.severity === 'page') ? 1 : 0);
  return [...views].sort(
    (a, b) =>
      pageFiring(b) - pageFiring(a) ||
      ALERT_RANK[b.worstAlert] - ALERT_RANK[a.worstAlert] ||
      (a.remaining ?? Infinity) - (b.remaining ?? Infinity) ||
      a.slo.title.localeCompare(b.slo.title)
  );
}
