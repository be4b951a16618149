/** Prometheus durations ("5m", "1h30m", "30d") to seconds and back. */

const UNIT_SECONDS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
  y: 31536000,
};

/** Seconds in a Prometheus duration, or undefined when it is not one. */
export function parseDuration(text: string | undefined): number | undefined {
  if (!text) {
    return undefined;
  }
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    return Number(trimmed);
  }
  const re = /(\d+)(ms|s|m|h|d|w|y)/g;
  let total = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(trimmed)) !== null) {
    if (match.index !== consumed) {
      return undefined;
    }
    total += Number(match[1]) * UNIT_SECONDS[match[2]];
    consumed = match.index + match[0].length;
  }
  return consumed === trimmed.length && consumed > 0 ? total : undefined;
}

/** The shortest Prometheus duration for whole seconds: 2592000 → "30d", 5400 → "90m", 7 → "7s". */
export function toPromDuration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (s % size === 0) {
      return `${s / size}${unit}`;
    }
  }
  return `${s}s`;
}

/** A human duration for people: "2d 4h", "3h 20m", "45m", "30s". */
export function humanDuration(seconds: number | undefined): string {
  if (seconds === undefined || Number.isNaN(seconds)) {
    return '—';
  }
  if (!Number.isFinite(seconds)) {
    return 'never at this rate';
  }
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) {
    return h > 0 ? `${d}d ${h}h` : `${d}d`;
  }
  if (h > 0) {
    return m > 0 ? `${h}h ${m}m` : `${h}h`;
  }
  if (m > 0) {
    return `${m}m`;
  }
  return `${s}s`;
}
