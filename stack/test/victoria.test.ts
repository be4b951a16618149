// The pure conversions of the VictoriaMetrics engine (stack/lib/victoria.ts, victoriaLive.ts); the engine itself is
// exercised live by stack/test/victoria.drill.ts (suite 66).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordingLevels, toPrometheusText, vmalertArgs } from '../lib/victoria';
import { ruleFiles } from '../lib/monitoring';
import { importLines } from '../lib/victoriaLive';

test('OpenMetrics lines of the history generator → Prometheus text with millisecond timestamps', () => {
  const om = [
    '# TYPE http_requests counter',
    'http_requests_total{job="veza-api",route="/api/v1/cart",code="200"} 1234 1796401500',
    'http_request_duration_seconds_sum{job="veza-api",route="/api/v1/cart"} 56.125 1796401500',
    'http_request_duration_seconds_bucket{job="veza-api",le="+Inf"} 0 1788625500',
    '# EOF',
  ].join('\n');
  assert.equal(
    toPrometheusText(om),
    [
      '# TYPE http_requests counter',
      'http_requests_total{job="veza-api",route="/api/v1/cart",code="200"} 1234 1796401500000',
      'http_request_duration_seconds_sum{job="veza-api",route="/api/v1/cart"} 56.125 1796401500000',
      'http_request_duration_seconds_bucket{job="veza-api",le="+Inf"} 0 1788625500000',
      '# EOF',
    ].join('\n')
  );
});

test("Prometheus' raw samples → VictoriaMetrics' JSON lines, only those after the window start", () => {
  const m = [
    {
      metric: { __name__: 'http_requests_total', code: '200' },
      values: [
        [100, '1'],
        [100.5, '2'],
        [105.25, '3'],
      ],
    },
    { metric: { __name__: 'http_requests_total', code: '500' }, values: [[100, '7']] },
  ] as Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;
  assert.deepEqual(
    importLines(m, 100).map((l) => JSON.parse(l)),
    [{ metric: { __name__: 'http_requests_total', code: '200' }, values: [2, 3], timestamps: [100500, 105250] }]
  );
});

test("vmalert's flags: the stack's Alertmanager, one engine for reads and writes, every alert stamped", () => {
  const args = vmalertArgs(['/x/slo.yml']);
  assert.ok(args.includes('-rule=/x/slo.yml'));
  assert.ok(args.includes('-notifier.url=http://127.0.0.1:9093'));
  assert.ok(args.includes('-external.label=engine=victoria-metrics'));
  const urls = args.filter((a) => /^-(datasource|remoteWrite|remoteRead)\.url=/.test(a)).map((a) => a.split('=')[1]);
  assert.deepEqual(urls, ['http://127.0.0.1:8428', 'http://127.0.0.1:8428', 'http://127.0.0.1:8428']);
});

test('replay passes: recording rules by dependency level (the daily buckets after the hourly ones they sum)', () => {
  const levels = recordingLevels(ruleFiles());
  assert.equal(levels.length, 2);
  assert.ok(levels[0].includes('slo:sli_bad_events:increase1h') && levels[0].includes('slo:sli_error:ratio_rate1h'));
  assert.deepEqual(levels[1].sort(), ['slo:sli_bad_events:increase1d', 'slo:sli_valid_events:increase1d']);
});

test('replay passes: a chain of three levels, names matched whole (a:b is not read by a:b_total)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'levels-'));
  const f = path.join(dir, 'r.yml');
  fs.writeFileSync(
    f,
    [
      'groups:',
      '  - name: g',
      '    rules:',
      '      - { record: "c:x", expr: "sum_over_time(b:x[1d])" }',
      '      - { record: "b:x", expr: "a:x * 2" }',
      '      - { record: "a:x", expr: "rate(a:x_total[5m])" }',
      '      - { alert: "A", expr: "c:x > 1" }',
    ].join('\n')
  );
  try {
    assert.deepEqual(recordingLevels([f]), [['a:x'], ['b:x'], ['c:x']]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
