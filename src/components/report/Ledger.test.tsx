import React from 'react';
import { of } from 'rxjs';
import { render, screen, within } from '@testing-library/react';
import type { LedgerData } from '../../api/ledger';
import { emptyReport, type ReportData } from '../../api/loaders';
import { countsAnswer } from '../../api/testdata/ledgerProm';
import { discoverSlos } from '../../slo';
import { buildLedger, ledgerPlan, type LedgerWindow } from '../../slo/ledger';
import { parsePeriod } from '../../slo/periods';
import { rulesFromFile } from '../../slo/testdata/fixtures';
import { SettingsContext } from '../settingsContext';
import { testIds } from '../testIds';
import { Ledger, LedgerView } from './Ledger';

const requests: string[] = [];
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (req: { url: string; data?: unknown }) => fakeGrafana(req) }),
}));

const MIN = 60000;
const period = parsePeriod('2026-11', 'UTC')!;
const T0 = period.startMs;
const at = (m: number) => T0 + m * MIN;
const slos = discoverSlos(rulesFromFile());
const pay = slos.find((s) => s.id === 'payment-success')!;
// 1 bad order a minute, 3000 more in minute 600; 1000 orders a minute.
const badAt = (m: number) => (m === 600 ? 3001 : 1);

/** Grafana for the container: the annotations API (one deploy), Prometheus through the data source. */
function fakeGrafana(req: { url: string; data?: unknown }) {
  requests.push(req.url.split('?')[0]);
  const ok = (data: unknown) => of({ status: 200, data });
  if (req.url === '/api/annotations') {
    return ok([{ id: 1, time: at(590), tags: ['deploy'], text: 'v2.14.0' }]);
  }
  const q = new URLSearchParams(req.url.includes('?') ? req.url.split('?')[1] : String(req.data)).get('query')!;
  if (q.includes('ALERTS')) {
    return ok({ status: 'success', data: { resultType: 'matrix', result: [] } });
  }
  const result = countsAnswer(q, T0, (m, part) => (part === 'bad' ? badAt(m) : 1000));
  return ok({ status: 'success', data: { resultType: 'vector', result } });
}

function report(): ReportData {
  const r = emptyReport([pay], period, period.endMs);
  r.totals.set(pay.id, { bad: 43200 + 3000, valid: 43200 * 1000 });
  return r;
}

function view(windows: LedgerWindow[], bad: number): LedgerData {
  const plan = ledgerPlan(windows, T0, period.endMs);
  const counts = plan.segments.map((s) => {
    let n = 0;
    for (let t = s.from; t < s.to; t += MIN) {
      n += badAt((t - T0) / MIN);
    }
    return { bad: n, valid: ((s.to - s.from) / MIN) * 1000 };
  });
  return {
    from: T0,
    evalEnd: period.endMs,
    running: false,
    ledgers: [{ slo: pay, plan, ledger: buildLedger({ objective: 0.995, bad, valid: 43200 * 1000, plan, counts }) }],
    sources: {
      deploys: { state: 'read' },
      failovers: { state: 'not read', why: 'no Postgres HA data source is set in the app configuration' },
      alerts: { state: 'read' },
    },
    problems: [],
  };
}

describe('Ledger', () => {
  test('a table per SLO whose lines add up to 100 %, the bar, and the postmortem flag of a big incident', () => {
    const data = view(
      [
        { cause: 'failover', id: 'f', title: 'Failover: node2 → node1', from: at(600), to: at(606) },
        { cause: 'alert', id: 'a', title: 'PaymentSuccessSLOFastBurn', from: at(601), to: at(640) },
        { cause: 'deploy', id: 'd', title: 'v2.14.0', from: at(590), to: at(650) },
      ],
      43200 + 3000
    );
    render(<LedgerView data={data} timeZone="UTC" />);
    const box = screen.getByTestId(testIds.ledger.slo('payment-success'));
    const row = (cause: string) =>
      Array.from(within(box).getByTestId(testIds.ledger.line(cause)).querySelectorAll('td')).map(
        (td) => td.textContent
      );
    // Budget: 0.5 % of 43.2 M orders = 216 000 bad orders allowed.
    expect(row('failover')).toEqual([
      'Failover episodes',
      expect.stringContaining('1 window, 6 min'),
      '3,006',
      '1.4 %',
      '6.5 %',
    ]);
    expect(row('alert')).toEqual([
      'Alert episodes',
      expect.stringContaining('PaymentSuccessSLOFastBurn'),
      '34',
      '0.02 %',
      '0.1 %',
    ]);
    expect(row('deploy')[2]).toBe('20');
    expect(row('unattributed')).toEqual(['Unattributed', 'the rest of the period', '43,140', '20 %', '93.4 %']);
    expect(within(box).getByText('Total').parentElement).toHaveTextContent('46,200');
    expect(within(box).getByTestId(testIds.ledger.bar)).toHaveAttribute(
      'aria-label',
      'Share of spend: Failover episodes 6.5 %, Alert episodes 0.1 %, Unattributed 93.4 %'
    );
    // The failover and the alert overlap: one incident of 3 040 events, 1.4 % of the budget: no postmortem.
    expect(within(box).getAllByTestId(testIds.ledger.incident)).toHaveLength(1);
    expect(within(box).queryByTestId(testIds.ledger.postmortem)).toBeNull();
    expect(screen.getByTestId(testIds.ledger.sources)).toHaveTextContent(
      'failover episodes: not read (no Postgres HA data source is set in the app configuration)'
    );
  });

  test('an incident over 20 % of the budget says "postmortem required"; no bad event: no share, no bar', () => {
    const data = view(
      [{ cause: 'alert', id: 'a', title: 'PaymentSuccessSLOFastBurn', from: at(600), to: at(601) }],
      3001
    );
    // A quiet month: the budget is 216 000, the incident 3 001 of a total of 3 001 bad orders … against a smaller
    // budget: 10 000 orders a month.
    data.ledgers[0].ledger = buildLedger({
      objective: 0.995,
      bad: 3001,
      valid: 10000,
      plan: data.ledgers[0].plan,
      counts: [{ bad: 3001, valid: 1000 }],
    });
    const { unmount } = render(<LedgerView data={data} timeZone="UTC" />);
    expect(screen.getByTestId(testIds.ledger.postmortem)).toHaveTextContent('postmortem required');
    expect(screen.getByTestId(testIds.ledger.incident)).toHaveTextContent(
      'Alert: PaymentSuccessSLOFastBurn · Nov 1 10:00–Nov 1 10:01'
    );
    unmount();
    const none = view([], 0);
    none.ledgers[0].ledger = buildLedger({
      objective: 0.995,
      bad: 0,
      valid: 1000,
      plan: none.ledgers[0].plan,
      counts: [],
    });
    render(<LedgerView data={none} timeZone="UTC" />);
    expect(screen.getByTestId(testIds.ledger.bar)).toHaveAttribute('aria-label', 'Share of spend: no bad event');
    const cells = Array.from(screen.getByTestId(testIds.ledger.line('unattributed')).querySelectorAll('td'));
    expect(cells.map((td) => td.textContent).slice(2)).toEqual(['0', '0 %', '—']);
    expect(screen.getByText('No failover or alert episode in this period.')).toBeInTheDocument();
  });

  test('the container reads deploys from Grafana and the counts from Prometheus: the deploy owns its hour', async () => {
    requests.length = 0;
    render(
      <SettingsContext.Provider value={{ prometheusUid: 'prom' }}>
        <Ledger report={report()} />
      </SettingsContext.Provider>
    );
    const deploy = await screen.findByTestId(testIds.ledger.line('deploy'));
    // [590, 650): 60 minutes, the burst of minute 600 in it.
    expect(deploy).toHaveTextContent('v2.14.0 (Nov 1 09:50) 3,060');
    expect(requests.filter((u) => u === '/api/annotations')).toHaveLength(1);
    expect(requests.filter((u) => u.includes('/resources/api/v1/query'))).toHaveLength(2);
    expect(screen.getByTestId(testIds.ledger.sources)).toHaveTextContent('failover episodes: not read');
  });
});
