// Pure functions from the SLO spec to the hourly budget rules (provisioning/prometheus/slo-budget.yml, no I/O).
// Each SLO records its bad and valid events per CLOCK hour, once per hour, so the app sums at most 2 160 recorded
// samples per SLO for a 90-day budget instead of reading every raw sample (docs/alerting.md, "Hourly budget rules").
//
// Why this form, and why it is exact:
// - `S[2h:1h]` is a subquery whose steps are aligned to multiples of 1 h since the epoch, i.e. to UTC clock hours,
//   whatever the time of the evaluation. At any evaluation time E its last two points are the counter's values at
//   h - 1h and h, h = the clock hour at or before E. `idelta` is their difference, with no extrapolation: exactly
//   the events of the clock hour (h - 1h, h] (a counter sampled on the hour, as the backfilled history is, gives
//   the exact count; live, each hour edge is the last scrape before it, and adjacent hours share that edge, so
//   the hours add up without gap or overlap).
// - `>= 0 unless resets(S[65m]) > 0 or increase(S[1h])`: a counter reset (even one after which the counter climbed
//   past its old value) or a series that starts or stops inside the hour has no exact difference; that series alone
//   is counted by increase() over the hour before the evaluation, as a raw query would. (65m: the window ending at
//   the evaluation covers the whole clock hour whatever the group's offset < 5 min.)
// - `and on() minute() < 5` in a 5m group: exactly one evaluation per hour falls in the first five minutes of
//   the hour (a group evaluates at a fixed offset inside its interval), so each hour is ONE sample, written at
//   h + offset. The app's sum_over_time over whole hours then counts each hour once; its count_over_time proves
//   no hour is missing (else it falls back to the raw counters).
// - `or vector(0)`: an hour is recorded even when no such event exists, so the count holds.
import { BUDGET_RECORDS, type BudgetPart } from '../../src/slo/hourlyBudget';
import type { Slo, Spec } from './spec';

export const BUDGET_INTERVAL = '5m';

export const budgetRecordName = (part: BudgetPart) => BUDGET_RECORDS[part];

/** Events of one selector in the last complete clock hour, per series (see the header). */
export const hourIncrease = (sel: string) =>
  `(idelta(${sel}[2h:1h]) >= 0 unless resets(${sel}[65m]) > 0 or increase(${sel}[1h]))`;

/** The SLO's bad or valid events in the last clock hour, recorded in the first evaluation of the hour only. */
export function budgetExpr(slo: Slo, part: BudgetPart): string {
  const sum = (sel: string) => `sum(${hourIncrease(sel)})`;
  let events: string;
  if (part === 'valid') {
    events = sum(slo.sli.valid);
  } else if (slo.sli.bad !== undefined) {
    events = sum(slo.sli.bad);
  } else {
    events = `${sum(slo.sli.valid)} - (${sum(slo.sli.good!)} or vector(0))`;
  }
  return `(${events} or vector(0))\nand on()\nminute() < 5`;
}

export const budgetRule = (slo: Slo, part: BudgetPart) => ({
  record: budgetRecordName(part),
  expr: budgetExpr(slo, part),
  labels: { slo: slo.id },
});

/** One 5m group per SLO (the bench and the app key copies of an SLO by group, like the slo-<id> groups). */
export function budgetFile(spec: Spec) {
  return {
    groups: spec.slos.map((slo) => ({
      name: `slo-budget-${slo.id}`,
      interval: BUDGET_INTERVAL,
      rules: (['bad', 'valid'] as const).map((part) => budgetRule(slo, part)),
    })),
  };
}
