import {
  encodeRecurring,
  expandRecurring,
  parseRecurring,
  recurringProblems,
  type RecurringCorrection,
} from './recurringCorrections';
import { parsePeriod } from './periods';

const weekly: RecurringCorrection = {
  rrule: 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=3;DURATION=PT1H',
  kind: 'maintenance',
  reason: 'DB patching',
};

describe("the spec's recurring corrections", () => {
  test('round trip through the annotation; invalid entries dropped, nothing valid: undefined', () => {
    expect(parseRecurring(encodeRecurring([weekly]))).toEqual([weekly]);
    expect(parseRecurring(JSON.stringify([weekly, { ...weekly, rrule: 'FREQ=HOURLY' }]))).toEqual([weekly]);
    expect(parseRecurring('not json')).toBeUndefined();
    expect(parseRecurring(JSON.stringify([{ ...weekly, kind: 'holiday' }]))).toBeUndefined();
    expect(parseRecurring(undefined)).toBeUndefined();
  });

  test('problems name the field', () => {
    expect(recurringProblems([{ ...weekly, rrule: 'FREQ=WEEKLY;BYDAY=XX;DURATION=PT1H', reason: ' ' }], 'c')).toEqual([
      'c[0].rrule: BYDAY=XX: a weekday (MO…SU), with an ordinal (1SU, -1FR) only for FREQ=MONTHLY',
      'c[0].reason: required (why these events should not count)',
    ]);
  });

  test("expanded in the period's zone: Sundays 03:00 Berlin in November 2026, one hour each, read-only", () => {
    const nov = parsePeriod('2026-11', 'Europe/Berlin')!;
    const got = expandRecurring(
      [{ id: 'api-latency', corrections: [weekly] }, { id: 'x' }],
      nov.startMs,
      nov.endMs,
      nov.timeZone
    );
    // 1, 8, 15, 22, 29 November; CET is UTC+1.
    expect(got.map((c) => new Date(c.from).toISOString())).toEqual(
      [1, 8, 15, 22, 29].map((d) => new Date(Date.UTC(2026, 10, d, 2)).toISOString())
    );
    expect(got.every((c) => c.to - c.from === 3600000 && c.recurring && String(c.sloIds) === 'api-latency')).toBe(true);
    expect(got[0]).toMatchObject({ kind: 'maintenance', reason: 'DB patching' });
  });
});
