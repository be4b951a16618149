import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grpcTarget, parseHandshake } from '../server/handshake';

test('parses the unix handshake go-plugin prints on Linux', () => {
  const h = parseHandshake('1|2|unix|/tmp/plugin123456|grpc|\n');
  assert.deepEqual(h, {
    coreVersion: 1,
    appVersion: 2,
    network: 'unix',
    address: '/tmp/plugin123456',
    protocol: 'grpc',
    serverCert: undefined,
    multiplexed: false,
  });
  assert.equal(grpcTarget(h), 'unix:///tmp/plugin123456');
});

test('standalone mode tcp ":port" means localhost', () => {
  const h = parseHandshake('1|2|tcp|:50051|grpc');
  assert.equal(h.address, '127.0.0.1:50051');
  assert.equal(grpcTarget(h), '127.0.0.1:50051');
});

test('a certificate counts only when longer than 50 characters; the mux flag is the 7th field', () => {
  assert.equal(parseHandshake('1|2|unix|/tmp/p|grpc|short').serverCert, undefined);
  const cert = 'A'.repeat(60);
  assert.equal(parseHandshake(`1|2|unix|/tmp/p|grpc|${cert}|true`).serverCert, cert);
  assert.equal(parseHandshake(`1|2|unix|/tmp/p|grpc|${cert}|true`).multiplexed, true);
});

test('rejects what is not a usable handshake, saying why', () => {
  assert.throws(
    () => parseHandshake('This binary is a plugin. These are not meant to be executed directly.'),
    /not a go-plugin handshake/
  );
  assert.throws(() => parseHandshake('2|2|unix|/tmp/p|grpc|'), /core protocol version 2/);
  assert.throws(() => parseHandshake('1|1|unix|/tmp/p|grpc|'), /protocol version 1/);
  assert.throws(() => parseHandshake('1|2|unix|/tmp/p|netrpc|'), /not grpc/);
  assert.throws(() => parseHandshake('1|2|udp|/tmp/p|grpc|'), /unsupported network/);
});
