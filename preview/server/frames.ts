// Data frames between the Go backend and the browser. The host asks the plugin for JSON frames
// (QueryDataRequest.format = JSON, SDK >= v0.290) and passes them through; older binaries answer with Arrow IPC
// files, which are converted here to the SDK's frame JSON (data/frame_json.go), the shape /api/ds/query serves.
import { DataType, Table, tableFromIPC, Type, TimeUnit, type Field as ArrowField, type Vector } from 'apache-arrow';
import type { Json, JsonObject } from './provisioning';

export interface FieldSchemaJSON {
  name: string;
  type: string;
  typeInfo: { frame: string; nullable?: boolean };
  labels?: Record<string, string>;
  config?: JsonObject;
}
export interface FrameJSON {
  schema: { name?: string; refId?: string; meta?: JsonObject; fields: FieldSchemaJSON[] };
  data: {
    values: Json[][];
    entities?: Array<{ NaN?: number[]; Inf?: number[]; NegInf?: number[] } | null>;
    nanos?: Array<number[] | null>;
    enums?: Array<string[] | null>;
  };
}

function parseJSONMeta(s: string | undefined | null): JsonObject | undefined {
  if (!s) {
    return undefined;
  }
  try {
    const v = JSON.parse(s) as Json;
    return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function frameTypeOf(t: DataType): string {
  switch (t.typeId) {
    case Type.Timestamp:
      return 'time.Time';
    case Type.Bool:
      return 'bool';
    case Type.Utf8:
    case Type.LargeUtf8:
      return 'string';
    case Type.Binary:
    case Type.LargeBinary:
      return 'json.RawMessage';
    case Type.Float: {
      const p = (t as unknown as { precision: number }).precision;
      return p === 2 ? 'float64' : 'float32';
    }
    case Type.Int: {
      const it = t as unknown as { isSigned: boolean; bitWidth: number };
      return `${it.isSigned ? 'int' : 'uint'}${it.bitWidth}`;
    }
    default:
      return 'unknown';
  }
}

/** Grafana field type (time, number, string, boolean, other, enum), from tstype metadata or the Arrow type. */
function fieldTypeOf(f: ArrowField): string {
  const ts = f.metadata.get('tstype');
  if (ts) {
    return ts;
  }
  const t = frameTypeOf(f.type);
  if (t === 'time.Time') {
    return 'time';
  }
  if (t === 'bool') {
    return 'boolean';
  }
  if (t === 'string') {
    return 'string';
  }
  if (/^u?int|^float/.test(t)) {
    return 'number';
  }
  return 'other';
}

const NS_PER_UNIT: Record<number, bigint> = {
  [TimeUnit.SECOND]: 1_000_000_000n,
  [TimeUnit.MILLISECOND]: 1_000_000n,
  [TimeUnit.MICROSECOND]: 1_000n,
  [TimeUnit.NANOSECOND]: 1n,
};

/** Reads one column into JSON values, filling entities (NaN/Inf) and nanos the way the SDK's JSON writer does. */
function columnValues(
  v: Vector,
  field: ArrowField,
  idx: number,
  entities: FrameJSON['data']['entities'],
  nanos: FrameJSON['data']['nanos']
): Json[] {
  const out: Json[] = [];
  const t = field.type;
  if (t.typeId === Type.Timestamp) {
    const scale = NS_PER_UNIT[(t as unknown as { unit: number }).unit] ?? 1n;
    const rem: number[] = [];
    let anyRem = false;
    for (const d of v.data) {
      const values = d.values as unknown as BigInt64Array;
      for (let j = 0; j < d.length; j++) {
        if (!d.getValid(j)) {
          out.push(null);
          rem.push(0);
          continue;
        }
        const ns = BigInt(values[j]) * scale;
        const ms = ns / 1_000_000n;
        const r = Number(ns - ms * 1_000_000n);
        out.push(Number(ms));
        rem.push(r);
        anyRem = anyRem || r !== 0;
      }
    }
    if (anyRem && nanos) {
      nanos[idx] = rem;
    }
    return out;
  }
  const ent: { NaN?: number[]; Inf?: number[]; NegInf?: number[] } = {};
  let anyEnt = false;
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v.get(i);
    if (x === null || x === undefined) {
      out.push(null);
    } else if (typeof x === 'bigint') {
      out.push(Number(x));
    } else if (typeof x === 'number') {
      if (Number.isFinite(x)) {
        out.push(x);
      } else {
        const key = Number.isNaN(x) ? 'NaN' : x > 0 ? 'Inf' : 'NegInf';
        (ent[key] ??= []).push(i);
        anyEnt = true;
        out.push(null);
      }
    } else if (x instanceof Uint8Array) {
      // json.RawMessage columns are Arrow Binary; the SDK writes them as embedded JSON.
      const s = Buffer.from(x).toString('utf8');
      try {
        out.push(JSON.parse(s) as Json);
      } catch {
        out.push(s);
      }
    } else if (typeof x === 'string' || typeof x === 'boolean') {
      out.push(x);
    } else {
      out.push(String(x));
    }
  }
  if (anyEnt && entities) {
    entities[idx] = ent;
  }
  return out;
}

/** Converts one Arrow IPC file (as the SDK's MarshalArrow writes it) to frame JSON. */
export function arrowToFrameJSON(buf: Uint8Array): FrameJSON {
  const table: Table = tableFromIPC(buf);
  const md = table.schema.metadata;
  const name = md.get('name');
  const refId = md.get('refId');
  const meta = parseJSONMeta(md.get('meta'));
  // Key order as the SDK writes it: name, refId, meta, fields.
  const schema = {
    ...(name ? { name } : {}),
    ...(refId ? { refId } : {}),
    ...(meta ? { meta } : {}),
    fields: [] as FieldSchemaJSON[],
  } as FrameJSON['schema'];
  const values: Json[][] = [];
  const entities: NonNullable<FrameJSON['data']['entities']> = [];
  const nanos: NonNullable<FrameJSON['data']['nanos']> = [];
  table.schema.fields.forEach((f, i) => {
    const fs: FieldSchemaJSON = {
      name: f.name,
      type: fieldTypeOf(f),
      typeInfo: { frame: frameTypeOf(f.type), ...(f.nullable ? { nullable: true } : {}) },
    };
    const labels = parseJSONMeta(f.metadata.get('labels'));
    if (labels && Object.keys(labels).length) {
      fs.labels = labels as Record<string, string>;
    }
    const config = parseJSONMeta(f.metadata.get('config'));
    if (config && Object.keys(config).length) {
      fs.config = config;
    }
    schema.fields.push(fs);
    entities.push(null);
    nanos.push(null);
    const col = table.getChildAt(i);
    values.push(col ? columnValues(col, f, i, entities, nanos) : []);
  });
  const data: FrameJSON['data'] = { values };
  if (entities.some((e) => e !== null)) {
    data.entities = entities;
  }
  if (nanos.some((n) => n !== null)) {
    data.nanos = nanos;
  }
  return { schema, data };
}

/** One frame of a DataResponse: JSON bytes when format=JSON, else Arrow. */
export function decodeFrame(bytes: Uint8Array, format: string | number | undefined): FrameJSON {
  const isJSON = format === 'JSON' || format === 1;
  if (isJSON) {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as FrameJSON;
  }
  // Arrow IPC files start with the magic "ARROW1"; anything else that parses as JSON is JSON.
  const head = Buffer.from(bytes.subarray(0, 6)).toString('latin1');
  if (head !== 'ARROW1' && bytes[0] === 0x7b) {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as FrameJSON;
  }
  return arrowToFrameJSON(bytes);
}

export interface GrpcDataResponse {
  frames?: Uint8Array[];
  error?: string;
  status?: number;
  errorSource?: string;
  format?: string | number;
}

export interface HttpDataResult {
  error?: string;
  errorSource?: string;
  status: number;
  frames: FrameJSON[];
}

/**
 * QueryDataResponse (gRPC) → the body of POST /api/ds/query: refIds sorted; error and errorSource only when set;
 * status 200 unless set or an error exists (then 500, as the SDK marshals it). httpStatus is 400 when any result
 * has an error, as Grafana's ds_query handler answers.
 */
export function toHttpQueryResponse(responses: Record<string, GrpcDataResponse>): {
  httpStatus: number;
  body: { results: Record<string, HttpDataResult> };
} {
  const results: Record<string, HttpDataResult> = {};
  let anyError = false;
  for (const refId of Object.keys(responses).sort()) {
    const r = responses[refId];
    const out: Partial<HttpDataResult> = {};
    if (r.error) {
      anyError = true;
      out.error = r.error;
      if (r.errorSource) {
        out.errorSource = r.errorSource;
      }
    }
    out.status = r.status ? r.status : r.error ? 500 : 200;
    out.frames = (r.frames ?? []).map((f) => decodeFrame(f, r.format));
    results[refId] = out as HttpDataResult;
  }
  return { httpStatus: anyError ? 400 : 200, body: { results } };
}
