// Opens the packaged zip and checks Grafana's published layout: one root folder named after the plugin id,
// the front end and metadata of the app and both nested plugins, every backend binary at mode 0755 and built
// for the platform its name says. Run: npx tsx --test scripts/package/zip-layout.test.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';

const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;
const zip = `veza-slo-app-${version}.zip`;
const root = 'veza-slo-app/';

// zipinfo's long listing: "-rwxr-xr-x  3.0 unx  1234 bx defN 24-Nov-25 10:00 veza-slo-app/…"
const entries = execFileSync('zipinfo', ['-l', zip], { encoding: 'utf8' })
  .split('\n')
  .filter((l) => /^[-d]r/.test(l))
  .map((l) => {
    const parts = l.trim().split(/\s+/);
    return { mode: parts[0], name: parts[parts.length - 1] };
  });
const names = new Set(entries.map((e) => e.name));

// The zip unpacked once, on first use, for the tests that read files inside it.
let unpacked: string | undefined;
function unzipped(): string {
  if (!unpacked) {
    unpacked = mkdtempSync(join(tmpdir(), 'veza-zip-'));
    execFileSync('unzip', ['-q', zip, '-d', unpacked]);
  }
  return unpacked;
}
after(() => unpacked && rmSync(unpacked, { recursive: true, force: true }));

const binaries = ['linux_amd64', 'linux_arm64', 'darwin_arm64', 'windows_amd64.exe'].map(
  (p) => `${root}datasource/gpx_pgha_${p}`
);

test('every entry sits under one root folder named after the plugin id', () => {
  const outside = entries.filter((e) => !e.name.startsWith(root));
  assert.deepEqual(outside, []);
  assert.ok(!names.has(`${root}dist/`), 'no dist/ folder inside the root folder');
});

test('the app, its nested plugins and the docs are there', () => {
  const required = [
    'module.js',
    'plugin.json',
    'README.md',
    'CHANGELOG.md',
    'LICENSE',
    'img/logo.svg',
    'datasource/module.js',
    'datasource/plugin.json',
    'datasource/img/logo.svg',
    'datasource/go_plugin_build_manifest',
    'panels/topology/module.js',
    'panels/topology/plugin.json',
    'panels/topology/img/logo.svg',
    'panels/slo/module.js',
    'panels/slo/plugin.json',
    'panels/slo/img/logo.svg',
    'dashboards/slo-detail.json',
    'dashboards/postgres-ha.json',
  ];
  const missing = required.filter((f) => !names.has(root + f));
  assert.deepEqual(missing, []);
});

test('every backend binary is there with mode 0755', () => {
  for (const b of binaries) {
    const entry = entries.find((e) => e.name === b);
    assert.ok(entry, `${b} is missing`);
    assert.equal(entry.mode, '-rwxr-xr-x', `${b} has mode ${entry.mode}`);
  }
});

test('each binary is built for the platform its name says', () => {
  const dir = unzipped();
  for (const b of binaries) {
    const [, os, arch] = /gpx_pgha_([a-z]+)_([a-z0-9]+)/.exec(b)!;
    const info = execFileSync('go', ['version', '-m', join(dir, b)], { encoding: 'utf8' });
    assert.match(info, new RegExp(`build\\s+GOOS=${os}\\b`), `${b}: ${info.split('\n')[0]}`);
    assert.match(info, new RegExp(`build\\s+GOARCH=${arch}\\b`));
  }
});

test('plugin.json files carry the version and the fields Grafana requires', () => {
  const dir = unzipped();
  for (const p of ['plugin.json', 'datasource/plugin.json', 'panels/topology/plugin.json', 'panels/slo/plugin.json']) {
    const meta = JSON.parse(readFileSync(join(dir, root, p), 'utf8'));
    assert.match(meta.id, /^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/, p);
    assert.equal(meta.info.version, version, `${p} version`);
    assert.match(meta.info.updated, /^\d{4}-\d{2}-\d{2}$/, `${p} updated`);
    assert.ok(meta.info.keywords.length > 0, `${p} keywords`);
    assert.ok(meta.dependencies.grafanaDependency, `${p} grafanaDependency`);
  }
  const app = JSON.parse(readFileSync(join(dir, root, 'plugin.json'), 'utf8'));
  const nested = app.includes
    .filter((i: { type: string }) => i.type === 'datasource' || i.type === 'panel')
    .map((i: { path: string }) => i.path);
  assert.deepEqual(nested.sort(), ['datasource/plugin.json', 'panels/slo/plugin.json', 'panels/topology/plugin.json']);
  const dashboards = app.includes
    .filter((i: { type: string }) => i.type === 'dashboard')
    .map((i: { path: string }) => i.path);
  assert.ok(dashboards.length >= 2, 'dashboards listed');
  for (const d of dashboards) {
    assert.ok(names.has(root + d), `${d} is in the zip`);
  }
  const ds = JSON.parse(readFileSync(join(dir, root, 'datasource/plugin.json'), 'utf8'));
  assert.equal(ds.backend, true);
  assert.equal(ds.alerting, true);
  assert.equal(ds.executable, 'gpx_pgha');
});

test('the zip ships no test data (fixtures, golden files, test sources)', () => {
  const testFiles = [...names].filter((n) => /\/(testdata|__snapshots__|__mocks__)\/|\.(test|spec)\.[jt]sx?$/.test(n));
  assert.deepEqual(testFiles, []);
});

test("the catalog's screenshots listed in plugin.json are in the zip", () => {
  const app = JSON.parse(readFileSync('src/plugin.json', 'utf8'));
  const shots = (app.info.screenshots as Array<{ name: string; path: string }>).map((s) => s.path);
  assert.ok(shots.length >= 3, `plugin.json lists ${shots.length} screenshots`);
  const missing = shots.filter((p) => !names.has(root + p));
  assert.deepEqual(missing, []);
});

test('the entry bundles stay small: each module.js under 150 KB gzip (pages load lazily)', () => {
  const dir = unzipped();
  for (const entry of ['module.js', 'datasource/module.js', 'panels/topology/module.js', 'panels/slo/module.js']) {
    const gz = gzipSync(readFileSync(join(dir, root, entry)), { level: 9 }).length;
    assert.ok(gz < 150 * 1024, `${entry}: ${(gz / 1024).toFixed(1)} KB gzip`);
  }
});
