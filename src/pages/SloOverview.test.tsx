import React from 'react';
import { act, screen, within } from '@testing-library/react';
import { testIds } from '../components/testIds';
import { RULES_FOUR_TIERS, RULES_FOUR_TIERS_GUARDS, rulesFromFile, rulesFromFiles } from '../slo/testdata/fixtures';
import SloOverviewPage from './SloOverview';
import { prom, renderAt } from './testHelpers';

jest.mock('@grafana/runtime', () => jest.requireActual('./testHelpers').runtimeMock());

// The Prometheus requests (the annotations read for corrections goes to Grafana, not Prometheus).
const promCalls = () => prom.calls.filter((c) => !c.startsWith('/api/annotations'));

beforeEach(() => {
  prom.calls = [];
  prom.annotations = [];
  prom.windowCounts = undefined;
  prom.annotationReadStatus = undefined;
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
    // A tile's budget is the rolling window's, said so beside it (the report's budgets are calendar periods').
    expect(within(tiles[1]).getByText('rolling 30d')).toBeInTheDocument();
    expect(within(tiles[1]).getByTestId(testIds.overview.gauge).getAttribute('aria-label')).toContain('(rolling 30d)');
    expect(within(tiles[0]).getAllByTestId(testIds.overview.alertState)[0]).toHaveTextContent('fast: firing');
    expect(within(tiles[0]).getByRole('link', { name: 'Runbook' })).toHaveAttribute(
      'href',
      '/a/veza-slo-app/runbooks/payment-success-slo-burn'
    );
    expect(within(tiles[0]).getByRole('link', { name: 'Payment success' })).toHaveAttribute(
      'href',
      '/a/veza-slo-app/slos/payment-success'
    );
    expect(promCalls()).toHaveLength(4);
    expect(prom.calls.filter((c) => c.startsWith('/api/annotations?tags=veza-slo-correction'))).toHaveLength(1);
    expect(screen.queryByTestId(testIds.overview.corrected)).toBeNull();
    // The spec's error-budget policy, from the alerts' annotation: 10 % left freezes deploys, 80–90 % is ok.
    expect(tiles.map((t) => within(t).getByTestId(testIds.policy.chip).getAttribute('data-policy-state'))).toEqual([
      'ok',
      'freeze',
      'ok',
    ]);
    expect(
      within(tiles[1]).getByLabelText('Error-budget policy: freeze. Feature deploys are blocked.')
    ).toHaveAttribute('title', expect.stringContaining('Feature deploys stop until the budget is back above 20 %'));
  });

  it('four tiers, guards and NoData: every tier on the tile, "too few events", no data in words; still 4 requests', async () => {
    prom.rules = rulesFromFiles([RULES_FOUR_TIERS, RULES_FOUR_TIERS_GUARDS], {
      APILatencySLONoData: 'firing',
      PaymentSuccessSLOBurn24h: 'pending',
    });
    prom.ratios = { 'payment-success/1h': 0.08, 'payment-success/6h': 0.01, 'api-availability/1h': 0.001 };
    // 9 orders in the last hour: one failure is 11 %, a burn of 22× that means nothing (the alert cannot fire).
    prom.validEvents = { 'payment-success/1h': 9, 'payment-success/6h': 60, 'api-availability/1h': 5000 };
    renderAt('/slos', '/slos', <SloOverviewPage />);
    const grid = await screen.findByTestId(testIds.overview.grid);
    const pay = within(grid).getByTestId(testIds.overview.tile('payment-success'));
    await within(pay).findByText('too few events (9 in 1 h, needs 14)', {}, { timeout: 5000 });
    expect(within(pay).getAllByTestId(testIds.overview.lowTraffic)).toHaveLength(1);
    expect(within(pay).queryByText('16×')).toBeNull();
    expect(
      within(pay)
        .getAllByTestId(testIds.overview.alertState)
        .map((b) => b.textContent)
    ).toEqual(['fast: inactive', 'slow: inactive', '24h: pending', '3d: inactive', 'no data: inactive']);
    // api-latency has no Burn3d tier; its NoData alert fires: said in words, and the tile comes first.
    const lat = within(grid).getAllByRole('article')[0];
    expect(lat).toHaveAttribute('data-testid', testIds.overview.tile('api-latency'));
    expect(within(lat).getByTestId(testIds.overview.noData)).toHaveTextContent('no data — target down or SLI absent');
    expect(within(lat).getAllByTestId(testIds.overview.alertState)).toHaveLength(4);
    expect(within(lat).getByRole('link', { name: 'Runbook' })).toHaveAttribute(
      'href',
      '/a/veza-slo-app/runbooks/api-latency-slo-burn'
    );
    // The counts ride in the two budget requests: the guard's own sum(increase(<valid>[1h])).
    expect(promCalls()).toHaveLength(4);
    const queries = promCalls().map((c) => new URL(c, 'http://x').searchParams.get('query') ?? '');
    expect(queries.filter((q) => q.includes('slo_valid_window'))).toHaveLength(2);
    expect(queries.join('\n')).toContain(
      'sum(increase(http_requests_total{job="veza-api",method="POST",route="/api/v1/orders"}[1h]))'
    );
  });

  it('colours by what needs attention now: a 90× 1 h burn with a calm 5 m window is orange, both windows shown', async () => {
    prom.ratios = { 'api-availability/1h': 0.45, 'api-availability/5m': 0.001, 'api-availability/6h': 0.002 };
    renderAt('/slos', '/slos', <SloOverviewPage />);
    const grid = await screen.findByTestId(testIds.overview.grid);
    const tile = within(grid).getByTestId(testIds.overview.tile('api-availability'));
    // 90 % of the budget left (green by budget alone), but burning at 90× over the last hour.
    expect(tile).toHaveAttribute('data-attention', 'critical');
    expect(within(tile).getByTestId(testIds.overview.gauge)).toHaveAttribute('data-level', 'critical');
    const why = within(tile).getByTestId(testIds.overview.attention);
    expect(why).toHaveTextContent('burning 90× over 1h, 0.2× over 5m');
    expect(why).toHaveAttribute('title', 'FastBurn fires above 14.4× on both 1h and 5m');
    expect(within(tile).getAllByTestId(testIds.overview.burn)[0]).toHaveTextContent('90× · 5m 0.2×');
    expect(within(tile).getByText('(6h)')).toHaveAttribute('title', 'Assuming the 6h burn rate holds');
    // payment-success: its page fires, so red whatever its budget.
    expect(within(grid).getByTestId(testIds.overview.tile('payment-success'))).toHaveAttribute(
      'data-attention',
      'exhausted'
    );
  });

  it('says how to fix "no SLOs found"', async () => {
    prom.rules = { groups: [] };
    renderAt('/slos', '/slos', <SloOverviewPage />);
    expect(await screen.findByTestId(testIds.states.noSlos)).toHaveTextContent(
      'load provisioning/prometheus/slo.yml into Prometheus'
    );
  });

  it('a correction in the window: corrected budget beside the raw one, the policy from it; two more requests', async () => {
    const now = Date.now();
    prom.annotations = [
      {
        id: 7,
        time: now - 2 * 86400000,
        timeEnd: now - 2 * 86400000 + 3600000,
        tags: ['veza-slo-correction', 'kind:maintenance', 'slo:api-latency'],
        text: 'Database upgrade',
      },
    ];
    // 30 days: 1 000 000 writes, 9 000 slow (raw: 90 % of the budget used); 5 000 of them inside the maintenance.
    prom.windowCounts = {
      'api-latency/2592000/valid': 1_000_000,
      'api-latency/2592000/bad': 9000,
      'api-latency/c0/valid': 10_000,
      'api-latency/c0/bad': 5000,
    };
    renderAt('/slos', '/slos', <SloOverviewPage />);
    const tile = await screen.findByTestId(testIds.overview.tile('api-latency'));
    expect(within(tile).getByTestId(testIds.overview.remaining)).toHaveTextContent('10 %');
    // (9 000 − 5 000) / 990 000 = 0.404 % against 1 %: 59.6 % left.
    expect(within(tile).getByTestId(testIds.overview.corrected)).toHaveTextContent('59.6 % left');
    expect(within(tile).getByTestId(testIds.overview.corrected)).toHaveAttribute(
      'title',
      expect.stringContaining('Alerts are not changed by corrections')
    );
    expect(within(tile).getByTestId(testIds.policy.chip).getAttribute('data-policy-state')).toBe('ok');
    // Only the SLO the correction names.
    const other = screen.getByTestId(testIds.overview.tile('api-availability'));
    expect(within(other).queryByTestId(testIds.overview.corrected)).toBeNull();
    expect(promCalls()).toHaveLength(6);
    const queries = promCalls().map((c) => new URL(c, 'http://x').searchParams.get('query') ?? '');
    expect(queries.filter((q) => q.includes('slo_window_key'))).toHaveLength(2);
  });

  it('a failed read of the corrections: raw figures, said as partial data', async () => {
    prom.annotationReadStatus = 500;
    renderAt('/slos', '/slos', <SloOverviewPage />);
    await screen.findByTestId(testIds.overview.grid);
    expect(await screen.findByText(/Could not read the corrections/)).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.overview.corrected)).toBeNull();
    expect(promCalls()).toHaveLength(4);
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
