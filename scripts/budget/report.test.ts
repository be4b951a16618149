import type { ReportData } from '../../src/api/loaders';
import type { Slo } from '../../src/slo';
import { parseMonthKey } from '../../src/slo/report';
import { correctedDaily, reportRows } from '../../src/api/reportRows';
import { reportCsv } from '../../src/api/reportCsv';
import { reportMarkdown } from './report';

const month = parseMonthKey('2026-11')!;
const slo = { id: 'payment-success', title: 'Payment success', objective: 0.995 } as Slo;
const day = (d: number, h = 0) => Date.UTC(2026, 10, d, h);

function data(evalEnd: number): ReportData {
  // 10 000 orders a day; 5 bad a day, 30 on the 30th (the running day when evalEnd is mid-day)
  const ends = Array.from({ length: 29 }, (_, i) => day(i + 2));
  const lastEnd = evalEnd < month.endMs ? evalEnd : month.endMs;
  return {
    slos: [slo],
    period: month,
    evalEnd,
    totals: new Map([[slo.id, { valid: 300000, bad: 29 * 5 + 30 }]]),
    daily: new Map([
      [
        slo.id,
        {
          valid: [...ends.map((t) => ({ t, v: 10000 })), { t: lastEnd, v: 10000 }],
          bad: [...ends.map((t) => ({ t, v: 5 })), { t: lastEnd, v: 30 }],
        },
      ],
    ]),
    history: new Map(),
    historyPeriods: [],
    lastDay: new Map(),
    corrections: [],
    excluded: new Map(),
    excludedDaily: new Map(),
    historyExcluded: new Map(),
    problems: [],
  };
}

describe('npm run budget -- report', () => {
  test('a complete month: figures of the month, the worst day named by its own date', () => {
    const [r] = reportRows(data(month.endMs));
    expect(r).toMatchObject({
      period: '2026-11',
      periodKind: 'month',
      timeZone: 'UTC',
      running: false,
      slo: 'payment-success',
      valid: 300000,
      bad: 175,
    });
    expect(r.budgetUsed).toBeCloseTo(175 / 1500, 12);
    expect(r.met).toBe(true);
    expect(r.worstDay).toBe('2026-11-30');
    expect(r.worstDayShare).toBeCloseTo(30 / 1500, 12);
    expect(r.to).toBe('2026-12-01T00:00:00.000Z');
  });

  test('a running month: to now, the running day marked so far in the markdown', () => {
    const rows = reportRows(data(day(30, 13)));
    expect(rows[0].running).toBe(true);
    expect(rows[0].worstDay).toBe('2026-11-30');
    const md = reportMarkdown(rows);
    expect(md).toContain('so far: to 2026-11-30T13:00:00.000Z');
    expect(md).toContain('2026-11-30 (so far): 2.0 %');
    expect(md).toContain('| Payment success | 99.50 % | 99.942 % | met | 11.7 % | 175 / 300000 |');
  });

  test('corrections: the worst day and the burn-down days come from the corrected days', () => {
    const d = data(month.endMs);
    // A maintenance on the 30th holds 28 of its 30 bad events and 2 000 of its orders.
    d.excluded = new Map([[slo.id, { bad: 28, valid: 2000, windows: [{ from: day(29, 10), to: day(29, 12) }] }]]);
    d.excludedDaily = new Map([[slo.id, new Map([[month.endMs, { bad: 28, valid: 2000 }]])]]);
    const [r] = reportRows(d);
    expect(r.corrected).toMatchObject({ bad: 147, valid: 298000 });
    // Raw, the 30th is the worst day (30 bad); corrected it has 2, and the first day with 5 is the worst.
    expect(r.worstDay).toBe('2026-11-01');
    expect(r.worstDayShare).toBeCloseTo(5 / (0.005 * 298000), 12);
    const c = correctedDaily(d, slo.id)!;
    expect(c.bad[c.bad.length - 1]).toEqual({ t: month.endMs, v: 2 });
    expect(c.valid[c.valid.length - 1]).toEqual({ t: month.endMs, v: 8000 });
    expect(c.bad.reduce((n, p) => n + p.v, 0)).toBe(147);
    // A failed read of the excluded counts: no corrected days (raw ones are never passed off as corrected).
    d.excludedDaily = new Map([[slo.id, new Map([[month.endMs, { bad: undefined, valid: 2000 }]])]]);
    expect(correctedDaily(d, slo.id)).toBeUndefined();
  });

  test('CSV: one row per SLO, RFC 4180, the verdict in words', () => {
    const csv = reportCsv(reportRows(data(month.endMs)));
    const [head, row] = csv.trim().split('\n');
    expect(head).toBe(
      'period,period_kind,time_zone,running,from,to,slo,objective,valid,bad,sli,budget_used,met,worst_day,worst_day_share,full_outage_minutes,policy_state,forecast_budget_left_at_end,forecast_exhausted_at,forecast_basis,corrected_valid,corrected_bad,corrected_sli,corrected_budget_used,corrected_met,excluded_valid,excluded_bad,excluded_minutes'
    );
    // No policy in these rules: the column stays empty.
    expect(row).toBe(
      '2026-11,month,UTC,no,2026-11-01T00:00:00.000Z,2026-12-01T00:00:00.000Z,payment-success,0.995,300000,175,0.999417,0.1167,met,2026-11-30,0.02,25.2,,,,,,,,,,,,'
    );
  });

  test("the error-budget policy state at the month's budget left, in CSV and markdown", () => {
    const d = data(month.endMs);
    d.slos = [
      {
        ...slo,
        budgetPolicy: [
          { state: 'ok', minBudgetLeft: 0.9, text: 'a' },
          { state: 'freeze', blocksDeploys: true, text: 'b' },
        ],
      },
    ];
    const rows = reportRows(d); // 11.7 % used: 88.3 % left, under 90 %
    expect(rows[0].policy?.state).toBe('freeze');
    expect(reportCsv(rows).trim().split('\n')[1]).toMatch(/,freeze,,,,,,,,,,,$/);
    expect(reportMarkdown(rows)).toMatch(/\| freeze \(deploys blocked\) \|$/m);
  });

  test('corrections: raw and corrected side by side; the policy follows the corrected budget', () => {
    const d = data(month.endMs);
    d.slos = [
      {
        ...slo,
        budgetPolicy: [
          { state: 'ok', minBudgetLeft: 0.885, text: 'a' },
          { state: 'freeze', text: 'b' },
        ],
      },
    ];
    // A 2-hour maintenance window on the 30th held 25 of the 30 bad events and 800 valid ones.
    const w = { from: day(30, 10), to: day(30, 12) };
    d.excluded = new Map([[slo.id, { bad: 25, valid: 800, windows: [w] }]]);
    const [r] = reportRows(d);
    expect(r.bad).toBe(175); // raw stays as measured
    expect(r.corrected).toMatchObject({ bad: 150, valid: 299200, excludedBad: 25, excludedMinutes: 120, windows: 1 });
    expect(r.corrected!.budgetUsed).toBeCloseTo(150 / (0.005 * 299200), 12);
    expect(r.policy?.state).toBe('ok'); // 89.97 % left corrected (88.3 % raw would be freeze)
    const row = reportCsv([r]).trim().split('\n')[1];
    expect(row).toMatch(/,299200,150,0\.999499,0\.1003,met,800,25,120$/);
    const md = reportMarkdown([r]);
    expect(md).toContain('| 99.950 %, 10.0 %, 150 / 299200 (25 / 800 in 1 window, 120 min) |');
    expect(md).toContain('Alerts are not changed by corrections.');
    // A failed read of the windows: corrected unknown, never the raw figure under another name.
    d.excluded = new Map([[slo.id, { windows: [w] }]]);
    const [u] = reportRows(d);
    expect(u.corrected?.budgetUsed).toBeUndefined();
    expect(reportCsv([u]).trim().split('\n')[1]).toMatch(/,,,,,no data,,,120$/);
  });

  test('no traffic and no data are said, not shown as met', () => {
    const d = data(month.endMs);
    d.totals = new Map([[slo.id, { valid: 0, bad: 0 }]]);
    expect(reportMarkdown(reportRows(d))).toContain('| no traffic |');
    d.totals = new Map();
    d.daily = new Map();
    expect(reportMarkdown(reportRows(d), ['the month totals: timeout'])).toMatch(/\| no data \|[\s\S]*Partial data/);
  });
});
