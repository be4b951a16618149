// Fixed ports and paths of the local stack (CONTRIBUTING.md "Fixed ports"). Everything binds 127.0.0.1.
import path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');
export const STATE = process.env.VEZA_STACK_DIR ?? '/var/lib/veza-stack';
export const HOST = '127.0.0.1';

export const PORTS = {
  api: 8080,
  apiTls: 8443, // the same API over HTTPS, with a certificate the stack issues (blackbox_exporter probes it)
  load: 8081,
  monitor: 6000,
  node1: 6001,
  node2: 6002,
  pgbouncer: 6432,
  prometheus: 9090,
  alertmanager: 9093,
  sink: 9097,
  nodeExporter: 9100,
  pgbouncerExporter: 9127,
  pgExporter1: 9187,
  pgExporter2: 9188,
  redis: 6379,
  redisExporter: 9121,
  blackbox: 9115,
} as const;

export const DB = 'appdb';
export const PG_BIN = '/usr/lib/postgresql/15/bin';
export const TSX = path.join(REPO, 'node_modules', '.bin', 'tsx');

export const dirs = {
  run: path.join(STATE, 'run'),
  log: path.join(STATE, 'log'),
  pg: path.join(STATE, 'pg'),
  xdg: path.join(STATE, 'pg', 'xdg'),
  pgbouncer: path.join(STATE, 'pgbouncer'),
  prometheus: path.join(STATE, 'prometheus'),
  alertmanager: path.join(STATE, 'alertmanager'),
  secrets: path.join(STATE, 'secrets'),
  history: path.join(STATE, 'history'),
  redis: path.join(STATE, 'redis'),
  tls: path.join(STATE, 'tls'),
};

export const pgdata = (name: 'monitor' | 'node1' | 'node2') => path.join(dirs.pg, name);

// pg_autoctl keeps its config under XDG dirs keyed by PGDATA; every call needs the same environment.
export const pgEnv: Record<string, string> = {
  PATH: `${PG_BIN}:/usr/sbin:/usr/bin:/sbin:/bin`,
  HOME: '/var/lib/postgresql',
  XDG_CONFIG_HOME: path.join(STATE, 'pg', 'xdg', 'config'),
  XDG_DATA_HOME: path.join(STATE, 'pg', 'xdg', 'share'),
  XDG_RUNTIME_DIR: path.join(STATE, 'pg', 'xdg', 'run'),
  PG_CONFIG: `${PG_BIN}/pg_config`,
};

export const MONITOR_URI = `postgres://autoctl_node@127.0.0.1:${PORTS.monitor}/pg_auto_failover?sslmode=disable`;
// Superuser connection to the monitor (ALTER SYSTEM, LISTEN) over loopback; initdb's HBA trusts 127.0.0.1.
export const MONITOR_SU = { host: HOST, port: PORTS.monitor, user: 'postgres', database: 'pg_auto_failover' };

// Monitor timings tuned for a ~15 s hard-kill failover (defaults: 5000/5000/2/2000/20000/30000/10000 ms).
export const MONITOR_TUNING: Record<string, number> = {
  'pgautofailover.health_check_period': 1000,
  'pgautofailover.health_check_timeout': 1000,
  'pgautofailover.health_check_max_retries': 1,
  'pgautofailover.health_check_retry_delay': 500,
  'pgautofailover.node_considered_unhealthy_timeout': 4000,
  'pgautofailover.primary_demote_timeout': 4000,
  'pgautofailover.startup_grace_period': 1000,
};
