// The demo Veza API on 8080: catalogue reads, cart/profile writes and POST /api/v1/orders, which writes an
// order row through PgBouncer (6432) and answers 503 when the database is gone, as a real service would.
// Metrics follow DESIGN.md's contract; `job` comes from the scrape config.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { Pool } from 'pg';
import client from 'prom-client';
import { MAX_BODY_BYTES, parseOrder } from './order';
import { BUCKETS, FAULT_HEADER, PRODUCTS, ROUTES, RouteDef } from './routes';

const PORT = Number(process.env.VEZA_API_PORT ?? 8080);
const HOST = process.env.VEZA_API_HOST ?? '127.0.0.1';
const registry = new client.Registry();
const requests = new client.Counter({
  name: 'http_requests_total',
  help: 'HTTP requests by route template and status',
  labelNames: ['method', 'route', 'code'],
  registers: [registry],
});
const duration = new client.Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration',
  labelNames: ['method', 'route'],
  buckets: BUCKETS,
  registers: [registry],
});

const pool = new Pool({
  host: process.env.VEZA_DB_HOST ?? '127.0.0.1',
  port: Number(process.env.VEZA_DB_PORT ?? 6432),
  user: 'postgres',
  database: 'appdb',
  max: 10,
  connectionTimeoutMillis: 2000,
  query_timeout: 3000,
});
pool.on('error', () => undefined); // a dropped idle connection (failover, PgBouncer KILL) is not fatal

const patterns = ROUTES.map((r) => ({ r, re: new RegExp(`^${r.route.replace(/:id/g, '(\\d+)')}$`) }));
const products = Array.from({ length: PRODUCTS }, (_, i) => ({
  id: i + 1,
  name: `Product ${i + 1}`,
  price: 5 + ((i * 37) % 95),
}));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function handle(
  r: RouteDef,
  id: string | undefined,
  fault: string | undefined,
  body: string
): Promise<[number, unknown]> {
  if (fault === 'slow') {
    await sleep(600 + Math.random() * 400); // above the 0.5 s bucket
  }
  if (fault === 'error') {
    // For orders the injected failure is the payment provider's; elsewhere a plain server error.
    return r.route === '/api/v1/orders'
      ? [502, { error: 'payment provider failed' }]
      : [500, { error: 'injected failure' }];
  }
  if (r.route === '/api/v1/products') {
    return [200, products];
  }
  if (r.route === '/api/v1/products/:id') {
    const p = products.find((x) => x.id === Number(id));
    return p ? [200, p] : [404, { error: 'no such product' }];
  }
  if (r.route === '/api/v1/orders') {
    const parsed = parseOrder(body);
    if ('error' in parsed) {
      return [400, { error: parsed.error }];
    }
    try {
      const res = await pool.query('INSERT INTO orders (sku, qty) VALUES ($1, $2) RETURNING id', [
        parsed.order.sku,
        parsed.order.qty,
      ]);
      return [201, { id: res.rows[0].id }];
    } catch (e) {
      return [503, { error: `database unavailable: ${(e as Error).message}` }];
    }
  }
  return [r.ok, r.ok === 204 ? undefined : { ok: true }];
}

const app: http.RequestListener = (req, res) => {
  const url = new URL(req.url ?? '/', 'http://api');
  if (req.method === 'GET' && url.pathname === '/metrics') {
    void registry.metrics().then((m) => (res.setHeader('content-type', registry.contentType), res.end(m)));
    return;
  }
  if (req.method === 'GET' && url.pathname === '/healthz') {
    res.end('ok\n');
    return;
  }
  const hit = patterns.find((p) => p.r.method === req.method && p.re.test(url.pathname));
  const started = process.hrtime.bigint();
  let body = '';
  let tooLarge = false;
  req.on('data', (d: Buffer) => {
    // A body over the limit is the client's fault (413), read to the end but not kept.
    tooLarge ||= body.length + d.length > MAX_BODY_BYTES;
    if (!tooLarge) {
      body += d;
    }
  });
  req.on('end', async () => {
    const route = hit?.r.route ?? 'unmatched';
    let answer: [number, unknown];
    try {
      answer = !hit
        ? [404, { error: 'not found' }]
        : tooLarge
          ? [413, { error: `body over ${MAX_BODY_BYTES} bytes` }]
          : await handle(hit.r, hit.re.exec(url.pathname)?.[1], req.headers[FAULT_HEADER] as string | undefined, body);
    } catch (e) {
      // A bug must cost one 500, not the process (an unhandled rejection would stop the demo API).
      answer = [500, { error: `internal error: ${(e as Error).message}` }];
    }
    const [code, payload] = answer;
    res.statusCode = code;
    if (payload !== undefined) {
      res.setHeader('content-type', 'application/json');
    }
    res.end(payload === undefined ? undefined : JSON.stringify(payload));
    const method = (req.method ?? 'GET').toUpperCase();
    requests.inc({ method, route, code: String(code) });
    duration.observe({ method, route }, Number(process.hrtime.bigint() - started) / 1e9);
  });
};

http.createServer(app).listen(PORT, HOST, () => console.log(`demo Veza API on ${HOST}:${PORT}`));

// The same API over HTTPS when the stack gave it a certificate (stack/lib/tls.ts). A reissued certificate is
// picked up without a restart, as a real service reloading its certificate would: polling the file (1 s) also
// survives the rename that replaces it, which an inotify watch on the old inode would not.
const TLS_PORT = Number(process.env.VEZA_API_TLS_PORT ?? 0);
const CERT = process.env.VEZA_TLS_CERT ?? '';
const KEY = process.env.VEZA_TLS_KEY ?? '';
if (TLS_PORT && fs.existsSync(CERT) && fs.existsSync(KEY)) {
  const tlsContext = () => ({ cert: fs.readFileSync(CERT), key: fs.readFileSync(KEY) });
  const server = https.createServer(tlsContext(), app);
  server.listen(TLS_PORT, HOST, () => console.log(`demo Veza API (HTTPS) on ${HOST}:${TLS_PORT}`));
  fs.watchFile(CERT, { interval: 1000 }, () => {
    try {
      server.setSecureContext(tlsContext());
      console.log(`reloaded the TLS certificate ${CERT}`);
    } catch (e) {
      // A half-written pair keeps the previous certificate in service; the next change retries.
      console.error(`kept the previous TLS certificate: ${(e as Error).message}`);
    }
  });
}
