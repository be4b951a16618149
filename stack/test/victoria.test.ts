// The pure conversions of the VictoriaMetrics engine (stack/lib/victoria.ts, victoriaLive.ts); the engine itself is
// exercised live by stack/test/victoria.drill.ts (suite 66).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toPrometheusText, vmalertArgs } from '../lib/victoria';
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
