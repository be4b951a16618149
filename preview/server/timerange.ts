// Parses the from/to of POST /api/ds/query: epoch-ms strings (what DataSourceWithBackend sends) or
// relative expressions like now-6h, now-30d, now (what dashboards and scripts send).

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  M: 30 * 86_400_000,
  y: 365 * 86_400_000,
};

export function parseTime(v: string | number | undefined, now: number, fallback: number): number {
  if (v === undefined || v === '') {
    return fallback;
  }
  if (typeof v === 'number') {
    return v;
  }
  if (/^\d+$/.test(v)) {
    return Number(v);
  }
  const m = /^now(?:([+-])(\d+)(ms|s|m|h|d|w|M|y))?$/.exec(v.trim());
  if (m) {
    if (!m[1]) {
      return now;
    }
    const delta = Number(m[2]) * UNIT_MS[m[3]];
    return m[1] === '-' ? now - delta : now + delta;
  }
  const t = Date.parse(v);
  if (Number.isNaN(t)) {
    throw new Error(`cannot parse time "${v}": use epoch milliseconds or now-<n><unit>`);
  }
  return t;
}

export function parseRange(from: string | undefined, to: string | undefined, now = Date.now()) {
  const toMs = parseTime(to, now, now);
  const fromMs = parseTime(from, now, toMs - 6 * 3_600_000);
  return { fromEpochMS: fromMs, toEpochMS: toMs };
}
