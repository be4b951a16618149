import { readReportParams, recentPeriods, reportSearch } from './reportParams';

const now = Date.parse('2026-12-05T11:10:00Z');
const read = (q: string, tz?: string) => readReportParams(new URLSearchParams(q), tz, now);

describe('report permalinks', () => {
  it('period and tz open the view they name', () => {
    const r = read('period=2026-W43&tz=Europe/Berlin');
    expect(r.problems).toEqual([]);
    expect(r.period).toMatchObject({ kind: 'week', key: '2026-W43', timeZone: 'Europe/Berlin' });
    expect((r.period.endMs - r.period.startMs) / 3600000).toBe(169);
    expect(reportSearch(r.period, { print: '' }).toString()).toBe('period=2026-W43&tz=Europe%2FBerlin&print=');
  });

  it("without tz: the app's setting; without period: the current month in that zone", () => {
    expect(read('period=2026-Q4', 'America/New_York').period.timeZone).toBe('America/New_York');
    expect(read('', 'Europe/Berlin').period).toMatchObject({ key: '2026-12', timeZone: 'Europe/Berlin' });
    expect(read('').period).toMatchObject({ key: '2026-12', timeZone: 'UTC' });
    // A broken setting (saved by hand) is not fatal either.
    expect(read('', 'Mars/Olympus').period.timeZone).toBe('UTC');
  });

  it('the earlier ?month= link still opens', () => {
    expect(read('month=2026-10').period).toMatchObject({ kind: 'month', key: '2026-10' });
  });

  it('a bad value is named and replaced, the rest of the URL kept', () => {
    const badTz = read('period=2026-W43&tz=Europe/Berln', 'America/New_York');
    expect(badTz.period).toMatchObject({ key: '2026-W43', timeZone: 'America/New_York' });
    expect(badTz.problems).toEqual([
      'Time zone "Europe/Berln" is not an IANA time zone (e.g. Europe/Berlin): showing America/New_York.',
    ]);
    const badPeriod = read('period=2026-W60&tz=Europe/Berlin');
    expect(badPeriod.period).toMatchObject({ key: '2026-12', timeZone: 'Europe/Berlin' });
    expect(badPeriod.problems[0]).toContain('Period "2026-W60" is not a month');
    const future = read('period=2027-Q1');
    expect(future.period.key).toBe('2026-Q4');
    expect(future.problems[0]).toContain('has not started yet');
  });

  it('the picker offers the current period and the ones before it', () => {
    expect(recentPeriods('quarter', now, 'UTC', 3).map((p) => p.key)).toEqual(['2026-Q4', '2026-Q3', '2026-Q2']);
    expect(recentPeriods('week', now, 'UTC', 2).map((p) => p.key)).toEqual(['2026-W49', '2026-W48']);
  });
});
