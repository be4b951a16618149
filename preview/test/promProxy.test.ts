import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promAnswerHeaders, promEndpoint, promProxyTarget } from '../server/promProxy';

const BASE = 'http://127.0.0.1:9090';

function target(rest: string, method = 'GET', search = '', base = BASE): string {
  const d = promProxyTarget(base, rest, search, method);
  if (!d.ok) {
    throw new Error(`${d.status} ${d.message}`);
  }
  return d.url.href;
}

function refused(rest: string, method = 'GET', base = BASE): number {
  const d = promProxyTarget(base, rest, '', method);
  assert.equal(d.ok, false, `${method} ${rest} must be refused`);
  return d.ok ? 0 : d.status;
}

test('the read API paths the app and Grafana use go to the configured Prometheus', () => {
  assert.equal(target('api/v1/query', 'GET', '?query=up'), `${BASE}/api/v1/query?query=up`);
  assert.equal(target('api/v1/query_range', 'POST'), `${BASE}/api/v1/query_range`);
  assert.equal(target('api/v1/rules'), `${BASE}/api/v1/rules`);
  assert.equal(target('api/v1/status/buildinfo'), `${BASE}/api/v1/status/buildinfo`);
  assert.equal(target('api/v1/label/job/values'), `${BASE}/api/v1/label/job/values`);
  for (const ep of ['series', 'labels', 'metadata', 'alerts', 'query_exemplars', 'format_query']) {
    assert.equal(promEndpoint(`api/v1/${ep}`), ep);
  }
  // A base URL with a path (Prometheus behind a prefix) keeps it.
  assert.equal(
    target('api/v1/query', 'GET', '', 'http://prom:9090/prometheus'),
    'http://prom:9090/prometheus/api/v1/query'
  );
});

test('an absolute URL, another host or a path that escapes is never forwarded', () => {
  for (const rest of [
    'http://evil.example/x',
    'https://evil.example/api/v1/query',
    '//evil.example/api/v1/query',
    '/api/v1/query',
    'api/v1/../../admin',
    'api/v1/%2e%2e/%2e%2e/-/quit',
    'api/v1/query%2F..%2F..%2Fadmin',
    'api/v1/label/job%2F..%2F/values',
    'api/v1/label/../values',
    'api/v1/query/',
    'api/v1/query?x',
    'API/V1/QUERY',
    '',
  ]) {
    assert.equal(refused(rest), 403, rest);
  }
});

test('admin, lifecycle and write endpoints are not forwarded, whatever the method', () => {
  for (const rest of [
    'api/v1/admin/tsdb/snapshot',
    'api/v1/admin/tsdb/delete_series',
    '-/reload',
    '-/quit',
    'api/v1/write',
    'api/v1/otlp/v1/metrics',
    'api/v1/status/config',
    'api/v1/targets',
    'federate',
    'graph',
  ]) {
    assert.equal(refused(rest, 'GET'), 403, rest);
    assert.equal(refused(rest, 'POST'), 403, rest);
  }
});

test('only GET, and POST where Prometheus takes a form-encoded query (as Grafana allows)', () => {
  assert.equal(refused('api/v1/query', 'DELETE'), 403);
  assert.equal(refused('api/v1/query', 'PUT'), 403);
  assert.equal(refused('api/v1/query', 'PATCH'), 403);
  assert.equal(refused('api/v1/rules', 'POST'), 403);
  assert.equal(refused('api/v1/status/buildinfo', 'POST'), 403);
  assert.match(target('api/v1/series', 'POST'), /api\/v1\/series$/);
  assert.match(target('api/v1/labels', 'POST'), /api\/v1\/labels$/);
});

test('a data source URL that is not http(s) is an error, not a target', () => {
  assert.equal(promProxyTarget('file:///etc/passwd', 'api/v1/query', '', 'GET').ok, false);
  assert.equal(promProxyTarget('not a url', 'api/v1/query', '', 'GET').ok, false);
});

test('answers are served as JSON or plain text with nosniff, never with the upstream type', () => {
  assert.equal(promAnswerHeaders('application/json')['Content-Type'], 'application/json');
  assert.equal(promAnswerHeaders('application/json; charset=utf-8')['Content-Type'], 'application/json');
  for (const t of ['text/html; charset=utf-8', 'application/javascript', 'image/svg+xml', null]) {
    const h = promAnswerHeaders(t);
    assert.equal(h['Content-Type'], 'text/plain; charset=utf-8', String(t));
    assert.equal(h['X-Content-Type-Options'], 'nosniff');
  }
});
