// `promtool test rules` for every scenario file in provisioning/prometheus/tests (series in, alerts expected out;
// docs/alerting.md). A file of its own: these take most of the rules project's time, and Jest runs files in
// parallel. Needs promtool on PATH.
import fs from 'node:fs';
import path from 'node:path';
import { promtool, root } from './commands';

jest.setTimeout(120_000); // the longest scenario takes several seconds on an idle machine

const dir = 'provisioning/prometheus/tests';
const scenarios = fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.test.yml'));

test('the scenario files are found', () => {
  expect(scenarios.length).toBeGreaterThan(0);
});

test.each(scenarios)('promtool test rules %s', (file) => {
  const r = promtool('test', 'rules', path.join(dir, file));
  expect({ status: r.status, output: r.stdout + r.stderr }).toMatchObject({ status: 0 });
});
