// The local stack comes up (or is reused: `up` is idempotent) and is consistent (scripts/suites/50-stack-up.sh;
// root): every Prometheus target up, one primary + one secondary, PgBouncer routing to the primary, the demo API
// writing orders through it, the monitoring pieces configured as the repo says. Leaves the stack UP.
// When `up` fails, that test fails with its output and every later one is skipped (they would only repeat it).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import { test, TestContext } from 'node:test';
import { DB, PORTS, REPO, dirs } from '../lib/config';
import { primaryPort, query } from '../lib/formation';
import { routedPort } from '../lib/pgbouncer';
import { certFile } from '../lib/tls';
import { EXPECTED_REPO, expectedState } from '../history/backfill';
import { promQuery, stack, until } from './alertDrill';
import { bouncerLandsOn, CONVERGED, formationRoles, pidFiles, postOrder } from './stackDrill';

const PROM = `http://127.0.0.1:${PORTS.prometheus}`;
const API = `http://127.0.0.1:${PORTS.api}`;

async function getJson<T>(url: string): Promise<T> {
  const r = await fetch(url);
  assert.ok(r.ok, `GET ${url}: HTTP ${r.status}`);
  return (await r.json()) as T;
}

let up = false;
/** Skips the test when `up` failed: the failure is already reported once, by the first test. */
const needsUp = (t: TestContext) => (up ? false : (t.skip('npm run stack -- up failed'), true));

test('npm run stack -- up', (t) => {
  const t0 = Date.now();
  const r = spawnSync('npm', ['run', '--silent', 'stack', '--', 'up'], { cwd: REPO, encoding: 'utf8' });
  t.diagnostic(`timing stack up ${JSON.stringify({ upS: Math.round((Date.now() - t0) / 100) / 10 })}`);
  assert.equal(r.status, 0, `up failed (see ${dirs.log}/):\n${r.stdout}\n${r.stderr}`);
  up = true;
});

interface Target {
  health: string;
  scrapeUrl: string;
  lastError: string;
  labels: Record<string, string>;
}
const activeTargets = async () =>
  (await getJson<{ data: { activeTargets: Target[] } }>(`${PROM}/api/v1/targets?state=active`)).data.activeTargets;

test('every Prometheus target is up', async (t) => {
  if (needsUp(t)) {
    return;
  }
  let down: Target[] = [];
  const allUp = async () => {
    const ts = await activeTargets();
    down = ts.filter((x) => x.health !== 'up');
    return ts.length > 0 && down.length === 0;
  };
  await until('every target up', 30, Date.now(), allUp).catch((e: Error) =>
    assert.fail(`${e.message}: ${down.map((x) => `${x.labels.job} ${x.scrapeUrl} ${x.lastError}`).join('; ')}`)
  );
});

test('formation: one primary and one secondary, converged', async (t) => {
  if (needsUp(t)) {
    return;
  }
  assert.equal(await formationRoles(), CONVERGED);
});

test("PgBouncer's configured target is the primary", async (t) => {
  if (needsUp(t)) {
    return;
  }
  const primary = await primaryPort();
  assert.ok(primary, 'the monitor names no writable primary');
  assert.equal(await routedPort(), primary, 'PgBouncer (SHOW DATABASES) routes appdb elsewhere');
});

test('a query through PgBouncer lands on the writable primary', async (t) => {
  if (needsUp(t)) {
    return;
  }
  assert.deepEqual(await bouncerLandsOn(), { port: await primaryPort(), inRecovery: false });
});

test('POST /api/v1/orders writes a row through PgBouncer (201)', async (t) => {
  if (needsUp(t)) {
    return;
  }
  const count = async () =>
    Number(
      (
        await query<{ n: string }>(PORTS.pgbouncer, DB, 'SELECT count(*) AS n FROM orders WHERE sku = $1', ['suite-50'])
      )[0].n
    );
  const before = await count();
  assert.equal(await postOrder({ sku: 'suite-50' }), 201);
  assert.ok((await count()) > before, 'no new suite-50 row in orders');
});

test('demo API exposes the metric contract (http_requests_total{method,route,code}, le="0.5")', async (t) => {
  if (needsUp(t)) {
    return;
  }
  const r = await fetch(`${API}/metrics`);
  assert.equal(r.status, 200);
  const m = await r.text();
  assert.match(m, /^http_requests_total\{method="GET",route="\/api\/v1\/products",code="200"\}/m);
  assert.match(m, /http_request_duration_seconds_bucket\{le="0\.5",method="POST",route="\/api\/v1\/orders"\}/);
});

test('load generator traffic reaches Prometheus under job=veza-api', async (t) => {
  if (needsUp(t)) {
    return;
  }
  const q = `sum(rate(http_requests_total{job="veza-api",instance="127.0.0.1:${PORTS.api}"}[1m]))`;
  await until(q, 30, Date.now(), async () => (await promQuery(q)).length > 0);
});

test('load generator knobs answer (GET /knobs)', async (t) => {
  if (needsUp(t)) {
    return;
  }
  const k = await getJson<{ knobs: Record<string, { rps: number }> }>(`http://127.0.0.1:${PORTS.load}/knobs`);
  assert.ok(k.knobs['GET /api/v1/products']?.rps > 0, `knobs: ${JSON.stringify(k)}`);
});

test('Prometheus retention >= 95d and the SLO rules are loaded', async (t) => {
  if (needsUp(t)) {
    return;
  }
  const flags = await getJson<{ data: Record<string, string> }>(`${PROM}/api/v1/status/flags`);
  const retention = flags.data['storage.tsdb.retention.time'];
  assert.match(retention, /^\d+d$/, `retention ${retention} is not in days`);
  assert.ok(parseInt(retention, 10) >= 95, `retention ${retention}`);
  const rules = await getJson<{ data: { groups: Array<{ rules: Array<{ name: string }> }> } }>(`${PROM}/api/v1/rules`);
  const fastBurn = rules.data.groups.flatMap((g) => g.rules).filter((r) => r.name === 'APIAvailabilitySLOFastBurn');
  assert.equal(fastBurn.length, 1, 'APIAvailabilitySLOFastBurn loaded once');
});

test('Alertmanager runs routes.yml and the sink answers', async (t) => {
  if (needsUp(t)) {
    return;
  }
  const am = await getJson<{ config: { original: string } }>(`http://127.0.0.1:${PORTS.alertmanager}/api/v2/status`);
  assert.ok(am.config.original.includes('page-oncall'), 'Alertmanager config has no page-oncall receiver');
  assert.ok(Array.isArray(await getJson<unknown>(`http://127.0.0.1:${PORTS.sink}/notifications`)));
});

test("the API answers over HTTPS with the stack's certificate (verified against it)", async (t) => {
  if (needsUp(t)) {
    return;
  }
  const ca = fs.readFileSync(certFile());
  const status = await new Promise<number | undefined>((resolve, reject) =>
    https
      .get(`https://127.0.0.1:${PORTS.apiTls}/healthz`, { ca }, (res) => (res.resume(), resolve(res.statusCode)))
      .on('error', reject)
  );
  assert.equal(status, 200);
});

test("redis_exporter sees Redis and blackbox_exporter probes the API's certificate (> 14 days left)", async (t) => {
  if (needsUp(t)) {
    return;
  }
  const one = async (q: string) => (await promQuery(q))[0]?.value[1] === '1';
  const probe = 'probe_success{job="blackbox"} * (probe_ssl_earliest_cert_expiry - time() > bool 14 * 86400)';
  await until('redis_up == 1 and the HTTPS probe succeeding with > 14 days left', 30, Date.now(), async () => {
    return (await one('redis_up')) && (await one(probe));
  });
});

test("stack/history/expected.json describes the running backfill (same as the state dir's copy)", (t) => {
  if (needsUp(t)) {
    return;
  }
  assert.equal(fs.readFileSync(EXPECTED_REPO, 'utf8'), fs.readFileSync(expectedState(), 'utf8'));
});

test('up is idempotent (second up starts nothing new)', (t) => {
  if (needsUp(t)) {
    return;
  }
  const before = pidFiles();
  stack('up');
  assert.deepEqual(pidFiles(), before);
});
