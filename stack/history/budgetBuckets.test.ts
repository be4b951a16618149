import { bucketOf, bucketSums, historyBudgetLines, openMetricsGauges, type StepCount } from './budgetBuckets';

// Two days of 5-minute steps from midnight: every step 10 valid, 1 bad, except one hour with 5 bad a step.
const start = 1_700_006_400; // a UTC midnight
const steps = (n: number): StepCount[] =>
  Array.from({ length: n }, (_, i) => {
    const t = start + (i + 1) * 300;
    const spike = t > start + 3 * 3600 && t <= start + 4 * 3600;
    return { t, bad: spike ? 5 : 1, valid: 10 };
  });

describe('bucketSums', () => {
  it('sums the steps in (mark − size, mark]', () => {
    const s = bucketSums(steps(48), 3600, start + 3600, start + 4 * 3600);
    expect([...s.keys()]).toEqual([1, 2, 3, 4].map((h) => start + h * 3600));
    expect(s.get(start + 3600)).toEqual({ bad: 12, valid: 120 });
    expect(s.get(start + 4 * 3600)).toEqual({ bad: 60, valid: 120 });
  });
  it('gives zero for marks after the last step', () => {
    expect(bucketSums(steps(12), 3600, start + 7200, start + 7200).get(start + 7200)).toEqual({ bad: 0, valid: 0 });
  });
});

describe('historyBudgetLines', () => {
  const rules = [
    { record: 'slo:sli_bad_events:increase1h', labels: { slo: 'a' } },
    { record: 'slo:sli_valid_events:increase1h', labels: { slo: 'a' } },
    { record: 'slo:sli_bad_events:increase1d', labels: { slo: 'a' } },
    { record: 'slo:sli_valid_events:increase5m', labels: { slo: 'a' } },
    { record: 'slo:sli_bad_events:increase1h', labels: { slo: 'unknown' } },
    { record: 'slo:sli_error:ratio_rate5m', labels: { slo: 'a' } },
  ];
  const end = start + 2 * 86400;
  const lines = historyBudgetLines(rules, { a: steps(576) }, start, end, end - 3600);

  it('writes hours and days over the history, 5-minute marks from fineFrom, under the rule selector', () => {
    const hours = lines.get('slo:sli_bad_events:increase1h')!;
    // The first bucket ends one size after the first mark at or after the start.
    expect(hours[0]).toBe(`slo:sli_bad_events:increase1h{slo="a"} 12 ${start + 3600}`);
    expect(hours).toHaveLength(48);
    expect(hours).toContain(`slo:sli_bad_events:increase1h{slo="a"} 60 ${start + 4 * 3600}`);
    expect(lines.get('slo:sli_valid_events:increase1h')).toHaveLength(48);
    expect(lines.get('slo:sli_valid_events:increase5m')).toHaveLength(12);
  });
  it('writes a day as the sum of its 24 hours', () => {
    expect(lines.get('slo:sli_bad_events:increase1d')).toEqual([
      `slo:sli_bad_events:increase1d{slo="a"} ${24 * 12 + 48} ${start + 86400}`,
      `slo:sli_bad_events:increase1d{slo="a"} ${24 * 12} ${start + 2 * 86400}`,
    ]);
  });
  it('writes no day whose 24 hours are not all in the history (a start off the hour grid)', () => {
    const off = historyBudgetLines(rules, { a: steps(576).slice(1) }, start + 300, end, end);
    expect(off.get('slo:sli_bad_events:increase1h')![0]).toMatch(new RegExp(` ${start + 7200}$`));
    expect(off.get('slo:sli_bad_events:increase1d')).toEqual([
      `slo:sli_bad_events:increase1d{slo="a"} ${24 * 12} ${start + 2 * 86400}`,
    ]);
  });
  it('leaves out SLOs without counts and records that are not budget buckets', () => {
    expect(lines.get('slo:sli_bad_events:increase1h')!.every((l) => l.includes('slo="a"'))).toBe(true);
    expect(lines.has('slo:sli_error:ratio_rate5m')).toBe(false);
  });
});

describe('openMetricsGauges and bucketOf', () => {
  it('writes one TYPE line per metric with samples, then # EOF; nothing for no samples', () => {
    expect(
      openMetricsGauges(
        new Map([
          ['m', ['m{a="1"} 2 60']],
          ['empty', []],
        ])
      )
    ).toBe('# TYPE m gauge\nm{a="1"} 2 60\n# EOF\n');
    expect(openMetricsGauges(new Map([['empty', []]]))).toBe('');
  });
  it('names the bucket kind of a budget record, and none for other records', () => {
    expect(bucketOf('slo:sli_valid_events:increase1d')?.seconds).toBe(86400);
    expect(bucketOf('slo:sli_bad_events:increase5m')?.seconds).toBe(300);
    expect(bucketOf('slo:sli_error:ratio_rate5m')).toBeUndefined();
  });
});
