// `npm run budget -- report` against the stack's Prometheus (scripts/suites/63-stack-backtest.sh): the report it
// prints for a complete month of the history equals the figures stack/history/generate.ts wrote in expected.json,
// in JSON, CSV and markdown; bad options and an unreachable Prometheus are refused with a message.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const PROM = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
const expected = JSON.parse(fs.readFileSync(path.join(ROOT, 'stack/history/expected.json'), 'utf8')) as {
  tolerance: { errorRatioAbs: number };
  months: Array<{
    month: string;
    complete: boolean;
    slos: Record<string, { valid: number; bad: number; errorRatio: number }>;
  }>;
};

function budget(...args: string[]) {
  const r = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/budget/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PROMETHEUS_URL: PROM },
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const complete = expected.months.find((m) => m.complete)!;

describe('npm run budget -- report, against the history', () => {
  test(`JSON for ${complete.month}: every SLO's counts equal expected.json`, () => {
    const r = budget('report', '--period', complete.month, '--format', 'json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      problems: string[];
      slos: Array<{ slo: string; valid: number; bad: number; sli: number; running: boolean }>;
    };
    expect(out.problems).toEqual([]);
    expect(out.slos.map((s) => s.slo).sort()).toEqual(Object.keys(complete.slos).sort());
    for (const s of out.slos) {
      const e = complete.slos[s.slo];
      expect(s.running).toBe(false);
      expect(s.valid).toBeCloseTo(e.valid, 3);
      expect(s.bad).toBeCloseTo(e.bad, 3);
      expect(Math.abs(1 - s.sli - e.errorRatio)).toBeLessThan(expected.tolerance.errorRatioAbs);
    }
  });

  test('CSV and markdown carry the same counts', () => {
    const csv = budget('report', '--period', complete.month, '--format', 'csv');
    const md = budget('report', '--period', complete.month, '--format', 'md');
    expect(csv.status).toBe(0);
    expect(md.status).toBe(0);
    const rows = csv.stdout.trim().split('\n');
    expect(rows).toHaveLength(1 + Object.keys(complete.slos).length);
    for (const [id, e] of Object.entries(complete.slos)) {
      const row = rows.find((l) => l.split(',')[4] === id)!;
      expect(row.split(',')[6]).toBe(String(Math.round(e.valid)));
      expect(md.stdout).toContain(`${Math.round(e.bad)} / ${Math.round(e.valid)}`);
    }
  });

  test('refusals: a bad period or format exits 2 with a message; a dead Prometheus exits 1, printing nothing', () => {
    for (const [args, msg] of [
      [['--period', '2026-13'], /a calendar month as YYYY-MM/],
      [['--period', '2999-01'], /has not started/],
      [['--format', 'pdf'], /csv, json or md/],
      [['--prometheus', 'not a url'], /not a URL/],
    ] as Array<[string[], RegExp]>) {
      const r = budget('report', ...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stdout).toBe('');
    }
    const dead = budget('report', '--prometheus', 'http://127.0.0.1:1');
    expect(dead.status).toBe(1);
    expect(dead.stderr).toMatch(/did not answer/);
    expect(dead.stdout).toBe('');
  });
});
