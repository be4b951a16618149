// The preview host as a browser or an attacker meets it: a real server on an ephemeral port, a real HTTP server
// as its Prometheus, and requests with exactly the headers a browser (or a forged form) would send.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import WebSocket from 'ws';
import { raw, startHost, upstream, type HostFixture, type Upstream } from './hostFixture';

let prom: Upstream;
let other: Upstream;
let h: HostFixture;

before(async () => {
  prom = await upstream((p) =>
    p === '/api/v1/query' || p === '/api/v1/query_range'
      ? { type: 'application/json', body: '{"status":"success","data":{"resultType":"vector","result":[]}}' }
      : p === '/api/v1/rules'
        ? { type: 'text/html; charset=utf-8', body: '<script>alert(document.domain)</script>' }
        : p === '/api/v1/labels'
          ? { status: 302, type: 'text/plain', body: '', headers: { Location: `${other.url}/stolen` } }
          : { status: 404, type: 'text/plain', body: 'not found' }
  );
  other = await upstream(() => ({ type: 'text/html', body: '<script>alert(1)</script>' }));
  h = await startHost(prom.url, { maxBodyBytes: 4096 });
});

after(async () => {
  await h.close();
  await prom.close();
  await other.close();
});

const ORIGIN = () => ({ Origin: `http://127.0.0.1:${h.port}` });
const JSON_CT = { 'Content-Type': 'application/json' };
const SAME = () => ({ ...ORIGIN(), ...JSON_CT });

test('Prometheus passthrough: the read API reaches the configured Prometheus as JSON with nosniff', async () => {
  const r = await raw(h.port, 'GET', '/api/datasources/uid/prometheus/resources/api/v1/query?query=up');
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/json');
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.equal(JSON.parse(r.body).status, 'success');
  assert.equal(prom.requests.at(-1)?.url, '/api/v1/query?query=up');

  // A long query goes as a form POST, as the app sends it.
  const post = await raw(
    h.port,
    'POST',
    '/api/datasources/uid/prometheus/resources/api/v1/query_range',
    { ...ORIGIN(), 'Content-Type': 'application/x-www-form-urlencoded', 'X-Grafana-Org-Id': '1' },
    'query=up&start=1&end=2&step=1'
  );
  assert.equal(post.status, 200);
  assert.deepEqual(
    { method: prom.requests.at(-1)?.method, body: prom.requests.at(-1)?.body },
    { method: 'POST', body: 'query=up&start=1&end=2&step=1' }
  );
});

test('Prometheus passthrough: an upstream HTML answer is served as text/plain, never as HTML', async () => {
  const r = await raw(h.port, 'GET', '/api/datasources/uid/prometheus/resources/api/v1/rules');
  assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
});

test('Prometheus passthrough: never an absolute URL, another host, an escaping path or a write', async () => {
  const before = other.requests.length + prom.requests.length;
  const otherHost = other.url.replace('http://', '');
  for (const p of [
    `/api/datasources/uid/prometheus/resources/${other.url}/x`,
    `/api/datasources/uid/prometheus/resources/http:/${otherHost}/x`,
    `/api/datasources/uid/prometheus/resources//${otherHost}/api/v1/query`,
    `/api/datasources/proxy/uid/prometheus/${other.url}/api/v1/query`,
    '/api/datasources/uid/prometheus/resources/api/v1/query%2F..%2F..%2F-%2Fquit',
    '/api/datasources/uid/prometheus/resources/api/v1/%2e%2e/admin/tsdb/snapshot',
    '/api/datasources/uid/prometheus/resources/-/reload',
    '/api/datasources/uid/prometheus/resources/graph',
  ]) {
    const r = await raw(h.port, 'GET', p);
    assert.ok(r.status >= 400 && r.status < 500, `${p}: HTTP ${r.status}`);
    assert.equal(r.headers['content-type'], 'application/json', p);
  }
  for (const m of ['DELETE', 'PUT']) {
    const r = await raw(h.port, m, '/api/datasources/uid/prometheus/resources/api/v1/query', SAME(), '{}');
    assert.equal(r.status, 403, m);
  }
  assert.equal(other.requests.length + prom.requests.length, before, 'nothing was forwarded');
});

test('Prometheus passthrough: a redirect is reported, not followed', async () => {
  const n = other.requests.length;
  const r = await raw(h.port, 'GET', '/api/datasources/uid/prometheus/resources/api/v1/labels');
  assert.equal(r.status, 502);
  assert.equal(other.requests.length, n);
});

test('cross-site requests cannot change settings or run a health check', async () => {
  const url = '/api/plugins/veza-slo-app/settings';
  const form = await raw(
    h.port,
    'POST',
    url,
    { Origin: 'http://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
    'enabled=true'
  );
  assert.equal(form.status, 403);
  // Even without an Origin header (an old browser), a form or text/plain body cannot pass.
  const textPlain = await raw(h.port, 'POST', url, { 'Content-Type': 'text/plain' }, '{"jsonData":{"x":1}}');
  assert.equal(textPlain.status, 403);
  const noOriginForm = await raw(
    h.port,
    'POST',
    '/api/datasources/uid/prometheus/resources/api/v1/query',
    { 'Content-Type': 'application/x-www-form-urlencoded' },
    'query=up'
  );
  assert.equal(noOriginForm.status, 403);
  // JSON from another origin needs a preflight the host never grants; if sent anyway, the Origin refuses it.
  const json = await raw(h.port, 'POST', url, { Origin: 'http://evil.example', ...JSON_CT }, '{"enabled":false}');
  assert.equal(json.status, 403);
  const health = await raw(h.port, 'GET', '/api/datasources/uid/prometheus/health', { 'Sec-Fetch-Site': 'cross-site' });
  assert.equal(health.status, 403);
  const sameSite = await raw(h.port, 'GET', '/api/datasources', { Origin: 'http://localhost:1' });
  assert.equal(sameSite.status, 403);
  assert.equal((JSON.parse((await raw(h.port, 'GET', url)).body) as { jsonData: object }).jsonData.constructor, Object);
  assert.deepEqual((JSON.parse((await raw(h.port, 'GET', url)).body) as { jsonData: object }).jsonData, {});

  // The app's own calls: same Origin, JSON.
  const ok = await raw(h.port, 'POST', url, SAME(), '{"jsonData":{"prometheusUid":"prometheus"}}');
  assert.equal(ok.status, 200, ok.body);
  const typed = await raw(h.port, 'GET', '/api/datasources/uid/prometheus/health', { 'Sec-Fetch-Site': 'none' });
  assert.equal(typed.status, 200, 'an address typed into the browser is same-origin');
});

test('only the host names it serves: a DNS-rebinding Host header gets nothing', async () => {
  assert.equal((await raw(h.port, 'GET', '/api/datasources', { Host: `evil.example:${h.port}` })).status, 421);
  assert.equal((await raw(h.port, 'GET', '/a/veza-slo-app/slos', { Host: `evil.example:${h.port}` })).status, 421);
  assert.equal((await raw(h.port, 'GET', '/api/datasources', { Host: '127.0.0.1:1' })).status, 421);
  assert.equal((await raw(h.port, 'GET', '/api/datasources', { Host: `localhost:${h.port}` })).status, 200);
});

test('bodies over the limit answer 413, malformed JSON, null and bad % escapes 400, never 500', async () => {
  const big = Buffer.alloc(8192, 'a');
  const r413 = await raw(h.port, 'POST', '/api/ds/query', SAME(), big).catch((e: Error) => e);
  assert.ok(!(r413 instanceof Error), `connection error instead of 413: ${String(r413)}`);
  assert.equal(r413.status, 413);
  const chunked = await raw(h.port, 'POST', '/api/ds/query', { ...SAME(), 'Transfer-Encoding': 'chunked' }, big);
  assert.equal(chunked.status, 413);

  for (const body of ['{not json', 'null', '[]', '42', '"x"']) {
    for (const [m, p] of [
      ['POST', '/api/ds/query'],
      ['POST', '/api/plugins/veza-slo-app/settings'],
      ['PUT', '/api/datasources/uid/prometheus'],
    ]) {
      const r = await raw(h.port, m, p, SAME(), body);
      assert.equal(r.status, 400, `${m} ${p} ${body}: ${r.status} ${r.body}`);
    }
  }
  const badQueries = await raw(h.port, 'POST', '/api/ds/query', SAME(), '{"queries":[null]}');
  assert.equal(badQueries.status, 400);
  const badJsonData = await raw(h.port, 'POST', '/api/plugins/veza-slo-app/settings', SAME(), '{"jsonData":null}');
  assert.equal(badJsonData.status, 400);
  for (const p of [
    '/api/datasources/uid/%E0%A4%A',
    '/api/datasources/uid/%/health',
    '/public/plugins/veza-slo-app/%E0',
  ]) {
    const r = await raw(h.port, 'GET', p);
    assert.equal(r.status, 400, `${p}: ${r.status} ${r.body}`);
  }
  assert.equal(h.logs.filter((l) => /URIError|TypeError/.test(l)).length, 0, h.logs.join('\n'));
});

test('a provisioned read-only data source cannot be edited', async () => {
  const r = await raw(h.port, 'PUT', '/api/datasources/uid/locked', SAME(), '{"url":"http://evil.example"}');
  assert.equal(r.status, 403);
  assert.equal((JSON.parse(r.body) as { message: string }).message, 'Cannot update read-only data source');
  const ds = JSON.parse((await raw(h.port, 'GET', '/api/datasources/uid/locked')).body) as {
    url: string;
    version: number;
  };
  assert.equal(ds.url, prom.url);
  assert.equal(ds.version, 1);
  // The editable one still saves.
  const ok = await raw(h.port, 'PUT', '/api/datasources/uid/prometheus', SAME(), '{"jsonData":{"timeInterval":"15s"}}');
  assert.equal(ok.status, 200, ok.body);
});

test(
  'a file that fails mid-read ends that response only; the host keeps serving',
  { skip: process.platform !== 'linux' },
  async () => {
    // /proc/self/mem stats as a regular file and fails its first read (EIO): a read error after the headers.
    fs.symlinkSync('/proc/self/mem', path.join(h.root, 'dist', 'broken.js'));
    const r = await raw(h.port, 'GET', '/public/plugins/veza-slo-app/broken.js').catch((e: Error) => e);
    assert.ok(r instanceof Error || r.status !== 200 || r.body === '', 'no complete answer for a failed read');
    // A file removed between routing and reading is a 404.
    assert.equal((await raw(h.port, 'GET', '/public/plugins/veza-slo-app/gone.js')).status, 404);
    const ok = await raw(h.port, 'GET', '/public/plugins/veza-slo-app/module.js');
    assert.equal(ok.status, 200);
    assert.match(ok.body, /define/);
  }
);

test('the live WebSocket refuses another origin and another Host', async () => {
  const open = (headers: Record<string, string>) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${h.port}/api/live/preview`, { headers });
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.on('error', () => resolve(-1));
    });
  assert.equal(await open({ Origin: 'http://evil.example' }), 403);
  assert.equal(await open({ Origin: `http://127.0.0.1:${h.port}`, Host: `evil.example:${h.port}` }), 403);
  assert.equal(await open({ Origin: `http://127.0.0.1:${h.port}` }), 101);
});

test('a request target that is not a path answers 400', async () => {
  const reply = await new Promise<string>((resolve) => {
    const s = net.connect(h.port, '127.0.0.1', () => {
      s.end(`GET http://evil.example/api/health HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\nConnection: close\r\n\r\n`);
    });
    let out = '';
    s.on('data', (d: Buffer) => (out += d.toString('utf8')));
    s.on('close', () => resolve(out));
  });
  assert.match(reply, /^HTTP\/1.1 400/);
});
