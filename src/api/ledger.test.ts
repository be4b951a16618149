import { of, throwError } from 'rxjs';
import { discoverSlos } from '../slo';
import { rulesFromFile } from '../slo/testdata/fixtures';
import { parsePeriod } from '../slo/periods';
import { DEPLOY_OWNS_MS } from '../slo/ledger';
import { loadDeploys, loadLedger, LEDGER_SEGMENTS_PER_REQUEST } from './ledger';
import { emptyReport, type ReportData } from './loaders';
import { countsAnswer } from './testdata/ledgerProm';
import { type BackendSrvLike, PrometheusClient } from './prometheus';

// A fake Prometheus at the HTTP boundary: the real client sends real queries; the fake answers each pinned
// increase() term of the counts query with the events of its window (countsAnswer), from a traffic of 1 bad event a
// minute, 100 more in minute 600 (a failover) and 1000 valid a minute.
const MIN = 60000;
const period = parsePeriod('2026-11', 'UTC')!;
const T0 = period.startMs;
const at = (m: number) => T0 + m * MIN;
const badAt = (m: number) => (m === 600 ? 101 : 1);
const slos = discoverSlos(rulesFromFile());

interface Fake {
  queries: string[];
  alerts: unknown[];
  failCounts?: boolean;
}

function fakeSrv(f: Fake): BackendSrvLike {
  return {
    fetch: <T>(req: { url: string; data?: unknown }) => {
      const q = new URLSearchParams(req.url.includes('?') ? req.url.split('?')[1] : String(req.data)).get('query')!;
      f.queries.push(q);
      if (q.startsWith('{__name__=~"ALERTS')) {
        return of({ status: 200, data: { status: 'success', data: { resultType: 'matrix', result: f.alerts } } as T });
      }
      if (f.failCounts) {
        return throwError(() => ({ status: 503, data: { message: 'overloaded' } }));
      }
      const result = countsAnswer(q, T0, (m, part) => (part === 'bad' ? badAt(m) : 1000));
      return of({ status: 200, data: { status: 'success', data: { resultType: 'vector', result } } as T });
    },
  };
}

function report(evalEnd = period.endMs): ReportData {
  const minutes = (evalEnd - T0) / MIN;
  const r = emptyReport(slos, period, evalEnd);
  slos.forEach((s) => r.totals.set(s.id, { bad: minutes + 100, valid: minutes * 1000 }));
  r.corrections = [
    { id: 'a:7', sloIds: ['payment-success'], from: at(590), to: at(605), kind: 'maintenance', reason: 'db upgrade' },
  ];
  return r;
}

/** ALERTS samples of a fast burn firing in minutes [595, 620): one every minute (the 60 s subquery). */
function alertSeries(alertname: string, from: number, to: number) {
  const values: Array<[number, string]> = [];
  for (let m = from; m < to; m++) {
    values.push([at(m) / 1000, '1']);
  }
  return [
    { metric: { __name__: 'ALERTS', alertname, alertstate: 'firing', slo: 'x' }, values },
    {
      metric: { __name__: 'ALERTS_FOR_STATE', alertname, slo: 'x' },
      values: values.map(([t]) => [t, String(at(from) / 1000)]),
    },
  ];
}

describe('loadLedger', () => {
  const client = (f: Fake) => new PrometheusClient('prom', fakeSrv(f));
  const sources = {
    deploys: [{ id: 'a:1', time: at(570), title: 'v2.14.0', sloIds: 'all' as const }],
    failovers: [{ start: at(600), end: at(601), title: 'Failover: node2 → node1', settled: true }],
  };

  test('two requests for every SLO; lines add up to the period, each cause by precedence', async () => {
    const f: Fake = { queries: [], alerts: alertSeries('PaymentSuccessSLOFastBurn', 595, 620) };
    const d = await loadLedger(client(f), report(), sources, undefined, period.endMs + 3600000);
    expect(f.queries).toHaveLength(2);
    expect(f.queries[0]).toMatch(/^\{__name__=~"ALERTS\|ALERTS_FOR_STATE", alertname=~"APIAvailabilitySLOFastBurn\|/);
    expect(d.problems).toEqual([]);
    const pay = d.ledgers.find((l) => l.slo.id === 'payment-success')!.ledger!;
    const total = 43200 + 100;
    // correction [590, 605): 15 + 100; failover [600, 601 + 5): what the correction left, [605, 606); alert
    // [595, 620): [606, 620); deploy [570, 630): [570, 590) and [620, 630).
    expect(pay.lines.map((l) => [l.cause, l.bad])).toEqual([
      ['correction', 115],
      ['failover', 1],
      ['alert', 14],
      ['deploy', 30],
      ['unattributed', total - 160],
    ]);
    expect(pay.lines.find((l) => l.cause === 'correction')!.items[0].title).toBe('Maintenance window: db upgrade');
    // One incident: the failover and the alert overlap; its events count whoever owns them, the correction's too.
    expect(pay.incidents).toEqual([
      expect.objectContaining({
        kind: 'failover',
        from: at(595),
        to: at(620),
        bad: 10 + 100 + 1 + 14,
        corrected: true,
      }),
    ]);
    // api-availability: no correction, no alert of its own: the failover takes its burst.
    const avail = d.ledgers.find((l) => l.slo.id === 'api-availability')!.ledger!;
    expect(avail.lines.map((l) => l.bad)).toEqual([0, 106, 0, 54, total - 160]);
    expect(avail.lines.reduce((s, l) => s + l.bad, 0)).toBe(total);
    expect(d.sources).toEqual({ deploys: { state: 'read' }, failovers: { state: 'read' }, alerts: { state: 'read' } });
  });

  test('sources not read are said; a failed counts request leaves the ledgers unknown, never guessed', async () => {
    const f: Fake = { queries: [], alerts: [], failCounts: true };
    const d = await loadLedger(client(f), report(), { failoversWhy: 'no PG HA data source is set' });
    expect(d.sources.failovers).toEqual({ state: 'not read', why: 'no PG HA data source is set' });
    expect(d.sources.deploys).toEqual({ state: 'not read', why: 'not read' });
    // Only payment-success has a window (its correction): the others need no count and keep their ledger.
    expect(d.ledgers.map((l) => [l.slo.id, l.ledger === undefined])).toEqual([
      ['api-availability', false],
      ['api-latency', false],
      ['payment-success', true],
    ]);
    expect(d.problems).toHaveLength(1);
  });

  test('a running period: windows stop at the evaluation end; an active alert runs to it', async () => {
    // Four days in: the history is read at the 60 s resolution of the fake's samples.
    const evalEnd = at(5770);
    const f: Fake = { queries: [], alerts: alertSeries('APILatencySLOFastBurn', 5765, 5770) };
    const d = await loadLedger(client(f), report(evalEnd), {}, undefined, evalEnd);
    expect(d.running).toBe(true);
    const lat = d.ledgers.find((l) => l.slo.id === 'api-latency')!;
    expect(lat.plan.segments).toEqual([expect.objectContaining({ from: at(5765), to: evalEnd, cause: 'alert' })]);
    expect(lat.ledger!.lines.map((l) => l.bad)).toEqual([0, 0, 5, 0, 5770 + 100 - 5]);
  });

  test('many segments are split over requests of at most LEDGER_SEGMENTS_PER_REQUEST', async () => {
    const deploys = Array.from({ length: 200 }, (_, i) => ({
      id: `a:${i}`,
      time: at(i * 120),
      title: `v${i}`,
      sloIds: 'all' as const,
    }));
    const f: Fake = { queries: [], alerts: [] };
    const d = await loadLedger(client(f), report(), { deploys });
    // 200 segments an SLO, over LEDGER_SEGMENTS_PER_REQUEST: one request each, beside the alert history.
    expect(d.ledgers.every((l) => l.plan.segments.length > LEDGER_SEGMENTS_PER_REQUEST)).toBe(true);
    expect(f.queries.length).toBe(1 + 3);
    const avail = d.ledgers[0].ledger!;
    expect(avail.lines[3].bad).toBe(200 * (DEPLOY_OWNS_MS / MIN) + 100);
  });
});

describe('loadDeploys', () => {
  test("Grafana's annotations API: tagged deploy, the period, a high limit; slo tags narrow a deploy", async () => {
    const calls: Array<{ url: string; params?: Record<string, string> }> = [];
    const srv: BackendSrvLike = {
      fetch: <T>(req: { url: string; params?: Record<string, string> }) => {
        calls.push(req);
        const data = [
          { id: 3, time: at(10), tags: ['deploy', 'slo:api-latency'], text: 'v2.14.0\nrollout by CI' },
          { id: 4, time: at(20), timeEnd: at(25), tags: ['deploy'], text: '' },
        ];
        return of({ status: 200, data: data as T });
      },
    };
    const ds = await loadDeploys(srv, T0, at(60));
    expect(calls[0]).toMatchObject({
      url: '/api/annotations',
      params: { tags: 'deploy', from: String(T0), to: String(at(60)), type: 'annotation', limit: '5000' },
    });
    expect(ds).toEqual([
      { id: 'a:3', time: at(10), timeEnd: undefined, title: 'v2.14.0', sloIds: ['api-latency'] },
      { id: 'a:4', time: at(20), timeEnd: at(25), title: 'Deploy', sloIds: 'all' },
    ]);
  });
});
