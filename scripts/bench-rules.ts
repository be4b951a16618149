// Rule-cost benchmark (npm run bench -- rules [--minutes 5] [--interval 5s]): our generated rules against Sloth v0.16.0's for the same
// three SLOs (spec: scripts/bench/sloth/slos.yaml), evaluated by a TEMPORARY Prometheus over a copy of the stack's
// data, never by the stack's own Prometheus: Sloth's alerts must not reach the stack's Alertmanager, and the temporary
// one has no Alertmanager at all. It scrapes the same API target as the stack, so both rule sets see the same data.
//
// 1. Sloth's rules are generated through the Go module proxy (go run github.com/slok/sloth/cmd/sloth@v0.16.0).
// 2. The stack's TSDB is copied (under `flock $VEZA_STACK_LOCK` when that names a lock file, for stacks where drills
//    take turns). Sloth's 30-day ratio averages its own recorded 5m ratio over 30 days; a fresh Prometheus would
//    hold minutes of that series, not 30 days, so the series it reads are backfilled over the copy first
//    (promtool tsdb create-blocks-from rules, at the evaluation interval): the 30-day rule then reads what it would
//    read in a Prometheus that had run it for a month (as far as the copy's history allows; the summary says how
//    many samples it read).
// 3. Three runs over that same snapshot, --minutes each (5: every 5m group evaluates): both rule sets side by side
//    (per-group evaluation time and samples, from Prometheus' rule_group metrics, one reading per evaluation,
//    summed per set as evaluation time per minute), then ours alone and Sloth's alone (the process's CPU seconds,
//    which a shared process cannot split).
// 4. Our 30-day budget is not a rule: it is counted exactly at query time. The summary sets that exact 30-day error
//    ratio beside Sloth's slo:sli_error:ratio_rate30d over the same data.
// The temporary Prometheus is killed and every copy removed on exit, Ctrl-C included.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import yaml from 'js-yaml';
import { dirs, REPO } from '../stack/lib/config';
import { SCRAPE_INTERVAL, scrapeConfigs } from '../stack/lib/monitoring';
import { sleep } from '../stack/lib/proc';
import { startTempPrometheus, type TempPrometheus } from './bench/tempPrometheus';
import { EvaluationLog, groupReadings, metricValue, ruleSetCost, type RuleSetCost } from './bench/ruleCost';

const SLOTH = 'github.com/slok/sloth/cmd/sloth@v0.16.0';
const SLOTH_SPEC = path.join(REPO, 'scripts', 'bench', 'sloth', 'slos.yaml');
const PERIOD = '30d';
const WARMUP_S = 30; // startup, WAL replay and the first evaluations are not measured

// --interval: the evaluation interval of both rule sets (default the stack's, 5s; scraping stays at 5s). Sloth's
// 30-day rule reads 30d / interval samples per evaluation, so its cost falls with the square of the interval.
const { values: opts } = parseArgs({
  options: { minutes: { type: 'string', default: '5' }, interval: { type: 'string', default: SCRAPE_INTERVAL } },
});
const minutes = Number(opts.minutes);
const interval = opts.interval;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'veza-bench-rules-'));
let prom: TempPrometheus | undefined;
function cleanup() {
  prom?.kill();
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => process.exit(130)); // runs the exit handler
}

interface RuleFile {
  groups: Array<{ name: string; rules: Array<{ record?: string; alert?: string; expr: string }> }>;
}
const loadRules = (file: string) => yaml.load(fs.readFileSync(file, 'utf8')) as RuleFile;
const log = (msg: string) => console.log(`${new Date().toISOString().slice(11, 19)} ${msg}`);

/** Our rule set: every file `npm run rules` generates (slo.yml, slo-guards.yml, and slo-budget.yml when present). */
function ourFiles(): string[] {
  const dir = path.join(REPO, 'provisioning', 'prometheus');
  return ['slo.yml', 'slo-guards.yml', 'slo-budget.yml'].map((f) => path.join(dir, f)).filter((f) => fs.existsSync(f));
}

function slothRules(): string {
  const out = path.join(tmp, 'sloth.yml');
  execFileSync('go', ['run', SLOTH, 'generate', '--no-log', '-i', SLOTH_SPEC, '-o', out], {
    cwd: tmp,
    stdio: 'inherit',
  });
  return out;
}

/** Recording rules whose series another rule of the same file reads over a day or more (Sloth's 5m ratio), as
 * promtool should backfill them. The copy's history before the stack's first `up` holds one sample every 5 minutes
 * (stack/history/generate.ts), too sparse for a 5m rate: there the backfilled value falls back to the same ratio
 * over 3 × the window, so the series is as dense as a month of evaluations would make it (what the 30-day rule
 * costs) and its values are the SLI's ratio at the history's resolution. */
function historyRules(files: string[]): RuleFile {
  const base = files.flatMap((f) => {
    const rules = loadRules(f).groups.flatMap((g) => g.rules);
    const readLong = new Set(
      rules.flatMap((r) => [...r.expr.matchAll(/([a-zA-Z_]\w*:[\w:]+)(?:\{[^}]*\})?\[\d+[dw]\]/g)].map((m) => m[1]))
    );
    // Only rules over raw series: promtool backfills from what the server holds, not from its own output.
    return rules.filter((r) => r.record && readLong.has(r.record) && !/[a-z_]+:[\w:]+/.test(r.expr));
  });
  const widened = base.map((r) => ({
    ...r,
    expr: `(${r.expr}) or (${r.expr.replace(/\[(\d+)m\]/g, (_, n: string) => `[${3 * Number(n)}m]`)})`,
  }));
  return { groups: [{ name: 'backfill', rules: widened }] };
}

/** A temporary Prometheus over `data`: the given rule files, the stack's API target scraped, no Alertmanager. */
async function startPrometheus(data: string, ruleFiles: string[], scrape: boolean): Promise<TempPrometheus> {
  const api = scrapeConfigs().filter((s) => s.job_name === 'veza-api');
  prom = await startTempPrometheus(tmp, data, {
    global: { scrape_interval: SCRAPE_INTERVAL, evaluation_interval: interval },
    rule_files: ruleFiles,
    scrape_configs: scrape ? api : [],
  });
  return prom;
}

async function query(url: string, q: string): Promise<Array<{ metric: Record<string, string>; value: number }>> {
  const r = (await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as {
    status: string;
    error?: string;
    data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  if (r.status !== 'success') {
    throw new Error(`${q}: ${r.error}`);
  }
  return r.data.result.map((x) => ({ metric: x.metric, value: Number(x.value[1]) }));
}
const metrics = async (url: string) => (await fetch(`${url}/metrics`)).text();

/** Copies the stack's TSDB (under the stack lock when VEZA_STACK_LOCK names one); a block compacted away mid-copy
 * makes cp fail, so it tries again. */
function copyStackData(to: string) {
  const lock = process.env.VEZA_STACK_LOCK;
  for (let attempt = 1; ; attempt++) {
    fs.rmSync(to, { recursive: true, force: true });
    const [cmd, ...args] = [...(lock ? ['flock', lock] : []), 'cp', '-a', path.join(dirs.prometheus, 'data'), to];
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status === 0) {
      fs.rmSync(path.join(to, 'lock'), { force: true });
      return;
    }
    if (attempt === 3) {
      throw new Error(`copying the stack's TSDB: ${r.stderr}`);
    }
  }
}

/** Backfills the history rules over the snapshot: a temporary Prometheus serves it to promtool, then the blocks move in. */
async function backfill(snapshot: string, rules: RuleFile, end: number): Promise<number> {
  if (rules.groups[0].rules.length === 0) {
    return 0;
  }
  const file = path.join(tmp, 'backfill.yml');
  fs.writeFileSync(file, yaml.dump(rules));
  const p = await startPrometheus(snapshot, [], false);
  const blocks = path.join(tmp, 'backfill-blocks');
  try {
    execFileSync(
      'promtool',
      [
        'tsdb',
        'create-blocks-from',
        'rules',
        '--quiet',
        `--start=${end - 30 * 86400 - 3600}`,
        `--end=${end}`,
        `--url=${p.url}`,
        `--eval-interval=${interval}`,
        `--output-dir=${blocks}`,
        file,
      ],
      { stdio: 'inherit' }
    );
  } finally {
    await p.stop();
  }
  const made = fs.readdirSync(blocks);
  for (const b of made) {
    fs.renameSync(path.join(blocks, b), path.join(snapshot, b));
  }
  await compact(snapshot);
  return made.length;
}

/** promtool writes one small block per 2 hours and rule: a month is ~360 per series set. A Prometheus that had
 * recorded them would hold them compacted, and compacting them during a measured run would cost CPU there, so a
 * Prometheus with no rules and no targets compacts the snapshot first (until its block count holds still). */
async function compact(snapshot: string) {
  const p = await startPrometheus(snapshot, [], false);
  try {
    const blocks = async () => metricValue(await metrics(p.url), 'prometheus_tsdb_blocks_loaded') ?? 0;
    const start = await blocks();
    await sleep(75_000); // the compactor runs once a minute
    let last = await blocks();
    for (let steady = 0, end = Date.now() + 600_000; steady < 3 && Date.now() < end;) {
      await sleep(10_000);
      const now = await blocks();
      steady = now === last ? steady + 1 : 0;
      last = now;
    }
    log(`compacted the snapshot: ${start} → ${last} blocks`);
  } finally {
    await p.stop();
  }
}

interface Phase {
  name: string;
  sets: Record<string, string[]>;
}

interface PhaseResult {
  name: string;
  cost: Record<string, RuleSetCost>;
  cpuSeconds: number;
  measuredS: number;
  series: Record<string, number>;
  exact?: Array<{ slo: string; exact: number; sloth: number; slothSamplesRead: number }>;
}

/** Record names of a rule set, as a regex for __name__. */
const recordNames = (files: string[]) =>
  [...new Set(files.flatMap((f) => loadRules(f).groups.flatMap((g) => g.rules.map((r) => r.record ?? []))))]
    .flat()
    .join('|');

async function runPhase(snapshot: string, phase: Phase, ours: string[]): Promise<PhaseResult> {
  const data = path.join(tmp, `phase-${phase.name}`);
  execFileSync('cp', ['-a', snapshot, data]);
  const files = Object.values(phase.sets).flat();
  log(`${phase.name}: temporary Prometheus with ${files.map((f) => path.basename(f)).join(', ')}`);
  const p = await startPrometheus(data, files, true);
  try {
    await sleep(WARMUP_S * 1000);
    const evals = new EvaluationLog();
    const first = await metrics(p.url);
    evals.add(groupReadings(first));
    const cpu0 = metricValue(first, 'process_cpu_seconds_total') ?? NaN;
    const t0 = Date.now();
    let last = first;
    while (Date.now() - t0 < minutes * 60_000) {
      await sleep(1000);
      last = await metrics(p.url);
      evals.add(groupReadings(last));
    }
    const measuredS = (Date.now() - t0) / 1000;
    const cpuSeconds = (metricValue(last, 'process_cpu_seconds_total') ?? NaN) - cpu0;
    const cost = Object.fromEntries(Object.entries(phase.sets).map(([k, fs_]) => [k, ruleSetCost(evals, fs_)]));
    const series: Record<string, number> = {};
    for (const [k, fs_] of Object.entries(phase.sets)) {
      const names = recordNames(fs_);
      const sloth = k === 'sloth' ? '!=' : '=';
      series[k] = names ? ((await query(p.url, `count({__name__=~"${names}",sloth_id${sloth}""})`))[0]?.value ?? 0) : 0;
    }
    const result: PhaseResult = { name: phase.name, cost, cpuSeconds, measuredS, series };
    if (phase.sets.ours && phase.sets.sloth) {
      result.exact = await exactness(p.url, ours);
    }
    return result;
  } finally {
    await p.stop();
    fs.rmSync(data, { recursive: true, force: true });
  }
}

/** Our exact 30-day error ratio (each 5m rule's own expression, rate → increase over 30d, as the app counts it)
 * beside Sloth's average of 5-minute ratios, per SLO, at the same instant. */
async function exactness(url: string, ours: string[]) {
  const rules = ours.flatMap((f) => loadRules(f).groups.flatMap((g) => g.rules));
  const fiveMinute = rules.filter((r) => r.record === 'slo:sli_error:ratio_rate5m') as Array<
    RuleFile['groups'][0]['rules'][0] & { labels?: Record<string, string> }
  >;
  const out = [];
  for (const r of fiveMinute) {
    const slo = r.labels?.slo ?? '';
    const exactQ = r.expr.replace(/\brate\(/g, 'increase(').replace(/\[5m\]/g, `[${PERIOD}]`);
    const sel = `{sloth_slo="${slo}"}`;
    out.push({
      slo,
      exact: (await query(url, exactQ))[0]?.value ?? NaN,
      sloth: (await query(url, `slo:sli_error:ratio_rate30d${sel}`))[0]?.value ?? NaN,
      slothSamplesRead:
        (await query(url, `count_over_time(slo:sli_error:ratio_rate5m${sel}[${PERIOD}])`))[0]?.value ?? 0,
    });
  }
  return out;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

async function main() {
  const ours = ourFiles();
  log(`generating Sloth's rules (${SLOTH})`);
  const sloth = slothRules();
  const snapshot = path.join(tmp, 'snapshot');
  log(`copying ${path.join(dirs.prometheus, 'data')}`);
  copyStackData(snapshot);
  const copiedAt = Math.floor(Date.now() / 1000);
  const history = historyRules([...ours, sloth]);
  log(
    `backfilling ${history.groups[0].rules.length} series read over ${PERIOD} (${history.groups[0].rules.map((r) => r.record).join(', ')})`
  );
  const blocks = await backfill(snapshot, history, copiedAt);
  log(`${blocks} backfilled blocks in the snapshot`);

  const phases: Phase[] = [
    { name: 'both', sets: { ours, sloth: [sloth] } },
    { name: 'ours', sets: { ours } },
    { name: 'sloth', sets: { sloth: [sloth] } },
  ];
  const results: PhaseResult[] = [];
  for (const phase of phases) {
    results.push(await runPhase(snapshot, phase, ours));
  }

  const [both, alone1, alone2] = results;
  const o = both.cost.ours;
  const s = both.cost.sloth;
  console.log('\nside by side (one Prometheus, both rule sets, same data):');
  console.log(
    '| rule set | groups | rules | recorded series | samples / min | evaluation time / min (mean) | (median) |'
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const [k, c] of [
    ['ours', o],
    ['sloth', s],
  ] as const) {
    console.log(
      `| ${k} | ${c.groups} | ${c.rules} | ${both.series[k]} | ${r2(c.samplesPerMinute)} | ${r2(c.msPerMinute)} ms | ${r2(c.medianMsPerMinute)} ms |`
    );
  }
  console.log(
    `ratio ours / Sloth: mean ${r2(o.msPerMinute / s.msPerMinute)}, median ${r2(o.medianMsPerMinute / s.medianMsPerMinute)}`
  );
  console.log(
    `process CPU over ${Math.round(alone1.measuredS)} s: ours alone ${r2(alone1.cpuSeconds)} s, Sloth alone ${r2(alone2.cpuSeconds)} s, both ${r2(both.cpuSeconds)} s (ratio ${r2(alone1.cpuSeconds / alone2.cpuSeconds)})`
  );
  console.log('\n30-day error ratio at the end of the side-by-side run:');
  for (const e of both.exact ?? []) {
    console.log(`  ${e.slo}: exact ${e.exact}, Sloth ${e.sloth} (from ${e.slothSamplesRead} 5m ratios)`);
  }
  console.log(
    JSON.stringify({ minutes, interval, copiedAt: new Date(copiedAt * 1000).toISOString(), blocks, results }, null, 2)
  );
}

void main().catch((e: Error) => {
  console.error(`bench rules: ${e.message}`);
  process.exit(1);
});
