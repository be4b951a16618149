// The Prometheus the SLO pages bench measures at 3, 200 and 1000 SLOs (scripts/bench-slo.ts): a fresh temporary one
// per size, holding what the overview reads for every SLO: the recorded budget buckets (hourly and 5-minute) over
// the last 31 days and the burn-rate ratios of the last minutes. The three real SLOs' series are read from the
// stack; every extra SLO is a copy `<id>-<k>` holding its source's real series (so its budget must equal its
// source's, which the bench checks). Name-level selectors read every SLO in Prometheus, so each size gets a
// Prometheus with exactly that many SLOs, and the series are written in time order (remote write, 30-minute windows
// of every series), as a Prometheus that recorded them for a month would hold them: compacted blocks, not the
// small out-of-order chunks a backwards write would leave. While the bench runs, what the stack records is
// written to every SLO every 15 s, so the overview's window (to the last 5-minute mark) stays complete. The raw
// counters are not copied: the raw column of the bench reads the stack's own Prometheus.
import fs from 'node:fs';
import path from 'node:path';
import { BUDGET_BUCKETS } from '../../src/slo/hourlyBudget';
import { remoteWrite, type WriteSeries } from './remoteWrite';
import { startTempPrometheus, type TempPrometheus } from './tempPrometheus';

const NAMES = Object.values(BUDGET_BUCKETS).flatMap((b) => Object.values(b.records));
const DAYS = 31;

interface Source {
  labels: Record<string, string>;
  slo: string;
  samples: Array<[number, number]>;
}

async function rangeRead(url: string, query: string, time?: number): Promise<Source[]> {
  const body = new URLSearchParams({ query, ...(time ? { time: String(time) } : {}) });
  const r = (await (await fetch(`${url}/api/v1/query`, { method: 'POST', body })).json()) as {
    status: string;
    error?: string;
    data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
  };
  if (r.status !== 'success') {
    throw new Error(`${query}: ${r.error}`);
  }
  return r.data.result.map((s) => ({
    labels: s.metric,
    slo: s.metric.slo,
    samples: s.values.map(([t, v]) => [t, Number(v)]),
  }));
}

export interface ScalePrometheus {
  url: string;
  stop: () => Promise<void>;
}

const RATIOS = '{__name__=~"slo:sli_error:ratio_rate[0-9]+[a-z]+"}';
// Every series of a window is written before the next window: a Prometheus head refuses samples more than 1 h older
// than the newest it holds, so a window is at most 30 min.
const WINDOW = 1800;

/** A Prometheus holding the buckets and ratios of the SLOs `ids` (real ids and `<real id>-<k>` copies). */
export async function scalePrometheus(
  stackUrl: string,
  tmp: string,
  ids: string[],
  log: (s: string) => void
): Promise<ScalePrometheus> {
  const t0 = Date.now();
  const dir = fs.mkdtempSync(path.join(tmp, 'scale-'));
  const prom: TempPrometheus = await startTempPrometheus(dir, path.join(dir, 'data'), { global: {} }, [
    '--web.enable-remote-write-receiver',
  ]);
  const selector = `{__name__=~"${NAMES.join('|')}"}`;
  const sources = [
    ...(await rangeRead(stackUrl, `${selector}[${DAYS}d]`)),
    ...(await rangeRead(stackUrl, `${RATIOS}[10m]`)),
  ];
  const sourceIds = [...new Set(sources.map((s) => s.slo))];
  const sourceOf = (id: string) =>
    sourceIds.includes(id) ? id : sourceIds.find((s) => id.startsWith(`${s}-`) && /^\d+$/.test(id.slice(s.length + 1)));
  const mine = ids.filter((id) => sourceOf(id));
  const write = async (from: number, to: number) => {
    const out: WriteSeries[] = [];
    for (const id of mine) {
      for (const s of sources.filter((x) => x.slo === sourceOf(id))) {
        const samples = s.samples.filter(([t]) => t >= from && t < to);
        if (samples.length) {
          out.push({ labels: { ...s.labels, slo: id }, samples });
        }
      }
    }
    for (let i = 0; i < out.length; i += 4000) {
      await remoteWrite(prom.url, out.slice(i, i + 4000));
    }
  };
  const start = Math.min(...sources.flatMap((s) => (s.samples.length ? [s.samples[0][0]] : [])));
  let done = Math.floor(start / WINDOW) * WINDOW;
  const now = Date.now() / 1000 + 1;
  for (; done < now; done += WINDOW) {
    await write(done, done + WINDOW);
  }
  done = now;
  // What the stack recorded since, to every SLO, in time order (nothing is written twice: only past `done`).
  let syncing: Promise<void> = Promise.resolve();
  const sync = async () => {
    const fresh = [...(await rangeRead(stackUrl, `${selector}[20m]`)), ...(await rangeRead(stackUrl, `${RATIOS}[2m]`))];
    const upTo = Date.now() / 1000 - 5; // a scrape or evaluation under way is left to the next pass
    for (const f of fresh) {
      const kept = sources.find((x) => x.labels.__name__ === f.labels.__name__ && sameLabels(x.labels, f.labels));
      if (kept) {
        kept.samples.push(...f.samples.filter(([t]) => t >= done && t < upTo));
      } else {
        sources.push({ ...f, samples: f.samples.filter(([t]) => t >= done && t < upTo) });
      }
    }
    await write(done, upTo);
    done = upTo;
  };
  const timer = setInterval(() => {
    syncing = syncing.then(sync).catch((e) => log(`bucket sync: ${e instanceof Error ? e.message : e}`));
  }, 15000);
  // Let the head compaction cut and merge the month into blocks (the block count holds still).
  const blocks = async () =>
    Number(/^prometheus_tsdb_blocks_loaded (\S+)$/m.exec(await (await fetch(`${prom.url}/metrics`)).text())?.[1] ?? 0);
  for (let last = -1, steady = 0, end = Date.now() + 180_000; steady < 3 && Date.now() < end;) {
    await new Promise((r) => setTimeout(r, 5000));
    const b = await blocks();
    steady = b === last ? steady + 1 : 0;
    last = b;
  }
  log(
    `scale Prometheus: ${mine.length} SLOs' series written and compacted into ${await blocks()} blocks in ${((Date.now() - t0) / 1000).toFixed(0)} s`
  );
  return {
    url: prom.url,
    stop: async () => {
      clearInterval(timer);
      await syncing;
      await prom.stop();
    },
  };
}

const sameLabels = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
