// The db-failover runbook's manual steps, run as written (scripts/suites/58-stack-db-failover-manual.sh; needs
// `stack up`, root). The commands come from the markdown itself: the blocks marked `<!-- drill: db-failover -->`,
// in document order — first the planned switch on a healthy pair, then the data-loss path on a fault built for
// it: the standby stopped (the primary goes on alone, wait_primary), one order written that only the primary
// has, the primary killed, the standby started again (catchingup, so the monitor must not promote it). Both end
// with the formation healthy: two nodes, one primary, PgBouncer on it; on a failure the drill restores that too.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test, TestContext } from 'node:test';
import { DB, PORTS, REPO, dirs, pgEnv, pgdata } from '../lib/config';
import { formationState, healthy, NodeName, primaryPort, query } from '../lib/formation';
import { routedPort } from '../lib/pgbouncer';
import { readPid, run, signalGroup, sleep, startDetached } from '../lib/proc';
import { blocks, commands } from '../lib/runbooks';
import { bashAccepts, describe, runSession } from '../lib/runbookShell';
import { stack, until } from './alertDrill';

const md = fs.readFileSync(path.join(REPO, 'docs', 'runbooks', 'db-failover.md'), 'utf8');
const steps = blocks(md)
  .filter((b) => b.drill === 'db-failover')
  .map((b) => commands(b, bashAccepts));

const report = (t: TestContext, drill: string, timings: Record<string, number | string>) =>
  t.diagnostic(`timing ${drill} ${JSON.stringify(timings)}`);

function assertAllRan(ran: ReturnType<typeof runSession>) {
  for (const r of ran) {
    assert.ok(r.ok, `runbook command failed:\n${describe(r)}`);
  }
}

/** Healthy as the runbook's last lines promise: primary + secondary, PgBouncer on the primary, orders taken. */
async function formationBack(t0: number): Promise<number> {
  return until('primary + secondary with PgBouncer on the primary and orders answered 201', 240, t0, async () => {
    const primary = await primaryPort();
    if (!(await healthy()) || !primary || (await routedPort()) !== primary) {
      return false;
    }
    const r = await fetch(`http://127.0.0.1:${PORTS.api}/api/v1/orders`, { method: 'POST', body: '{}' });
    return r.status === 201;
  });
}

/**
 * Whatever a failed drill left: a node the monitor no longer knows is moved away with its pg_autoctl state (as the
 * runbook does) so `up` can create it again; then `up` starts what is not running and waits for the pair.
 */
async function restore() {
  const known = (await formationState().catch(() => [])).map((n) => n.nodename);
  if (known.length) {
    for (const n of ['node1', 'node2'] as const) {
      if (!known.includes(n) && fs.existsSync(pgdata(n))) {
        fs.renameSync(pgdata(n), `${pgdata(n)}.dropped-restore-${Date.now()}`);
        for (const x of [pgEnv.XDG_CONFIG_HOME, pgEnv.XDG_DATA_HOME, pgEnv.XDG_RUNTIME_DIR]) {
          fs.rmSync(path.join(x, 'pg_autoctl', pgdata(n)), { recursive: true, force: true });
        }
      }
    }
  }
  stack('up');
}

/** The runbook keeps a dropped node's directory for the postmortem; the drill's own copies are removed after. */
function removeDroppedCopies() {
  for (const d of fs.readdirSync(dirs.pg).filter((f) => /\.dropped-/.test(f))) {
    fs.rmSync(path.join(dirs.pg, d), { recursive: true, force: true });
  }
}

test('the runbook has the two drill blocks: planned switch, data-loss path', () => {
  assert.equal(steps.length, 2, 'expected two <!-- drill: db-failover --> blocks in docs/runbooks/db-failover.md');
  assert.ok(steps[0].some((c) => /perform failover/.test(c.text)));
  assert.ok(steps[1].some((c) => /drop node .*--force/.test(c.text)));
  assert.ok(
    steps[1].some((c) => c.refused && /perform failover/.test(c.text)),
    'data-loss path: perform failover must be shown refused'
  );
});

test('planned switch: perform failover swaps the roles, PgBouncer follows', async (t) => {
  assert.ok(await healthy(), 'formation not primary + secondary before the drill');
  const before = await primaryPort();
  const t0 = Date.now();
  try {
    const ran = runSession(steps[0], 180000);
    const tm: Record<string, number | string> = { commandsS: Math.round((Date.now() - t0) / 100) / 10 };
    assertAllRan(ran);
    assert.notEqual(await primaryPort(), before, 'the primary did not change');
    tm.healthyS = await formationBack(t0);
    report(t, 'planned-switch', tm);
  } catch (e) {
    await restore();
    throw e;
  }
});

test('data-loss path: catching-up standby refused, dead primary dropped, standby promoted, node rebuilt', async (t) => {
  assert.ok(await healthy(), 'formation not primary + secondary before the drill');
  const st = await formationState();
  const primary = st.find((n) => n.reportedstate === 'primary')!.nodename as NodeName;
  const standby = st.find((n) => n.reportedstate === 'secondary')!.nodename as NodeName;
  const tm: Record<string, number | string> = { primary, standby };
  const lost = `drill-lost-${Date.now()}`;
  const t0 = Date.now();
  try {
    // 1. The standby stops; the primary carries on alone (wait_primary) and takes one more order.
    const r = run('pg_autoctl', ['stop', '--pgdata', pgdata(standby)], { asPostgres: true });
    assert.equal(r.code, 0, `pg_autoctl stop ${standby}: ${r.err}`);
    tm.waitPrimaryS = await until(`${primary} alone in wait_primary`, 90, t0, async () =>
      (await formationState()).some(
        (n) => n.nodename === primary && n.reportedstate === 'wait_primary' && n.goalstate === 'wait_primary'
      )
    );
    await query(PORTS.pgbouncer, DB, 'INSERT INTO orders (sku, qty) VALUES ($1, 1)', [lost]);
    // 2. The primary dies (its whole process group: pg_autoctl and Postgres), the standby comes back behind.
    signalGroup(readPid(primary)!, 'SIGKILL');
    startDetached({ name: standby, cmd: 'pg_autoctl', args: ['run', '--pgdata', pgdata(standby)], asPostgres: true });
    const t1 = Date.now();
    // Its keeper runs again but cannot follow a dead primary: assigned catchingup, never promotable.
    const standbyGoal = async () => (await formationState()).find((n) => n.nodename === standby)?.goalstate;
    tm.standbyCatchingUpS = await until(
      `${standby} running, assigned catchingup, ${primary} unhealthy`,
      120,
      t1,
      async () => {
        const s = await formationState();
        return (
          !!readPid(standby) &&
          s.some((n) => n.nodename === standby && n.goalstate === 'catchingup') &&
          s.some((n) => n.nodename === primary && n.health === 0)
        );
      }
    );
    await sleep(15000); // far past the tuned unhealthy + demote timeouts (4 s each)
    assert.equal(await standbyGoal(), 'catchingup', 'the monitor moved the catching-up standby towards promotion');
    // 3. The runbook's data-loss path, command by command.
    const t2 = Date.now();
    const ran = runSession(steps[1], 420000);
    tm.runbookCommandsS = Math.round((Date.now() - t2) / 100) / 10;
    assertAllRan(ran);
    tm.healthyAfterCommandsS = await formationBack(Date.now());
    assert.equal(await primaryPort(), PORTS[standby], `${standby} should be the primary now`);
    const rows = await query(PORTS.pgbouncer, DB, 'SELECT count(*)::int AS n FROM orders WHERE sku = $1', [lost]);
    assert.equal(rows[0].n, 0, 'the order only the dead primary had should be lost (the path is a data-loss path)');
    report(t, 'data-loss-path', tm);
  } catch (e) {
    await restore();
    throw e;
  } finally {
    removeDroppedCopies();
  }
});
