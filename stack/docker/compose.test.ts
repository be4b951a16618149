// docker-compose.yaml, checked as far as a machine without a Docker engine can: Debian's docker-compose parses
// and resolves it, Grafana gets the built plugin and the same provisioning files as the preview host, the three
// plugin ids are allowed unsigned, anonymous visitors only view, and the stack image is built from the repo's own
// Dockerfile. Needs docker-compose on PATH (`config` reads files only).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

const root = path.resolve(__dirname, '../..');

/** A volume is "src:dst[:mode]" (docker-compose 1.x) or {source, target} (compose v2): [src, dst] either way. */
type Volume = string | { source: string; target: string };
const mount = (v: Volume): [string, string] =>
  typeof v === 'string' ? (v.split(':').slice(0, 2) as [string, string]) : [v.source, v.target];

interface Service {
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string | number | boolean | null>;
  volumes?: Volume[];
}

let resolved: { services: Record<string, Service> };
let grafana: Service;

beforeAll(() => {
  const r = spawnSync('docker-compose', ['-f', 'docker-compose.yaml', 'config'], { cwd: root, encoding: 'utf8' });
  if (r.error) {
    throw r.error;
  }
  if (r.status !== 0) {
    throw new Error(`docker-compose config exited ${r.status}:\n${r.stderr}`);
  }
  resolved = yaml.load(r.stdout) as typeof resolved;
  grafana = resolved.services.grafana;
});

test('docker-compose config (parse and resolve)', () => {
  expect(resolved.services).toBeDefined();
});

test('services: the stack and Grafana', () => {
  expect(Object.keys(resolved.services)).toEqual(expect.arrayContaining(['stack', 'grafana']));
});

test('Grafana mounts dist/ as the plugin', () => {
  expect(grafana.volumes?.map(mount)).toContainEqual([
    expect.stringMatching(/\/dist$/),
    '/var/lib/grafana/plugins/veza-slo-app',
  ]);
});

test("Grafana reads the repo's provisioning/", () => {
  expect(grafana.volumes?.map(mount)).toContainEqual([
    expect.stringMatching(/\/provisioning$/),
    '/etc/grafana/provisioning',
  ]);
});

test('the app and both nested plugins load unsigned', () => {
  const allowed = String(grafana.environment?.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).split(',');
  expect(allowed).toEqual(
    expect.arrayContaining(['veza-slo-app', 'veza-pgha-datasource', 'veza-pgtopology-panel', 'veza-slo-panel'])
  );
});

test('anonymous visitors are at most Viewers (no anonymous Admin or Editor)', () => {
  const env = grafana.environment ?? {};
  const anonymous = /^(true|1)$/i.test(String(env.GF_AUTH_ANONYMOUS_ENABLED));
  expect(anonymous ? env.GF_AUTH_ANONYMOUS_ORG_ROLE : 'Viewer').toBe('Viewer');
});

test('the stack image is built from the repo', () => {
  const build = resolved.services.stack.build;
  expect(build).toBeDefined();
  expect(fs.existsSync(path.join(build!.context, build!.dockerfile))).toBe(true);
});

test("Grafana provisions the app's dashboards from the plugin it mounts (provisioning/dashboards → dist/dashboards)", () => {
  const plugin = grafana.volumes!.map(mount).find(([, dst]) => dst === '/var/lib/grafana/plugins/veza-slo-app')!;
  const doc = yaml.load(fs.readFileSync(path.join(root, 'provisioning/dashboards/veza.yaml'), 'utf8')) as {
    providers: Array<{ type: string; folder: string; allowUiUpdates: boolean; options: { path: string } }>;
  };
  expect(doc.providers).toHaveLength(1);
  const [p] = doc.providers;
  expect([p.type, p.folder, p.allowUiUpdates]).toEqual(['file', 'Veza SLO', false]);
  // The provider reads the mounted dist/dashboards, which the build copies from src/dashboards: every shipped file.
  expect(p.options.path).toBe(`${plugin[1]}/dashboards`);
  const shipped = (
    JSON.parse(fs.readFileSync(path.join(root, 'src/plugin.json'), 'utf8')) as {
      includes: Array<{ type: string; path: string }>;
    }
  ).includes.filter((i) => i.type === 'dashboard');
  expect(shipped.length).toBeGreaterThanOrEqual(2);
  for (const i of shipped) {
    expect(i.path).toMatch(/^dashboards\//);
    expect(fs.existsSync(path.join(root, 'src', i.path))).toBe(true);
  }
});
