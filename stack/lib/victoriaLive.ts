// The live stretch that Prometheus scraped and VictoriaMetrics did not (from the history's end to the first `vm up`,
// or while it was down): the SLI series copied over as raw samples, so figures at "now" are the same on both engines.
// Copied samples and VictoriaMetrics' own scrapes of the same counters interleave in one series, which is harmless:
// both read one monotonic counter (a restart of the API is a reset in both).
import fs from 'node:fs';
import path from 'node:path';
import { HOST, PORTS } from './config';
import { expectedState } from '../history/backfill';
import { VM_URL, vmDir } from './victoria';

const PROM = `http://${HOST}:${PORTS.prometheus}`;
/** What the SLOs read (DESIGN.md's metric contract); the history holds exactly these. */
export const SLI_SERIES =
  '{__name__=~"http_requests_total|http_request_duration_seconds_(bucket|count|sum)",job="veza-api"}';
const CHUNK = 3600; // seconds of raw samples per Prometheus answer (~1 MB at 5 s scrapes)
const liveFile = () => path.join(vmDir(), 'live.json');

interface Matrix {
  status: string;
  error?: string;
  data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
}

/** VictoriaMetrics' JSON line import format (/api/v1/import) for the samples of `m` after `after` (unix s). */
export function importLines(m: Matrix['data']['result'], after: number): string[] {
  return m.flatMap((s) => {
    const kept = s.values.filter(([t]) => t > after);
    return kept.length
      ? [
          JSON.stringify({
            metric: s.metric,
            values: kept.map(([, v]) => Number(v)),
            timestamps: kept.map(([t]) => Math.round(t * 1000)),
          }),
        ]
      : [];
  });
}

export async function copyLive(log: (s: string) => void) {
  const t0 = Date.now();
  const hist = JSON.parse(fs.readFileSync(expectedState(), 'utf8')) as { endUnix: number };
  const from = fs.existsSync(liveFile())
    ? (JSON.parse(fs.readFileSync(liveFile(), 'utf8')) as { until: number }).until
    : hist.endUnix;
  const now = Math.floor(Date.now() / 1000);
  let samples = 0;
  // Windows (t, end]: a range selector also takes a sample exactly at its start, which the previous window had.
  for (let t = from; t < now; t += CHUNK) {
    const end = Math.min(t + CHUNK, now);
    const r = (await (
      await fetch(`${PROM}/api/v1/query`, {
        method: 'POST',
        body: new URLSearchParams({ query: `${SLI_SERIES}[${end - t}s]`, time: String(end) }),
      })
    ).json()) as Matrix;
    if (r.status !== 'success') {
      throw new Error(`Prometheus raw samples ${t}–${end}: ${r.error}`);
    }
    const lines = importLines(r.data.result, t);
    samples += r.data.result.reduce((n, s) => n + s.values.filter(([ts]) => ts > t).length, 0);
    if (lines.length) {
      const w = await fetch(`${VM_URL}/api/v1/import`, { method: 'POST', body: lines.join('\n') });
      if (!w.ok) {
        throw new Error(`import of the live samples ${t}–${end}: HTTP ${w.status} ${await w.text()}`);
      }
    }
  }
  await fetch(`${VM_URL}/internal/force_flush`).catch(() => undefined);
  fs.writeFileSync(liveFile(), JSON.stringify({ until: now }) + '\n');
  log(
    `victoria-metrics: ${samples} live samples Prometheus scraped since ${new Date(from * 1000).toISOString()} copied in ${((Date.now() - t0) / 1000).toFixed(1)}s`
  );
}
