// npm run stack -- up|down|status|failover [--hard]|reset|cert [--days N|--expired]|vm up|down|status|annotate [--grafana URL]
// Starts the whole Veza system on loopback from Debian's packages, no systemd or Docker: detached processes
// with pid files and logs under the state dir (VEZA_STACK_DIR, default /var/lib/veza-stack).
import fs from 'node:fs';
import path from 'node:path';
import { PORTS, STATE, dirs, pgdata } from './lib/config';
import { ensureSchema, formationState, formationUp, healthy, initialised, NODES, primaryPort } from './lib/formation';
import {
  backfillPending,
  blocksPending,
  backfillRules,
  backfillBudget,
  expectedState,
  generateHistory,
  EXPECTED_REPO,
  syncExpected,
} from './history/backfill';
import { writeBlackboxConfig, writePrometheusConfig, writeSecrets, routesFile } from './lib/monitoring';
import { reloadPrometheus, stopIfCommandChanged } from './lib/prometheusControl';
import {
  CERT_DAYS,
  CertError,
  certFile,
  ensureCert,
  issueCert,
  issueExpiredCert,
  notAfter,
  parseDays,
} from './lib/tls';
import { configuredPort, routedPort, writeConfig } from './lib/pgbouncer';
import {
  alive,
  pidFile,
  portOpen,
  portOwner,
  readPid,
  run,
  signalGroup,
  sleep,
  startDetached,
  stopByPid,
  tailLog,
  waitFor,
} from './lib/proc';
import { AFTER_DB, FORMATION_BINS, PGBOUNCER, SINK, Service } from './lib/services';
import { vm } from './lib/victoriaStack';
import { annotate, historyEndUnix } from './history/annotate';

const t0 = Date.now();
const log = (s: string) => console.log(`[stack +${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}`);
class Fatal extends Error {}

const ALL: Array<{ name: string; port?: number; alsoPorts?: number[]; bin: string; pkg: string }> = [
  SINK,
  { name: 'monitor', port: PORTS.monitor, bin: '/usr/bin/pg_autoctl', pkg: 'pg-auto-failover-cli' },
  { name: 'node1', port: PORTS.node1, bin: '/usr/bin/pg_autoctl', pkg: 'pg-auto-failover-cli' },
  { name: 'node2', port: PORTS.node2, bin: '/usr/bin/pg_autoctl', pkg: 'pg-auto-failover-cli' },
  PGBOUNCER,
  ...AFTER_DB,
];

function preflight() {
  if (process.getuid?.() !== 0) {
    throw new Fatal('run as root: the stack starts Postgres and PgBouncer as the postgres user via runuser.');
  }
  const missing = [...ALL, ...FORMATION_BINS].filter((s) => !fs.existsSync(s.bin));
  if (missing.length) {
    const pkgs = [...new Set(missing.map((m) => m.pkg))];
    throw new Fatal(
      `missing ${missing.map((m) => m.bin).join(', ')}.\n  fix: apt-get install -y ${pkgs.filter((p) => !p.startsWith('npm')).join(' ')}` +
        `  (all are listed in scripts/apt-packages.txt; scripts/setup.sh installs them)${pkgs.some((p) => p.startsWith('npm')) ? '; and run npm ci' : ''}`
    );
  }
}

async function checkPorts() {
  for (const s of ALL) {
    for (const port of [s.port, ...(s.alsoPorts ?? [])]) {
      if (port && !readPid(s.name) && (await portOpen(port))) {
        const owner = portOwner(port) || 'another process';
        throw new Fatal(
          `port ${port} (${s.name}) is already in use by ${owner}, not by this stack.\n  fix: stop that process` +
            ` (e.g. kill ${/pid (\d+)/.exec(owner)?.[1] ?? '<pid>'}) or, if it is a stack from another state dir, run \`npm run stack -- down\` with its VEZA_STACK_DIR; the ports are fixed (CONTRIBUTING.md).`
        );
      }
    }
  }
}

// A formation half-created (interrupted first `up`, or a copied/foreign data dir) cannot be resumed safely.
function checkStale() {
  for (const n of ['monitor', ...NODES] as const) {
    const d = pgdata(n);
    if (fs.existsSync(d) && fs.readdirSync(d).length && !initialised(n)) {
      throw new Fatal(
        `stale data dir ${d}: it holds files but pg_autoctl has no configuration for it (an interrupted first \`up\`?).` +
          `\n  fix: npm run stack -- reset   (wipes ${STATE}, then brings everything up fresh)`
      );
    }
  }
  // A data node without a monitor cannot rejoin anything. (A node without its peer is fine: after a node is
  // dropped and its directory moved away — db-failover runbook, data-loss path — `up` creates it again as a standby.)
  const orphan = NODES.find((n) => initialised(n)) && !initialised('monitor');
  if (orphan) {
    throw new Fatal(
      `stale formation in ${dirs.pg}: data nodes exist without their monitor.\n  fix: npm run stack -- reset`
    );
  }
}

function prepareDirs() {
  for (const d of Object.values(dirs)) {
    fs.mkdirSync(d, { recursive: true });
  }
  // Postgres-owned: its data dirs, pg_autoctl's XDG dirs, PgBouncer's config, the socket dir.
  fs.mkdirSync('/var/run/postgresql', { recursive: true });
  for (const d of [
    dirs.pg,
    ...['config', 'share', 'run'].map((x) => path.join(dirs.xdg, x)),
    dirs.pgbouncer,
    '/var/run/postgresql',
  ]) {
    fs.mkdirSync(d, { recursive: true });
    run('chown', ['-R', 'postgres:postgres', d]);
  }
  fs.chmodSync(path.join(dirs.xdg, 'run'), 0o700);
}

async function start(s: Service) {
  if (readPid(s.name)) {
    return;
  }
  startDetached(s);
  if (s.port) {
    await waitFor(
      `${s.name} on port ${s.port}`,
      async () => {
        if (!readPid(s.name)) {
          throw new Fatal(
            `${s.name} exited at start; last lines of ${path.join(dirs.log, s.name + '.log')}:\n${tailLog(s.name)}`
          );
        }
        return (
          (await portOpen(s.port!)) &&
          (!s.ready ||
            (await fetch(s.ready).then(
              (r) => r.ok,
              () => false
            )))
        );
      },
      120000,
      `log: ${path.join(dirs.log, s.name + '.log')}`
    );
  }
}

async function up() {
  preflight();
  checkStale();
  await checkPorts();
  prepareDirs();
  await start(SINK);
  const secrets = writeSecrets();
  if (!fs.existsSync(routesFile())) {
    throw new Fatal(
      `${routesFile()} is missing: Alertmanager needs the routing tree (provisioning/alertmanager/routes.yml).`
    );
  }
  log(`sink up; wrote ${secrets.length} receiver secret file(s) pointing at it`);
  // The 430-day history is generated while the formation initialises (both take ~30 s; 2 cores).
  const history = blocksPending() && !readPid('prometheus') ? generateHistory(log) : Promise.resolve();
  await formationUp(log);
  const primary = await primaryPort();
  if (!primary) {
    throw new Fatal('formation has no writable primary');
  }
  await ensureSchema(primary);
  if (!readPid('pgbouncer') || !configuredPort()) {
    writeConfig(primary);
  }
  await start(PGBOUNCER);
  log(`pgbouncer up → ${primary}`);
  await history;
  syncExpected();
  const issued = ensureCert();
  if (issued) {
    log(`issued the API's HTTPS certificate (${certFile()}), valid until ${issued}`);
  }
  writeBlackboxConfig(certFile());
  writePrometheusConfig();
  // A Prometheus started with older flags (e.g. the lifecycle/admin APIs) is restarted with the current ones.
  await stopIfCommandChanged(
    AFTER_DB.find((s) => s.name === 'prometheus')!,
    log
  );
  for (const s of AFTER_DB) {
    await start(s);
  }
  log('api, load generator, exporters, alertmanager, prometheus up');
  if (backfillPending()) {
    await backfillRules(log, async () => {
      await stopByPid('prometheus');
      await start(AFTER_DB.find((s) => s.name === 'prometheus')!);
    });
  }
  await backfillBudget(log, () => reloadPrometheus());
  await waitFor('every Prometheus target up', targetsUp, 60000, 'see http://127.0.0.1:9090/targets');
  log(`stack up in ${((Date.now() - t0) / 1000).toFixed(0)}s — npm run stack -- status`);
}

export async function targetsUp(): Promise<boolean> {
  try {
    const r = (await (await fetch(`http://127.0.0.1:${PORTS.prometheus}/api/v1/targets?state=active`)).json()) as {
      data: { activeTargets: Array<{ health: string }> };
    };
    return r.data.activeTargets.length > 0 && r.data.activeTargets.every((t) => t.health === 'up');
  } catch {
    return false;
  }
}

async function down() {
  // The second engine too, when it runs (`vm up`): it reads the stack's targets and Alertmanager, and `reset` wipes
  // the state dir it keeps its data in.
  await vm(['down'], log);
  for (const s of [...AFTER_DB].reverse()) {
    if (await stopByPid(s.name)) {
      log(`stopped ${s.name}`);
    }
  }
  await stopByPid(PGBOUNCER.name);
  // Standby first, then primary, then monitor: stopping the primary first would make the monitor fail over.
  const st = await formationState().catch(() => []);
  const order = [...NODES].sort((a) => (st.find((n) => n.nodename === a)?.reportedstate === 'secondary' ? -1 : 1));
  for (const n of [...order, 'monitor', SINK.name]) {
    if (n !== SINK.name && readPid(n)) {
      // pg_autoctl's own stop: a signal to runuser would SIGKILL pg_autoctl mid-shutdown and orphan
      // Postgres children (the monitor's health-check worker then holds its shared memory, blocking `up`).
      run('pg_autoctl', ['stop', '--pgdata', pgdata(n as 'monitor')], { asPostgres: true });
      await waitFor(`${n} to stop`, () => !readPid(n), 60000).catch(() => undefined);
    }
    if ((await stopByPid(n, 30000)) || n !== SINK.name) {
      log(`stopped ${n}`);
    }
  }
}

async function status() {
  for (const s of ALL) {
    const pid = readPid(s.name);
    const port = s.port ? ((await portOpen(s.port)) ? ` :${s.port} open` : ` :${s.port} closed`) : '';
    console.log(`${s.name.padEnd(28)} ${pid ? `pid ${pid}` : 'not running'}${port}`);
  }
  const st = await formationState().catch((e) => (console.log(`formation: monitor unreachable (${e.message})`), []));
  for (const n of st) {
    console.log(
      `formation ${n.nodename} :${n.nodeport} reported=${n.reportedstate} goal=${n.goalstate} health=${n.health}`
    );
  }
  console.log(`pgbouncer appdb → ${await routedPort().catch(() => 'unreachable')}`);
  console.log(`api certificate: ${fs.existsSync(certFile()) ? `valid until ${notAfter()}` : 'not issued'}`);
  const exp = expectedState();
  console.log(
    `history: ${fs.existsSync(exp) ? JSON.parse(fs.readFileSync(exp, 'utf8')).end + ' (end of backfill)' : 'not generated'}`
  );
}

// Hard: SIGKILL the primary's pg_autoctl + Postgres process group (a crash), measure, then restart it to rejoin.
async function failover(hard: boolean) {
  const before = (await formationState()).find((n) => n.reportedstate === 'primary');
  if (!before || !(await healthy())) {
    throw new Fatal('formation is not primary + secondary; wait for it (npm run stack -- status)');
  }
  const other = NODES.find((n) => n !== before.nodename)!;
  const otherPort = PORTS[other];
  const t = Date.now();
  const since = () => Number(((Date.now() - t) / 1000).toFixed(1));
  if (hard) {
    const pid = readPid(before.nodename);
    if (!pid) {
      throw new Fatal(`no pid for ${before.nodename}`);
    }
    signalGroup(pid, 'SIGKILL');
    log(`killed ${before.nodename} (process group ${pid}) — primary was :${before.nodeport}`);
  } else {
    const r = run(
      'pg_autoctl',
      ['perform', 'failover', '--pgdata', pgdata('monitor'), '--formation', 'default', '--group', '0'],
      { asPostgres: true }
    );
    if (r.code !== 0) {
      throw new Fatal(`pg_autoctl perform failover failed: ${r.err || r.out}`);
    }
  }
  await waitFor(`${other} to become writable`, async () => (await primaryPort()) === otherPort, 60000);
  const promoted = since();
  await waitFor(
    'PgBouncer to route to the new primary',
    async () => (await routedPort().catch(() => 0)) === otherPort,
    30000
  );
  const routed = since();
  await waitFor(
    'POST /api/v1/orders to answer 201',
    async () => {
      const r = await fetch(`http://127.0.0.1:${PORTS.api}/api/v1/orders`, {
        method: 'POST',
        body: '{"sku":"drill","qty":1}',
      }).catch(() => undefined);
      return r?.status === 201;
    },
    30000
  );
  const served = since();
  log(`${other} primary after ${promoted}s, PgBouncer after ${routed}s, API serving orders after ${served}s`);
  if (hard) {
    startDetached({
      name: before.nodename,
      cmd: 'pg_autoctl',
      args: ['run', '--pgdata', pgdata(before.nodename as 'node1')],
      asPostgres: true,
    });
  }
  await waitFor(`${before.nodename} to rejoin as secondary`, healthy, 180000, tailLog(before.nodename));
  const rejoined = since();
  log(`${before.nodename} rejoined as secondary after ${rejoined}s`);
  console.log(
    JSON.stringify({
      killed: hard ? before.nodename : undefined,
      oldPrimary: before.nodename,
      newPrimary: other,
      promotedSeconds: promoted,
      pgbouncerSeconds: routed,
      apiSeconds: served,
      rejoinSeconds: rejoined,
    })
  );
}

async function reset() {
  await down();
  for (const name of ALL.map((s) => s.name)) {
    if (readPid(name)) {
      throw new Fatal(`${name} still running; not wiping ${STATE}`);
    }
  }
  fs.rmSync(STATE, { recursive: true, force: true });
  fs.rmSync(EXPECTED_REPO, { force: true });
  log(`wiped ${STATE}`);
  await up();
}

// Reissues the API's certificate; the running API swaps it in and blackbox_exporter sees it on its next probe.
// --expired: one that expired yesterday (a missed renewal), for the CertExpired / CertProbeFailing drill.
async function cert(args: string[]) {
  const i = args.indexOf('--days');
  try {
    if (args.includes('--expired')) {
      if (i >= 0) {
        throw new CertError('--expired and --days exclude each other; the certificate is unchanged.');
      }
      log(`API certificate reissued already expired: valid until ${issueExpiredCert()} (${certFile()})`);
      return;
    }
    const days = parseDays(i >= 0 ? (args[i + 1] ?? '') : String(CERT_DAYS));
    log(`API certificate reissued for ${days} day(s): valid until ${issueCert(days)} (${certFile()})`);
  } catch (e) {
    throw e instanceof CertError ? new Fatal(e.message) : e;
  }
}

// Posts the history's deploy marks and scripted correction to a Grafana's annotations API (the preview host's by
// default): the demo's report then shows the ledger's deploys and the corrected maintenance month.
async function annotateCmd(args: string[]) {
  const i = args.indexOf('--grafana');
  const grafana = (i >= 0 ? args[i + 1] : undefined) ?? `http://127.0.0.1:${process.env.PREVIEW_PORT ?? 3000}`;
  if (!/^https?:\/\/[^\s]+$/.test(grafana)) {
    throw new Fatal(`--grafana ${grafana ?? ''}: an http(s) URL, e.g. http://127.0.0.1:3000`);
  }
  try {
    const r = await annotate(grafana.replace(/\/$/, ''), historyEndUnix());
    log(`annotations on ${grafana}: ${r.posted} posted, ${r.present} already there (history deploys and correction)`);
  } catch (e) {
    throw new Fatal((e as Error).message);
  }
}

const [cmd, ...rest] = process.argv.slice(2);
const commands: Record<string, () => Promise<void>> = {
  up,
  down,
  status,
  failover: () => failover(rest.includes('--hard')),
  reset,
  cert: () => cert(rest),
  annotate: () => annotateCmd(rest),
  // The second engine (VictoriaMetrics + vmalert), only when asked: docs/engines.md.
  vm: () =>
    vm(rest, log).catch((e: Error) => {
      throw new Fatal(e.message);
    }),
};
if (!commands[cmd]) {
  console.error(
    'usage: npm run stack -- up|down|status|failover [--hard]|reset|cert [--days N|--expired]|vm up|down|status|annotate [--grafana URL]'
  );
  process.exit(2);
}
commands[cmd]().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Fatal ? `stack ${cmd}: ${e.message}` : e);
    process.exit(1);
  }
);
void alive;
void pidFile;
void sleep;
