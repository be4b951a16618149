// node:test (npx tsx --test scripts/bench/remoteWrite.test.ts): the hand-written remote write, checked by a real
// throwaway Prometheus (Debian's) that must accept it and answer the same samples back, months old included.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { remoteWrite, snappyLiteral } from './remoteWrite';
import { startTempPrometheus, type TempPrometheus } from './tempPrometheus';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veza-remote-write-'));
let prom: TempPrometheus | undefined;
after(async () => {
  await prom?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('snappy literal framing: length preamble, then tagged literal runs of at most 64 KiB', () => {
  assert.deepEqual([...snappyLiteral(Buffer.from('abc'))], [3, 2 << 2, 97, 98, 99]);
  const big = snappyLiteral(Buffer.alloc(70000, 1));
  // varint(70000) = 3 bytes; a 65536-byte run (tag 61: 2-byte length) and a 4464-byte run.
  assert.equal(big.length, 3 + 3 + 65536 + 3 + 4464);
  assert.deepEqual([...big.subarray(3, 6)], [61 << 2, 255, 255]);
});

test('a real Prometheus accepts the write, out-of-order and 20 days old, and answers the same samples', async () => {
  prom = await startTempPrometheus(
    dir,
    path.join(dir, 'data'),
    { global: {}, storage: { tsdb: { out_of_order_time_window: '33d' } } },
    ['--web.enable-remote-write-receiver']
  );
  const now = Math.floor(Date.now() / 1000 / 300) * 300;
  const old = now - 20 * 86400;
  const samples: Array<[number, number]> = Array.from({ length: 300 }, (_, i) => [old + i * 300, i * 1.5]);
  await remoteWrite(prom.url, [
    { labels: { __name__: 'bench_copy', slo: 'a-2' }, samples: [[now - 600, 7]] },
    { labels: { slo: 'a-3', __name__: 'bench_copy' }, samples }, // labels given unsorted
  ]);
  const q = async (query: string, time: number) => {
    const r = (await (
      await fetch(`${prom!.url}/api/v1/query`, {
        method: 'POST',
        body: new URLSearchParams({ query, time: `${time}` }),
      })
    ).json()) as {
      data: {
        result: Array<{ metric: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> }>;
      };
    };
    return r.data.result;
  };
  const back = await q(`bench_copy{slo="a-3"}[${300 * 300}s]`, old + 300 * 300 - 1);
  assert.deepEqual(
    back[0].values!.map(([t, v]) => [t, Number(v)]),
    samples
  );
  const recent = await q('bench_copy{slo="a-2"}', now - 600);
  assert.equal(recent[0].value![1], '7');
  // A malformed body is refused with the server's message.
  await assert.rejects(
    fetch(`${prom.url}/api/v1/write`, {
      method: 'POST',
      body: 'nonsense',
      headers: { 'Content-Encoding': 'snappy' },
    }).then(async (r) => {
      if (!r.ok) {
        throw new Error(`HTTP ${r.status}`);
      }
    }),
    /HTTP 400/
  );
});
