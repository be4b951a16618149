// The live hub's bookkeeping under the races a browser produces: a tab closed while SubscribeStream answers, two
// viewers arriving together, everyone leaving while RunStream starts. The backend is an in-process StreamBackend
// whose answers the test releases one by one (the real binary cannot be made to answer in a chosen order).
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClientReadableStream } from '@grpc/grpc-js';
import WebSocket from 'ws';
import { LiveHub, type StreamBackend } from '../server/live';
import { until } from './wait';

class Deferred<T> {
  resolve!: (v: T) => void;
  readonly promise = new Promise<T>((r) => (this.resolve = r));
}

/** A RunStream call: data/error/end like grpc-js, and cancel() answering with CANCELLED as grpc-js does. */
class Stream extends EventEmitter {
  cancelled = false;
  cancel() {
    this.cancelled = true;
    this.emit('error', Object.assign(new Error('1 CANCELLED: Cancelled on client'), { code: 1 }));
  }
}

class Backend implements StreamBackend {
  subscribes: Array<Deferred<{ status: string; data?: Buffer }>> = [];
  runs: Array<Deferred<ClientReadableStream<unknown>>> = [];
  streams: Stream[] = [];
  subscribe() {
    const d = new Deferred<{ status: string; data?: Buffer }>();
    this.subscribes.push(d);
    return d.promise;
  }
  run() {
    const d = new Deferred<ClientReadableStream<unknown>>();
    this.runs.push(d);
    return d.promise;
  }
  /** Answers the i-th RunStream with a fresh stream. */
  answerRun(i: number): Stream {
    const s = new Stream();
    this.streams.push(s);
    this.runs[i].resolve(s as unknown as ClientReadableStream<unknown>);
    return s;
  }
}

const CH = 'ds/pgha/topology';
let be: Backend;
let hub: LiveHub;
let server: http.Server;
let url: string;
const sockets: WebSocket[] = [];

async function connect(): Promise<WebSocket> {
  const ws = new WebSocket(url);
  sockets.push(ws);
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  return ws;
}

const subscribe = (ws: WebSocket, id = 1) => ws.send(JSON.stringify({ type: 'subscribe', id, channel: CH }));
const closeAndWait = async (ws: WebSocket, openAfter: number) => {
  ws.close();
  await until(() => hub.clients() === openAfter, 'the hub to see the socket close');
};

beforeEach(async () => {
  be = new Backend();
  hub = new LiveHub(
    () => be,
    () => undefined,
    10
  );
  server = http.createServer();
  server.on('upgrade', (req, socket, head: Buffer) => hub.handleUpgrade(req, socket, head));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api/live/preview`;
});

afterEach(async () => {
  sockets.splice(0).forEach((s) => s.terminate());
  hub.close();
  await new Promise<void>((r) => server.close(() => r()));
});

test('a socket closed before its subscribe answer is not left subscribed, and starts no stream', async () => {
  const ws = await connect();
  subscribe(ws);
  await until(() => be.subscribes.length === 1, 'SubscribeStream');
  await closeAndWait(ws, 0);
  be.subscribes[0].resolve({ status: 'OK' });
  // The hub's continuation runs in the microtasks that follow; setImmediate comes after all of them.
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(hub.stats(), {}, 'no channel keeps the closed socket');
  assert.equal(be.runs.length, 0, 'no RunStream for nobody');
});

test('an unsubscribe sent before the subscribe answer wins', async () => {
  const ws = await connect();
  subscribe(ws);
  await until(() => be.subscribes.length === 1, 'SubscribeStream');
  ws.send(JSON.stringify({ type: 'unsubscribe', channel: CH }));
  // A second socket's round trip proves the unsubscribe was read before the answer is released.
  const probe = await connect();
  subscribe(probe, 2);
  await until(() => be.subscribes.length === 2, 'the probe subscribe');
  be.subscribes[0].resolve({ status: 'OK' });
  be.subscribes[1].resolve({ status: 'OK' });
  await until(() => hub.stats()[CH] === 1, 'the probe to be subscribed');
  assert.equal(hub.stats()[CH], 1, 'only the probe is subscribed');
});

test('two subscribes at once start one RunStream, cancelled when the last subscriber leaves', async () => {
  const a = await connect();
  const b = await connect();
  subscribe(a);
  subscribe(b);
  await until(() => be.subscribes.length === 2, 'both SubscribeStream calls');
  be.subscribes[0].resolve({ status: 'OK' });
  await until(() => be.runs.length === 1, 'RunStream');
  // The second answer arrives while RunStream is still starting.
  be.subscribes[1].resolve({ status: 'OK' });
  await until(() => hub.stats()[CH] === 2, 'both subscribers');
  assert.equal(be.runs.length, 1, 'one RunStream per channel');
  const stream = be.answerRun(0);
  await until(() => hub.running().length === 1, 'the stream to run');

  await closeAndWait(a, 1);
  assert.equal(stream.cancelled, false, 'still one viewer');
  await closeAndWait(b, 0);
  await until(() => stream.cancelled, 'the stream to be cancelled after the idle checks');
  assert.deepEqual(hub.running(), []);
  assert.deepEqual(hub.stats(), {});
});

test('a RunStream that answers after everyone left is cancelled at once, not leaked', async () => {
  const ws = await connect();
  subscribe(ws);
  await until(() => be.subscribes.length === 1, 'SubscribeStream');
  be.subscribes[0].resolve({ status: 'OK' });
  await until(() => be.runs.length === 1, 'RunStream');
  await closeAndWait(ws, 0);
  await until(() => Object.keys(hub.stats()).length === 0, 'the idle channel to be dropped');
  const stream = be.answerRun(0);
  await until(() => stream.cancelled, 'the late stream to be cancelled');
  assert.deepEqual(hub.running(), []);
});

test('junk messages (null, numbers, a non-string channel) are ignored and the hub keeps working', async () => {
  const ws = await connect();
  for (const m of ['null', '42', '[]', '{"type":"subscribe","channel":5}', '{"type":"unsubscribe"}', 'not json']) {
    ws.send(m);
  }
  subscribe(ws);
  await until(() => be.subscribes.length === 1, 'the valid subscribe after the junk');
  be.subscribes[0].resolve({ status: 'OK' });
  await until(() => hub.stats()[CH] === 1, 'the subscription');
});
