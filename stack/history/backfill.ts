// First-`up` history: OpenMetrics → TSDB blocks (before Prometheus starts), then the recording rules evaluated
// over that history by promtool against the running Prometheus. expected.json is computed from the generated
// counts, never from PromQL, so tests can check what Prometheus answers against what it must answer.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { PORTS, REPO, dirs } from '../lib/config';
import { TEST_RULES_DIR, ruleFiles } from '../lib/monitoring';
import {
  BLOCK_HOURS,
  DAYS,
  type Incident,
  SEED,
  STEP,
  type StepTotals,
  historyFiles,
  historySpan,
  scriptedCorrections,
} from './generate';
import { BUDGET_BUCKETS } from '../../src/slo/hourlyBudget';
import { expectedPeriods } from './periodTruth';
import { type BudgetRule, bucketOf, bucketSelector, historyBudgetLines, openMetricsGauges } from './budgetBuckets';
import type { History } from './backtestTruth';

/** The zones whose calendar periods expected.json carries (and the report's integration tests compare). */
export const EXPECTED_ZONES = ['UTC', 'Europe/Berlin', 'America/New_York'];

/** The generator's steps as per-SLO counts (the shape periodTruth.ts and backtestTruth.ts read). */
function stepCounts(steps: Array<[number, StepTotals]>): History['counts'] {
  const counts: History['counts'] = { 'api-availability': [], 'api-latency': [], 'payment-success': [] };
  for (const [t, totals] of steps) {
    for (const k of Object.keys(counts) as Array<keyof StepTotals>) {
      counts[k].push({ t, bad: totals[k].bad, valid: totals[k].valid });
    }
  }
  return counts;
}

const phaseFile = () => path.join(dirs.history, 'phase');
const phase = () => (fs.existsSync(phaseFile()) ? fs.readFileSync(phaseFile(), 'utf8').trim() : '');
// '' → generate blocks (before Prometheus starts); 'blocks' → recording rules pending; 'done'.
export const blocksPending = () => phase() === '';
export const backfillPending = () => phase() !== 'done';
export const EXPECTED_REPO = path.join(__dirname, 'expected.json');
export const expectedState = () => path.join(dirs.history, 'expected.json');
export const RULE_DAYS = 7;
// The state dir's copy belongs to the TSDB it describes; the repo copy (what tests and readers open) is rewritten
// from it on every `up`, so a clone that reuses a stack another clone backfilled reads the right figures.
export function syncExpected() {
  const state = expectedState();
  if (!fs.existsSync(state)) {
    return;
  }
  const text = fs.readFileSync(state, 'utf8');
  if (!fs.existsSync(EXPECTED_REPO) || fs.readFileSync(EXPECTED_REPO, 'utf8') !== text) {
    fs.writeFileSync(EXPECTED_REPO, text);
  }
}
const dataDir = () => path.join(dirs.prometheus, 'data');

const OBJECTIVES = { 'api-availability': 0.995, 'api-latency': 0.99, 'payment-success': 0.995 } as const;
type Slo = keyof typeof OBJECTIVES;

function exec(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${out.slice(-2000)}`))
    );
  });
}

// Runs jobs with a small concurrency (2 cores: promtool is part CPU, part fsync).
async function pool<T>(items: T[], n: number, fn: (x: T) => Promise<unknown>) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: n }, async () => {
      for (let x = queue.shift(); x !== undefined; x = queue.shift()) {
        await fn(x);
      }
    })
  );
}

export async function generateHistory(log: (s: string) => void) {
  const t = Date.now();
  // End on the step grid, at least one step before anything live exists, so backfill and live never overlap.
  const end = Math.floor(Date.now() / 1000 / STEP) * STEP - STEP;
  const om = path.join(dirs.history, 'openmetrics');
  fs.rmSync(om, { recursive: true, force: true });
  fs.rmSync(dataDir(), { recursive: true, force: true });
  const steps: Array<[number, StepTotals]> = [];
  const { start, incidents } = historySpan(end);
  // Each block file goes to promtool as soon as it is written, while the next one is generated (2 cores: one
  // generates, promtool takes the other; at most two promtools so generation is not starved).
  const running = new Set<Promise<unknown>>();
  const failed: Error[] = [];
  let files = 0;
  for (const f of historyFiles(end, om, (ts, totals) => steps.push([ts, totals]))) {
    while (running.size >= 2) {
      await Promise.race(running);
    }
    const job = exec('promtool', [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      '-q',
      `--max-block-duration=${BLOCK_HOURS}h`,
      f,
      dataDir(),
    ]).then(
      () => fs.rmSync(f),
      (e: Error) => void failed.push(e)
    );
    running.add(job);
    void job.finally(() => running.delete(job));
    files++;
  }
  const counts = stepCounts(steps);
  const budget = writeHistoryBudget(start, end, counts, om);
  if (budget) {
    await Promise.all(running);
    running.add(
      exec('promtool', [
        'tsdb',
        'create-blocks-from',
        'openmetrics',
        '-q',
        `--max-block-duration=${BLOCK_HOURS}h`,
        budget,
        dataDir(),
      ]).catch((e: Error) => void failed.push(e))
    );
  }
  await Promise.all(running);
  if (failed.length) {
    throw failed[0];
  }
  fs.rmSync(om, { recursive: true, force: true });
  writeExpected(start, end, incidents, steps, counts);
  fs.writeFileSync(phaseFile(), 'blocks\n');
  log(
    `history: ${DAYS} days at ${STEP}s step, ${files} block files → TSDB blocks in ${((Date.now() - t) / 1000).toFixed(1)}s`
  );
}

function window(steps: Array<[number, StepTotals]>, from: number, to: number) {
  const acc = Object.fromEntries(Object.keys(OBJECTIVES).map((k) => [k, { valid: 0, bad: 0 }])) as Record<
    Slo,
    { valid: number; bad: number }
  >;
  for (const [t, totals] of steps) {
    if (t > from && t <= to) {
      for (const k of Object.keys(acc) as Slo[]) {
        acc[k].valid += totals[k].valid;
        acc[k].bad += totals[k].bad;
      }
    }
  }
  const iso = (s: number) => new Date(s * 1000).toISOString();
  return {
    from: iso(from),
    to: iso(to),
    at: to, // evaluate increase(...[range]) at this unix time
    range: `${to - from}s`,
    slos: Object.fromEntries(
      (Object.keys(acc) as Slo[]).map((k) => {
        const ratio = acc[k].valid ? acc[k].bad / acc[k].valid : 0;
        return [
          k,
          {
            objective: OBJECTIVES[k],
            valid: acc[k].valid,
            bad: acc[k].bad,
            errorRatio: ratio,
            budgetRemaining: 1 - ratio / (1 - OBJECTIVES[k]),
          },
        ];
      })
    ),
  };
}

function writeExpected(
  start: number,
  end: number,
  incidents: Incident[],
  steps: Array<[number, StepTotals]>,
  counts: History['counts']
) {
  const months = [];
  for (
    let d = new Date(start * 1000);
    d.getTime() / 1000 < end;
    d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))
  ) {
    const mStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
    const mEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / 1000;
    const from = Math.max(mStart, start);
    const to = Math.min(mEnd, end);
    months.push({
      month: new Date(mStart * 1000).toISOString().slice(0, 7),
      complete: from === mStart && to === mEnd,
      ...window(steps, from, to),
    });
  }
  const corrections = scriptedCorrections(incidents);
  const expected = {
    generatedBy: 'stack/history/generate.ts',
    seed: SEED,
    stepSeconds: STEP,
    start: new Date(start * 1000).toISOString(),
    end: new Date(end * 1000).toISOString(),
    startUnix: start,
    endUnix: end,
    tolerance: {
      errorRatioAbs: 1e-6,
      why: 'Windows end on a sample and start on one (or at the all-zero first sample), so increase() needs no extrapolation and equals the generated counts up to float rounding. Queried at an off-grid time (e.g. now), each window edge is off by up to half a 5 min step of traffic: ≤ 0.02 % of a 30-day count.',
    },
    incidents: incidents.map((i) => ({
      ...i,
      start: new Date(i.start * 1000).toISOString(),
      end: new Date(i.end * 1000).toISOString(),
    })),
    last30d: window(steps, end - 30 * 86400, end),
    months,
    // The scripted correction (the planned maintenance, as a maintenance window over every SLO): each period it
    // overlaps carries the counts inside it (`excluded`), so corrected = slos − excluded.
    // Months, quarters and ISO weeks in UTC and two zones with DST (periodTruth.ts): the report's periods.
    corrections: corrections.map((c) => ({
      ...c,
      start: new Date(c.start * 1000).toISOString(),
      end: new Date(c.end * 1000).toISOString(),
    })),
    periods: expectedPeriods({ start, end, counts }, EXPECTED_ZONES, undefined, corrections),
  };
  const text = JSON.stringify(expected, null, 2) + '\n';
  fs.writeFileSync(expectedState(), text);
  fs.writeFileSync(EXPECTED_REPO, text);
}

// Recording rules over the backfilled range, evaluated by promtool through the running Prometheus's API.
export async function backfillRules(log: (s: string) => void, restartPrometheus: () => Promise<void>) {
  const t = Date.now();
  const exp = JSON.parse(fs.readFileSync(expectedState(), 'utf8')) as { startUnix: number; endUnix: number };
  // The budget rules' buckets come from the generator's counts (writeHistoryBudget) and backfillBudget, not from here.
  const files = ruleFiles().filter(
    (f) => f !== BUDGET_RULES() && JSON.stringify(yaml.load(fs.readFileSync(f, 'utf8'))).includes('"record"')
  );
  const out = path.join(dirs.history, 'rule-blocks');
  fs.rmSync(out, { recursive: true, force: true });
  if (files.length) {
    // promtool writes one block per rule per 2 h (12 rules × 430 days ≈ 62 000 blocks), so the rules
    // are backfilled for the last RULE_DAYS only (what burn-rate charts show), one day per process in parallel.
    // Budgets and reports read the budget buckets and raw counters, which cover the whole history.
    const days = Array.from({ length: RULE_DAYS }, (_, i) => exp.endUnix - (i + 1) * 86400);
    await pool(days, 4, (from) =>
      exec('promtool', [
        'tsdb',
        'create-blocks-from',
        'rules',
        '-q',
        `--url=http://127.0.0.1:${PORTS.prometheus}`,
        `--start=${from}`,
        `--end=${from + 86400}`,
        `--eval-interval=${STEP}s`,
        `--output-dir=${out}`,
        ...files,
      ])
    );
    for (const b of fs.readdirSync(out)) {
      fs.renameSync(path.join(out, b), path.join(dataDir(), b));
    }
    await restartPrometheus(); // loads the new blocks now instead of at the next block reload
  }
  fs.writeFileSync(phaseFile(), 'done\n');
  log(
    `history: recording rules of the last ${RULE_DAYS} days (${files.map((f) => path.basename(f)).join(', ') || 'none'}) backfilled in ${((Date.now() - t) / 1000).toFixed(1)}s`
  );
}

export const BUDGET_RULES = () => path.join(REPO, 'provisioning', 'prometheus', 'slo-budget.yml');

/**
 * The budget buckets of the generated history (budgetBuckets.ts: from the exact counts, no PromQL) as one
 * OpenMetrics file for promtool; null without a slo-budget.yml. backfillBudget then only fills what follows.
 */
function writeHistoryBudget(start: number, end: number, counts: History['counts'], dir: string): string | null {
  if (!fs.existsSync(BUDGET_RULES())) {
    return null;
  }
  const doc = yaml.load(fs.readFileSync(BUDGET_RULES(), 'utf8')) as { groups: Array<{ rules: BudgetRule[] }> };
  const byName = historyBudgetLines(
    doc.groups.flatMap((g) => g.rules),
    counts,
    start,
    end,
    end - FINE_DAYS * 86400
  );
  const text = openMetricsGauges(byName);
  if (!text) {
    return null;
  }
  const file = path.join(dir, 'budget.om');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}
const HOUR = 3600;
// The live rules record bucket b at b + their group's offset (hourly: < 5 min; 5-minute: < 1 min); past that slot
// plus 30 s a missing bucket stays missing (the rules were loaded after it, or Prometheus was down), so it is
// backfilled. Before, it is left to the rule (writing it too would count the bucket twice).
const BUDGET_SETTLE: Record<number, number> = { 86400: 1230, 3600: 330, 300: 90 };
const DAY = 86400;
/** Days of 5-minute buckets backfilled: a 30-day window's head plus margin (hours cover the whole history). */
const FINE_DAYS = 32;

async function promApi(pathAndQuery: string, params: Record<string, string>) {
  const r = await fetch(`http://127.0.0.1:${PORTS.prometheus}${pathAndQuery}`, {
    method: 'POST',
    body: new URLSearchParams(params),
  });
  const body = (await r.json()) as {
    status: string;
    error?: string;
    data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
  };
  if (body.status !== 'success') {
    throw new Error(`Prometheus ${pathAndQuery}: ${body.error}`);
  }
  return body.data.result;
}

/**
 * The budget rules (slo-budget.yml) over the whole history: every clock hour from the first one the history
 * fully covers up to the last settled one that has no recorded sample yet (live evaluations, an earlier backfill)
 * is evaluated by the running Prometheus itself (query_range of the rule's own expression, step 1 h, on the hour),
 * written as OpenMetrics and turned into blocks; 5-minute buckets the same way over the last FINE_DAYS; each UTC day
 * as the sum of its 24 hourly buckets (recorded or computed here), as the daily rule does, and only when all 24 are
 * known. Idempotent: run on every `up`, it also fills buckets the live rules missed (Prometheus down at an hour's
 * first minutes). Prometheus loads the blocks at its next block reload (≤ 1 min).
 */
export async function backfillBudget(log: (s: string) => void, reload: () => Promise<void>) {
  const t = Date.now();
  if (!fs.existsSync(BUDGET_RULES()) || !fs.existsSync(expectedState())) {
    return;
  }
  // `up` on a running Prometheus rewrites its config but does not reload it: a budget rule file added or
  // regenerated since the last reload is loaded now, so the live rules take over from the backfill.
  const runtime = (await (await fetch(`http://127.0.0.1:${PORTS.prometheus}/api/v1/status/runtimeinfo`)).json()) as {
    data: { lastConfigTime: string };
  };
  const config = (await (await fetch(`http://127.0.0.1:${PORTS.prometheus}/api/v1/status/config`)).json()) as {
    data: { yaml: string };
  };
  // Never while a drill's test-only rules are loaded (stack/test/rules-mode.ts `fast`: copies under test-rules/): a
  // drill calls `up` to restore what it broke, and a reload here would swap its 20 s `for:` rules for the real ones
  // under it; the drill's own `normal` reload loads the repo's files, slo-budget.yml included.
  const drillRules = config.data.yaml.includes(TEST_RULES_DIR());
  if (
    !drillRules &&
    (!config.data.yaml.includes(BUDGET_RULES()) ||
      fs.statSync(BUDGET_RULES()).mtimeMs > Date.parse(runtime.data.lastConfigTime))
  ) {
    await reload();
    log('prometheus reloaded: it now loads the current slo-budget.yml');
  }
  const exp = JSON.parse(fs.readFileSync(expectedState(), 'utf8')) as { startUnix: number };
  const now = Date.now() / 1000;
  const doc = yaml.load(fs.readFileSync(BUDGET_RULES(), 'utf8')) as {
    groups: Array<{ rules: Array<{ record?: string; expr: string; labels?: Record<string, string> }> }>;
  };
  let written = 0;
  const byName = new Map<string, string[]>();
  // Every hourly bucket known (recorded before or computed now), by hourly selector and hour end: the daily buckets
  // are their sums, as the daily rule computes them from the recorded hours.
  const hourly = new Map<string, Map<number, number>>();
  // Days after hours: a day is summed from the hours of this run too.
  const rules = doc.groups
    .flatMap((g) => g.rules)
    .filter((r) => bucketOf(r.record))
    .sort((a, b) => Number(bucketOf(a.record)!.seconds === DAY) - Number(bucketOf(b.record)!.seconds === DAY));
  for (const rule of rules) {
    const bucket = bucketOf(rule.record)!;
    const size = bucket.seconds;
    // Days and hours over the whole history; 5-minute marks over the last FINE_DAYS (they only hold the partial hours at
    // the ends of a window: a 30-day budget reads them back 30 days). The bucket's start must hold a sample.
    const from = bucket.seconds >= HOUR ? exp.startUnix : Math.max(exp.startUnix, now - FINE_DAYS * 86400);
    const first = Math.ceil(from / size) * size + size;
    const last = Math.floor((now - BUDGET_SETTLE[size]) / size) * size;
    const labels = rule.labels ?? {};
    const sel = bucketSelector(rule.record!, labels);
    const have = new Set<number>();
    const known = new Map<number, number>();
    for (const s of await promApi('/api/v1/query', { query: `${sel}[${Math.ceil(now - first) + size}s]` })) {
      s.values.forEach(([ts, v]) => {
        have.add(Math.floor(ts / size) * size);
        known.set(Math.floor(ts / size) * size, Number(v));
      });
    }
    const missing = [];
    for (let h = first; h <= last; h += size) {
      if (!have.has(h)) {
        missing.push(h);
      }
    }
    const want = new Set(missing);
    const out = byName.get(rule.record!) ?? [];
    if (size === DAY) {
      // The hourly rule's selector for the same part and SLO (same labels).
      const part = (Object.keys(bucket.records) as Array<keyof typeof bucket.records>).find(
        (k) => bucket.records[k] === rule.record
      )!;
      const hours = hourly.get(sel.replace(rule.record!, BUDGET_BUCKETS.hour.records[part]));
      for (const d of missing) {
        const values = Array.from({ length: 24 }, (_, k) => hours?.get(d - k * HOUR));
        // Like the rule: a day with a missing hour gets no daily bucket.
        if (values.every((v) => v !== undefined)) {
          out.push(`${sel} ${values.reduce((a, b) => a! + b!, 0)} ${d}`);
          written++;
        }
      }
      byName.set(rule.record!, out);
      continue;
    }
    // query_range answers at most 11 000 points per series: the missing marks go in runs of ≤ 10 000 steps.
    for (let i = 0; i < missing.length;) {
      const start = missing[i];
      const end = Math.min(missing[missing.length - 1], start + 9999 * size);
      const result = await promApi('/api/v1/query_range', {
        query: rule.expr,
        start: String(start),
        end: String(end),
        step: String(size),
      });
      for (const [ts, v] of result[0]?.values ?? []) {
        if (want.has(ts)) {
          out.push(`${sel} ${v} ${ts}`);
          known.set(ts, Number(v));
          written++;
        }
      }
      while (i < missing.length && missing[i] <= end) {
        i++;
      }
    }
    byName.set(rule.record!, out);
    if (size === HOUR) {
      hourly.set(sel, known);
    }
  }
  if (written) {
    const om = path.join(dirs.history, 'budget.om');
    const out = path.join(dirs.history, 'budget-blocks');
    fs.rmSync(out, { recursive: true, force: true });
    fs.writeFileSync(om, openMetricsGauges(byName));
    await exec('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '-q', om, out]);
    for (const b of fs.readdirSync(out)) {
      fs.renameSync(path.join(out, b), path.join(dataDir(), b));
    }
    fs.rmSync(om, { force: true });
  }
  log(
    `history: budget rules (slo-budget.yml): ${written} bucket samples (daily, hourly and 5-minute) backfilled in ${((Date.now() - t) / 1000).toFixed(1)}s${written ? ' (Prometheus loads them at its next block reload, ≤ 1 min)' : ''}`
  );
}
