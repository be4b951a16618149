// npm run bench -- history: what the stack's first `up` spends on the 430-day history, without touching the stack's
// state: the generator writing its block files to a temporary dir, promtool turning them into blocks there (two at a
// time, as `up` does), the budget buckets from the counts, and the expected figures of every period. Prints one JSON
// line; docs/BENCHMARKS.md ("History backfill") has the results and the machine.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { BLOCK_HOURS, DAYS, historyFiles, historySpan, scriptedCorrections, STEP } from '../stack/history/generate';
import { historyBudgetLines, type BudgetRule } from '../stack/history/budgetBuckets';
import { expectedPeriods } from '../stack/history/periodTruth';
import { BUDGET_RULES, EXPECTED_ZONES } from '../stack/history/backfill';
import type { History } from '../stack/history/backtestTruth';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veza-bench-history-'));
const om = path.join(dir, 'om');
const data = path.join(dir, 'data');
fs.mkdirSync(om);
const end = Math.floor(Date.now() / 1000 / STEP) * STEP - STEP;
const counts: History['counts'] = { 'api-availability': [], 'api-latency': [], 'payment-success': [] };
const ms = (t: number) => Math.round(performance.now() - t);
try {
  let t = performance.now();
  const files = [
    ...historyFiles(end, om, (ts, totals) => {
      for (const k of Object.keys(counts) as Array<keyof typeof counts>) {
        counts[k].push({ t: ts, bad: totals[k].bad, valid: totals[k].valid });
      }
    }),
  ];
  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  const generateMs = ms(t);
  t = performance.now();
  // Two promtools at a time, as `up` runs them (there, beside the generator).
  for (let i = 0; i < files.length; i += 2) {
    const pair = files.slice(i, i + 2);
    // Two promtools side by side through a shell (spawnSync waits for one process).
    const r = spawnSync('bash', [
      '-c',
      pair
        .map(
          (f) =>
            `promtool tsdb create-blocks-from openmetrics -q --max-block-duration=${BLOCK_HOURS}h '${f}' '${data}' &`
        )
        .join(' ') + ' wait',
    ]);
    if (r.status !== 0) {
      throw new Error(String(r.stderr));
    }
  }
  const blocksMs = ms(t);
  t = performance.now();
  const rules = (
    yaml.load(fs.readFileSync(BUDGET_RULES(), 'utf8')) as { groups: Array<{ rules: BudgetRule[] }> }
  ).groups.flatMap((g) => g.rules);
  const lines = historyBudgetLines(rules, counts, end - DAYS * 86400, end, end - 32 * 86400);
  const budgetSamples = [...lines.values()].reduce((n, l) => n + l.length, 0);
  const budgetMs = ms(t);
  t = performance.now();
  const { start, incidents } = historySpan(end);
  const periods = expectedPeriods({ start, end, counts }, EXPECTED_ZONES, undefined, scriptedCorrections(incidents));
  const periodsMs = ms(t);
  console.log(
    JSON.stringify({
      days: DAYS,
      stepSeconds: STEP,
      blockFiles: files.length,
      openMetricsMB: Math.round(bytes / 1e6),
      generateMs,
      promtoolBlocksMs: blocksMs,
      budgetBucketSamples: budgetSamples,
      budgetBucketsMs: budgetMs,
      expectedPeriods: periods.length,
      expectedPeriodsMs: periodsMs,
    })
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
