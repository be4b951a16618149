// A preview host over a throw-away plugin tree (an app without backend, so no Go build is needed) and provisioning
// pointing at a real local HTTP server standing in for Prometheus, on a port the system chooses.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { PreviewHost } from '../server/host';
import type { PreviewUser } from '../server/annotations';

export interface Upstream {
  url: string;
  requests: Array<{ method: string; url: string; body: string; contentType?: string }>;
  close: () => Promise<void>;
}

/** A real HTTP server that records what reaches it and answers with `answer(path)`. */
export async function upstream(
  answer: (p: string) => { status?: number; type: string; body: string; headers?: Record<string, string> }
): Promise<Upstream> {
  const requests: Upstream['requests'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
        contentType: req.headers['content-type'],
      });
      const a = answer(new URL(req.url ?? '/', 'http://x').pathname);
      res.writeHead(a.status ?? 200, { 'Content-Type': a.type, ...a.headers });
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface HostFixture {
  host: PreviewHost;
  base: string;
  port: number;
  root: string;
  logs: string[];
  close: () => Promise<void>;
}

/** A repo root with dist/plugin.json (veza-slo-app) and two Prometheus data sources: editable and provisioned read-only. */
export async function startHost(
  promUrl: string,
  opts: { maxBodyBytes?: number; dashboards?: boolean; user?: PreviewUser } = {}
): Promise<HostFixture> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-host-'));
  fs.mkdirSync(path.join(root, 'dist', 'img'), { recursive: true });
  // dashboards: the repository's shipped dashboards (src/dashboards, listed in src/plugin.json), as the build copies them.
  const repo = path.resolve(__dirname, '../..');
  const includes = opts.dashboards
    ? (
        JSON.parse(fs.readFileSync(path.join(repo, 'src/plugin.json'), 'utf8')) as { includes: Array<{ type: string }> }
      ).includes.filter((i) => i.type === 'dashboard')
    : [];
  if (opts.dashboards) {
    fs.cpSync(path.join(repo, 'src/dashboards'), path.join(root, 'dist/dashboards'), { recursive: true });
  }
  fs.writeFileSync(
    path.join(root, 'dist', 'plugin.json'),
    JSON.stringify({
      id: 'veza-slo-app',
      type: 'app',
      name: 'Veza SLO',
      info: { version: '0.0.0-test', logos: { small: 'img/logo.svg', large: 'img/logo.svg' } },
      includes,
    })
  );
  fs.writeFileSync(path.join(root, 'dist', 'module.js'), 'define([], function () { return {}; });\n');
  fs.mkdirSync(path.join(root, 'provisioning', 'datasources'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'provisioning', 'datasources', 'ds.yaml'),
    [
      'apiVersion: 1',
      'datasources:',
      `  - {name: Prometheus, type: prometheus, uid: prometheus, url: "${promUrl}", editable: true, isDefault: true}`,
      `  - {name: Locked, type: prometheus, uid: locked, url: "${promUrl}"}`,
      '',
    ].join('\n')
  );
  const logs: string[] = [];
  const port = await freePort();
  const host = new PreviewHost({
    repoRoot: root,
    host: '127.0.0.1',
    port,
    shellDir: path.join(root, 'shell'),
    log: (m) => logs.push(m),
    allowedHosts: '',
    maxBodyBytes: opts.maxBodyBytes,
    stateDir: path.join(root, 'state'),
    user: opts.user,
  });
  await host.listen();
  return {
    host,
    base: `http://127.0.0.1:${port}`,
    port,
    root,
    logs,
    close: async () => {
      await host.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request with exactly these headers (fetch() would add Origin/Sec-Fetch-* rules of its own). */
export function raw(
  port: number,
  method: string,
  p: string,
  headers: Record<string, string> = {},
  body?: string | Buffer
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: p,
        agent: false,
        headers: {
          Host: `127.0.0.1:${port}`,
          // Node sends a DELETE body with neither length nor chunking; say how long it is.
          ...(body !== undefined && !headers['Transfer-Encoding']
            ? { 'Content-Length': String(Buffer.byteLength(body)) }
            : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') })
        );
        res.on('error', reject);
      }
    );
    req.on('error', reject);
    req.end(body);
  });
}
