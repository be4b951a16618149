// The API certificate the stack issues (stack/lib/tls.ts), with the real openssl, into a throw-away state dir.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

// Set before stack/lib/config is first imported (below, dynamically): it reads the state dir once.
const state = fs.mkdtempSync(path.join(os.tmpdir(), 'veza-tls-'));
process.env.VEZA_STACK_DIR = state;
after(() => fs.rmSync(state, { recursive: true, force: true }));

const x509 = (file: string, ...args: string[]) =>
  spawnSync('openssl', ['x509', '-noout', '-in', file, ...args], { encoding: 'utf8' });

test('opensslDate: UTC, seconds, Z — the form openssl ca -startdate/-enddate takes', async () => {
  const { opensslDate } = await import('../lib/tls');
  assert.equal(opensslDate(new Date('2026-12-03T04:05:06.789Z')), '20261203040506Z');
});

test('issueExpiredCert: a certificate for 127.0.0.1 that expired a day ago, with its matching key', async () => {
  const { certFile, issueExpiredCert, keyFile } = await import('../lib/tls');
  const now = new Date();
  issueExpiredCert(now);
  const end = new Date(
    x509(certFile(), '-enddate')
      .stdout.trim()
      .replace(/^notAfter=/, '')
  );
  assert.ok(Math.abs(now.getTime() - 86400000 - end.getTime()) < 5000, `notAfter ${end.toISOString()}`);
  assert.notEqual(x509(certFile(), '-checkend', '0').status, 0, 'openssl says it is still valid');
  assert.match(x509(certFile(), '-ext', 'subjectAltName').stdout, /IP Address:127\.0\.0\.1/);
  const pub = (args: string[]) => spawnSync('openssl', args, { encoding: 'utf8' }).stdout;
  assert.equal(pub(['x509', '-in', certFile(), '-noout', '-pubkey']), pub(['pkey', '-in', keyFile(), '-pubout']));
  assert.equal(fs.statSync(keyFile()).mode & 0o777, 0o600);
});
