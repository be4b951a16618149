// Everything `up` starts besides the formation, in start order. `down` stops in reverse (formation last).
import path from 'node:path';
import { HOST, PORTS, REPO, TSX, dirs } from './config';
import { blackboxConfig, promConfig, routesFile, RETENTION } from './monitoring';
import { iniPath } from './pgbouncer';
import { certFile, keyFile } from './tls';
import { StartSpec } from './proc';

export interface Service extends StartSpec {
  port?: number; // readiness: TCP port accepting connections
  alsoPorts?: number[]; // further ports it binds (checked free before `up`, like port)
  ready?: string; // and, when set, this URL answering 2xx (Prometheus answers 503 while it opens the TSDB)
  bin: string; // binary that must exist (preflight)
  pkg: string; // Debian package (or npm) that provides it
}

const pgDsn = (port: number) => `postgresql://postgres@${HOST}:${port}/postgres?sslmode=disable`;

export const SINK: Service = {
  name: 'sink',
  cmd: TSX,
  args: [path.join(REPO, 'stack', 'sink.ts')],
  port: PORTS.sink,
  bin: TSX,
  pkg: 'npm ci (tsx)',
};

export const PGBOUNCER: Service = {
  name: 'pgbouncer',
  cmd: '/usr/sbin/pgbouncer',
  args: [iniPath()],
  asPostgres: true,
  port: PORTS.pgbouncer,
  bin: '/usr/sbin/pgbouncer',
  pkg: 'pgbouncer',
};

export const AFTER_DB: Service[] = [
  {
    // Under a supervisor that starts it again if it dies (stack/supervise.ts).
    name: 'hook',
    cmd: TSX,
    args: [path.join(REPO, 'stack', 'supervise.ts'), path.join(REPO, 'stack', 'hook.ts')],
    bin: TSX,
    pkg: 'npm ci (tsx)',
  },
  {
    name: 'api',
    cmd: TSX,
    args: [path.join(REPO, 'demo', 'api.ts')],
    env: { VEZA_TLS_CERT: certFile(), VEZA_TLS_KEY: keyFile(), VEZA_API_TLS_PORT: String(PORTS.apiTls) },
    port: PORTS.api,
    alsoPorts: [PORTS.apiTls],
    bin: TSX,
    pkg: 'npm ci (tsx)',
  },
  {
    name: 'load',
    cmd: TSX,
    args: [path.join(REPO, 'demo', 'load.ts')],
    port: PORTS.load,
    bin: TSX,
    pkg: 'npm ci (tsx)',
  },
  {
    name: 'node-exporter',
    cmd: '/usr/bin/prometheus-node-exporter',
    args: [`--web.listen-address=${HOST}:${PORTS.nodeExporter}`],
    port: PORTS.nodeExporter,
    bin: '/usr/bin/prometheus-node-exporter',
    pkg: 'prometheus-node-exporter',
  },
  ...(['node1', 'node2'] as const).map((n, i): Service => ({
    name: `postgres-exporter-${n}`,
    cmd: '/usr/bin/prometheus-postgres-exporter',
    args: [`--web.listen-address=${HOST}:${i ? PORTS.pgExporter2 : PORTS.pgExporter1}`],
    env: { DATA_SOURCE_NAME: pgDsn(PORTS[n]) },
    port: i ? PORTS.pgExporter2 : PORTS.pgExporter1,
    bin: '/usr/bin/prometheus-postgres-exporter',
    pkg: 'prometheus-postgres-exporter',
  })),
  // Redis stands for the API's session/cache store (the demo API does not call it): it is here so RedisDown and
  // its runbook run against a real redis_exporter. No persistence: it holds nothing the demo needs back.
  {
    name: 'redis',
    cmd: '/usr/bin/redis-server',
    args: [
      '--bind',
      HOST,
      '--port',
      String(PORTS.redis),
      '--dir',
      dirs.redis,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
    ],
    port: PORTS.redis,
    bin: '/usr/bin/redis-server',
    pkg: 'redis-server',
  },
  {
    name: 'redis-exporter',
    cmd: '/usr/bin/prometheus-redis-exporter',
    args: [`-redis.addr=redis://${HOST}:${PORTS.redis}`, `-web.listen-address=${HOST}:${PORTS.redisExporter}`],
    port: PORTS.redisExporter,
    bin: '/usr/bin/prometheus-redis-exporter',
    pkg: 'prometheus-redis-exporter',
  },
  {
    name: 'blackbox-exporter',
    cmd: '/usr/bin/prometheus-blackbox-exporter',
    args: [`--config.file=${blackboxConfig()}`, `--web.listen-address=${HOST}:${PORTS.blackbox}`],
    port: PORTS.blackbox,
    bin: '/usr/bin/prometheus-blackbox-exporter',
    pkg: 'prometheus-blackbox-exporter',
  },
  {
    name: 'pgbouncer-exporter',
    cmd: TSX,
    args: [path.join(REPO, 'stack', 'pgbouncer-exporter.ts')],
    port: PORTS.pgbouncerExporter,
    bin: TSX,
    pkg: 'npm ci (tsx)',
  },
  {
    name: 'alertmanager',
    cmd: '/usr/bin/prometheus-alertmanager',
    // --cluster.listen-address= turns off gossip (it would bind 0.0.0.0:9094).
    args: [
      `--config.file=${routesFile()}`,
      `--storage.path=${dirs.alertmanager}`,
      `--web.listen-address=${HOST}:${PORTS.alertmanager}`,
      '--cluster.listen-address=',
      `--web.external-url=http://${HOST}:${PORTS.alertmanager}`,
    ],
    port: PORTS.alertmanager,
    ready: `http://${HOST}:${PORTS.alertmanager}/-/ready`,
    bin: '/usr/bin/prometheus-alertmanager',
    pkg: 'prometheus-alertmanager',
  },
  {
    name: 'prometheus',
    cmd: '/usr/bin/prometheus',
    args: [
      `--config.file=${promConfig()}`,
      `--storage.tsdb.path=${path.join(dirs.prometheus, 'data')}`,
      `--storage.tsdb.retention.time=${RETENTION}`,
      `--web.listen-address=${HOST}:${PORTS.prometheus}`,
      // No --web.enable-lifecycle / --web.enable-admin-api: reloads go by SIGHUP (stack/lib/prometheusControl.ts).
      `--web.external-url=http://${HOST}:${PORTS.prometheus}`,
    ],
    port: PORTS.prometheus,
    ready: `http://${HOST}:${PORTS.prometheus}/-/ready`,
    bin: '/usr/bin/prometheus',
    pkg: 'prometheus',
  },
];

export const FORMATION_BINS = [
  { bin: '/usr/bin/pg_autoctl', pkg: 'pg-auto-failover-cli' },
  { bin: '/usr/lib/postgresql/15/bin/postgres', pkg: 'postgresql-15' },
  { bin: '/usr/lib/postgresql/15/lib/pgautofailover.so', pkg: 'postgresql-15-auto-failover' },
  { bin: '/usr/bin/promtool', pkg: 'prometheus' },
];
