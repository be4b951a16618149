// provisioning/alertmanager/routes.yml as amtool reads it: the configuration is valid, and each severity (Veza's
// page|ticket, the mixins' critical|warning, unknown, none) reaches the receiver docs/alerting.md promises.
// Needs amtool on PATH.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const ROUTES = path.join(root, 'provisioning/alertmanager/routes.yml');

function amtool(...args: string[]) {
  const r = spawnSync('amtool', args, { cwd: root, encoding: 'utf8' });
  if (r.error) {
    throw r.error;
  }
  return { status: r.status, output: `${r.stdout}${r.stderr}`, stdout: r.stdout };
}

test('amtool check-config routes.yml (secret files need not exist)', () => {
  expect(amtool('check-config', ROUTES)).toMatchObject({ status: 0 });
});

/** The receivers routes.yml sends an alert with these labels to, as amtool resolves them. */
const receiversOf = (labels: Record<string, string>) => {
  const r = amtool(
    'config',
    'routes',
    'test',
    `--config.file=${ROUTES}`,
    ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)
  );
  expect(r).toMatchObject({ status: 0 });
  return r.stdout.trim();
};

test.each([
  [
    'severity=page → page-oncall',
    'page-oncall',
    { alertname: 'APIAvailabilitySLOFastBurn', slo: 'api-availability', severity: 'page' },
  ],
  [
    'severity=ticket → ticket-oncall',
    'ticket-oncall',
    { alertname: 'APIAvailabilitySLOSlowBurn', slo: 'api-availability', severity: 'ticket' },
  ],
  [
    'severity=critical (mixin convention) → page-oncall',
    'page-oncall',
    { alertname: 'NodeFilesystemAlmostOutOfSpace', severity: 'critical' },
  ],
  [
    'severity=warning (mixin convention) → ticket-oncall',
    'ticket-oncall',
    { alertname: 'NodeFilesystemSpaceFillingUp', severity: 'warning' },
  ],
  ['unknown severity → default-oncall (not dropped)', 'default-oncall', { alertname: 'Mystery', severity: 'info' }],
  ['no severity → default-oncall (not dropped)', 'default-oncall', { alertname: 'Mystery' }],
  [
    'infra page (PostgresPrimaryUnreachable) → page-oncall',
    'page-oncall',
    { alertname: 'PostgresPrimaryUnreachable', severity: 'page' },
  ],
  [
    'a comparison engine\'s page (engine="victoria-metrics", docs/engines.md) → engine-comparison, not on-call',
    'engine-comparison',
    { alertname: 'APIAvailabilitySLOFastBurn', severity: 'page', slo: 'api-availability', engine: 'victoria-metrics' },
  ],
])('route: %s', (_name, receiver, labels) => {
  expect(receiversOf(labels)).toBe(receiver);
});
