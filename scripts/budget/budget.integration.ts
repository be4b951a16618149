// `npm run budget -- report` and `gate` against the stack's Prometheus (scripts/suites/63-stack-backtest.sh): the
// report it prints for a complete month of the history equals the figures stack/history/generate.ts wrote in
// expected.json, in JSON, CSV and markdown; the gate's verdict follows the spec's policy; bad options and an
// unreachable Prometheus are refused with a message.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type BudgetPolicy, encodePolicy, POLICY_ANNOTATION, policyState } from '../../src/slo/policy';
import { parseSpec } from '../rules/spec';
import schema from '../../provisioning/slo/slos.schema.json';
import { GATE_EXIT } from './gate';
import { parsePeriod } from '../../src/slo/periods';
import { regenerate } from '../../stack/history/backtestTruth';
import { expectedPeriod } from '../../stack/history/periodTruth';

const ROOT = path.resolve(__dirname, '../..');
const PROM = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
const expected = JSON.parse(fs.readFileSync(path.join(ROOT, 'stack/history/expected.json'), 'utf8')) as {
  endUnix: number;
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

/** The CLI without blocking the event loop (a test's own HTTP server must answer it). */
function budgetAsync(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/budget/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, PROMETHEUS_URL: PROM },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
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
      // period,period_kind,time_zone,running,from,to,slo,objective,valid,…
      const row = rows.find((l) => l.split(',')[6] === id)!;
      expect(row.split(',')[8]).toBe(String(Math.round(e.valid)));
      expect(md.stdout).toContain(`${Math.round(e.bad)} / ${Math.round(e.valid)}`);
    }
  });

  test('refusals: a bad period or format exits 2 with a message; a dead Prometheus exits 1, printing nothing', () => {
    for (const [args, msg] of [
      [['--period', '2026-13'], /a calendar month \(YYYY-MM, e\.g\. 2026-11\), quarter \(YYYY-Qn/],
      [['--period', '2026-W54'], /ISO week \(YYYY-Www, 2026-W48\)/],
      [['--tz', 'Europe/Berln'], /--tz Europe\/Berln: not an IANA time zone/],
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

// Each period kind, in UTC and in zones with a DST change inside the period, against the figures computed from the
// history generator's counts (stack/history/periodTruth.ts, regenerated in memory from expected.json's end): the
// totals, and the worst local day, which only comes out right if the hourly buckets are folded into the zone's
// days (the Berlin ones hold the 25-hour Sunday of 25 October). Complete periods only: the CLI evaluates at now,
// and a running period would count the live traffic after the history.
describe('npm run budget -- report, every period kind and time zone', () => {
  const history = regenerate(expected.endUnix);
  test.each([
    ['2026-10', 'Europe/Berlin', 745],
    ['2026-11', 'America/New_York', 721],
    ['2026-11', 'UTC', 720],
    ['2026-Q3', 'Europe/Berlin', 2208],
    ['2026-W43', 'Europe/Berlin', 169],
    ['2026-W48', 'UTC', 168],
  ])('%s in %s (%d h): every SLO as the history computes it', (key, tz, hours) => {
    const period = parsePeriod(key, tz)!;
    expect((period.endMs - period.startMs) / 3600000).toBe(hours);
    const truth = expectedPeriod(history, period);
    const r = budget('report', '--period', key, '--tz', tz, '--format', 'json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      period: string;
      kind: string;
      timeZone: string;
      from: string;
      problems: string[];
      slos: Array<{ slo: string; valid: number; bad: number; sli: number; running: boolean; worstDay?: string }>;
    };
    expect(out).toMatchObject({ period: key, kind: period.kind, timeZone: tz, problems: [] });
    expect(out.from).toBe(new Date(period.startMs).toISOString());
    expect(out.slos.map((s) => s.slo).sort()).toEqual(Object.keys(truth.slos).sort());
    for (const s of out.slos) {
      const e = truth.slos[s.slo as keyof typeof truth.slos];
      expect(s.running).toBe(false);
      expect(s.valid).toBeCloseTo(e.valid, 3);
      expect(s.bad).toBeCloseTo(e.bad, 3);
      expect(Math.abs(1 - s.sli - e.errorRatio)).toBeLessThan(expected.tolerance.errorRatioAbs);
      const worst = truth.days.reduce((w, d) =>
        d.slos[s.slo as keyof typeof d.slos].bad > w.slos[s.slo as keyof typeof w.slos].bad ? d : w
      );
      expect(s.worstDay).toBe(worst.date);
    }
  });
});

// The deploy gate against the stack: the verdict is the spec's policy at the budget left the gate reports, and the
// exit code follows it. The stack's budgets move with the drills' live traffic, so the blocked path is driven
// through a proxy that serves the real rules with a stricter policy (everything under 100 % left freezes).
describe('npm run budget -- gate', () => {
  const spec = parseSpec(fs.readFileSync(path.join(ROOT, 'provisioning/slo/slos.yaml'), 'utf8'), schema);
  const line = /^(\S+): ([0-9.-]+) % of the 30d error budget left, to \d\d:\d\d UTC → policy "([a-z0-9_-]+)": (.+)$/m;

  test.each(Object.keys(expected.months[0].slos))(
    '%s: the policy state at the budget it reports, and its exit code',
    (id) => {
      const r = budget('gate', '--slo', id);
      const m = line.exec(r.stdout);
      expect(m).not.toBeNull();
      const left = Number(m![2]) / 100;
      const policy = spec.slos.find((s) => s.id === id)!.budgetPolicy ?? spec.budgetPolicy!;
      const state = policyState(policy, left)!;
      expect(m![3]).toBe(state.state);
      expect(m![4]).toBe(state.text);
      expect(r.status).toBe(state.blocksDeploys ? GATE_EXIT.blocked : GATE_EXIT.deploy);
      expect(r.stdout).toContain(state.blocksDeploys ? 'deploy blocked' : 'deploy allowed');
    }
  );

  test('a state that blocks deploys exits 1 and says why', async () => {
    const strict: BudgetPolicy = [
      { state: 'ok', minBudgetLeft: 1, text: 'Untouched budget.' },
      { state: 'freeze', blocksDeploys: true, text: 'Any spend freezes (test policy).' },
    ];
    const server = http.createServer(async (req, res) => {
      const upstream = await fetch(`${PROM}${req.url}`, { method: req.method });
      let body = await upstream.text();
      if (req.url?.startsWith('/api/v1/rules')) {
        const doc = JSON.parse(body);
        for (const g of doc.data.groups) {
          for (const rule of g.rules) {
            if (rule.annotations?.[POLICY_ANNOTATION]) {
              rule.annotations[POLICY_ANNOTATION] = encodePolicy(strict);
            }
          }
        }
        body = JSON.stringify(doc);
      }
      res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const r = await budgetAsync('gate', '--slo', 'api-availability', '--prometheus', `http://127.0.0.1:${port}`);
      expect(r.stdout).toMatch(/→ policy "freeze": Any spend freezes \(test policy\)\./);
      expect(r.stdout).toContain('deploy blocked by the error-budget policy of api-availability');
      expect(r.status).toBe(GATE_EXIT.blocked);
    } finally {
      server.close();
    }
  });

  test('refusals: no --slo or an unknown SLO exits 2; a dead Prometheus exits 3 (no verdict), printing nothing', () => {
    for (const [args, msg] of [
      [[], /gate needs --slo/],
      [['--slo', 'nope'], /no such SLO in the rules \(api-availability, api-latency, payment-success\)/],
    ] as Array<[string[], RegExp]>) {
      const r = budget('gate', ...args);
      expect(r.status).toBe(GATE_EXIT.usage);
      expect(r.stderr).toMatch(msg);
      expect(r.stdout).toBe('');
    }
    const dead = budget('gate', '--slo', 'api-availability', '--prometheus', 'http://127.0.0.1:1');
    expect(dead.status).toBe(GATE_EXIT.unknown);
    expect(dead.stderr).toMatch(/did not answer.*no verdict/);
    expect(dead.stdout).toBe('');
  });
});
