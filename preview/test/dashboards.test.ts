// The app's dashboards as the preview host serves them (preview/server/dashboards.ts): read from the plugin's
// `includes`, a broken file reported and skipped, never a path outside the plugin; and through the running host's
// /api/search and /api/dashboards/uid/<uid>, the repository's dashboards copied as the build does.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dashboardByUid, searchHits, shippedDashboards } from '../server/dashboards';
import type { LoadedPlugin } from '../server/plugins';
import { raw, startHost, upstream, type HostFixture, type Upstream } from './hostFixture';

const plugin = (dir: string, includes: Array<{ type: string; path?: string }>): Map<string, LoadedPlugin> =>
  new Map([
    [
      'app',
      {
        json: {
          id: 'app',
          type: 'app',
          name: 'App',
          info: { version: '1', logos: { small: '', large: '' } },
          includes,
        },
        dir,
        baseUrl: 'public/plugins/app',
        module: 'public/plugins/app/module.js',
      },
    ],
  ]);

test('dashboards from includes: good ones listed, a bad file and an escaping path reported, pages not mistaken', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dash-'));
  try {
    fs.mkdirSync(path.join(dir, 'dashboards'));
    fs.writeFileSync(path.join(dir, 'dashboards/a.json'), JSON.stringify({ uid: 'a', title: 'A', tags: ['veza'] }));
    fs.writeFileSync(path.join(dir, 'dashboards/bad.json'), '{ not json');
    fs.writeFileSync(path.join(dir, 'dashboards/nouid.json'), '{"title":"x"}');
    const { dashboards, problems } = shippedDashboards(
      plugin(dir, [
        { type: 'dashboard', path: 'dashboards/a.json' },
        { type: 'dashboard', path: 'dashboards/bad.json' },
        { type: 'dashboard', path: 'dashboards/nouid.json' },
        { type: 'dashboard', path: '../../etc/passwd' },
        { type: 'dashboard', path: 'dashboards/missing.json' },
        { type: 'page', path: '/a/app/x' },
      ])
    );
    assert.deepEqual(
      dashboards.map((d) => [d.uid, d.title, d.tags, d.file]),
      [['a', 'A', ['veza'], 'dashboards/a.json']]
    );
    assert.equal(problems.length, 4);
    assert.match(problems.join('\n'), /bad\.json: .*JSON/);
    assert.match(problems.join('\n'), /nouid\.json: no uid or title/);
    assert.match(problems.join('\n'), /\.\.\/\.\.\/etc\/passwd is outside the plugin/);
    assert.match(problems.join('\n'), /missing\.json: ENOENT/);
    assert.deepEqual(searchHits(dashboards)[0].url, '/d/a');
    assert.deepEqual(dashboardByUid(dashboards[0]).meta.provisioned, true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

let prom: Upstream;
let h: HostFixture;
before(async () => {
  prom = await upstream(() => ({ type: 'application/json', body: '{"status":"success","data":[]}' }));
  h = await startHost(prom.url, { dashboards: true });
});
after(async () => {
  await h.close();
  await prom.close();
});

test('the host: /api/search lists the shipped dashboards, /api/dashboards/uid/<uid> answers the model, else 404', async () => {
  const root = path.resolve(__dirname, '../..');
  const includes = (
    JSON.parse(fs.readFileSync(path.join(root, 'src/plugin.json'), 'utf8')) as {
      includes: Array<{ type: string; path: string }>;
    }
  ).includes.filter((i) => i.type === 'dashboard');
  const search = await raw(h.port, 'GET', '/api/search?type=dash-db');
  assert.equal(search.status, 200);
  const hits = JSON.parse(search.body) as Array<{ uid: string; url: string }>;
  assert.equal(hits.length, includes.length);
  assert.ok(hits.length >= 2);
  for (const hit of hits) {
    const r = await raw(h.port, 'GET', `/api/dashboards/uid/${hit.uid}`);
    assert.equal(r.status, 200);
    const body = JSON.parse(r.body) as { dashboard: { uid: string }; meta: { url: string } };
    assert.deepEqual([body.dashboard.uid, body.meta.url], [hit.uid, hit.url]);
  }
  const missing = await raw(h.port, 'GET', '/api/dashboards/uid/nope');
  assert.equal(missing.status, 404);
  const q = await raw(h.port, 'GET', '/api/search?query=postgres');
  assert.deepEqual(
    (JSON.parse(q.body) as Array<{ uid: string }>).map((x) => x.uid),
    ['veza-postgres-ha']
  );
});
