// Compatibility with the oldest Grafana the plugins declare, proven without a Grafana server: Grafana's
// `@grafana/levitate is-compatible` compares the @grafana/data, ui and runtime APIs the three plugins import with the
// packages of that version (fetched from npm). Type-only changes that cannot matter at run time are listed, with why,
// in scripts/package/compat-allowed.json; anything else fails. Run: npx tsx --test scripts/package/compat.test.ts
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseLevitate } from './levitate';

const LEVITATE = '@grafana/levitate@0.17.2';
const PACKAGES = ['@grafana/data', '@grafana/ui', '@grafana/runtime'];

test('levitate reports are read: numbered incompatibilities and the verdict', () => {
  const esc = String.fromCharCode(27);
  const sample = [
    'Comparing @grafana/ui@13.1.1 to @grafana/ui@11.0.0',
    '  INCOMPATIBILITIES (1)',
    `${esc}[31m1) Removed \`Combobox\` used in \`/repo/src/pages/Report.tsx:6\`${esc}[39m`,
    'src/module.tsx is not fully compatible with @grafana/data@11.0.0',
  ].join('\n');
  assert.deepEqual(parseLevitate(sample, '/repo'), {
    finished: true,
    incompatibilities: [{ change: 'Removed `Combobox`', usedIn: 'src/pages/Report.tsx:6' }],
  });
  assert.equal(parseLevitate('🔍 Resolving @grafana/data@12.0.0...', '/repo').finished, false);
});

test('the app, data source and panel are compatible with the oldest Grafana in grafanaDependency', () => {
  const dep = JSON.parse(readFileSync('src/plugin.json', 'utf8')).dependencies.grafanaDependency as string;
  const oldest = /^>=(\d+\.\d+\.\d+)$/.exec(dep)?.[1];
  assert.ok(oldest, `grafanaDependency ${dep} is not of the form >=X.Y.Z`);
  const target = PACKAGES.map((p) => `${p}@${oldest}`).join(',');
  const run = spawnSync(
    'npx',
    ['--yes', LEVITATE, 'is-compatible', '--path', 'scripts/package/compat-entry.ts', '--target', target],
    { encoding: 'utf8', timeout: 300_000, env: { ...process.env, FORCE_COLOR: '0' } }
  );
  const output = `${run.stdout}\n${run.stderr}`;
  const report = parseLevitate(output, process.cwd());
  assert.ok(report.finished, `levitate did not finish (exit ${run.status}):\n${output.slice(-2000)}`);
  const allowed = new Set(
    (JSON.parse(readFileSync('scripts/package/compat-allowed.json', 'utf8')) as Array<{ change: string }>).map(
      (a) => a.change
    )
  );
  const unexpected = report.incompatibilities.filter((i) => !allowed.has(i.change));
  assert.deepEqual(unexpected, [], `incompatible with Grafana ${oldest}:\n${output.slice(-3000)}`);
  // A clean verdict with nothing reported must come with exit 0; a listed change alone may make levitate exit 1.
  if (report.incompatibilities.length === 0) {
    assert.equal(run.status, 0, output.slice(-2000));
  }
});
