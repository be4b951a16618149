/**
 * Recurring correction windows (a weekly maintenance slot) written as an RFC 5545 recurrence rule in the SLO spec,
 * expanded into windows in a time zone. Written here rather than taken from the `rrule` package: that package
 * computes in the host's local time or UTC and needs luxon for other zones, while the report already reads any
 * IANA zone through Intl (periods.ts); the subset below is the one maintenance calendars use, and everything
 * outside it is refused with a reason instead of being expanded wrongly. Pure.
 *
 * Supported: FREQ=DAILY|WEEKLY|MONTHLY, INTERVAL, BYDAY (MO…SU; for MONTHLY with an ordinal: 1SU, -1FR),
 * BYMONTHDAY (MONTHLY), BYHOUR, BYMINUTE, COUNT, UNTIL, an optional DTSTART (local in the zone, or UTC with Z; its
 * time is the default BYHOUR/BYMINUTE) and DURATION (ISO 8601, PT2H) or a duration given beside the rule.
 */
import { civilDate, localTimeMs, zoneOffsetMs } from './periods';

const DAY_MS = 86400000;
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

export interface Recurrence {
  freq: 'DAILY' | 'WEEKLY' | 'MONTHLY';
  interval: number;
  /** Weekdays 0 = Monday … 6 = Sunday, each with an ordinal within the month (MONTHLY only; 0 = every). */
  byDay?: Array<{ weekday: number; nth: number }>;
  byMonthDay?: number[];
  byHour: number[];
  byMinute: number[];
  /** The local start (civil fields in the zone); undefined: none given (then no COUNT nor INTERVAL > 1). */
  start?: { y: number; m: number; d: number };
  /** DTSTART as an instant (occurrences before it do not count). */
  startMs?: number;
  count?: number;
  /** Last instant an occurrence may start (inclusive), ms. */
  untilMs?: number;
  durationMs: number;
  timeZone: string;
}

export interface Window {
  /** [from, to) in ms. */
  from: number;
  to: number;
}

/** ISO 8601 duration of days, hours, minutes, seconds (P1D, PT2H30M), as ms; undefined for anything else. */
export function isoDurationMs(s: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(s.trim());
  if (!m || s.trim() === 'P' || s.trim().endsWith('T')) {
    return undefined;
  }
  const [d, h, min, sec] = m.slice(1).map((v) => Number(v ?? 0));
  const ms = ((d * 24 + h) * 60 + min) * 60000 + sec * 1000;
  return ms > 0 ? ms : undefined;
}

/** Comma-separated whole numbers in [lo, hi]; 0 is refused when lo < 0 (BYMONTHDAY counts 1…31 and −31…−1). */
const ints = (v: string, lo: number, hi: number, what: string): number[] =>
  v.split(',').map((x) => {
    const n = Number(x);
    if (!/^[+-]?\d+$/.test(x) || n < lo || n > hi || (lo < 0 && n === 0)) {
      throw new Error(`${what}=${v}: each value must be a whole number from ${lo} to ${hi}${lo < 0 ? ', not 0' : ''}`);
    }
    return n;
  });

/** A DTSTART/UNTIL value: 20260301T020000 (local in the zone), …Z (UTC) or a date 20260301 (local midnight). */
function parseDateTime(v: string, timeZone: string, what: string) {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(v);
  if (!m) {
    throw new Error(`${what}=${v}: expected YYYYMMDD, YYYYMMDDTHHMMSS or YYYYMMDDTHHMMSSZ`);
  }
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((x) => Number(x ?? 0));
  const ms = m[7] ? Date.UTC(y, mo - 1, d, h, mi, s) : localTimeMs(y, mo - 1, d, h, mi, timeZone) + s * 1000;
  return { ms, utc: !!m[7], h, mi };
}

/**
 * Parses a rule ("FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0", optionally with "RRULE:" and a "DTSTART…" line before
 * it, as iCalendar writes them) in `timeZone`. `duration`: ISO 8601 (PT2H) when the rule has no DURATION part.
 * Throws with the part that cannot be used.
 */
export function parseRecurrence(text: string, timeZone: string, duration?: string): Recurrence {
  const fields = new Map<string, string>();
  for (const line of text.split(/[\n;]+/).map((l) => l.trim())) {
    if (!line) {
      continue;
    }
    const body = line.replace(/^RRULE:/i, '');
    const dt = /^DTSTART(?:;TZID=[^:]+)?[:=](.+)$/i.exec(body);
    if (dt) {
      fields.set('DTSTART', dt[1]);
      continue;
    }
    const kv = /^([A-Z]+)=(.+)$/i.exec(body);
    if (!kv) {
      throw new Error(`"${line}": expected NAME=value`);
    }
    fields.set(kv[1].toUpperCase(), kv[2].toUpperCase());
  }
  const known = [
    'FREQ',
    'INTERVAL',
    'BYDAY',
    'BYMONTHDAY',
    'BYHOUR',
    'BYMINUTE',
    'COUNT',
    'UNTIL',
    'DTSTART',
    'DURATION',
  ];
  const unknown = [...fields.keys()].filter((k) => !known.includes(k));
  if (unknown.length) {
    throw new Error(`${unknown.join(', ')}: not supported (supported: ${known.join(', ')})`);
  }
  const freq = fields.get('FREQ');
  if (freq !== 'DAILY' && freq !== 'WEEKLY' && freq !== 'MONTHLY') {
    throw new Error(`FREQ=${freq ?? ''}: DAILY, WEEKLY or MONTHLY`);
  }
  const interval = fields.has('INTERVAL') ? ints(fields.get('INTERVAL')!, 1, 1000, 'INTERVAL')[0] : 1;
  const durationText = fields.get('DURATION') ?? duration;
  const durationMs = durationText ? isoDurationMs(durationText) : undefined;
  if (durationMs === undefined) {
    throw new Error(`DURATION${durationText ? `=${durationText}` : ''}: an ISO 8601 duration such as PT2H is needed`);
  }
  const start = fields.has('DTSTART') ? parseDateTime(fields.get('DTSTART')!, timeZone, 'DTSTART') : undefined;
  const count = fields.has('COUNT') ? ints(fields.get('COUNT')!, 1, 100000, 'COUNT')[0] : undefined;
  if (!start && (count !== undefined || interval > 1)) {
    throw new Error('COUNT and INTERVAL count from DTSTART: add DTSTART');
  }
  if (count !== undefined && fields.has('UNTIL')) {
    throw new Error('COUNT and UNTIL: RFC 5545 allows one of them');
  }
  const startLocal = start ? civilDate(start.ms, timeZone) : undefined;
  const startWall = start && start.utc ? wallHourMinute(start.ms, timeZone) : start;
  let byDay: Recurrence['byDay'];
  if (fields.has('BYDAY')) {
    byDay = fields
      .get('BYDAY')!
      .split(',')
      .map((x) => {
        const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(x);
        const nth = m?.[1] ? Number(m[1]) : 0;
        if (!m || Math.abs(nth) > 5 || (nth !== 0 && freq !== 'MONTHLY')) {
          throw new Error(`BYDAY=${x}: a weekday (MO…SU), with an ordinal (1SU, -1FR) only for FREQ=MONTHLY`);
        }
        return { weekday: WEEKDAYS.indexOf(m[2] as (typeof WEEKDAYS)[number]), nth };
      });
  }
  const byMonthDay = fields.has('BYMONTHDAY') ? ints(fields.get('BYMONTHDAY')!, -31, 31, 'BYMONTHDAY') : undefined;
  if (byMonthDay && freq !== 'MONTHLY') {
    throw new Error('BYMONTHDAY: only with FREQ=MONTHLY');
  }
  const byHour = fields.has('BYHOUR') ? ints(fields.get('BYHOUR')!, 0, 23, 'BYHOUR') : [startWall?.h ?? 0];
  const byMinute = fields.has('BYMINUTE') ? ints(fields.get('BYMINUTE')!, 0, 59, 'BYMINUTE') : [startWall?.mi ?? 0];
  return {
    freq,
    interval,
    byDay,
    byMonthDay,
    byHour: [...new Set(byHour)].sort((a, b) => a - b),
    byMinute: [...new Set(byMinute)].sort((a, b) => a - b),
    start: startLocal,
    count,
    untilMs: fields.has('UNTIL') ? parseDateTime(fields.get('UNTIL')!, timeZone, 'UNTIL').ms : undefined,
    durationMs,
    timeZone,
    startMs: start?.ms,
  };
}

/** The local wall-clock hour and minute of an instant in the zone. */
function wallHourMinute(ms: number, timeZone: string) {
  const minutesOfDay = Math.floor(((((ms + zoneOffsetMs(ms, timeZone)) % DAY_MS) + DAY_MS) % DAY_MS) / 60000);
  return { h: Math.floor(minutesOfDay / 60), mi: minutesOfDay % 60 };
}

const weekdayOf = (dayNo: number) => (new Date(dayNo * DAY_MS).getUTCDay() + 6) % 7; // 0 = Monday
const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m + 1, 0)).getUTCDate();

/** Whether a local day (days since 1970-01-01) is in the rule's set, given the period anchor. */
function dayMatches(r: Recurrence, dayNo: number, anchorDay: number): boolean {
  const date = new Date(dayNo * DAY_MS);
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  const d = date.getUTCDate();
  const wd = weekdayOf(dayNo);
  const anchor = new Date(anchorDay * DAY_MS);
  if (r.freq === 'DAILY') {
    return (dayNo - anchorDay) % r.interval === 0 && (!r.byDay || r.byDay.some((b) => b.weekday === wd));
  }
  if (r.freq === 'WEEKLY') {
    // Weeks start on Monday (WKST=MO, RFC 5545's default).
    const weeks = Math.floor((dayNo - wd - (anchorDay - weekdayOf(anchorDay))) / 7);
    const days = r.byDay ?? [{ weekday: weekdayOf(anchorDay), nth: 0 }];
    return weeks % r.interval === 0 && days.some((b) => b.weekday === wd);
  }
  const months = (y - anchor.getUTCFullYear()) * 12 + (m - anchor.getUTCMonth());
  if (months % r.interval !== 0) {
    return false;
  }
  const dim = daysInMonth(y, m);
  const monthDays = r.byMonthDay ?? (r.byDay ? undefined : [anchor.getUTCDate()]);
  if (monthDays && !monthDays.some((md) => (md > 0 ? md : dim + md + 1) === d)) {
    return false;
  }
  return (
    !r.byDay ||
    r.byDay.some(
      (b) =>
        b.weekday === wd &&
        (b.nth === 0 || (b.nth > 0 ? Math.ceil(d / 7) === b.nth : Math.ceil((dim - d + 1) / 7) === -b.nth))
    )
  );
}

/**
 * The rule's windows [start, start + duration) that overlap [fromMs, toMs), in order. Occurrences are counted from
 * DTSTART (COUNT), so a rule is walked day by day from it: cheap for the years a spec covers. Without DTSTART,
 * the walk starts a duration before `fromMs` (no COUNT then, so nothing earlier changes which ones occur).
 */
export function expandRecurrence(r: Recurrence, fromMs: number, toMs: number): Window[] {
  const out: Window[] = [];
  const startMs = r.startMs;
  const first = r.start ?? civilDate(fromMs - r.durationMs - DAY_MS, r.timeZone);
  const anchorDay = Date.UTC(first.y, first.m, first.d) / DAY_MS;
  const lastDay = Date.UTC(...ymd(civilDate(toMs, r.timeZone))) / DAY_MS + 1;
  let n = 0;
  for (let day = anchorDay; day <= lastDay; day++) {
    if (!dayMatches(r, day, anchorDay)) {
      continue;
    }
    const date = new Date(day * DAY_MS);
    for (const h of r.byHour) {
      for (const mi of r.byMinute) {
        const t = localTimeMs(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), h, mi, r.timeZone);
        if (startMs !== undefined && t < startMs) {
          continue;
        }
        if ((r.untilMs !== undefined && t > r.untilMs) || (r.count !== undefined && n >= r.count)) {
          return out;
        }
        n++;
        if (t < toMs && t + r.durationMs > fromMs) {
          out.push({ from: t, to: t + r.durationMs });
        }
      }
    }
  }
  return out;
}

const ymd = (c: { y: number; m: number; d: number }): [number, number, number] => [c.y, c.m, c.d];
