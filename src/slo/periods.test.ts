import fc from 'fast-check';
import {
  dayBucketSeconds,
  isoWeekOf,
  isoWeeksInYear,
  isRunning,
  isTimeZone,
  localDate,
  localDays,
  parsePeriod,
  periodEvalEnd,
  periodKindOf,
  periodOf,
  shiftPeriod,
  startOfLocalDay,
  type PeriodKind,
} from './periods';

const H = 3600000;
const hours = (key: string, tz: string) => {
  const p = parsePeriod(key, tz)!;
  return (p.endMs - p.startMs) / H;
};
const iso = (ms: number) => new Date(ms).toISOString();

describe('period boundaries', () => {
  it.each([
    ['2026-10', 'Europe/Berlin', 745, '2026-09-30T22:00:00.000Z', '2026-10-31T23:00:00.000Z'],
    ['2026-03', 'Europe/Berlin', 743, '2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z'],
    ['2026-03', 'America/New_York', 743, '2026-03-01T05:00:00.000Z', '2026-04-01T04:00:00.000Z'],
    ['2026-11', 'America/New_York', 721, '2026-11-01T04:00:00.000Z', '2026-12-01T05:00:00.000Z'],
    ['2026-11', 'UTC', 720, '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
    ['2026-02', 'Asia/Kolkata', 672, '2026-01-31T18:30:00.000Z', '2026-02-28T18:30:00.000Z'],
  ])('month %s in %s has %d h', (key, tz, h, start, end) => {
    const p = parsePeriod(key, tz)!;
    expect((p.endMs - p.startMs) / H).toBe(h);
    expect(iso(p.startMs)).toBe(start);
    expect(iso(p.endMs)).toBe(end);
  });

  it('quarters and weeks across a DST change', () => {
    // Q4 2026 in Berlin: 92 days, one fall-back hour (25 October).
    expect(hours('2026-Q4', 'Europe/Berlin')).toBe(92 * 24 + 1);
    expect(hours('2026-Q1', 'America/New_York')).toBe(90 * 24 - 1);
    expect(hours('2026-W43', 'Europe/Berlin')).toBe(169);
    expect(hours('2026-W10', 'America/New_York')).toBe(167); // Sunday 8 March 2026 springs forward
    expect(hours('2026-W43', 'UTC')).toBe(168);
  });

  it('ISO weeks: Monday start, week 1 holds 4 January, 53-week years', () => {
    const w1 = parsePeriod('2026-W01')!;
    expect(iso(w1.startMs)).toBe('2025-12-29T00:00:00.000Z');
    expect(w1.label).toBe('Week 1, 2026 (Dec 29 – Jan 4)');
    expect(parsePeriod('2026-W48')!.label).toBe('Week 48, 2026 (Nov 23–29)');
    expect(isoWeeksInYear(2026)).toBe(53);
    expect(isoWeeksInYear(2025)).toBe(52);
    expect(parsePeriod('2025-W53')).toBeUndefined();
    expect(isoWeekOf({ y: 2027, m: 0, d: 1 })).toEqual({ year: 2026, week: 53 });
    expect(isoWeekOf({ y: 2024, m: 11, d: 30 })).toEqual({ year: 2025, week: 1 });
  });

  it('a zone that springs forward at midnight starts that day at the transition (Santiago, 4 Sep 2022)', () => {
    expect(iso(startOfLocalDay(2022, 8, 4, 'America/Santiago'))).toBe('2022-09-04T04:00:00.000Z');
    // and falls back at midnight: the day starts once, at −04.
    expect(iso(startOfLocalDay(2022, 3, 3, 'America/Santiago'))).toBe('2022-04-03T04:00:00.000Z');
  });

  it('local days are 23, 24 or 25 h and tile the period', () => {
    const days = localDays(parsePeriod('2026-W43', 'Europe/Berlin')!);
    expect(days.map((d) => d.date)).toEqual([
      '2026-10-19',
      '2026-10-20',
      '2026-10-21',
      '2026-10-22',
      '2026-10-23',
      '2026-10-24',
      '2026-10-25',
    ]);
    expect((days[6].endMs - days[6].startMs) / H).toBe(25);
    expect(localDays(parsePeriod('2026-03', 'America/New_York')!).find((d) => d.date === '2026-03-08')).toMatchObject({
      startMs: Date.parse('2026-03-08T05:00:00Z'),
      endMs: Date.parse('2026-03-09T04:00:00Z'),
    });
  });

  it('day buckets: an hour for whole- and half-hour zones, 30 min for Lord Howe', () => {
    expect(dayBucketSeconds(parsePeriod('2026-10', 'Europe/Berlin')!)).toBe(3600);
    expect(dayBucketSeconds(parsePeriod('2026-10', 'Asia/Kolkata')!)).toBe(3600);
    expect(dayBucketSeconds(parsePeriod('2026-10', 'Asia/Kathmandu')!)).toBe(3600);
    expect(dayBucketSeconds(parsePeriod('2026-10', 'Australia/Lord_Howe')!)).toBe(1800);
  });
});

describe('ids, labels, neighbours', () => {
  it.each([
    ['2026-11', 'month', 'November 2026'],
    ['2026-Q4', 'quarter', 'Q4 2026 (Oct–Dec)'],
    ['2026-W48', 'week', 'Week 48, 2026 (Nov 23–29)'],
  ])('%s is a %s: %s', (key, kind, label) => {
    expect(periodKindOf(key)).toBe(kind);
    expect(parsePeriod(key)).toMatchObject({ key, kind, label, timeZone: 'UTC' });
  });

  it.each(['2026-13', '2026-00', '2026-Q0', '2026-Q5', '2026-W00', '2026-W54', '2026-11-01', 'Q4', '', 'x'])(
    'refuses %j',
    (key) => expect(parsePeriod(key)).toBeUndefined()
  );

  it('previous and next across years', () => {
    expect(shiftPeriod(parsePeriod('2026-01', 'Europe/Berlin')!, -1).key).toBe('2025-12');
    expect(shiftPeriod(parsePeriod('2026-Q1')!, -1).key).toBe('2025-Q4');
    expect(shiftPeriod(parsePeriod('2026-W53')!, 1).key).toBe('2027-W01');
    expect(shiftPeriod(parsePeriod('2027-W01')!, -1).key).toBe('2026-W53');
  });

  it('the period holding an instant is read in the zone', () => {
    // 23:30 UTC on 31 October is already 1 November in Berlin (CET, +1).
    const t = Date.parse('2026-10-31T23:30:00Z');
    expect(periodOf('month', t, 'UTC').key).toBe('2026-10');
    expect(periodOf('month', t, 'Europe/Berlin').key).toBe('2026-11');
    expect(periodOf('week', Date.parse('2027-01-01T12:00:00Z'), 'UTC').key).toBe('2026-W53');
    expect(localDate(t, 'Europe/Berlin')).toBe('2026-11-01');
  });

  it('a running period evaluates to now', () => {
    const p = parsePeriod('2026-12')!;
    const now = Date.parse('2026-12-05T11:10:00Z');
    expect(isRunning(p, now)).toBe(true);
    expect(periodEvalEnd(p, now)).toBe(now);
    expect(isRunning(parsePeriod('2026-11')!, now)).toBe(false);
    expect(periodEvalEnd(parsePeriod('2026-11')!, now)).toBe(Date.parse('2026-12-01T00:00:00Z'));
  });

  it('time zones are checked against the runtime list', () => {
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Europe/Berln')).toBe(false);
    expect(isTimeZone('+01:00')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('properties', () => {
  const zones = fc.constantFrom(
    'UTC',
    'Europe/Berlin',
    'America/New_York',
    'Australia/Sydney',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'America/Santiago',
    'Australia/Lord_Howe',
    'Pacific/Chatham'
  );
  const kinds = fc.constantFrom<PeriodKind>('month', 'quarter', 'week');
  const instants = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) });

  it('the period of an instant holds it, starts at a local midnight and is followed by its next without a gap', () => {
    fc.assert(
      fc.property(kinds, instants, zones, (kind, t, tz) => {
        const p = periodOf(kind, t, tz);
        const next = shiftPeriod(p, 1);
        expect(p.startMs).toBeLessThanOrEqual(t);
        expect(t).toBeLessThan(p.endMs);
        expect(next.startMs).toBe(p.endMs);
        expect(shiftPeriod(next, -1)).toEqual(p);
        // Its id reads back to itself.
        expect(parsePeriod(p.key, tz)).toEqual(p);
      }),
      { numRuns: 300 }
    );
  });

  it('periods last their calendar days, give or take the DST shifts of the zone (at most 3 h)', () => {
    fc.assert(
      fc.property(kinds, instants, zones, (kind, t, tz) => {
        const p = periodOf(kind, t, tz);
        const days = localDays(p);
        const expectedDays = kind === 'week' ? [7] : kind === 'month' ? [28, 29, 30, 31] : [90, 91, 92];
        expect(expectedDays).toContain(days.length);
        expect(Math.abs(p.endMs - p.startMs - days.length * 24 * H)).toBeLessThanOrEqual(3 * H);
        expect(days[0].startMs).toBe(p.startMs);
        expect(days[days.length - 1].endMs).toBe(p.endMs);
        days.forEach((d, i) => i > 0 && expect(d.startMs).toBe(days[i - 1].endMs));
      }),
      { numRuns: 100 }
    );
  });
});
