// First-`up` history: OpenMetrics → TSDB blocks (before Prometheus starts), then the recording rules evaluated
// over that history by promtool against the running Prometheus. expected.json is computed from the generated
// counts, never from PromQL, so tests can check what Prometheus answers against what it must answer.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { PORTS, dirs } from '../lib/config';
import { ruleFiles } from '../lib/monitoring';
import { DAYS, SEED, STEP, StepTotals, generate } from './generate';

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
  const { start, incidents, files } = generate(end, om, (ts, totals) => steps.push([ts, totals]));
  log(`history: generated ${DAYS} days at ${STEP}s step in ${((Date.now() - t) / 1000).toFixed(1)}s`);
  await pool(files, 3, (f) => exec('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '-q', f, dataDir()]));
  fs.rmSync(om, { recursive: true, force: true });
  writeExpected(start, end, incidents, steps);
  fs.writeFileSync(phaseFile(), 'blocks\n');
  log(`history: ${files.length} day files → TSDB blocks in ${((Date.now() - t) / 1000).toFixed(1)}s`);
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
  incidents: ReturnType<typeof generate>['incidents'],
  steps: Array<[number, StepTotals]>
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
  };
  const text = JSON.stringify(expected, null, 2) + '\n';
  fs.writeFileSync(expectedState(), text);
  fs.writeFileSync(EXPECTED_REPO, text);
}

// Recording rules over the backfilled range, evaluated by promtool through the running Prometheus's API.
export async function backfillRules(log: (s: string) => void, restartPrometheus: () => Promise<void>) {
  const t = Date.now();
  const exp = JSON.parse(fs.readFileSync(expectedState(), 'utf8')) as { startUnix: number; endUnix: number };
  const files = ruleFiles().filter((f) => JSON.stringify(yaml.load(fs.readFileSync(f, 'utf8'))).includes('"record"'));
  const out = path.join(dirs.history, 'rule-blocks');
  fs.rmSync(out, { recursive: true, force: true });
  if (files.length) {
    // promtool writes one block per rule per 2 h (12 rules × 90 days = 12 960 blocks, ~30 min), so the rules
    // are backfilled for the last RULE_DAYS only (what burn-rate charts show), one day per process in parallel.
    // Budgets and monthly reports read the raw counters, which cover all 90 days.
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
