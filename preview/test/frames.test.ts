import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Field,
  Float64,
  Int64,
  Schema,
  Table,
  TimestampNanosecond,
  Utf8,
  makeData,
  tableToIPC,
  vectorFromArray,
  Binary,
  Bool,
  Struct,
} from 'apache-arrow';
import { arrowToFrameJSON, decodeFrame, toHttpQueryResponse } from '../server/frames';

/** An Arrow IPC file shaped like the SDK's MarshalArrow output. */
function sdkLikeArrow(): Uint8Array {
  const tsNs = [1_700_000_000_000_000_123n, 1_700_000_001_000_000_000n];
  const fields = [
    new Field('time', new TimestampNanosecond(), false, new Map([['tstype', 'time']])),
    new Field(
      'value',
      new Float64(),
      true,
      new Map([
        ['tstype', 'number'],
        ['labels', '{"node":"node1"}'],
        ['config', '{"unit":"s"}'],
      ])
    ),
    new Field('state', new Utf8(), false, new Map([['tstype', 'string']])),
    new Field('count', new Int64(), false, new Map([['tstype', 'number']])),
    new Field('ok', new Bool(), false, new Map([['tstype', 'boolean']])),
    new Field('detail', new Binary(), false, new Map([['tstype', 'other']])),
  ];
  const schema = new Schema(
    fields,
    new Map([
      ['name', 'events'],
      ['refId', 'A'],
      ['meta', '{"channel":"ds/pgha/topology"}'],
    ])
  );
  const enc = new TextEncoder();
  const cols = [
    makeData({ type: new TimestampNanosecond(), length: 2, data: BigInt64Array.from(tsNs) }),
    vectorFromArray([1.5, Number.NaN], new Float64()).data[0],
    vectorFromArray(['primary', 'secondary'], new Utf8()).data[0],
    vectorFromArray([7n, 8n], new Int64()).data[0],
    vectorFromArray([true, false], new Bool()).data[0],
    vectorFromArray([enc.encode('{"a":1}'), enc.encode('[2]')], new Binary()).data[0],
  ];
  const table = new (Table as unknown as new (s: Schema, d: unknown) => Table)(
    schema,
    makeData({ type: new Struct(fields), length: 2, nullCount: 0, children: cols })
  );
  return tableToIPC(table, 'file');
}

test('Arrow frames decode to the SDK frame JSON (times in ms + nanos, NaN in entities, JSON columns embedded)', () => {
  const f = arrowToFrameJSON(sdkLikeArrow());
  assert.deepEqual(Object.keys(f.schema), ['name', 'refId', 'meta', 'fields']);
  assert.equal(f.schema.name, 'events');
  assert.deepEqual(f.schema.meta, { channel: 'ds/pgha/topology' });
  assert.deepEqual(
    f.schema.fields.map((x) => [x.name, x.type, x.typeInfo.frame]),
    [
      ['time', 'time', 'time.Time'],
      ['value', 'number', 'float64'],
      ['state', 'string', 'string'],
      ['count', 'number', 'int64'],
      ['ok', 'boolean', 'bool'],
      ['detail', 'other', 'json.RawMessage'],
    ]
  );
  assert.deepEqual(f.schema.fields[1].labels, { node: 'node1' });
  assert.deepEqual(f.schema.fields[1].config, { unit: 's' });
  assert.equal(f.schema.fields[1].typeInfo.nullable, true);
  assert.deepEqual(f.data.values[0], [1_700_000_000_000, 1_700_000_001_000]);
  assert.deepEqual(f.data.nanos?.[0], [123, 0]);
  assert.deepEqual(f.data.values[1], [1.5, null]);
  assert.deepEqual(f.data.entities?.[1], { NaN: [1] });
  assert.deepEqual(f.data.values[2], ['primary', 'secondary']);
  assert.deepEqual(f.data.values[3], [7, 8]);
  assert.deepEqual(f.data.values[4], [true, false]);
  assert.deepEqual(f.data.values[5], [{ a: 1 }, [2]]);
});

test('JSON frames pass through; format is honoured and sniffed', () => {
  const frame = {
    schema: { fields: [{ name: 'a', type: 'number', typeInfo: { frame: 'int64' } }] },
    data: { values: [[1]] },
  };
  const bytes = new TextEncoder().encode(JSON.stringify(frame));
  assert.deepEqual(decodeFrame(bytes, 'JSON'), frame);
  assert.deepEqual(decodeFrame(bytes, 1), frame);
  assert.deepEqual(
    decodeFrame(bytes, 'ARROW'),
    frame,
    'an old binary that ignores format never sends JSON, but sniffing is safe'
  );
});

test('/api/ds/query body: refIds sorted, status defaults, 400 when any result has an error', () => {
  const ok = toHttpQueryResponse({ B: { frames: [] }, A: { frames: [] } });
  assert.equal(ok.httpStatus, 200);
  assert.deepEqual(Object.keys(ok.body.results), ['A', 'B']);
  assert.deepEqual(ok.body.results.A, { status: 200, frames: [] });
  const bad = toHttpQueryResponse({ A: { error: 'monitor unreachable', errorSource: 'downstream', frames: [] } });
  assert.equal(bad.httpStatus, 400);
  assert.deepEqual(Object.keys(bad.body.results.A), ['error', 'errorSource', 'status', 'frames']);
  assert.equal(bad.body.results.A.status, 500);
});
