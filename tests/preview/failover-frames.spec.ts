// A hard failover watched frame by frame: the Postgres HA page (streaming over Grafana Live) is read every ~0.5 s
// while the stack kills the primary, and every frame is checked against the ground truth of that moment — the
// monitor's own tables and whether each node's Postgres accepts a TCP connection — read just before and just after
// the frame. A frame may lag the truth by GRACE_MS (the backend probes the primary twice a second, re-reads the
// formation and pushes the frame), never more: before this test, a dead primary stayed green for ~8 s.
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { testIds } from '../../src/components/testIds';
import { topologyTestIds } from '../../src/panels/topology/testIds';
import { APP, expect, monitorPrimary, requireStack, test } from './fixtures';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '..', '..');
const PORTS: Record<string, number> = { node1: 6001, node2: 6002 };
const GRACE_MS = 1500;

interface Truth {
  at: number;
  /** nodename → reported/goal state, as the monitor records it. */
  states: Record<string, { reported: string; goal: string }>;
  /** nodename → its Postgres accepts a TCP connection now. */
  answering: Record<string, boolean>;
}

interface Frame {
  at: number;
  verdict: string;
  reason: string;
  nodes: Record<string, { label: string; answering: string }>;
  bouncer: { routesTo: string; stale: string };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port, timeout: 400 });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });
}

async function truth(monitor: Client): Promise<Truth> {
  const [rows, ...ports] = await Promise.all([
    monitor.query<{ nodename: string; reportedstate: string; goalstate: string }>(
      'select nodename, reportedstate, goalstate from pgautofailover.node order by nodeid'
    ),
    ...Object.values(PORTS).map(accepts),
  ]);
  const names = Object.keys(PORTS);
  return {
    at: Date.now(),
    states: Object.fromEntries(rows.rows.map((r) => [r.nodename, { reported: r.reportedstate, goal: r.goalstate }])),
    answering: Object.fromEntries(names.map((n, i) => [n, ports[i]])),
  };
}

test.beforeAll(async ({ request }) => {
  await requireStack(request);
});

test('every frame of the Postgres HA page during a hard failover agrees with the monitor and the nodes', async ({
  page,
  consoleErrors,
}) => {
  test.setTimeout(300_000);
  const before = await monitorPrimary();
  expect(before, 'the monitor names a primary').toBeTruthy();
  const other = Object.keys(PORTS).find((n) => n !== before)!;
  await page.goto(`${APP}/topology`);
  await expect(page.getByTestId(testIds.pages.Topology)).toBeVisible();
  await expect(page.getByTestId(topologyTestIds.node(before!))).toHaveAttribute('data-label', 'PRIMARY');

  const monitor = new Client({ host: '127.0.0.1', port: 6000, user: 'autoctl_node', database: 'pg_auto_failover' });
  await monitor.connect();
  const readFrame = (): Promise<Frame> =>
    page.evaluate(
      ({ ids, names }) => {
        const el = (id: string) => document.querySelector(`[data-testid="${id}"]`);
        const nodes: Frame['nodes'] = {};
        for (const [name, id] of names) {
          const n = el(id);
          nodes[name] = {
            label: n?.getAttribute('data-label') ?? '',
            answering: n?.getAttribute('data-answering') ?? '',
          };
        }
        const b = el(ids.pgbouncer);
        return {
          at: Date.now(),
          verdict: el(ids.verdict)?.textContent ?? '',
          reason: el(ids.reason)?.textContent ?? '',
          nodes,
          bouncer: {
            routesTo: b?.getAttribute('data-routes-to') ?? '',
            stale: b?.getAttribute('data-routing-stale') ?? '',
          },
        };
      },
      {
        ids: { pgbouncer: topologyTestIds.pgbouncer, verdict: topologyTestIds.verdict, reason: topologyTestIds.reason },
        names: Object.keys(PORTS).map((n) => [n, topologyTestIds.node(n)] as [string, string]),
      }
    );

  // The stack kills the primary's process group and waits for promotion, PgBouncer, the API, and the rejoin.
  let done = false;
  const failover = run('npm', ['run', '--silent', 'stack', '--', 'failover', '--hard'], {
    cwd: repo,
    timeout: 240_000,
  }).finally(() => (done = true));

  const samples: Array<{ pre: Truth; frame: Frame; post: Truth }> = [];
  let post = await truth(monitor);
  while (!done) {
    const pre = post;
    const frame = await readFrame();
    post = await truth(monitor);
    samples.push({ pre, frame, post });
    await page.waitForTimeout(500);
  }
  await failover;
  await monitor.end();

  const problems: string[] = [];
  const truths = samples.flatMap((s) => [s.pre, s.post]).sort((a, b) => a.at - b.at);
  // True when f held for every reading from GRACE_MS before the frame up to the reading just after it: the frame had
  // time to show the change and still contradicts it.
  const both = (s: (typeof samples)[number], f: (t: Truth) => boolean) => {
    const since = s.frame.at - GRACE_MS;
    const lastBefore = [...truths].reverse().find((t) => t.at <= since);
    const window = truths.filter((t) => t.at > since && t.at <= s.post.at);
    return lastBefore !== undefined && f(lastBefore) && window.every(f);
  };
  for (const s of samples) {
    const t = new Date(s.frame.at).toISOString().slice(11, 23);
    for (const [name, n] of Object.entries(s.frame.nodes)) {
      // A node drawn as a working primary must have been answering around that frame.
      if (n.label === 'PRIMARY' && both(s, (tr) => !tr.answering[name])) {
        problems.push(`${t}: ${name} drawn PRIMARY while its Postgres refused connections`);
      }
      if (n.answering === 'false' && both(s, (tr) => tr.answering[name])) {
        problems.push(`${t}: ${name} drawn not answering while it accepted connections`);
      }
    }
    // PgBouncer pointing at a node that does not answer is flagged at once.
    const routed = s.frame.bouncer.routesTo;
    if (routed && s.frame.bouncer.stale === 'false' && both(s, (tr) => tr.answering[routed] === false)) {
      problems.push(`${t}: PgBouncer → ${routed} not flagged while ${routed} refused connections`);
    }
    // While the old primary is down and the other node is not yet the monitor's primary, the verdict says a
    // failover is under way and what comes next, never "degraded".
    const waiting = (tr: Truth) =>
      !tr.answering[before!] && !['primary', 'wait_primary'].includes(tr.states[other]?.reported ?? '');
    if (both(s, waiting) && s.frame.verdict !== 'Failover in progress') {
      problems.push(`${t}: verdict "${s.frame.verdict}" (${s.frame.reason}) while the failover was under way`);
    }
  }
  expect(problems, `${samples.length} frames checked`).toEqual([]);

  // The test saw the failover, not only calm frames: the lost primary, then what comes next, then the new primary.
  const frames = samples.map((s) => s.frame);
  expect(frames.some((f) => f.nodes[before!].label === 'PRIMARY LOST')).toBe(true);
  expect(frames.some((f) => /promotion expected within \d+ s|is being promoted/.test(f.reason))).toBe(true);
  expect(frames.some((f) => f.bouncer.routesTo === before && f.bouncer.stale === 'true')).toBe(true);
  await expect(page.getByTestId(topologyTestIds.node(other))).toHaveAttribute('data-label', 'PRIMARY', {
    timeout: 30_000,
  });
  expect(consoleErrors).toEqual([]);
});
