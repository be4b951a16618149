// Is a real Grafana answering at GRAFANA_URL? (The preview host on :3000 answers /api/health too, with
// commit "preview": that is not Grafana, and these tests say so instead of running against it.)
import { execFileSync } from 'node:child_process';

export const GRAFANA_URL = process.env.GRAFANA_URL ?? 'http://localhost:3000';

function probe(): string | undefined {
  let body: string;
  try {
    body = execFileSync('curl', ['-fsS', '-m', '3', `${GRAFANA_URL}/api/health`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return `no Grafana answers at ${GRAFANA_URL} (this machine has no Docker engine; run 'npm run server' where Docker exists, then GRAFANA_URL=<its url>)`;
  }
  try {
    const h = JSON.parse(body) as { commit?: string; version?: string };
    if (h.commit === 'preview') {
      return `${GRAFANA_URL} is the preview host, not Grafana (set GRAFANA_URL to a real Grafana from 'npm run server')`;
    }
    return h.version ? undefined : `${GRAFANA_URL}/api/health does not look like Grafana`;
  } catch {
    return `${GRAFANA_URL}/api/health does not look like Grafana`;
  }
}

/** undefined when Grafana is there; otherwise why the suite skips. */
export const GRAFANA_SKIP_REASON = probe();
