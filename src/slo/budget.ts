/**
 * Error-budget maths (SRE workbook, "Alerting on SLOs"). Ratios are error ratios: bad / valid events.
 * Every function is total: missing data gives `undefined`, never NaN, so the UI can say "no data".
 */

/** The error budget as a ratio: 1 − objective (0.995 → 0.005). */
export function errorBudget(objective: number): number {
  return Math.max(0, 1 - objective);
}

/** bad / valid, with 0/0 (no traffic) as undefined rather than NaN. */
export function errorRatio(bad: number | undefined, valid: number | undefined): number | undefined {
  if (bad === undefined || valid === undefined || !Number.isFinite(bad) || !Number.isFinite(valid) || valid <= 0) {
    return undefined;
  }
  return Math.min(1, Math.max(0, bad / valid));
}

/** A number from Prometheus that can be used: NaN (0/0) and ±Inf become undefined. */
export function finite(v: number | undefined): number | undefined {
  return v === undefined || !Number.isFinite(v) ? undefined : v;
}

/** How many times faster than "exactly spend the budget over the period" errors arrive. */
export function burnRate(ratio: number | undefined, objective: number): number | undefined {
  const r = finite(ratio);
  if (r === undefined) {
    return undefined;
  }
  const budget = errorBudget(objective);
  if (budget === 0) {
    return r > 0 ? Infinity : 0;
  }
  return r / budget;
}

/** The error ratio above which a burn-rate alert condition holds: burnRate × (1 − objective). */
export function burnThreshold(rate: number, objective: number): number {
  return rate * errorBudget(objective);
}

/**
 * Share of the period's budget still unspent: 1 − ratio / budget. 1 = untouched, 0 = spent, below 0 = overspent.
 * No traffic over the period spends nothing, so callers pass ratio 0 for it; unknown stays unknown.
 */
export function budgetRemaining(periodRatio: number | undefined, objective: number): number | undefined {
  const r = finite(periodRatio);
  if (r === undefined) {
    return undefined;
  }
  const budget = errorBudget(objective);
  if (budget === 0) {
    return r > 0 ? -Infinity : 1;
  }
  return 1 - r / budget;
}

/**
 * Seconds until the rest of the budget is gone if errors keep arriving at `burn` × the sustainable rate:
 * a whole budget lasts period / burn, so the remaining share lasts remaining × period / burn.
 * 0 when already spent, Infinity when nothing burns.
 */
export function timeToExhaustion(
  remaining: number | undefined,
  burn: number | undefined,
  periodSeconds: number
): number | undefined {
  // An infinite share left is no reading at all (∞ / ∞ would be NaN); −∞ is a budget spent many times over.
  if (remaining === undefined || burn === undefined || Number.isNaN(burn) || remaining === Infinity) {
    return undefined;
  }
  if (remaining <= 0) {
    return 0;
  }
  if (burn <= 0) {
    return Infinity;
  }
  // At most the whole budget is left (1): a larger share is no reading, and would overflow to ∞ / ∞ = NaN.
  return (Math.min(remaining, 1) * periodSeconds) / burn;
}

/** Share of the period's budget a sustained burn spends in `windowSeconds`: 14.4 × 1h / 30d = 2 %. */
export function budgetSpentIn(burn: number, windowSeconds: number, periodSeconds: number): number {
  return (burn * windowSeconds) / periodSeconds;
}

export type BudgetLevel = 'ok' | 'warning' | 'critical' | 'exhausted' | 'unknown';

/** Gauge bands: ≥ 50 % ok, ≥ 25 % warning, > 0 critical, ≤ 0 exhausted. The UI maps them to theme colours. */
export function budgetLevel(remaining: number | undefined): BudgetLevel {
  if (remaining === undefined || Number.isNaN(remaining)) {
    return 'unknown';
  }
  if (remaining <= 0) {
    return 'exhausted';
  }
  if (remaining < 0.25) {
    return 'critical';
  }
  if (remaining < 0.5) {
    return 'warning';
  }
  return 'ok';
}
