import { parseDuration } from '../slo/duration';

export interface ResolvedRange {
  from: string;
  to: string;
  fromMs: number;
  toMs: number;
}

/**
 * Reads the time range from URL parameters: Grafana-style `from`/`to` (`now-6h`, epoch ms) or, from an alert link,
 * `time` (epoch ms or ISO) which centres a 6h view on the alert. Invalid values fall back to the default.
 */
export function resolveRange(params: URLSearchParams, fallback = 'now-24h', nowMs = Date.now()): ResolvedRange {
  const time = params.get('time');
  let from = params.get('from') ?? undefined;
  let to = params.get('to') ?? undefined;
  if (!from && time) {
    const t = /^\d+$/.test(time) ? Number(time) : Date.parse(time);
    if (Number.isFinite(t)) {
      from = String(t - 4 * 3600000);
      to = String(Math.min(nowMs, t + 2 * 3600000));
    }
  }
  // Grafana's relative forms (`now`, `now-6h`), epoch ms, or ISO dates. No rounding (`/d`) needed here.
  const parse = (v: string | undefined): number | undefined => {
    if (!v) {
      return undefined;
    }
    if (/^\d+$/.test(v)) {
      return Number(v);
    }
    if (v === 'now') {
      return nowMs;
    }
    const rel = /^now-(.+)$/.exec(v);
    if (rel) {
      const secs = parseDuration(rel[1]);
      return secs === undefined ? undefined : nowMs - secs * 1000;
    }
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : undefined;
  };
  let fromMs = parse(from);
  let toMs = parse(to) ?? nowMs;
  if (fromMs === undefined || fromMs >= toMs) {
    from = fallback;
    to = 'now';
    fromMs = parse(fallback)!;
    toMs = nowMs;
  }
  return { from: from!, to: to ?? 'now', fromMs, toMs };
}
