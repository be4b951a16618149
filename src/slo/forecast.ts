/**
 * Where a running period ends at the current burn. Pure.
 *
 * The basis is the last 24 hours: a whole day of the traffic's daily cycle (a shorter window would project a quiet
 * night or a busy noon onto the rest of the period) and recent enough to follow an incident that is still going on
 * (the period so far would dilute it with weeks of calm). The rest of the period is assumed to carry the basis'
 * valid events per second and bad events per second, and the period's budget is (1 − objective) × all its valid
 * events, the projected ones included — the same budget the report shows once the period is complete.
 */
import { errorBudget } from './budget';

/** How the report names the basis. */
export const FORECAST_BASIS = 'last 24 h';
export const FORECAST_BASIS_SECONDS = 86400;

export interface ForecastInput {
  objective: number;
  /** Bad and valid events of the period so far. */
  bad: number;
  valid: number;
  /** Bad and valid events over the basis window, which lasts `basisSeconds`. */
  basisBad: number;
  basisValid: number;
  basisSeconds: number;
  /** Evaluation time and the period's end (ms). */
  nowMs: number;
  endMs: number;
}

export interface Forecast {
  /** Projected share of the period's budget left at its end (< 0: overspent). */
  budgetLeftAtEnd: number;
  projectedBad: number;
  projectedValid: number;
  /** When the budget runs out at this burn, if before the period's end (ms); now if it is already gone. */
  exhaustedAtMs?: number;
}

const finite = (...xs: number[]) => xs.every((x) => Number.isFinite(x) && x >= 0);

/** The forecast, or undefined when it cannot be made (no budget, a missing count, the period already over). */
export function forecastPeriodEnd(i: ForecastInput): Forecast | undefined {
  const budget = errorBudget(i.objective);
  if (
    !finite(i.bad, i.valid, i.basisBad, i.basisValid) ||
    !(i.basisSeconds > 0) ||
    !(budget > 0) ||
    i.nowMs >= i.endMs
  ) {
    return undefined;
  }
  const remaining = (i.endMs - i.nowMs) / 1000;
  const badRate = i.basisBad / i.basisSeconds;
  const validRate = i.basisValid / i.basisSeconds;
  const projectedBad = i.bad + badRate * remaining;
  const projectedValid = i.valid + validRate * remaining;
  const allowed = budget * projectedValid;
  if (allowed <= 0) {
    // No traffic so far nor at this rate: nothing can spend the budget.
    return { budgetLeftAtEnd: 1, projectedBad: 0, projectedValid: 0 };
  }
  const out: Forecast = { budgetLeftAtEnd: 1 - projectedBad / allowed, projectedBad, projectedValid };
  if (i.bad >= allowed) {
    out.exhaustedAtMs = i.nowMs;
  } else if (projectedBad > allowed && badRate > 0) {
    // Measured against the period's final budget: the bad events reach it before the end.
    out.exhaustedAtMs = i.nowMs + ((allowed - i.bad) / badRate) * 1000;
  }
  return out;
}
