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
    `${spentText})${forText}. Severity ${alert.severity || 'unset'}.`
  );
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
