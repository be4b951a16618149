/** Alert rules and numbers in words, for people who arrive from a page at 3 a.m. */
import { burnThreshold, budgetSpentIn } from './budget';
import { humanDuration, parseDuration } from './duration';
import type { Slo, SloAlert } from './types';

/** 0.072 → "7.2 %", 0.995 → "99.5 %", 0.00123 → "0.123 %". */
export function formatPercent(ratio: number | undefined, maxDigits = 2): string {
  if (ratio === undefined || Number.isNaN(ratio)) {
    return '—';
  }
  if (!Number.isFinite(ratio)) {
    return ratio > 0 ? '∞ %' : '−∞ %';
  }
  const pct = ratio * 100;
  const abs = Math.abs(pct);
  const digits = abs === 0 ? 0 : abs >= 10 ? Math.min(1, maxDigits) : abs >= 1 ? maxDigits : maxDigits + 1;
  const text = Number(pct.toFixed(digits)).toString();
  return `${text.replace('-', '−')} %`;
}

/** An SLI with the precision its objective needs: 0.99949 → "99.949 %" (never rounds 99.96 up to a misleading 100). */
export function formatSli(sli: number | undefined): string {
  if (sli === undefined || !Number.isFinite(sli)) {
    return '—';
  }
  return `${(Math.floor(sli * 100000) / 1000).toFixed(3)} %`;
}

/** 14.4 → "14.4×", 0.5 → "0.5×", 123.456 → "123×". */
export function formatBurn(burn: number | undefined): string {
  if (burn === undefined || Number.isNaN(burn)) {
    return '—';
  }
  if (!Number.isFinite(burn)) {
    return '∞×';
  }
  return `${burn >= 100 ? burn.toFixed(0) : Number(burn.toFixed(burn >= 10 ? 1 : 2))}×`;
}

/**
 * "Fires when more than 7.2 % of requests failed over both the last 1h and the last 5m (14.4 × the 0.5 % budget:
 * 2 % of the 30d budget gone in 1h), for at least 2m. Severity page."
 */
export function alertInWords(alert: SloAlert, slo: Slo): string {
  const threshold = burnThreshold(alert.burnRate, slo.objective);
  const longSeconds = parseDuration(alert.longWindow);
  const spent = longSeconds !== undefined ? budgetSpentIn(alert.burnRate, longSeconds, slo.windowSeconds) : undefined;
  const what = slo.kind === 'latency' ? 'requests were slower than the threshold' : 'requests failed';
  const spentText =
    spent !== undefined ? `: ${formatPercent(spent)} of the ${slo.windowLabel} budget gone in ${alert.longWindow}` : '';
  const forText = alert.forSeconds > 0 ? `, for at least ${humanDuration(alert.forSeconds)}` : '';
  return (
    `Fires when more than ${formatPercent(threshold)} of ${what} over both the last ${alert.longWindow} ` +
    `and the last ${alert.shortWindow} (${formatBurn(alert.burnRate)} the ${formatPercent(1 - slo.objective)} budget` +
    `${spentText})${forText}${guardInWords(alert, slo, threshold)}. Severity ${alert.severity || 'unset'}.`
  );
}

/**
 * ", and only once the last 1h holds at least 14 requests (low-traffic guard: one failed request among 14 is
 * 7.1 %, not above the 7.2 % threshold)". Empty for alerts without a guard (rules generated before it).
 */
function guardInWords(alert: SloAlert, slo: Slo, threshold: number): string {
  const min = alert.guard?.minEvents ?? alert.minEvents;
  if (min === undefined) {
    return '';
  }
  const window = alert.guard?.window ?? alert.longWindow;
  const one = slo.kind === 'latency' ? 'slow request' : 'failed request';
  const why =
    min > 0 && 1 / min <= threshold
      ? `: one ${one} among ${min} is ${formatPercent(1 / min)}, not above the ${formatPercent(threshold)} threshold`
      : '';
  return `, and only once the last ${window} holds at least ${min} requests (low-traffic guard${why})`;
}

/** What a `<Name>SLONoData` alert checks, read from its expression (job of `up`, look-back of absent_over_time). */
export function noDataInWords(alert: SloAlert): string {
  const job = /\bup\{([^}]*)\}/.exec(alert.expr)?.[1];
  const lookback = /absent_over_time\([\s\S]*?\[([0-9a-z]+)\]\s*\)/.exec(alert.expr)?.[1];
  const parts = [
    job ? `no target of ${job} answers its scrape` : undefined,
    lookback ? `the SLI's series have had no sample for ${lookback}` : undefined,
  ].filter(Boolean);
  const what = parts.length ? parts.join(', or ') : 'the SLI has no data';
  const forText = alert.forSeconds > 0 ? `, for at least ${humanDuration(alert.forSeconds)}` : '';
  return (
    `Fires when ${what}${forText}: the SLO cannot be measured and its burn-rate alerts cannot fire. ` +
    `Severity ${alert.severity || 'unset'}.`
  );
}

/** A short name for a tier on a badge: FastBurn → "fast", SlowBurn → "slow", Burn24h → "24h", NoData → "no data". */
export function tierLabel(alert: SloAlert): string {
  if (alert.kind === 'no-data') {
    return 'no data';
  }
  const known: Record<string, string> = { FastBurn: 'fast', SlowBurn: 'slow' };
  return known[alert.tier] ?? /^Burn(.+)$/.exec(alert.tier)?.[1] ?? alert.tier;
}

/** "99.5 % of GET requests … over 30d" style objective line. */
export function objectiveInWords(slo: Slo): string {
  const latency =
    slo.kind === 'latency' && slo.latencyThresholdSeconds !== undefined
      ? ` faster than ${slo.latencyThresholdSeconds * 1000} ms`
      : '';
  return `${formatPercent(slo.objective)}${latency} over ${slo.windowLabel}`;
}

/** The runbook name in a runbook_url (…/runbooks/<name>, with or without .md or #anchor). */
export function runbookName(url: string | undefined): string | undefined {
  if (!url) {
    return undefined;
  }
  const m = /\/runbooks\/([A-Za-z0-9._-]+?)(?:\.md)?(?:[#?].*)?$/.exec(url);
  return m ? m[1] : undefined;
}

/**
 * The budget at both ends of a range: "Budget left 88.6 % at the start of this range, 74.4 % at its end: 14.2 % of
 * the 30d budget went in this range." The budget is rolling, so it can also grow: old errors leave the window.
 */
export function budgetRangeInWords(from: number, to: number, windowLabel: string): string {
  const ends = `Budget left ${formatPercent(from, 1)} at the start of this range, ${formatPercent(to, 1)} at its end`;
  if (to > from) {
    return `${ends}: it grew by ${formatPercent(to - from, 1)} as older errors left the rolling ${windowLabel}.`;
  }
  return `${ends}: ${formatPercent(from - to, 1)} of the ${windowLabel} budget went in this range.`;
}
