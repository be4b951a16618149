// Prometheus remote write (protocol 1.0) without a library: the bench writes the recorded budget buckets of
// generated SLOs into a temporary Prometheus (scripts/bench-slo.ts). promtool's OpenMetrics import re-reads its
// whole input once per 2-hour block, which takes hours for a month of 1000 SLOs; remote write into a Prometheus
// with an out-of-order window takes seconds.
//
// WriteRequest { repeated TimeSeries timeseries = 1 } · TimeSeries { repeated Label labels = 1; repeated Sample
// samples = 2 } · Label { string name = 1; string value = 2 } · Sample { double value = 1; int64 timestamp = 2 }
// (prometheus/prompb/remote.proto, types.proto), snappy block format, which allows a body of literals only.

export interface WriteSeries {
  labels: Record<string, string>;
  /** [unix seconds, value] */
  samples: Array<[number, number]>;
}

function varint(n: number): number[] {
  const out: number[] = [];
  // Timestamps in ms pass 2^32: no bitwise operators.
  while (n >= 128) {
    out.push((n % 128) + 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

const field = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag, ...varint(body.length)]), body]);
const text = (tag: number, s: string) => field(tag, Buffer.from(s, 'utf8'));

function sample(ts: number, v: number): Buffer {
  const b = Buffer.alloc(9);
  b[0] = 0x09; // field 1, 64-bit
  b.writeDoubleLE(v, 1);
  return Buffer.concat([b, Buffer.from([0x10, ...varint(Math.round(ts * 1000))])]);
}

/** The protobuf WriteRequest (labels sorted by name, as Prometheus requires). */
export function writeRequest(series: WriteSeries[]): Buffer {
  const parts: Buffer[] = [];
  for (const s of series) {
    const labels = Object.entries(s.labels)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => field(0x0a, Buffer.concat([text(0x0a, k), text(0x12, v)])));
    const samples = s.samples.map(([t, v]) => field(0x12, sample(t, v)));
    parts.push(field(0x0a, Buffer.concat([...labels, ...samples])));
  }
  return Buffer.concat(parts);
}

/** Snappy block format with literals only (valid for any decoder; no compression). */
export function snappyLiteral(data: Buffer): Buffer {
  const out: Buffer[] = [Buffer.from(varint(data.length))];
  for (let i = 0; i < data.length; i += 65536) {
    const chunk = data.subarray(i, i + 65536);
    const n = chunk.length - 1;
    out.push(
      n < 60 ? Buffer.from([n << 2]) : n < 256 ? Buffer.from([60 << 2, n]) : Buffer.from([61 << 2, n & 255, n >> 8])
    );
    out.push(chunk);
  }
  return Buffer.concat(out);
}

/** POSTs the series to `<url>/api/v1/write` (a Prometheus started with --web.enable-remote-write-receiver). */
export async function remoteWrite(url: string, series: WriteSeries[]): Promise<void> {
  const r = await fetch(`${url}/api/v1/write`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-protobuf',
      'Content-Encoding': 'snappy',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
    },
    body: new Uint8Array(snappyLiteral(writeRequest(series))),
  });
  if (!r.ok) {
    throw new Error(`remote write to ${url}: HTTP ${r.status} ${(await r.text()).slice(0, 300)}`);
  }
}
