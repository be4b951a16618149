// The stack's Prometheus has no lifecycle or admin API, and its config is still reloaded (and a bad one reported)
// by SIGHUP. The live part runs a throw-away Prometheus with the stack's own flags on a free port.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

// A throw-away state dir, set before stack/lib/config reads it.
const state = fs.mkdtempSync(path.join(os.tmpdir(), 'veza-promctl-'));
process.env.VEZA_STACK_DIR = state;
after(() => fs.rmSync(state, { recursive: true, force: true }));

async function prometheusSpec() {
  const { AFTER_DB } = await import('../lib/services');
  return AFTER_DB.find((s) => s.name === 'prometheus')!;
}

test('the stack starts Prometheus without --web.enable-lifecycle or --web.enable-admin-api', async () => {
  const spec = await prometheusSpec();
  assert.ok(
    spec.args.some((a) => a.startsWith('--web.listen-address=')),
    'the Prometheus spec'
  );
  assert.deepEqual(
    spec.args.filter((a) => /^--web\.enable-(lifecycle|admin-api)/.test(a)),
    []
  );
});

test('reload metrics are read from the exposition text', async () => {
  const { reloadState } = await import('../lib/prometheusControl');
  const text = [
    '# HELP prometheus_config_last_reload_successful Whether the last configuration reload attempt was successful.',
    'prometheus_config_last_reload_success_timestamp_seconds 1.796391736025731e+09',
    'prometheus_config_last_reload_successful 0',
    'prometheus_config_last_reload_successful_total 3',
  ].join('\n');
  assert.deepEqual(reloadState(text), { successful: false, at: 1796391736.025731 });
  assert.deepEqual(reloadState(''), { successful: undefined, at: undefined });
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });

test(
  'SIGHUP reloads a live Prometheus, a broken config is reported, and /-/reload and the admin API are refused',
  {
    skip: fs.existsSync('/usr/bin/prometheus') ? false : '/usr/bin/prometheus not installed (scripts/setup.sh)',
    timeout: 90000,
  },
  async (t) => {
    const { reloadPrometheus, commandLine } = await import('../lib/prometheusControl');
    const spec = await prometheusSpec();
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veza-prom-'));
    const cfg = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(cfg, 'global:\n  scrape_interval: 15s\n');
    const url = `http://127.0.0.1:${port}`;
    // The stack's flags, moved to this test's port and directories.
    const args = spec.args.map((a) =>
      a.startsWith('--config.file=')
        ? `--config.file=${cfg}`
        : a.startsWith('--storage.tsdb.path=')
          ? `--storage.tsdb.path=${path.join(dir, 'data')}`
          : a.startsWith('--web.listen-address=')
            ? `--web.listen-address=127.0.0.1:${port}`
            : a.startsWith('--web.external-url=')
              ? `--web.external-url=${url}`
              : a
    );
    const child = spawn(spec.cmd, args, { stdio: 'ignore' });
    t.after(() => {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const end = Date.now() + 60000;
    while (
      !(await fetch(`${url}/-/ready`).then(
        (r) => r.ok,
        () => false
      ))
    ) {
      assert.ok(Date.now() < end && child.exitCode === null, 'Prometheus did not become ready');
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(commandLine(child.pid!), [spec.cmd, ...args]);

    const reload = await fetch(`${url}/-/reload`, { method: 'POST' });
    assert.equal(reload.status, 403, 'lifecycle API disabled');
    const snapshot = await fetch(`${url}/api/v1/admin/tsdb/snapshot`, { method: 'POST' });
    assert.notEqual(snapshot.status, 200, 'admin API disabled');
    assert.match(await snapshot.text(), /admin APIs disabled/);

    fs.writeFileSync(cfg, 'global:\n  scrape_interval: 5s\n');
    await reloadPrometheus({ pid: child.pid!, url, timeoutMs: 20000 });
    const flags = (await (await fetch(`${url}/api/v1/status/config`)).json()) as { data: { yaml: string } };
    assert.match(flags.data.yaml, /scrape_interval: 5s/, 'the new config is loaded');

    fs.writeFileSync(cfg, 'global:\n  scrape_interval: [not a duration\n');
    await assert.rejects(
      reloadPrometheus({ pid: child.pid!, url, timeoutMs: 20000 }),
      /rejected the new configuration/
    );

    fs.writeFileSync(cfg, 'global:\n  scrape_interval: 10s\n');
    await reloadPrometheus({ pid: child.pid!, url, timeoutMs: 20000 });
  }
);
