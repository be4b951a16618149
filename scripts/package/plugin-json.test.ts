// Every plugin.json, as written in src/ and as packaged, against Grafana's plugin JSON schema.
// scripts/package/plugin.schema.json is a copy of config/plugin.schema.json of github.com/grafana/plugin-validator
// (commit c5c62911772b, 2026-07-13; the validator's own copy of Grafana's docs/sources/developers/plugins/
// plugin.schema.json). The validator's `metadatavalid` pass downloads that schema, so it is off on a machine without
// the internet (validator-offline.yaml): this test stands in for it. Run: npx tsx --test scripts/package/plugin-json.test.ts
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv, { type ErrorObject } from 'ajv';

const schema = JSON.parse(readFileSync('scripts/package/plugin.schema.json', 'utf8'));
// Its patterns are written for Go's regexp (e.g. `\-`), which JavaScript refuses in unicode mode.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
// The schema's two formats, checked as strictly as Grafana's validator does (it parses URIs and addresses).
ajv.addFormat('uri', (s: string) => URL.canParse(s));
ajv.addFormat('email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
const validate = ajv.compile(schema);

const sources = [
  'src/plugin.json',
  'src/datasource/plugin.json',
  'src/panels/topology/plugin.json',
  'src/panels/slo/plugin.json',
];
const read = (p: string) => JSON.parse(readFileSync(p, 'utf8'));
const problems = (meta: unknown): string[] =>
  validate(meta) ? [] : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message}`);

test('the schema is strict enough to fail: an unknown field and a bad id are refused', () => {
  const app = read('src/plugin.json');
  assert.notDeepEqual(problems({ ...app, dashboardsFolder: 'x' }), []);
  assert.notDeepEqual(problems({ ...app, id: 'Veza SLO' }), []);
});

for (const p of sources) {
  test(`${p} validates against Grafana's plugin JSON schema`, () => {
    assert.deepEqual(problems(read(p)), []);
  });
}

test('the packaged plugin.json files validate too (placeholders replaced)', () => {
  const version = read('package.json').version as string;
  const zip = `veza-slo-app-${version}.zip`;
  assert.ok(existsSync(zip), `${zip} is missing: npm run build && npm run package`);
  const dir = mkdtempSync(join(tmpdir(), 'veza-zip-'));
  execFileSync('unzip', ['-q', zip, '-d', dir]);
  for (const p of ['plugin.json', 'datasource/plugin.json', 'panels/topology/plugin.json', 'panels/slo/plugin.json']) {
    const meta = read(join(dir, 'veza-slo-app', p));
    assert.deepEqual(problems(meta), [], p);
    assert.doesNotMatch(JSON.stringify(meta), /%(VERSION|TODAY|PLUGIN_ID)%/, `${p} keeps a placeholder`);
  }
});

test('the app and its nested plugins need the same Grafana (one grafanaDependency)', () => {
  const deps = new Set(sources.map((p) => read(p).dependencies.grafanaDependency));
  assert.equal(deps.size, 1, [...deps].join(' / '));
  assert.match([...deps][0], /^>=\d+\.\d+\.\d+$/);
});
