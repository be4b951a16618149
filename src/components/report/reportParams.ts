// The report's permalink: `?period=<id>&tz=<IANA zone>` (the kind is read from the id's shape: 2026-11, 2026-Q4,
// 2026-W48). A copied URL reproduces the view whatever the app's time zone setting; `?month=YYYY-MM`, the
// report's earlier link, still opens. Pure.
import { DEFAULT_TIME_ZONE, isTimeZone, parsePeriod, type Period, type PeriodKind, periodOf } from '../../slo/periods';

export interface ReportParams {
  period: Period;
  /** What was wrong in the URL, in words, and what is shown instead (the rest of the URL still applies). */
  problems: string[];
}

export function readReportParams(params: URLSearchParams, settingTz: string | undefined, nowMs: number): ReportParams {
  const problems: string[] = [];
  const fallbackTz = isTimeZone(settingTz) ? settingTz : DEFAULT_TIME_ZONE;
  let tz = fallbackTz;
  const rawTz = params.get('tz');
  if (rawTz !== null) {
    if (isTimeZone(rawTz)) {
      tz = rawTz;
    } else {
      problems.push(`Time zone "${rawTz}" is not an IANA time zone (e.g. Europe/Berlin): showing ${fallbackTz}.`);
    }
  }
  const raw = params.get('period') ?? params.get('month');
  let period = raw === null ? undefined : parsePeriod(raw, tz);
  if (raw !== null && !period) {
    const current = periodOf('month', nowMs, tz);
    problems.push(
      `Period "${raw}" is not a month (2026-11), quarter (2026-Q4) or ISO week (2026-W48): showing ${current.label}.`
    );
  } else if (period && period.startMs > nowMs) {
    problems.push(`${period.label} has not started yet: showing the current ${period.kind}.`);
    period = periodOf(period.kind, nowMs, tz);
  }
  return { period: period ?? periodOf('month', nowMs, tz), problems };
}

/** The URL of a view: period and zone always written, so the link does not depend on the app's setting. */
export function reportSearch(period: Period, extra: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({ period: period.key, tz: period.timeZone, ...extra });
}

/** The periods a picker offers: the current one of the kind and the ones before it. */
export function recentPeriods(kind: PeriodKind, nowMs: number, tz: string, count: number): Period[] {
  return Array.from({ length: count }, (_, i) => periodOf(kind, nowMs, tz, -i));
}

/** "calendar month", "calendar quarter", "ISO week": how the page names the period kind beside a budget figure. */
export const PERIOD_NOUN: Record<PeriodKind, string> = {
  month: 'calendar month',
  quarter: 'calendar quarter',
  week: 'ISO week',
};
