// The annotations API of the preview host (budget corrections): Grafana's shapes over HTTP, the file store that
// outlives a restart, the author and times kept by the host, and a Viewer refused on every write.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AnnotationStore } from '../server/annotations';
import { raw, startHost, upstream, type HostFixture, type Upstream } from './hostFixture';

let prom: Upstream;
let h: HostFixture;
let viewer: HostFixture;
before(async () => {
  prom = await upstream(() => ({ type: 'application/json', body: '{}' }));
  h = await startHost(prom.url, { user: { id: 3, login: 'jane', email: 'jane@example.com', role: 'Editor' } });
  viewer = await startHost(prom.url, { user: { id: 4, login: 'vic', email: 'vic@example.com', role: 'Viewer' } });
});
after(async () => {
  await h.close();
  await viewer.close();
  await prom.close();
});

const send = (f: HostFixture, method: string, p: string, body?: unknown) =>
  raw(
    f.port,
    method,
    p,
    { Origin: `http://127.0.0.1:${f.port}`, 'Content-Type': 'application/json' },
    body === undefined ? undefined : JSON.stringify(body)
  );
const json = (r: { body: Buffer | string }) => JSON.parse(r.body.toString());

test('POST, GET by tags and range, PATCH, DELETE with Grafana shapes; author and times from the host', async () => {
  const tags = ['veza-slo-correction', 'kind:maintenance', 'slo:api-latency'];
  const created = await send(h, 'POST', '/api/annotations', { time: 1000, timeEnd: 5000, tags, text: 'upgrade' });
  assert.equal(created.status, 200);
  const { id } = json(created);
  await send(h, 'POST', '/api/annotations', { time: 9000, timeEnd: 9500, tags: ['deploy'], text: 'other' });
  const list = json(await send(h, 'GET', '/api/annotations?type=annotation&tags=veza-slo-correction&from=0&to=2000'));
  assert.equal(list.length, 1);
  assert.equal(list[0].id, id);
  assert.equal(list[0].login, 'jane');
  assert.equal(list[0].text, 'upgrade');
  assert.deepEqual(list[0].tags, tags);
  assert.ok(list[0].created > 0 && list[0].updated === list[0].created);
  // Outside the range, or a tag it lacks: not listed.
  assert.equal(json(await send(h, 'GET', '/api/annotations?tags=veza-slo-correction&from=6000&to=7000')).length, 0);
  assert.equal(json(await send(h, 'GET', '/api/annotations?tags=veza-slo-correction&tags=nope')).length, 0);
  assert.equal((await send(h, 'PATCH', `/api/annotations/${id}`, { text: 'DB upgrade' })).status, 200);
  const patched = json(await send(h, 'GET', '/api/annotations?tags=veza-slo-correction'))[0];
  assert.equal(patched.text, 'DB upgrade');
  assert.equal(patched.timeEnd, 5000);
  assert.equal((await send(h, 'PATCH', `/api/annotations/${id}`, { timeEnd: 10 })).status, 400);
  assert.equal((await send(h, 'DELETE', `/api/annotations/${id}`)).status, 200);
  assert.equal((await send(h, 'DELETE', `/api/annotations/${id}`)).status, 404);
  assert.equal(json(await send(h, 'GET', '/api/annotations?tags=veza-slo-correction')).length, 0);
});

test('a Viewer reads but every write is 403', async () => {
  assert.equal((await send(viewer, 'GET', '/api/annotations')).status, 200);
  assert.equal((await send(viewer, 'POST', '/api/annotations', { time: 1, timeEnd: 2, text: 'x' })).status, 403);
  assert.equal((await send(viewer, 'PATCH', '/api/annotations/1', { text: 'x' })).status, 403);
  assert.equal((await send(viewer, 'DELETE', '/api/annotations/1')).status, 403);
});

test('the store outlives a restart (a new store over the same file), ids keep counting', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ann-')), 'annotations.json');
  const user = { id: 1, login: 'admin', email: 'a@b', role: 'Admin' as const };
  const a = new AnnotationStore(file, () => 42);
  a.create({ time: 1, timeEnd: 2, tags: ['t'], text: 'kept' }, user);
  const b = new AnnotationStore(file, () => 43);
  assert.deepEqual(
    b.list(new URLSearchParams()).map((x) => [x.id, x.text, x.created]),
    [[1, 'kept', 42]]
  );
  assert.equal(b.create({ time: 3, timeEnd: 4 }, user).id, 2);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});
