// A small HTTP proxy in front of the real Prometheus that the fault matrix (faults.spec.ts) switches between
// failure modes, so a second preview host pointed at it (VEZA_PROMETHEUS_URL) sees a Prometheus that is down,
// slow, talking garbage or failing, while the shared stack's Prometheus keeps serving everyone else.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * pass: forward as is. down: the port is closed (connection refused). slow: forward after `delayMs`.
 * garbage: 200 with a body that is not Prometheus JSON (`garbage` picks HTML or JSON of the wrong shape).
 * error500: 500 with Prometheus's own error shape.
 */
export type FaultMode = 'pass' | 'down' | 'slow' | 'garbage' | 'error500';

export interface FaultProxy {
  readonly url: string;
  readonly port: number;
  mode(): FaultMode;
  /** Switches the mode; `down` closes the listening socket, leaving it re-opens it on the same port. */
  set(mode: FaultMode, opts?: { delayMs?: number; garbage?: 'html' | 'shape' }): Promise<void>;
  /** Requests answered per mode since start (a cell checks the page really hit the fault). */
  readonly hits: Record<FaultMode, number>;
  close(): Promise<void>;
}

export async function startFaultProxy(upstream: string, port = 0): Promise<FaultProxy> {
  const target = new URL(upstream);
  let mode: FaultMode = 'pass';
  let delayMs = 5000;
  let garbage: 'html' | 'shape' = 'html';
  const hits: Record<FaultMode, number> = { pass: 0, down: 0, slow: 0, garbage: 0, error500: 0 };
  const sockets = new Set<import('node:net').Socket>();

  const forward = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const up = http.request(
      {
        host: target.hostname,
        port: target.port || 80,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      }
    );
    up.on('error', (e) => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
      }
      res.end(`fault proxy: upstream ${upstream}: ${e.message}`);
    });
    req.pipe(up);
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const m = mode;
    hits[m] += 1;
    if (m === 'error500') {
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'error', errorType: 'internal', error: 'fault proxy: injected 500' }));
      return;
    }
    if (m === 'garbage') {
      req.resume();
      if (garbage === 'html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body><h1>Welcome to nginx!</h1></body></html>');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: 'not a list' }, groups: 7 }));
      }
      return;
    }
    if (m === 'slow') {
      const t = setTimeout(() => forward(req, res), delayMs);
      res.on('close', () => clearTimeout(t));
      return;
    }
    forward(req, res);
  };

  let server: http.Server | undefined;
  const listen = (p: number) =>
    new Promise<number>((resolve, reject) => {
      const s = http.createServer(handler);
      s.on('connection', (c) => {
        sockets.add(c);
        c.on('close', () => sockets.delete(c));
      });
      s.once('error', reject);
      s.listen(p, '127.0.0.1', () => {
        server = s;
        resolve((s.address() as AddressInfo).port);
      });
    });
  const shut = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = undefined;
      if (!s) {
        resolve();
        return;
      }
      // Open keep-alive connections would keep "down" answering: cut them so it is really refused.
      sockets.forEach((c) => c.destroy());
      s.close(() => resolve());
    });

  const bound = await listen(port);
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    hits,
    mode: () => mode,
    async set(next, opts = {}) {
      delayMs = opts.delayMs ?? delayMs;
      garbage = opts.garbage ?? garbage;
      if (next === 'down' && server) {
        mode = next;
        await shut();
        return;
      }
      if (next !== 'down' && !server) {
        await listen(bound);
      }
      mode = next;
    },
    close: shut,
  };
}
