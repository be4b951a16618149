// Integration: the shipped Go binary, hosted over the real go-plugin/gRPC protocol. Skips (saying why) when the
// binary has not been built; it needs no database (health then reports the unreachable monitor).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BackendPlugin, executablePath, findBackendProto } from '../server/backend';
import { pluginContext } from '../server/context';
import { decodeFrame } from '../server/frames';
import { loadProvisioning } from '../server/provisioning';

const repo = path.resolve(__dirname, '..', '..');
const exe = process.env.PREVIEW_BACKEND_BIN ?? executablePath(path.join(repo, 'dist', 'datasource'), 'gpx_pgha');
const skip = fs.existsSync(exe) ? false : `${exe} not built (npm run build:backend)`;

function ctx() {
  const ds = loadProvisioning(path.join(repo, 'provisioning')).datasources.find((d) => d.uid === 'pgha')!;
  return pluginContext(ds, { id: 'veza-pgha-datasource', version: 'test' }, 'http://127.0.0.1:3000');
}

async function waitFor(cond: () => boolean, ms: number, what: string) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

test(
  'hosts the shipped binary: handshake, CheckHealth, QueryData JSON = Arrow, restart, Shutdown',
  { skip, timeout: 60000 },
  async (t) => {
    const logs: string[] = [];
    const be = new BackendPlugin({ executable: exe, protoPath: findBackendProto(repo), log: (m) => logs.push(m) });
    t.after(() => be.stop());
    await be.start();
    assert.equal(be.getStatus().state, 'running');
    assert.ok(
      logs.some((l) => /running \(pid \d+, unix /.test(l)),
      'logs the unix socket it connected to'
    );

    const health = await be.unary<object, { status: string; message: string }>('diagnostics', 'CheckHealth', {
      pluginContext: ctx(),
      headers: {},
    });
    assert.ok(['OK', 'ERROR'].includes(health.status), `health status ${health.status}`);
    assert.ok(health.message.length > 0, 'health says something');

    const query = (format: string) =>
      be.unary<object, { responses: Record<string, { frames: Buffer[]; error: string; format: string }> }>(
        'data',
        'QueryData',
        {
          pluginContext: ctx(),
          headers: {},
          format,
          queries: [
            {
              refId: 'A',
              maxDataPoints: 100,
              intervalMS: 1000,
              timeRange: { fromEpochMS: Date.now() - 3_600_000, toEpochMS: Date.now() },
              json: Buffer.from('{"refId":"A","queryType":"topology"}'),
              queryType: 'topology',
            },
          ],
        }
      );
    const asJSON = (await query('JSON')).responses.A;
    const asArrow = (await query('ARROW')).responses.A;
    assert.equal(asJSON.format, 'JSON', 'the SDK honours format=JSON');
    assert.equal(asArrow.format, 'ARROW');
    assert.equal(asJSON.frames.length, asArrow.frames.length);
    if (!asJSON.error) {
      const j = asJSON.frames.map((f) => decodeFrame(f, 'JSON'));
      const a = asArrow.frames.map((f) => decodeFrame(f, 'ARROW'));
      // Live data may change between the two calls; the schemas must match exactly.
      assert.deepEqual(
        a.map((f) => f.schema),
        j.map((f) => f.schema)
      );
    }

    // A dying backend is restarted and reported.
    const pid = be.pid()!;
    process.kill(pid, 'SIGKILL');
    await waitFor(() => be.getStatus().state === 'exited', 5000, 'the exit to be noticed');
    assert.match(be.getStatus().message, /killed by SIGKILL; restarting \(restart #1\)/);
    await waitFor(() => be.getStatus().state === 'running' && be.pid() !== pid, 10000, 'the restart');
    assert.equal(be.getStatus().restarts, 1);
    const again = await be.unary<object, { status: string }>('diagnostics', 'CheckHealth', {
      pluginContext: ctx(),
      headers: {},
    });
    assert.ok(again.status);

    // Shutdown over GRPCController: the process exits by itself, well within Grafana's 2 s.
    const pid2 = be.pid()!;
    const started = Date.now();
    await be.stop();
    assert.ok(Date.now() - started < 2500, 'stopped within 2.5 s');
    assert.throws(() => process.kill(pid2, 0), 'the process is gone');
    assert.equal(be.getStatus().state, 'stopped');
  }
);
