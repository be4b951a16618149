import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

// A throw-away state dir, set before stack/lib/config reads it.
const state = fs.mkdtempSync(path.join(os.tmpdir(), 'veza-proc-'));
process.env.VEZA_STACK_DIR = state;

test('a pid file names a process only while pid and start time both match', async () => {
  const { readPid, startTime } = await import('../lib/proc');
  const { dirs } = await import('../lib/config');
  fs.mkdirSync(dirs.run, { recursive: true });
  const me = startTime(process.pid);
  assert.match(me ?? '', /^\d+$/);
  assert.equal(startTime(process.pid), me, 'stable for one process');
  assert.equal(startTime(2 ** 22 + 7), undefined, 'no such process');

  fs.writeFileSync(path.join(dirs.run, 'x.pid'), `${process.pid}\n`);
  assert.equal(readPid('x'), process.pid, 'a pid file without a start time (older stack) falls back to alive');
  fs.writeFileSync(path.join(dirs.run, 'x.start'), `${me}\n`);
  assert.equal(readPid('x'), process.pid);
  // The pid now belongs to another process than the one recorded: never treat it as ours.
  fs.writeFileSync(path.join(dirs.run, 'x.start'), `${Number(me) + 1}\n`);
  assert.equal(readPid('x'), undefined);
  fs.rmSync(state, { recursive: true, force: true });
});
