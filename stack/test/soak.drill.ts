// The soak in short (scripts/suites/62-stack-soak.sh; `npm run soak` runs 20, docs/stack.md): VEZA_SOAK_FAILOVERS
// (default 3) consecutive hard-kill failovers with orders flowing, run by stack/soak.ts, which checks after each
// round that the PG HA data source (through the preview host, as Grafana asks it) shows exactly the monitor's
// primary with a healthy verdict and PgBouncer routes to it, and at the end that every order acknowledged 2xx is in
// the database and the data source backend never restarted. Each breach is a line of its summary; the tests below
// read that summary. Needs the stack and dist/. The soak's own log goes to stderr as it runs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { REPO, TSX } from '../lib/config';
import type { SoakSummary } from '../soak';
import { reportTiming } from './alertDrill';

const FAILOVERS = Number(process.env.VEZA_SOAK_FAILOVERS ?? 3);
const OUT = path.join(process.env.VEZA_RESULTS ?? os.tmpdir(), 'soak.json');

/** Runs the soak to its end, its output passed on to stderr; its exit code. */
function soak(): Promise<number | null> {
  const child = spawn(TSX, ['stack/soak.ts', '--failovers', String(FAILOVERS), '--out', OUT], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(process.stderr);
  child.stderr.pipe(process.stderr);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
}

let summary: SoakSummary | undefined;
const ran = () => {
  assert.ok(summary, 'the soak wrote no summary');
  return summary;
};

test('soak ran and wrote its summary (exit 0, or 1 with breaches)', async (t) => {
  fs.rmSync(OUT, { force: true });
  const t0 = Date.now();
  const code = await soak();
  assert.ok(fs.existsSync(OUT), `stack/soak.ts exited ${code} without writing ${OUT}`);
  summary = JSON.parse(fs.readFileSync(OUT, 'utf8')) as SoakSummary;
  reportTiming(t, 'soak', {
    tookS: Math.round((Date.now() - t0) / 1000),
    promotedSeconds: summary.promotedSeconds.join(','),
    dataSourceAgreedSeconds: summary.dataSourceAgreedSeconds.join(','),
    answers: Object.entries(summary.answers)
      .map(([code, n]) => `${code}: ${n}`)
      .join(', '),
  });
  assert.equal(code, summary.breaches.length ? 1 : 0, `exit code ${code} with ${summary.breaches.length} breaches`);
});

test('every failover converged and was shown as such (no breach)', (t) => {
  const { breaches } = ran();
  breaches.forEach((b) => t.diagnostic(`breach: ${b}`));
  assert.deepEqual(breaches, []);
});

test('every order acknowledged 2xx is in the database', (t) => {
  const { ordersFound, ordersAcknowledged } = ran();
  t.diagnostic(`${ordersFound}/${ordersAcknowledged} found`);
  assert.equal(ordersFound, ordersAcknowledged);
});

test('orders were acknowledged during the soak', () => {
  assert.ok(ran().ordersAcknowledged > 0, 'no order was acknowledged 2xx');
});

test(`all ${FAILOVERS} failovers ran`, () => {
  assert.equal(ran().failovers, FAILOVERS);
});
