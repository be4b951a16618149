import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dataSourceDTO, expandEnv, loadProvisioning } from '../server/provisioning';

const repo = path.resolve(__dirname, '..', '..');

test('expands $VAR, ${VAR} and ${VAR:-default} like Grafana provisioning', () => {
  const env = { A: 'x', EMPTY: '' };
  assert.equal(expandEnv('${A}-$A-${B:-def}-${B}-${EMPTY:-d2}', env), 'x-x-def--d2');
  assert.equal(expandEnv('no vars', env), 'no vars');
});

test("reads the repo's provisioning/ as Grafana would", () => {
  const p = loadProvisioning(path.join(repo, 'provisioning'), {}, 1000);
  const prom = p.datasources.find((d) => d.uid === 'prometheus');
  assert.ok(prom, 'prometheus data source provisioned');
  assert.equal(prom.type, 'prometheus');
  assert.equal(prom.url, 'http://127.0.0.1:9090');
  const pgha = p.datasources.find((d) => d.uid === 'pgha');
  assert.ok(pgha, 'pgha data source provisioned');
  assert.equal(pgha.type, 'veza-pgha-datasource');
  assert.equal(pgha.jsonData.monitorPort, 6000);
  assert.equal(pgha.jsonData.monitorUser, 'autoctl_node');
  assert.equal(pgha.jsonData.pgbouncerPort, 6432);
  assert.equal(pgha.updated, 1000);
  const app = p.apps.find((a) => a.type === 'veza-slo-app');
  assert.ok(app);
  assert.deepEqual(app.jsonData, { prometheusUid: 'prometheus', pghaUid: 'pgha', grafanaUrl: 'http://127.0.0.1:3000' });
});

test('secrets come from the environment and never leave through the DTO', () => {
  const p = loadProvisioning(path.join(repo, 'provisioning'), {
    VEZA_MONITOR_PASSWORD: 's3cret',
    VEZA_PROMETHEUS_URL: 'http://prom:9090',
  });
  const pgha = p.datasources.find((d) => d.uid === 'pgha')!;
  assert.equal(pgha.secureJsonData.monitorPassword, 's3cret');
  const dto = dataSourceDTO(pgha);
  assert.deepEqual(dto.secureJsonFields, { monitorPassword: true });
  assert.ok(!JSON.stringify(dto).includes('s3cret'));
  assert.equal(p.datasources.find((d) => d.uid === 'prometheus')!.url, 'http://prom:9090');
});

test('duplicate uids and nameless data sources are refused', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prov-'));
  fs.mkdirSync(path.join(dir, 'datasources'));
  fs.writeFileSync(
    path.join(dir, 'datasources', 'a.yaml'),
    'apiVersion: 1\ndatasources:\n  - {name: A, type: prometheus, uid: x}\n  - {name: B, type: prometheus, uid: x}\n'
  );
  assert.throws(() => loadProvisioning(dir, {}), /share uid "x"/);
  fs.writeFileSync(path.join(dir, 'datasources', 'a.yaml'), 'apiVersion: 1\ndatasources:\n  - {type: prometheus}\n');
  assert.throws(() => loadProvisioning(dir, {}), /needs a name and a type/);
});
