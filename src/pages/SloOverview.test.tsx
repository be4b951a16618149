import React from 'react';
import { act, screen, within } from '@testing-library/react';
import { testIds } from '../components/testIds';
import { rulesFromFile } from '../slo/testdata/fixtures';
import SloOverviewPage from './SloOverview';
import { prom, renderAt } from './testHelpers';

jest.mock('@grafana/runtime', () => jest.requireActual('./testHelpers').runtimeMock());

beforeEach(() => {
  prom.calls = [];
  prom.down = false;
  prom.failPeriod = false;
  prom.rules = rulesFromFile(undefined, { PaymentSuccessSLOFastBurn: 'firing' });
  prom.ratios = { 'api-availability/1h': 0.001, 'api-availability/6h': 0.0005, 'payment-success/1h': 0.2 };
  prom.period = { 'api-availability': 0.0005, 'api-latency': 0.009, 'payment-success': 0.001 };
});

describe('SLO overview', () => {
  it('shows one tile per SLO, worst first, with 4 Prometheus requests', async () => {
    renderAt('/slos', '/slos', <SloOverviewPage />);
    const grid = await screen.findByTestId(testIds.overview.grid);
    const tiles = within(grid).getAllByRole('article');
    // payment-success has a firing page; api-latency has 10 % of its budget left; availability 90 %.
    expect(tiles.map((t) => t.getAttribute('data-testid'))).toEqual([
      testIds.overview.tile('payment-success'),
      testIds.overview.tile('api-latency'),
      testIds.overview.tile('api-availability'),
    ]);
    expect(within(tiles[1]).getByTestId(testIds.overview.remaining)).toHaveTextContent('10 %');
    expect(within(tiles[0]).getAllByTestId(testIds.overview.alertState)[0]).toHaveTextContent('fast: firing');
    expect(within(tiles[0]).getByRole('link', { name: 'Runbook' })).toHaveAttribute(
      'href',
      '/a/veza-slo-app/runbooks/payment-success-slo-burn'
    );
    expect(within(tiles[0]).getByRole('link', { name: 'Payment success' })).toHaveAttribute(
      'href',
      '/a/veza-slo-app/slos/payment-success'
    );
    expect(prom.calls).toHaveLength(4);
  });

  it('says how to fix "no SLOs found"', async () => {
    prom.rules = { groups: [] };
    renderAt('/slos', '/slos', <SloOverviewPage />);
    expect(await screen.findByTestId(testIds.states.noSlos)).toHaveTextContent(
      'load provisioning/prometheus/slo.yml into Prometheus'
    );
  });

  it('says Prometheus is unreachable, and why', async () => {
    prom.down = true;
    renderAt('/slos', '/slos', <SloOverviewPage />);
    expect(await screen.findByTestId(testIds.states.unreachable)).toHaveTextContent(/unreachable.*connection refused/);
  });

  it('asks for the data source when none is set', async () => {
    renderAt('/slos', '/slos', <SloOverviewPage />, { prometheusUid: '' });
    expect(await screen.findByTestId(testIds.states.notConfigured)).toBeInTheDocument();
  });

  it('kiosk mode keeps the last values when Prometheus goes away, marked stale', async () => {
    jest.useFakeTimers();
    renderAt('/slos?kiosk', '/slos', <SloOverviewPage />);
    await act(async () => {
      await jest.advanceTimersByTimeAsync(100);
    });
    expect(screen.getByTestId(testIds.overview.kiosk)).toBeInTheDocument();
    expect(screen.getAllByRole('article')).toHaveLength(3);
    prom.down = true;
    await act(async () => {
      await jest.advanceTimersByTimeAsync(31000);
    });
    expect(screen.getAllByRole('article')).toHaveLength(3);
    expect(screen.getByTestId(testIds.states.stale)).toHaveTextContent(/Stale: values from .* ago\..*unreachable/);
    jest.useRealTimers();
  });

  it('partial data: tiles stay, the missing part is named', async () => {
    prom.failPeriod = true;
    renderAt('/slos', '/slos', <SloOverviewPage />);
    expect(await screen.findByTestId(testIds.states.partial)).toHaveTextContent(
      /30-day error budgets.*too many samples/
    );
    expect(screen.getAllByRole('article')).toHaveLength(3);
    expect(screen.getAllByTestId(testIds.overview.remaining)[0]).toHaveTextContent('—');
  });
});
