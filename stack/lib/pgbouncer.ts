// PgBouncer on 6432 in front of the current primary. The hook (stack/hook.ts) rewrites the target with writeConfig.
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { DB, HOST, PORTS, dirs } from './config';

export const iniPath = () => path.join(dirs.pgbouncer, 'pgbouncer.ini');

function render(targetPort: number): string {
  return `; rendered by stack/ — the hook rewrites the [databases] target after each failover
[databases]
${DB} = host=${HOST} port=${targetPort} dbname=${DB}

[pgbouncer]
listen_addr = ${HOST}
listen_port = ${PORTS.pgbouncer}
unix_socket_dir = /var/run/postgresql
auth_type = trust
auth_file = ${path.join(dirs.pgbouncer, 'userlist.txt')}
admin_users = pgbouncer, postgres
stats_users = pgbouncer_exporter
pool_mode = transaction
max_client_conn = 500
default_pool_size = 20
; fail fast while a node is down, so the API answers 5xx instead of hanging
server_connect_timeout = 2
server_login_retry = 1
query_wait_timeout = 5
ignore_startup_parameters = extra_float_digits,options
`;
}

// Atomic write (rename) so PgBouncer never RELOADs a half-written file; owned by postgres, which runs PgBouncer.
export function writeConfig(targetPort: number) {
  fs.mkdirSync(dirs.pgbouncer, { recursive: true });
  const users = path.join(dirs.pgbouncer, 'userlist.txt');
  fs.writeFileSync(users, '"postgres" ""\n"pgbouncer" ""\n"pgbouncer_exporter" ""\n"veza" ""\n');
  const tmp = `${iniPath()}.tmp`;
  fs.writeFileSync(tmp, render(targetPort));
  fs.renameSync(tmp, iniPath());
  const { uid, gid } = fs.statSync('/var/lib/postgresql');
  for (const f of [users, iniPath(), dirs.pgbouncer]) {
    fs.chownSync(f, uid, gid);
  }
}

export function configuredPort(): number | undefined {
  try {
    const m = /port=(\d+)/.exec(fs.readFileSync(iniPath(), 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

// Admin console: simple protocol, one command per query (no parameters, no pings).
export async function admin(...commands: string[]): Promise<Array<Array<Record<string, unknown>>>> {
  const c = new Client({
    host: HOST,
    port: PORTS.pgbouncer,
    user: 'pgbouncer',
    database: 'pgbouncer',
    connectionTimeoutMillis: 2000,
  });
  c.on('error', () => undefined);
  await c.connect();
  try {
    const out = [];
    for (const cmd of commands) {
      out.push((await c.query(cmd)).rows);
    }
    return out;
  } finally {
    await c.end().catch(() => undefined);
  }
}

// Where PgBouncer routes appdb right now, per its own SHOW DATABASES.
export async function routedPort(): Promise<number | undefined> {
  const [rows] = await admin('SHOW DATABASES');
  const r = rows.find((x) => x.name === DB);
  return r ? Number(r.port) : undefined;
}
