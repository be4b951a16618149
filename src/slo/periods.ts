/**
 * Report periods: calendar months, quarters and ISO weeks (Monday start) in an IANA time zone. Pure: the zone's
 * rules come from `Intl` (the browser's and Node's own tz database), so no date library ships with the app.
 * Boundaries are local midnights, so a Europe/Berlin October has 745 h and a New York March 743 h.
 */

export type PeriodKind = 'month' | 'quarter' | 'week';

export interface Period {
  kind: PeriodKind;
  /** "2026-11", "2026-Q4", "2026-W48": the id permalinks and the CLI carry (the kind is read from its shape). */
  key: string;
  /** "November 2026", "Q4 2026 (Oct–Dec)", "Week 48, 2026 (Nov 23–29)". */
  label: string;
  timeZone: string;
  /** First instant of the period (local midnight of its first day), ms. */
  startMs: number;
  /** First instant after it (local midnight of the next period's first day), ms. */
  endMs: number;
}

export const PERIOD_KINDS: Array<{ kind: PeriodKind; label: string }> = [
  { kind: 'month', label: 'Month' },
  { kind: 'quarter', label: 'Quarter' },
  { kind: 'week', label: 'Week (ISO)' },
];

export const DEFAULT_TIME_ZONE = 'UTC';

const DAY_MS = 86400000;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const short = (m: number) => MONTHS[m].slice(0, 3);

/** A local calendar date (month 0-based, like Date). */
interface CivilDate {
  y: number;
  m: number;
  d: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's local wall time at `ms`, as if it were UTC (ms). */
function wallClock(ms: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') {
      p[part.type] = Number(part.value);
    }
  }
  // Dates before year 1 are out of scope; seconds are exact because every offset in use is whole seconds.
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) + (ms - Math.floor(ms / 1000) * 1000);
}

/** The zone's UTC offset at `ms` (ms; +1 h = 3600000 in Berlin in winter). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  return wallClock(ms, timeZone) - ms;
}

/** The local calendar date at `ms` in the zone. */
export function civilDate(ms: number, timeZone: string): CivilDate {
  const w = new Date(wallClock(ms, timeZone));
  return { y: w.getUTCFullYear(), m: w.getUTCMonth(), d: w.getUTCDate() };
}

/**
 * First instant of a local day. Offsets one day before and after bracket any transition near midnight; a
 * candidate is right when its wall clock reads midnight. Two right candidates (a zone that falls back at
 * midnight): the earlier starts the day. None (a zone that springs forward at midnight, e.g. America/Santiago):
 * the day starts at the transition, which is `wall − offset before`.
 */
export function startOfLocalDay(y: number, m: number, d: number, timeZone: string): number {
  return localTimeMs(y, m, d, 0, 0, timeZone);
}

/**
 * The instant a local wall time names in the zone, by the same rule as startOfLocalDay (RFC 5545 §3.3.5 too): a
 * time that occurs twice (fall back) is its first occurrence; one skipped by a spring-forward gap is read with the
 * offset before the gap, so Berlin's 02:30 on the last Sunday of March is 03:30 CEST.
 */
export function localTimeMs(y: number, m: number, d: number, h: number, min: number, timeZone: string): number {
  const wall = Date.UTC(y, m, d, h, min);
  const before = wall - zoneOffsetMs(wall - DAY_MS, timeZone);
  const after = wall - zoneOffsetMs(wall + DAY_MS, timeZone);
  const right = [before, after].filter((t) => wallClock(t, timeZone) === wall);
  return right.length ? Math.min(...right) : before;
}

/** Civil date arithmetic through UTC (normalises day and month overflow). */
const civil = (y: number, m: number, d: number): CivilDate => {
  const t = new Date(Date.UTC(y, m, d));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth(), d: t.getUTCDate() };
};
const dayNumber = (c: CivilDate) => Date.UTC(c.y, c.m, c.d) / DAY_MS;

/** Monday of ISO week 1: the week holding 4 January. */
function isoWeekOneMonday(year: number): CivilDate {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  return civil(year, 0, 4 - ((jan4.getUTCDay() + 6) % 7));
}

/** ISO year and week of a civil date. */
export function isoWeekOf(c: CivilDate): { year: number; week: number } {
  const monday = civil(c.y, c.m, c.d - ((new Date(Date.UTC(c.y, c.m, c.d)).getUTCDay() + 6) % 7));
  // The ISO year is the year of the week's Thursday.
  const year = civil(monday.y, monday.m, monday.d + 3).y;
  return { year, week: (dayNumber(monday) - dayNumber(isoWeekOneMonday(year))) / 7 + 1 };
}

/** 52 or 53: a year has 53 ISO weeks when 28 December falls in week 53. */
export function isoWeeksInYear(year: number): number {
  return isoWeekOf({ y: year, m: 11, d: 28 }).week;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The period of a kind whose first local day is `first` (a civil date that starts such a period). */
function build(kind: PeriodKind, first: CivilDate, timeZone: string): Period {
  const next =
    kind === 'month'
      ? civil(first.y, first.m + 1, 1)
      : kind === 'quarter'
        ? civil(first.y, first.m + 3, 1)
        : civil(first.y, first.m, first.d + 7);
  const startMs = startOfLocalDay(first.y, first.m, first.d, timeZone);
  const endMs = startOfLocalDay(next.y, next.m, next.d, timeZone);
  if (kind === 'month') {
    return {
      kind,
      key: `${first.y}-${pad(first.m + 1)}`,
      label: `${MONTHS[first.m]} ${first.y}`,
      timeZone,
      startMs,
      endMs,
    };
  }
  if (kind === 'quarter') {
    const q = first.m / 3 + 1;
    const label = `Q${q} ${first.y} (${short(first.m)}–${short(first.m + 2)})`;
    return { kind, key: `${first.y}-Q${q}`, label, timeZone, startMs, endMs };
  }
  const { year, week } = isoWeekOf(first);
  const sunday = civil(first.y, first.m, first.d + 6);
  const days =
    sunday.m === first.m
      ? `${short(first.m)} ${first.d}–${sunday.d}`
      : `${short(first.m)} ${first.d} – ${short(sunday.m)} ${sunday.d}`;
  return { kind, key: `${year}-W${pad(week)}`, label: `Week ${week}, ${year} (${days})`, timeZone, startMs, endMs };
}

/** The first local day of the period of `kind` holding civil date `c`. */
function firstDay(kind: PeriodKind, c: CivilDate): CivilDate {
  if (kind === 'month') {
    return { y: c.y, m: c.m, d: 1 };
  }
  if (kind === 'quarter') {
    return { y: c.y, m: c.m - (c.m % 3), d: 1 };
  }
  return civil(c.y, c.m, c.d - ((new Date(Date.UTC(c.y, c.m, c.d)).getUTCDay() + 6) % 7));
}

/** The period of `kind` that holds instant `ms` in the zone, shifted by `offset` periods (−1: the one before). */
export function periodOf(kind: PeriodKind, ms: number, timeZone: string = DEFAULT_TIME_ZONE, offset = 0): Period {
  const f = firstDay(kind, civilDate(ms, timeZone));
  const shifted =
    kind === 'month'
      ? civil(f.y, f.m + offset, 1)
      : kind === 'quarter'
        ? civil(f.y, f.m + 3 * offset, 1)
        : civil(f.y, f.m, f.d + 7 * offset);
  return build(kind, shifted, timeZone);
}

/** The period `offset` periods from `p` (same kind and zone). */
export function shiftPeriod(p: Period, offset: number): Period {
  // startMs is the first instant of the period's first local day, so it reads back as that day in the zone.
  return periodOf(p.kind, p.startMs, p.timeZone, offset);
}

/** The kind a period id names, from its shape, or undefined. */
export function periodKindOf(key: string | null | undefined): PeriodKind | undefined {
  const k = key ?? '';
  return /^\d{4}-\d{2}$/.test(k)
    ? 'month'
    : /^\d{4}-Q\d$/.test(k)
      ? 'quarter'
      : /^\d{4}-W\d{2}$/.test(k)
        ? 'week'
        : undefined;
}

/** Parses "2026-11", "2026-Q4" or "2026-W48" in the zone; undefined for anything else (2026-13, 2026-W54, Q5). */
export function parsePeriod(key: string | null | undefined, timeZone: string = DEFAULT_TIME_ZONE): Period | undefined {
  const kind = periodKindOf(key);
  if (!kind) {
    return undefined;
  }
  const year = Number(key!.slice(0, 4));
  const n = Number(key!.slice(kind === 'month' ? 5 : 6));
  if (year < 1971) {
    return undefined;
  }
  if (kind === 'month') {
    return n >= 1 && n <= 12 ? build(kind, { y: year, m: n - 1, d: 1 }, timeZone) : undefined;
  }
  if (kind === 'quarter') {
    return n >= 1 && n <= 4 ? build(kind, { y: year, m: 3 * (n - 1), d: 1 }, timeZone) : undefined;
  }
  if (n < 1 || n > isoWeeksInYear(year)) {
    return undefined;
  }
  const w1 = isoWeekOneMonday(year);
  return build(kind, civil(w1.y, w1.m, w1.d + 7 * (n - 1)), timeZone);
}

/** The period's evaluation end: its end, or now while it is still running. */
export function periodEvalEnd(p: Pick<Period, 'endMs'>, nowMs: number): number {
  return Math.min(p.endMs, nowMs);
}

export const isRunning = (p: Pick<Period, 'startMs' | 'endMs'>, nowMs: number) => p.startMs <= nowMs && nowMs < p.endMs;

/** The local days of a period: each day's first instant and the first instant after it (23, 24 or 25 h). */
export function localDays(p: Period): Array<{ date: string; startMs: number; endMs: number }> {
  const out: Array<{ date: string; startMs: number; endMs: number }> = [];
  const f = civilDate(p.startMs, p.timeZone);
  for (let i = 0, start = p.startMs; start < p.endMs; i++) {
    const c = civil(f.y, f.m, f.d + i);
    const n = civil(f.y, f.m, f.d + i + 1);
    const end = startOfLocalDay(n.y, n.m, n.d, p.timeZone);
    out.push({ date: `${c.y}-${pad(c.m + 1)}-${pad(c.d)}`, startMs: start, endMs: end });
    start = end;
  }
  return out;
}

/** The local calendar date ("2026-10-25") of instant `ms` in the zone. */
export function localDate(ms: number, timeZone: string): string {
  const c = civilDate(ms, timeZone);
  return `${c.y}-${pad(c.m + 1)}-${pad(c.d)}`;
}

/** Whether the zone is an IANA name this runtime knows (its supportedValuesOf list, plus UTC which it omits). */
export function isTimeZone(tz: string | null | undefined): tz is string {
  if (!tz) {
    return false;
  }
  if (tz === 'UTC') {
    return true;
  }
  const list = (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone');
  if (list) {
    return list.includes(tz);
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * The bucket (seconds) that tiles every local day of the period from its start: an hour where every day boundary
 * lies a whole number of hours after the start (any zone whose offsets differ by whole hours, so India and Nepal
 * too, whose days are 24 h), else 30 or 15 min (Lord Howe's 30-minute DST change). Range queries are evaluated at
 * start + k × step, so the buckets align to the period's local midnights whatever the zone's offset from UTC.
 */
export function dayBucketSeconds(p: Period): number {
  const days = localDays(p);
  for (const s of [3600, 1800, 900, 300]) {
    if (days.every((d) => (d.endMs - p.startMs) % (s * 1000) === 0)) {
      return s;
    }
  }
  return 60;
}
