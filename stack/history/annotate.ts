// Posts the stack history's deploy marks and its scripted correction to a Grafana's annotations API (the preview
// host's by default), as a CI step and an SRE would have: deploys tagged `deploy`, the planned maintenance as a
// region tagged as a correction for every SLO. So the demo's report shows the ledger's deploy lines and the corrected
// figures of the maintenance month without anyone clicking. Idempotent: an annotation with the same tags, time and
// text is not posted twice.
//
//   npm run stack -- annotate [--grafana http://127.0.0.1:3000]      (GRAFANA_TOKEN: a service account token)
import fs from 'node:fs';
import { correctionTags } from '../../src/slo/corrections';
import { expectedState, EXPECTED_REPO } from './backfill';
import { historySpan, scriptedCorrections } from './generate';

export interface HistoryAnnotation {
  time: number; // ms
  timeEnd?: number;
  tags: string[];
  text: string;
}

/** The annotations the history implies: its deploys and its scripted corrections. */
export function historyAnnotations(endUnix: number): HistoryAnnotation[] {
  const span = historySpan(endUnix);
  return [
    ...span.deploys.map((d) => ({ time: d.time * 1000, tags: ['deploy'], text: d.text })),
    ...scriptedCorrections(span.incidents).map((c) => ({
      time: c.start * 1000,
      timeEnd: c.end * 1000,
      tags: correctionTags(c.kind, c.slos),
      text: c.reason,
    })),
  ];
}

const same = (a: HistoryAnnotation, b: Partial<HistoryAnnotation>) =>
  a.time === b.time && a.text === b.text && [...a.tags].sort().join() === [...(b.tags ?? [])].sort().join();

/** Posts what is missing; returns how many were posted and how many were there already. */
export async function annotate(grafana: string, endUnix: number, token = process.env.GRAFANA_TOKEN) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }
  const wanted = historyAnnotations(endUnix);
  const from = Math.min(...wanted.map((a) => a.time));
  const to = Math.max(...wanted.map((a) => a.timeEnd ?? a.time));
  const r = await fetch(`${grafana}/api/annotations?from=${from}&to=${to}&limit=5000&type=annotation`, { headers });
  if (!r.ok) {
    throw new Error(`GET ${grafana}/api/annotations answered HTTP ${r.status}: ${(await r.text()).slice(0, 200)}`);
  }
  const have = (await r.json()) as Array<Partial<HistoryAnnotation>>;
  let posted = 0;
  for (const a of wanted.filter((w) => !have.some((h) => same(w, h)))) {
    const p = await fetch(`${grafana}/api/annotations`, { method: 'POST', headers, body: JSON.stringify(a) });
    if (!p.ok) {
      throw new Error(`POST ${grafana}/api/annotations answered HTTP ${p.status}: ${(await p.text()).slice(0, 200)}`);
    }
    posted++;
  }
  return { posted, present: wanted.length - posted };
}

/** The end of the running stack's history (the state dir's expected.json, else the repo's copy). */
export function historyEndUnix(): number {
  const file = fs.existsSync(expectedState()) ? expectedState() : EXPECTED_REPO;
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { endUnix: number }).endUnix;
}
