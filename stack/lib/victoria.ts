// A second Prometheus-compatible engine beside the stack, started only when asked (`npm run stack -- vm up|down|status`):
// VictoriaMetrics (Debian's victoria-metrics 1.79) scrapes the stack's own targets and holds the last 100 days of the same history;
// vmalert evaluates the same generated rules against it and notifies the stack's Alertmanager, every alert stamped
// engine="victoria-metrics" (provisioning/alertmanager/routes.yml gives those a receiver of their own that notifies
// no one, so the default drills, which count notifications at the sink, never see a second engine's alerts).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { HOST, PORTS, STATE } from './config';
import { ruleFiles, scrapeConfigs, RETENTION, SCRAPE_INTERVAL } from './monitoring';
import { Service } from './services';
import { BLOCK_HOURS, historyFiles, STEP } from '../history/generate';
import { BACKTEST_DAYS } from '../history/backtestTruth';
import { expectedState } from '../history/backfill';

export const VM_PORTS = { victoria: 8428, vmalert: 8880 } as const;
export const VM_URL = `http://${HOST}:${VM_PORTS.victoria}`;
export const VMALERT_URL = `http://${HOST}:${VM_PORTS.vmalert}`;
export const ENGINE_LABEL = { engine: 'victoria-metrics' } as const;
const AM_URL = `http://${HOST}:${PORTS.alertmanager}`;

export const vmDir = () => path.join(STATE, 'victoria-metrics');
const dataDir = () => path.join(vmDir(), 'data');
const scrapeFile = () => path.join(vmDir(), 'scrape.yml');
// What the data dir holds: the history end it was imported for (a fresh stack `up` generates another history).
const markerFile = () => path.join(vmDir(), 'history.json');

/** vmalert's common flags: the same engine for queries, recorded series and ALERTS, and the stack's Alertmanager. */
export function vmalertArgs(rules = ruleFiles()): string[] {
  return [
    ...rules.map((f) => `-rule=${f}`),
    `-datasource.url=${VM_URL}`,
    `-remoteWrite.url=${VM_URL}`,
    `-remoteRead.url=${VM_URL}`, // restores `for:` state after a restart, as Prometheus does from ALERTS_FOR_STATE
    `-notifier.url=${AM_URL}`,
    `-evaluationInterval=${SCRAPE_INTERVAL}`, // the rule groups set no interval: Prometheus' global one applies there
    ...Object.entries(ENGINE_LABEL).map(([k, v]) => `-external.label=${k}=${v}`),
  ];
}

/** Points of the longest replay request: BACKTEST_DAYS at the shortest group interval (1 min), plus margin. */
const REPLAY_MAX_POINTS = (BACKTEST_DAYS + 1) * 1440;

export const VICTORIA: Service = {
  name: 'victoria-metrics',
  cmd: '/usr/bin/victoria-metrics',
  args: [
    `-storageDataPath=${dataDir()}`,
    `-retentionPeriod=${RETENTION}`,
    `-httpListenAddr=${HOST}:${VM_PORTS.victoria}`,
    `-promscrape.config=${scrapeFile()}`,
    // Default 30 s: queries at "now" would not see the last 30 s, and vmalert would fire 30 s after Prometheus.
    '-search.latencyOffset=5s',
    // Backfilled history lands behind the response cache; a stack-sized engine needs no cache.
    '-search.disableCache',
    // The rules replay reads each rule's 90 days in one request (replayRules): 1-minute groups need 129 601 points.
    `-search.maxPointsPerTimeseries=${REPLAY_MAX_POINTS}`,
    // /api/v1/rules and /api/v1/alerts on VictoriaMetrics' own port, as a Prometheus data source expects them.
    `-vmalert.proxyURL=${VMALERT_URL}`,
  ],
  port: VM_PORTS.victoria,
  ready: `${VM_URL}/health`,
  bin: '/usr/bin/victoria-metrics',
  pkg: 'victoria-metrics',
};

export const VMALERT: Service = {
  name: 'vmalert',
  cmd: '/usr/bin/vmalert',
  args: [...vmalertArgs(), `-httpListenAddr=${HOST}:${VM_PORTS.vmalert}`, `-external.url=${VMALERT_URL}`],
  port: VM_PORTS.vmalert,
  ready: `${VMALERT_URL}/-/healthy`,
  bin: '/usr/bin/vmalert',
  pkg: 'victoria-metrics',
};

export const VM_SERVICES = [VICTORIA, VMALERT];

export function writeScrapeConfig() {
  fs.mkdirSync(vmDir(), { recursive: true });
  const cfg = { global: { scrape_interval: SCRAPE_INTERVAL }, scrape_configs: scrapeConfigs() };
  fs.writeFileSync(scrapeFile(), `# rendered by stack/lib/victoria.ts on every \`vm up\`\n${yaml.dump(cfg)}`);
}

interface HistoryEnd {
  startUnix: number;
  endUnix: number;
}
/** Days of the history VictoriaMetrics imports (the replay covers the backtest's BACKTEST_DAYS of them). */
export const VM_DAYS = 100;
const historyEnd = (): HistoryEnd => JSON.parse(fs.readFileSync(expectedState(), 'utf8')) as HistoryEnd;
const imported = (): HistoryEnd | undefined =>
  fs.existsSync(markerFile()) ? (JSON.parse(fs.readFileSync(markerFile(), 'utf8')) as HistoryEnd) : undefined;

/**
 * True when the data dir holds another history than the stack's (the stack was reset since), or a part of one (an
 * import or replay that did not finish: the marker is written last): start over from an empty engine, since
 * importing again over it would store every sample twice.
 */
export const staleData = () => fs.existsSync(dataDir()) && imported()?.endUnix !== historyEnd().endUnix;
export const wipeData = () => fs.rmSync(vmDir(), { recursive: true, force: true });
export const historyPending = () => imported()?.endUnix !== historyEnd().endUnix;

/**
 * OpenMetrics (what stack/history/generate.ts writes, timestamps in seconds) → Prometheus text exposition with
 * millisecond timestamps, what /api/v1/import/prometheus reads. Comments (# TYPE, # EOF) pass through: ignored there.
 */
export function toPrometheusText(openMetrics: string): string {
  return openMetrics.replace(/^([^#].* )(\d+)$/gm, (_, head: string, ts: string) => `${head}${ts}000`);
}

/**
 * The last VM_DAYS of the stack's history, generated again from its seed for the same end (deterministic: the same
 * samples promtool turned into Prometheus' blocks) and imported block file by block file. Then vmalert replays the
 * rules over the last BACKTEST_DAYS at the history's step (a few seconds: one range query per rule and 1000 points; promtool, one block per rule and
 * 2 h, backfills Prometheus' 5-min rules for the last 7 days only).
 */
export async function importHistory(log: (s: string) => void) {
  const t = Date.now();
  const exp = historyEnd();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'veza-vm-history-'));
  try {
    // The last VM_DAYS only: what the engine comparison reads (30 days, the last whole month, the incidents of the
    // backtest's 90 days); importing and replaying all 430 days would quadruple `vm up` for nothing compared.
    const from = Math.max(exp.startUnix, exp.endUnix - VM_DAYS * 86400);
    let files = 0;
    for (const f of historyFiles(exp.endUnix, tmp)) {
      const blockStart = Date.parse(`${path.basename(f, '.om').replace(/(\d\d)(\d\d)$/, '$1:$2')}:00Z`) / 1000;
      if (blockStart + BLOCK_HOURS * 3600 <= from) {
        fs.rmSync(f);
        continue;
      }
      files++;
      const r = await fetch(`${VM_URL}/api/v1/import/prometheus`, {
        method: 'POST',
        body: toPrometheusText(fs.readFileSync(f, 'utf8')),
      });
      if (!r.ok) {
        throw new Error(`import of ${path.basename(f)}: HTTP ${r.status} ${await r.text()}`);
      }
      fs.rmSync(f);
    }
    log(
      `victoria-metrics: ${files} block files (the last ${VM_DAYS} days and more) imported in ${((Date.now() - t) / 1000).toFixed(1)}s`
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  // Imported rows become searchable after the in-memory buffers are flushed (about a second).
  await fetch(`${VM_URL}/internal/force_flush`).catch(() => undefined);
  await replayRules(Math.max(exp.startUnix, exp.endUnix - BACKTEST_DAYS * 86400), exp.endUnix, log);
  fs.writeFileSync(markerFile(), JSON.stringify({ startUnix: exp.startUnix, endUnix: exp.endUnix }) + '\n');
}

interface RuleDoc {
  groups: Array<{ name: string; rules: Rule[] }>;
}
interface Rule {
  record?: string;
  alert?: string;
  expr?: string;
  annotations?: Record<string, string>;
}

/** The rules of `files` that `keep` selects (passed through `map`), as rule files in `dir` (groups left empty are dropped). */
function ruleSubset(files: string[], dir: string, keep: (r: Rule) => boolean, map = (r: Rule) => r) {
  fs.mkdirSync(dir, { recursive: true });
  return files.flatMap((f) => {
    const doc = yaml.load(fs.readFileSync(f, 'utf8')) as RuleDoc;
    const groups = doc.groups
      .map((g) => ({ ...g, rules: g.rules.filter(keep).map(map) }))
      .filter((g) => g.rules.length);
    if (!groups.length) {
      return [];
    }
    const out = path.join(dir, path.basename(f));
    fs.writeFileSync(out, yaml.dump({ groups }));
    return [out];
  });
}

function vmalertOnce(args: string[]): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const p = spawn('/usr/bin/vmalert', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    p.stdout.on('data', (d) => (text += d));
    p.stderr.on('data', (d) => (text += d));
    p.on('close', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`vmalert replay failed (${code}):\n${text.slice(-2000)}`))
    );
  });
}

/**
 * The recording rules of `files` in dependency levels: level 0 reads only scraped series, level k reads a series
 * recorded at level k - 1 at most (the daily budget buckets sum the hourly ones). A replay pass per level: within one
 * pass vmalert does not wait for a rule's results to be written and flushed before another rule reads them.
 */
export function recordingLevels(files: string[]): string[][] {
  const rules = files.flatMap((f) => (yaml.load(fs.readFileSync(f, 'utf8')) as RuleDoc).groups.flatMap((g) => g.rules));
  const recorded = new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));
  const reads = (r: Rule) =>
    [...recorded].filter((name) =>
      new RegExp(`(^|[^\\w:])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w:])`).test(r.expr ?? '')
    );
  // A name recorded by several rules (one per SLO) takes the highest level among them. Levels settle within
  // |recorded| rounds unless rules read each other in a cycle (which no engine would evaluate either).
  const level = new Map([...recorded].map((n) => [n, 0]));
  for (let round = 0, changed = true; changed && round <= recorded.size; round++) {
    changed = false;
    for (const r of rules.filter((x) => x.record)) {
      const l = Math.max(-1, ...reads(r).map((n) => level.get(n)!)) + 1;
      if (l > level.get(r.record!)!) {
        level.set(r.record!, l);
        changed = true;
      }
    }
  }
  const max = Math.max(0, ...level.values());
  return Array.from({ length: max + 1 }, (_, k) => [...level].filter(([, l]) => l === k).map(([n]) => n));
}

/**
 * vmalert -replay over [from, to] at the history's step, written to VictoriaMetrics, in passes: the recording
 * rules by dependency level (recordingLevels), then the SLO burn-rate alerts that read them. The history holds only
 * the API's metrics, so the no-data guards and infra alerts are not replayed (they would "fire" over the whole
 * history, as nothing scraped `up` then); Prometheus' backfill (promtool) has recording rules only, so there the
 * history has no ALERTS at all.
 */
export async function replayRules(from: number, to: number, log: (s: string) => void) {
  const t = Date.now();
  const iso = (s: number) => new Date(s * 1000).toISOString().replace(/\.000Z$/, 'Z');
  const dir = path.join(vmDir(), 'replay');
  fs.rmSync(dir, { recursive: true, force: true });
  const passes = [
    ...recordingLevels(ruleFiles()).map((names, k) =>
      ruleSubset(ruleFiles(), path.join(dir, `recording-${k}`), (r) => !!r.record && names.includes(r.record))
    ),
    ruleSubset(
      ruleFiles().filter((f) => path.basename(f) === 'slo.yml'),
      path.join(dir, 'alerting'),
      (r) => !!r.alert,
      // ALERTS keeps no annotations, and their `query` template function is refused in replay mode.
      ({ annotations: _, ...r }) => r
    ),
  ];
  const imported: string[] = [];
  for (const rules of passes.filter((p) => p.length)) {
    const out = await vmalertOnce([
      ...vmalertArgs(rules).filter((a) => !/^-(evaluationInterval|notifier|remoteRead)/.test(a)),
      `-evaluationInterval=${STEP}s`,
      `-replay.timeFrom=${iso(from)}`,
      `-replay.timeTo=${iso(to)}`,
      '-replay.rulesDelay=0s',
      // One request per rule for the whole replay (VictoriaMetrics is started to answer that many points): split into
      // 1000-point requests, vmalert wrote the hourly bucket at a request boundary twice, so that day's 24-hour check
      // saw 25 and no daily bucket was recorded (one day in eleven: the overview then read raw counters).
      `-replay.maxDatapointsPerQuery=${REPLAY_MAX_POINTS}`,
      '-replay.disableProgressBar',
    ]);
    // Written rows become searchable once VictoriaMetrics flushes its in-memory buffers.
    await fetch(`${VM_URL}/internal/force_flush`).catch(() => undefined);
    imported.push(/Imported (\d+) samples/.exec(out)?.[1] ?? '?');
  }
  fs.rmSync(dir, { recursive: true, force: true });
  log(
    `vmalert: recording rules and SLO alerts replayed over the ${Math.round((to - from) / 86400)}-day history in ${((Date.now() - t) / 1000).toFixed(1)}s (${imported.join(' + ')} samples)`
  );
}

/** The receiver of routes.yml that takes this engine's alerts; the stack's Alertmanager must know it. */
export const ENGINE_RECEIVER = 'engine-comparison';

/**
 * Alertmanager started before routes.yml had the engine's route would page on-call twice (once per engine): reload
 * it (POST /-/reload, what its own API offers; `up` does not restart a running Alertmanager) and check it took.
 */
export async function ensureEngineRoute(log: (s: string) => void) {
  const loaded = async () => {
    const r = (await (await fetch(`${AM_URL}/api/v2/status`)).json()) as { config: { original: string } };
    return r.config.original.includes(`receiver: ${ENGINE_RECEIVER}`);
  };
  if (await loaded()) {
    return;
  }
  const r = await fetch(`${AM_URL}/-/reload`, { method: 'POST' });
  if (!r.ok || !(await loaded())) {
    throw new Error(
      `Alertmanager has no route for engine="${ENGINE_LABEL.engine}" (reload: HTTP ${r.status} ${await r.text()}): check provisioning/alertmanager/routes.yml`
    );
  }
  log(`alertmanager reloaded: routes.yml's ${ENGINE_RECEIVER} receiver takes the engine's alerts`);
}
