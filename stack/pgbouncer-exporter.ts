// PgBouncer exporter on 9127. Debian 12's prometheus-pgbouncer-exporter (Python) crashes on PgBouncer 1.18
// (KeyError 'total_requests': it expects the pre-1.8 SHOW STATS columns), so this reads the admin console
// itself and uses the metric names of prometheus-community/pgbouncer_exporter.
import http from 'node:http';
import client from 'prom-client';
import { HOST, PORTS } from './lib/config';
import { admin } from './lib/pgbouncer';

const registry = new client.Registry();
const g = (name: string, help: string, labelNames: string[] = []) =>
  new client.Gauge({ name: `pgbouncer_${name}`, help, labelNames, registers: [registry] });
const up = g('up', 'PgBouncer admin console reachable (1) or not (0)');
const pools: Record<string, client.Gauge> = {
  cl_active: g('pools_client_active_connections', 'Client connections linked to a server connection', [
    'database',
    'user',
  ]),
  cl_waiting: g('pools_client_waiting_connections', 'Client connections waiting for a server connection', [
    'database',
    'user',
  ]),
  sv_active: g('pools_server_active_connections', 'Server connections linked to a client', ['database', 'user']),
  sv_idle: g('pools_server_idle_connections', 'Idle server connections', ['database', 'user']),
  maxwait: g('pools_client_maxwait_seconds', 'Age of the oldest waiting client', ['database', 'user']),
};
const dbCurrent = g('databases_current_connections', 'Server connections of a database', ['database', 'host', 'port']);
const dbPaused = g('databases_paused', 'Database paused (1) or not', ['database', 'host', 'port']);
const queries = g('stats_queries_pooled_total', 'Queries pooled since start (SHOW STATS total_query_count)', [
  'database',
]);
const xacts = g('stats_sql_transactions_pooled_total', 'Transactions pooled since start', ['database']);

async function scrape() {
  registry.resetMetrics();
  try {
    const [p, d, s] = await admin('SHOW POOLS', 'SHOW DATABASES', 'SHOW STATS');
    for (const r of p) {
      for (const [col, gauge] of Object.entries(pools)) {
        gauge.set({ database: String(r.database), user: String(r.user) }, Number(r[col] ?? 0));
      }
    }
    for (const r of d) {
      const l = { database: String(r.name), host: String(r.host ?? ''), port: String(r.port ?? '') };
      dbCurrent.set(l, Number(r.current_connections ?? 0));
      dbPaused.set(l, Number(r.paused ?? 0));
    }
    for (const r of s) {
      queries.set({ database: String(r.database) }, Number(r.total_query_count ?? 0));
      xacts.set({ database: String(r.database) }, Number(r.total_xact_count ?? 0));
    }
    up.set(1);
  } catch {
    up.set(0);
  }
}

http
  .createServer(async (req, res) => {
    if (req.url !== '/metrics') {
      res.statusCode = 404;
      res.end('see /metrics\n');
      return;
    }
    await scrape();
    res.setHeader('content-type', registry.contentType);
    res.end(await registry.metrics());
  })
  .listen(PORTS.pgbouncerExporter, HOST, () => console.log(`pgbouncer exporter on ${HOST}:${PORTS.pgbouncerExporter}`));
