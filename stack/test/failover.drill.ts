// Hard failover drill (scripts/suites/52-stack-drill.sh; needs `stack up`, root): `npm run stack -- failover
// --hard` SIGKILLs the primary's pg_autoctl + Postgres process group; within VEZA_FAILOVER_LIMIT seconds (30: the
// tuned monitor measures ~15 s, margin for a loaded 2-core machine) the standby is primary, PgBouncer points at
// it, the demo API takes orders again, Prometheus holds the 5xx burst, and the old node (restarted by the CLI)
// rejoins as secondary. The CLI's last line is its measured timings (reported as the "timing failover" line).
import assert from 'node:assert/strict';
import { after, test, TestContext } from 'node:test';
import { PORTS } from '../lib/config';
import { healthy, primaryPort, query } from '../lib/formation';
import { promQuery, stack, until } from './alertDrill';
import { bouncerLandsOn, CONVERGED, formationRoles, postOrder } from './stackDrill';

const LIMIT = Number(process.env.VEZA_FAILOVER_LIMIT ?? 30);

/** The JSON line `failover` prints last (stack/cli.ts). */
interface FailoverResult {
  killed?: string;
  oldPrimary: string;
  newPrimary: string;
  promotedSeconds: number;
  pgbouncerSeconds: number;
  apiSeconds: number;
  rejoinSeconds: number;
}

let res: FailoverResult | undefined;
let oldPrimary: number | undefined;
let started: Date | undefined; // when the drill began: the monitor's events must be newer
/** Skips the test when the drill itself failed: that failure is reported once, by the first test. */
const needsDrill = (t: TestContext) => (res ? false : (t.skip('the failover drill did not complete'), true));

// A drill that failed half-way may leave the killed node down: `up` starts it and waits for the pair.
after(async () => {
  if (!(await healthy())) {
    stack('up');
  }
});

test('drill: npm run stack -- failover --hard', async (t) => {
  const roles = await formationRoles().catch((e: Error) => e.message);
  assert.equal(roles, CONVERGED, 'formation is not primary + secondary before the drill; run 50-stack-up.sh');
  oldPrimary = await primaryPort();
  started = new Date();
  const lines = stack('failover', '--hard').trimEnd().split('\n');
  for (const l of lines.filter((x) => x.startsWith('[stack'))) {
    t.diagnostic(l);
  }
  res = JSON.parse(lines[lines.length - 1]) as FailoverResult;
  assert.equal(typeof res.promotedSeconds, 'number', `last line: ${lines[lines.length - 1]}`);
  t.diagnostic(`timing failover ${JSON.stringify(res)}`);
});

test(`standby promoted within ${LIMIT}s`, (t) => {
  if (needsDrill(t)) {
    return;
  }
  assert.ok(res!.promotedSeconds < LIMIT, `promoted after ${res!.promotedSeconds}s`);
});

test('PgBouncer routes to the new primary (query lands on it, writable)', async (t) => {
  if (needsDrill(t)) {
    return;
  }
  const primary = await primaryPort();
  assert.notEqual(primary, oldPrimary, `the primary is still :${oldPrimary}`);
  assert.deepEqual(await bouncerLandsOn(), { port: primary, inRecovery: false });
});

test('demo API takes orders again (201)', async (t) => {
  if (needsDrill(t)) {
    return;
  }
  assert.equal(await postOrder(), 201);
});

test('Prometheus holds the 5xx burst of POST /api/v1/orders', async (t) => {
  if (needsDrill(t)) {
    return;
  }
  const q = 'sum(increase(http_requests_total{job="veza-api",route="/api/v1/orders",code=~"5.."}[5m]))';
  await until(`${q} > 0`, 20, Date.now(), async () => Number((await promQuery(q))[0]?.value[1] ?? 0) > 0);
});

test('old primary rejoined as secondary', async (t) => {
  if (needsDrill(t)) {
    return;
  }
  assert.equal(await formationRoles(), CONVERGED);
});

test('monitor recorded the failover events', async (t) => {
  if (needsDrill(t)) {
    return;
  }
  const [r] = await query<{ n: string }>(
    PORTS.monitor,
    'pg_auto_failover',
    `SELECT count(*) AS n FROM pgautofailover.event
      WHERE goalstate IN ('prepare_promotion', 'stop_replication') AND eventtime >= $1`,
    [started]
  );
  assert.ok(Number(r.n) >= 1, `no prepare_promotion / stop_replication event since ${started!.toISOString()}`);
});
