// Pure functions from the SLO spec to the hourly budget rules (provisioning/prometheus/slo-budget.yml, no I/O).
// Each SLO records its bad and valid events per CLOCK hour, once per hour, so the app sums at most 2 160 recorded
// samples per SLO for a 90-day budget instead of reading every raw sample (docs/alerting.md, "Budget bucket rules").
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
// Five-minute buckets (slo:sli_*_events:increase5m) work the same way one size down: `S[10m:5m]` steps on the clock's
// 5-minute marks, `resets(S[6m])` covers the bucket from an evaluation < 1 min after its end, and a 1m group gated
// on `minute() % 5 < 1` writes each bucket once, < 1 min after it ends. The app reads whole hours from the hourly
// buckets and the partial hours at both ends of a window from these. Daily buckets (slo:sli_*_events:increase1d) are
// the sum of a UTC day's 24 hourly buckets (dailyBudgetExpr), so a 30-day budget reads ~100 recorded samples per SLO
// (≤ 30 days, ≤ 47 hours, ≤ 23 five-minute buckets) through name-level selectors (src/slo/hourlyBudget.ts).
import { BUDGET_BUCKETS, type BudgetBucket, type BudgetPart } from '../../src/slo/hourlyBudget';
import type { Slo, Spec } from './spec';

type RawBucket = Exclude<BudgetBucket, 'day'>;

/** Events of one selector in the last complete bucket (clock hour or 5-minute mark), per series (see the header). */
export function bucketIncrease(sel: string, bucket: RawBucket = 'hour'): string {
  const b = BUDGET_BUCKETS[bucket];
  return `(idelta(${sel}[${b.subquery}]) >= 0 unless resets(${sel}[${b.resetsWindow}]) > 0 or increase(${sel}[${b.range}]))`;
}

/**
 * The SLO's events of the UTC day that ended at the last midnight: the sum of its 24 hourly buckets, written once
 * 10-15 min after midnight (the hour ending at midnight is written by then), and only when all 24 are there — a day
 * with a missing hour has no daily bucket, so the app's count check sends that SLO back to the raw counters.
 * The window (E − 1d, E], E the evaluation, holds exactly the hours ending 01:00 … 24:00 of that day: each hour is
 * written < 5 min after it ends.
 */
export function dailyBudgetExpr(slo: Slo, part: BudgetPart): string {
  const hours = `${BUDGET_BUCKETS.hour.records[part]}{slo="${slo.id}"}[1d]`;
  return `(sum_over_time(${hours}) and count_over_time(${hours}) == 24)\nand on()\n${BUDGET_BUCKETS.day.gate}`;
}

/** The SLO's bad or valid events in the last bucket, recorded in the first evaluation after the bucket only. */
export function budgetExpr(slo: Slo, part: BudgetPart, bucket: BudgetBucket = 'hour'): string {
  if (bucket === 'day') {
    return dailyBudgetExpr(slo, part);
  }
  const sum = (sel: string) => `sum(${bucketIncrease(sel, bucket)})`;
  let events: string;
  if (part === 'valid') {
    events = sum(slo.sli.valid);
  } else if (slo.sli.bad !== undefined) {
    events = sum(slo.sli.bad);
  } else {
    events = `${sum(slo.sli.valid)} - (${sum(slo.sli.good!)} or vector(0))`;
  }
  return `(${events} or vector(0))\nand on()\n${BUDGET_BUCKETS[bucket].gate}`;
}

export const budgetRule = (slo: Slo, part: BudgetPart, bucket: BudgetBucket = 'hour') => ({
  record: BUDGET_BUCKETS[bucket].records[part],
  expr: budgetExpr(slo, part, bucket),
  labels: { slo: slo.id },
});

/**
 * Per SLO, one group per bucket size: hourly, 5-minute and daily (the bench and the app key copies of an SLO by
 * group, like the slo-<id> groups; each group's interval sets when it writes its bucket).
 */
export function budgetFile(spec: Spec) {
  return {
    groups: spec.slos.flatMap((slo) =>
      (['hour', 'fiveMinutes', 'day'] as const).map((bucket) => ({
        name: BUDGET_BUCKETS[bucket].group(slo.id),
        interval: BUDGET_BUCKETS[bucket].interval,
        rules: (['bad', 'valid'] as const).map((part) => budgetRule(slo, part, bucket)),
      }))
    ),
  };
}
