// Load generator for the demo API, with knobs changeable while it runs: GET/PUT /knobs on 8081.
// PUT body: { "<key>": { rps?, errorShare?, slowShare? } } where key is "*", a method ("GET") or a route
// key ("POST /api/v1/orders"); applied in that order. Example total GET outage:
//   curl -X PUT 127.0.0.1:8081/knobs -d '{"GET":{"errorShare":1}}'
import http from 'node:http';
import { applyPatch, Knob } from './knobs';
import { FAULT_HEADER, PRODUCTS, ROUTES, routeKey } from './routes';
const API = process.env.VEZA_API_URL ?? 'http://127.0.0.1:8080';
const PORT = Number(process.env.VEZA_LOAD_PORT ?? 8081);
const defaults = (): Record<string, Knob> =>
  Object.fromEntries(ROUTES.map((r) => [routeKey(r), { rps: r.rps, errorShare: 0, slowShare: 0 }]));
let knobs = defaults();
const credit: Record<string, number> = {};
const sent: Record<string, number> = {};
const answered: Record<string, number> = {};

function path(template: string): string {
  // ~5 % of product ids don't exist, so the catalogue also answers 404 (not an SLO error).
  return template.replace(':id', String(1 + Math.floor(Math.random() * PRODUCTS * 1.05)));
}

function fire(key: string, k: Knob) {
  const [method, template] = key.split(' ');
  const roll = Math.random();
  const fault = roll < k.errorShare ? 'error' : roll < k.errorShare + k.slowShare ? 'slow' : undefined;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (fault) {
    headers[FAULT_HEADER] = fault;
  }
  sent[key] = (sent[key] ?? 0) + 1;
  const body =
    method === 'GET' || method === 'DELETE'
      ? undefined
      : JSON.stringify({ sku: `SKU-${1 + Math.floor(Math.random() * 9)}`, qty: 1 });
  fetch(API + path(template), { method, headers, body, signal: AbortSignal.timeout(10000) })
    .then(async (r) => {
      await r.arrayBuffer();
      answered[`${key} ${r.status}`] = (answered[`${key} ${r.status}`] ?? 0) + 1;
    })
    .catch(() => (answered[`${key} error`] = (answered[`${key} error`] ?? 0) + 1));
}

// 100 ms ticks; fractional credit keeps low rates (0.3/s) exact on average.
setInterval(() => {
  for (const [key, k] of Object.entries(knobs)) {
    credit[key] = (credit[key] ?? 0) + k.rps / 10;
    while (credit[key] >= 1) {
      credit[key] -= 1;
      fire(key, k);
    }
  }
}, 100);

http
  .createServer((req, res) => {
    const reply = (code: number, v: unknown) => {
      res.statusCode = code;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(v, null, 1) + '\n');
    };
    if (req.url === '/knobs' && req.method === 'GET') {
      return reply(200, { knobs, sent, answered });
    }
    if (req.url === '/knobs/reset' && req.method === 'POST') {
      knobs = defaults();
      return reply(200, { knobs });
    }
    if (req.url === '/knobs' && req.method === 'PUT') {
      let raw = '';
      req.on('data', (d) => (raw.length < 64 * 1024 ? (raw += d) : undefined));
      req.on('end', () => {
        let patch: unknown;
        try {
          patch = JSON.parse(raw);
        } catch {
          return reply(400, { error: 'body must be JSON, e.g. {"GET":{"errorShare":1}}' });
        }
        try {
          knobs = applyPatch(knobs, patch);
          reply(200, { knobs });
        } catch (e) {
          reply(400, { error: (e as Error).message });
        }
      });
      return;
    }
    reply(404, { error: 'GET /knobs, PUT /knobs, POST /knobs/reset' });
  })
  .listen(PORT, '127.0.0.1', () => console.log(`load generator knobs on 127.0.0.1:${PORT}, target ${API}`));
