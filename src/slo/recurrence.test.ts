import fc from 'fast-check';
import { localDate } from './periods';
import { expandRecurrence, isoDurationMs, parseRecurrence } from './recurrence';

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const utc = (s: string) => Date.parse(`${s}:00Z`);
const windows = (rule: string, tz: string, from: string, to: string, duration?: string) =>
  expandRecurrence(parseRecurrence(rule, tz, duration), utc(from), utc(to)).map((w) => [iso(w.from), iso(w.to)]);

describe('isoDurationMs', () => {
  it.each([
    ['PT2H', 7200000],
    ['PT1H30M', 5400000],
    ['P1D', 86400000],
    ['P1DT30S', 86430000],
  ])('%s', (s, ms) => expect(isoDurationMs(s)).toBe(ms));
  it.each(['2h', 'P', 'PT', 'PT0S', 'P1W', ''])('refuses %j', (s) => expect(isoDurationMs(s)).toBeUndefined());
});

describe('expandRecurrence', () => {
  it('a weekly Sunday slot in Berlin keeps its local time across both DST changes', () => {
    const rule = 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=3;BYMINUTE=0;DURATION=PT1H';
    expect(windows(rule, 'Europe/Berlin', '2026-03-20T00:00', '2026-04-06T00:00')).toEqual([
      ['2026-03-22T02:00', '2026-03-22T03:00'], // CET, +1
      ['2026-03-29T01:00', '2026-03-29T02:00'], // CEST, +2: the change was at 01:00Z that morning
      ['2026-04-05T01:00', '2026-04-05T02:00'],
    ]);
    expect(windows(rule, 'Europe/Berlin', '2026-10-24T00:00', '2026-11-02T00:00')).toEqual([
      ['2026-10-25T02:00', '2026-10-25T03:00'], // CET again
      ['2026-11-01T02:00', '2026-11-01T03:00'],
    ]);
  });

  it('a time skipped by spring forward is read with the offset before the gap; a repeated one is its first', () => {
    const rule = 'FREQ=DAILY;BYHOUR=2;BYMINUTE=30';
    // Berlin skips 02:00–03:00 on 2026-03-29 and repeats it on 2026-10-25.
    expect(windows(rule, 'Europe/Berlin', '2026-03-29T00:00', '2026-03-29T23:00', 'PT10M')).toEqual([
      ['2026-03-29T01:30', '2026-03-29T01:40'],
    ]);
    expect(windows(rule, 'Europe/Berlin', '2026-10-25T00:00', '2026-10-25T23:00', 'PT10M')).toEqual([
      ['2026-10-25T00:30', '2026-10-25T00:40'],
    ]);
  });

  it('a DST day holds an elapsed duration, not a wall-clock one', () => {
    const w = expandRecurrence(
      parseRecurrence('FREQ=DAILY;BYHOUR=0;BYMINUTE=0;DURATION=P1D', 'America/New_York'),
      utc('2026-03-08T05:00'),
      utc('2026-03-08T06:00')
    );
    expect(w).toHaveLength(1);
    expect(w[0].to - w[0].from).toBe(86400000); // 24 h although that local day has 23
  });

  it('MONTHLY with an ordinal weekday: the last Sunday, the first Monday', () => {
    expect(
      windows('FREQ=MONTHLY;BYDAY=-1SU;BYHOUR=1', 'UTC', '2026-01-01T00:00', '2026-05-01T00:00', 'PT2H').map(
        (w) => w[0]
      )
    ).toEqual(['2026-01-25T01:00', '2026-02-22T01:00', '2026-03-29T01:00', '2026-04-26T01:00']);
    expect(
      windows('FREQ=MONTHLY;BYDAY=1MO', 'UTC', '2026-01-01T00:00', '2026-04-01T00:00', 'PT2H').map((w) => w[0])
    ).toEqual(['2026-01-05T00:00', '2026-02-02T00:00', '2026-03-02T00:00']);
  });

  it('MONTHLY BYMONTHDAY=31 skips the months without a 31st; -1 is the last day', () => {
    expect(
      windows('FREQ=MONTHLY;BYMONTHDAY=31', 'UTC', '2026-01-01T00:00', '2026-06-01T00:00', 'PT1H').map((w) => w[0])
    ).toEqual(['2026-01-31T00:00', '2026-03-31T00:00', '2026-05-31T00:00']);
    expect(
      windows('FREQ=MONTHLY;BYMONTHDAY=-1', 'UTC', '2026-02-01T00:00', '2026-03-01T00:00', 'PT1H').map((w) => w[0])
    ).toEqual(['2026-02-28T00:00']);
  });

  it('DTSTART anchors INTERVAL and COUNT, and gives the default time; UNTIL is inclusive', () => {
    expect(
      windows(
        'DTSTART:20260105T221500\nRRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=3',
        'UTC',
        '2026-01-01T00:00',
        '2026-12-01T00:00',
        'PT30M'
      )
    ).toEqual([
      ['2026-01-05T22:15', '2026-01-05T22:45'],
      ['2026-01-19T22:15', '2026-01-19T22:45'],
      ['2026-02-02T22:15', '2026-02-02T22:45'],
    ]);
    // COUNT counts from DTSTART even when the range starts later.
    expect(
      windows('DTSTART:20260105T221500;FREQ=DAILY;COUNT=3', 'UTC', '2026-01-06T23:00', '2026-12-01T00:00', 'PT30M')
    ).toEqual([['2026-01-07T22:15', '2026-01-07T22:45']]);
    expect(
      windows('FREQ=DAILY;BYHOUR=6;UNTIL=20260103T060000Z', 'UTC', '2026-01-01T00:00', '2026-02-01T00:00', 'PT1H')
    ).toHaveLength(3);
  });

  it('a UTC DTSTART gives the local default time in the zone', () => {
    expect(
      windows(
        'DTSTART:20260105T230000Z;FREQ=DAILY;COUNT=1',
        'Europe/Berlin',
        '2026-01-01T00:00',
        '2026-02-01T00:00',
        'PT1H'
      )
    ).toEqual([['2026-01-05T23:00', '2026-01-06T00:00']]);
  });

  it('a window that started before the range is still returned', () => {
    expect(windows('FREQ=DAILY;BYHOUR=23', 'UTC', '2026-01-02T00:30', '2026-01-02T01:00', 'PT2H')).toEqual([
      ['2026-01-01T23:00', '2026-01-02T01:00'],
    ]);
  });

  it.each([
    ['FREQ=YEARLY', /FREQ=YEARLY/],
    ['FREQ=DAILY;BYSETPOS=1', /BYSETPOS: not supported/],
    ['FREQ=DAILY;BYHOUR=24', /BYHOUR=24/],
    ['FREQ=WEEKLY;BYDAY=1SU', /ordinal/],
    ['FREQ=DAILY;BYMONTHDAY=3', /only with FREQ=MONTHLY/],
    ['FREQ=DAILY;COUNT=3', /add DTSTART/],
    ['FREQ=DAILY;DURATION=2h', /ISO 8601/],
    ['DTSTART:2026-01-01;FREQ=DAILY', /DTSTART=2026-01-01/],
    ['FREQ=MONTHLY;BYMONTHDAY=0', /not 0/],
  ])('refuses %s with the reason', (rule, why) => {
    expect(() => parseRecurrence(rule, 'UTC', 'PT1H')).toThrow(why);
  });
});

describe('expandRecurrence properties', () => {
  const zones = fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata');
  it('windows are in order, of the rule’s duration, overlap the range, and start on a matching local day', () => {
    fc.assert(
      fc.property(
        zones,
        fc.constantFrom('DAILY', 'WEEKLY', 'MONTHLY'),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.integer({ min: 1, max: 60 }),
        (tz, freq, h, mi, minutes, from, days) => {
          const to = from + days * 86400000;
          const r = parseRecurrence(`FREQ=${freq};BYHOUR=${h};BYMINUTE=${mi}`, tz, `PT${minutes}M`);
          const ws = expandRecurrence(r, from, to);
          ws.forEach((w, i) => {
            expect(w.to - w.from).toBe(minutes * 60000);
            expect(w.from < to && w.to > from).toBe(true);
            if (i > 0) {
              expect(w.from).toBeGreaterThan(ws[i - 1].from);
            }
          });
          if (freq === 'DAILY' && minutes * 60000 <= 86400000) {
            // Every local day in the range has its occurrence: none skipped, none doubled.
            const starts = new Set(ws.map((w) => localDate(w.from, tz)));
            expect(starts.size).toBe(ws.length);
          }
        }
      ),
      { numRuns: 200 }
    );
  });
});
