// A backend restart must never leave two binaries behind. The "binary" here is a real process that never prints
// its handshake (a shell sleeping), so the host's handshake timeout kills it; the test then starts a new one
// before the old one's exit has been seen, which is when a late exit used to clobber the new child's state and
// schedule a restart next to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BackendPlugin } from '../server/backend';
import { until } from './wait';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('an old child exiting late does not overwrite the new child, and no process is left over', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-backend-'));
  const exe = path.join(dir, 'gpx_silent');
  fs.writeFileSync(exe, '#!/bin/sh\nexec sleep 60\n', { mode: 0o755 });
  // Only the go-plugin services are used before a handshake; an empty proto file is enough to construct.
  const proto = path.join(dir, 'empty.proto');
  fs.writeFileSync(proto, 'syntax = "proto3";\npackage pluginv2;\n');
  const logs: string[] = [];
  const be = new BackendPlugin({
    executable: exe,
    protoPath: proto,
    log: (m) => logs.push(m),
    handshakeTimeoutMs: 300,
  });
  const pids: number[] = [];
  t.after(async () => {
    await be.stop();
    pids.forEach((p) => alive(p) && process.kill(p, 'SIGKILL'));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  await assert.rejects(be.start(), /no handshake within 300 ms/);
  const first = be.pid();
  assert.ok(first, 'the first process is still known until its exit is seen');
  pids.push(first);

  // Restart at once, as a request arriving right after the failure does.
  const second = be.start();
  second.catch(() => undefined);
  const pid2 = be.pid()!;
  pids.push(pid2);
  assert.notEqual(pid2, first);

  await until(
    () => logs.some((l) => l.includes(`pid ${first}`) || /SIGKILL: restarting/.test(l)),
    "the first child's exit"
  );
  assert.equal(be.pid(), pid2, 'the late exit left the new child in place');
  assert.equal(be.getStatus().state, 'starting');
  assert.ok(alive(pid2));
  assert.ok(!alive(first), 'the old child is gone');

  await assert.rejects(second, /no handshake/);
  await be.stop();
  await until(() => !alive(pid2), 'the second child to be gone');
  const third = be.pid();
  assert.equal(third, undefined, `no other process was started next to it (${logs.join(' | ')})`);
  assert.equal(be.getStatus().state, 'stopped');
});
