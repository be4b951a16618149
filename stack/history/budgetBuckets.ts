/**
 * The budget buckets (slo-budget.yml's day, hour and 5-minute records) of the generated history, computed from the
 * generator's exact per-step counts instead of by Prometheus. On the history every rule's value is the counter's
 * difference between two marks (idelta of a subquery on the marks, where the generator writes a sample), so the
 * sum of the steps in (mark − size, mark] is the figure the rule would record; asking Prometheus for it took
 * ~240 s over 400 days (one query_range per rule and 10 000 marks), this takes well under a second.
 * backfillBudget (PromQL) still fills what lies after the history's end.
 */
import { BUDGET_BUCKETS } from '../../src/slo/hourlyBudget';

export interface BudgetRule {
  record?: string;
  labels?: Record<string, string>;
}

export interface StepCount {
  t: number;
  bad: number;
  valid: number;
}

const HOUR = 3600;
const DAY = 86400;

/** The bucket kind (day, hour, 5-minute) a record of slo-budget.yml belongs to, if any. */
export function bucketOf(record?: string) {
  return Object.values(BUDGET_BUCKETS).find((b) => Object.values(b.records).includes(record as never));
}

/** Gauge samples by metric name as one OpenMetrics text for promtool (with # EOF); '' when there are none. */
export function openMetricsGauges(byName: Map<string, string[]>): string {
  const lines = [...byName].flatMap(([name, samples]) => (samples.length ? [`# TYPE ${name} gauge`, ...samples] : []));
  return lines.length ? [...lines, '# EOF', ''].join('\n') : '';
}

/** The selector a bucket sample is written under (the rule's record and its static labels). */
export function bucketSelector(record: string, labels: Record<string, string> = {}): string {
  return `${record}{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;
}

/** Sums of `counts` (sorted by t, one per step) over (mark − size, mark] for every mark in [first, last]. */
export function bucketSums(
  counts: StepCount[],
  size: number,
  first: number,
  last: number
): Map<number, { bad: number; valid: number }> {
  const out = new Map<number, { bad: number; valid: number }>();
  let i = 0;
  for (let mark = first; mark <= last; mark += size) {
    while (i < counts.length && counts[i].t <= mark - size) {
      i++;
    }
    let bad = 0;
    let valid = 0;
    for (let j = i; j < counts.length && counts[j].t <= mark; j++) {
      bad += counts[j].bad;
      valid += counts[j].valid;
    }
    out.set(mark, { bad, valid });
  }
  return out;
}

/**
 * OpenMetrics lines (no header, no # EOF) of every budget bucket the history covers: hours and days over
 * (start, end], 5-minute marks from `fineFrom`. A bucket's start must hold a sample (as in backfillBudget: the
 * first mark is one size after the first mark at or after `start`); a day is written only when its 24 hours are.
 * Rules whose `slo` label has no counts are left out (backfillBudget asks Prometheus for them).
 */
export function historyBudgetLines(
  rules: BudgetRule[],
  counts: Record<string, StepCount[]>,
  start: number,
  end: number,
  fineFrom: number
): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  const sums = new Map<string, Map<number, { bad: number; valid: number }>>();
  const sumsOf = (slo: string, size: number, from: number) => {
    const key = `${slo}/${size}`;
    if (!sums.has(key)) {
      const first = Math.ceil(from / size) * size + size;
      sums.set(key, bucketSums(counts[slo], size, first, Math.floor(end / size) * size));
    }
    return sums.get(key)!;
  };
  for (const rule of rules) {
    const bucket = Object.values(BUDGET_BUCKETS).find((b) => Object.values(b.records).includes(rule.record as never));
    const slo = rule.labels?.slo;
    if (!bucket || !slo || !counts[slo]) {
      continue;
    }
    const part = (Object.keys(bucket.records) as Array<'bad' | 'valid'>).find(
      (k) => (bucket.records as Record<string, string>)[k] === rule.record
    )!;
    const sel = bucketSelector(rule.record!, rule.labels);
    const out = byName.get(rule.record!) ?? [];
    if (bucket.seconds === DAY) {
      const hours = sumsOf(slo, HOUR, start);
      for (let d = Math.ceil(start / DAY) * DAY + DAY; d <= end; d += DAY) {
        const values = Array.from({ length: 24 }, (_, k) => hours.get(d - k * HOUR)?.[part]);
        if (values.every((v) => v !== undefined)) {
          out.push(`${sel} ${values.reduce((a, b) => a! + b!, 0)} ${d}`);
        }
      }
    } else {
      const from = bucket.seconds >= HOUR ? start : Math.max(start, fineFrom);
      for (const [mark, v] of sumsOf(slo, bucket.seconds, from)) {
        out.push(`${sel} ${v[part]} ${mark}`);
      }
    }
    byName.set(rule.record!, out);
  }
  return byName;
}
