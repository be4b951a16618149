import React from 'react';
import { screen, within } from '@testing-library/react';
import { testIds } from '../components/testIds';
import { rulesFromFile } from '../slo/testdata/fixtures';
import SloDetailPage from './SloDetail';
import { prom, renderAt } from './testHelpers';

jest.mock('@grafana/runtime', () => jest.requireActual('./testHelpers').runtimeMock());

beforeEach(() => {
  prom.calls = [];
  prom.rules = rulesFromFile(undefined, { APILatencySLOFastBurn: 'firing' });
  prom.ratios = { 'api-latency/1h': 0.2, 'api-latency/5m': 0.25 };
  prom.period = { 'api-latency': 0.002 };
});

describe('SLO detail', () => {
  it('drill-down from an alert: the alert row is highlighted, its runbook is one click away', async () => {
    renderAt('/slos/api-latency?alert=APILatencySLOFastBurn', '/slos/:id', <SloDetailPage />);
    const row = await screen.findByTestId(testIds.detail.highlighted);
    expect(row).toHaveTextContent('APILatencySLOFastBurn');
    expect(row).toHaveTextContent('firing');
    expect(row).toHaveTextContent('Fires when more than 14.4 % of requests were slower than the threshold');
    expect(within(row).getByTestId(testIds.detail.runbookLink)).toHaveAttribute(
      'href',
      '/a/veza-slo-app/runbooks/api-latency-slo-burn'
    );
    expect(row).toHaveTextContent('20×');
  });

  it('draws both burn-rate charts, the budget and the p95 chart for latency', async () => {
    renderAt('/slos/api-latency?from=now-6h&to=now', '/slos/:id', <SloDetailPage />);
    expect(await screen.findByTestId(testIds.detail.burnChart('1h'))).toBeInTheDocument();
    expect(screen.getByTestId(testIds.detail.burnChart('6h'))).toBeInTheDocument();
    expect(screen.getByTestId(testIds.detail.budgetChart)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.detail.latencyChart)).toBeInTheDocument();
    expect(screen.getAllByTestId(testIds.detail.explore)[0].getAttribute('href')).toMatch(/^\/explore\?/);
    // range query: from now-6h → about 6 h of span
    const range = prom.calls.find((c) => c.includes('query_range'))!;
    const p = new URL(range, 'http://x').searchParams;
    expect(Number(p.get('end')) - Number(p.get('start'))).toBeCloseTo(6 * 3600, -1);
  });

  it('an unknown id lists the known SLOs', async () => {
    renderAt('/slos/nope', '/slos/:id', <SloDetailPage />);
    expect(await screen.findByTestId(testIds.states.notFound)).toHaveTextContent(
      'api-availability, api-latency, payment-success'
    );
  });
});
