import React from 'react';
import { screen, within } from '@testing-library/react';
import { testIds } from '../components/testIds';
import { RULES_FOUR_TIERS, RULES_FOUR_TIERS_GUARDS, rulesFromFile, rulesFromFiles } from '../slo/testdata/fixtures';
import SloDetailPage from './SloDetail';
import { prom, renderAt } from './testHelpers';

jest.mock('@grafana/runtime', () => jest.requireActual('./testHelpers').runtimeMock());

beforeEach(() => {
  prom.calls = [];
  prom.rules = rulesFromFile(undefined, { APILatencySLOFastBurn: 'firing' });
  prom.ratios = { 'api-latency/1h': 0.2, 'api-latency/5m': 0.25 };
  prom.period = { 'api-latency': 0.002 };
  prom.alertSeries = [];
  prom.validEvents = {};
  prom.annotations = [];
  prom.windowCounts = undefined;
});

// A page's link as Alertmanager builds it: dashboard_url + from = StartsAt − 1 h, to = EndsAt (a resolved alert).
const TO = Date.UTC(2026, 11, 4, 13, 0);
const FROM = TO - 70 * 60_000;
const FIRED = FROM + 60 * 60_000;
const samples = (a: number, b: number, v: (t: number) => string) => {
  const out: Array<[number, string]> = [];
  for (let t = a; t <= b; t += 5000) {
    out.push([t / 1000, v(t)]);
  }
  return out;
};

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
    // The error-budget policy state, with what the team does in it.
    const chip = screen.getByTestId(testIds.policy.chip);
    expect(chip).toHaveAttribute('data-policy-state', expect.stringMatching(/^(ok|caution|freeze)$/));
    expect(chip.textContent).toMatch(/Ship|Feature deploys stop/);
  });

  it('landing from a notification: the firing history of the range, every tier charted, the budget in context', async () => {
    prom.rules = rulesFromFiles([RULES_FOUR_TIERS, RULES_FOUR_TIERS_GUARDS]);
    const labels = { alertname: 'APILatencySLOFastBurn', slo: 'api-latency', severity: 'page' };
    const active = FIRED - 120_000;
    prom.alertSeries = [
      {
        metric: { __name__: 'ALERTS', alertstate: 'pending', ...labels },
        values: samples(active, FIRED - 5000, () => '1'),
      },
      {
        metric: { __name__: 'ALERTS', alertstate: 'firing', ...labels },
        values: samples(FIRED, FIRED + 420_000, () => '1'),
      },
      {
        metric: { __name__: 'ALERTS_FOR_STATE', ...labels },
        values: samples(active, FIRED + 420_000, () => String(active / 1000)),
      },
    ];
    renderAt(`/slos/api-latency?alert=APILatencySLOFastBurn&from=${FROM}&to=${TO}`, '/slos/:id', <SloDetailPage />);
    // Two loads in a row (rules, then the charts and history): allow for a busy machine.
    const history = await screen.findByTestId(testIds.detail.alertHistory, {}, { timeout: 5000 });
    const [episode] = within(history).getAllByTestId(testIds.detail.alertEpisode);
    expect(episode).toHaveAttribute('data-alert', 'APILatencySLOFastBurn');
    expect(episode).toHaveTextContent(/pending .* · fired .* · resolved .* · firing for 7m/);
    // The rule row says it is inactive now, and when it last fired.
    const row = screen.getByTestId(testIds.detail.highlighted);
    expect(row).toHaveTextContent('inactive');
    expect(within(row).getByTestId(testIds.detail.highlightedHistory)).toHaveTextContent(
      /last in this range: .*resolved/
    );
    for (const w of ['1h', '6h', '24h']) {
      expect(screen.getByTestId(testIds.detail.burnChart(w))).toBeInTheDocument();
    }
    expect(screen.queryByTestId(testIds.detail.burnChart('3d'))).toBeNull(); // Burn3d is off for api-latency
    expect(screen.getByTestId(testIds.detail.budgetContext)).toHaveTextContent(
      'the chart shows the whole 30d before the range end, with the range marked'
    );
    // One range-vector query for the history: the range and 5 minutes past its end.
    const queries = prom.calls.map((c) => new URL(c, 'http://x').searchParams.get('query') ?? '');
    expect(queries.filter((q) => q.includes('ALERTS'))).toEqual([
      '{__name__=~"ALERTS|ALERTS_FOR_STATE", slo="api-latency"}[4500s]',
    ]);
  });

  it('says "too few events" instead of a burn, and a firing NoData alert in words', async () => {
    prom.rules = rulesFromFiles([RULES_FOUR_TIERS, RULES_FOUR_TIERS_GUARDS], { APILatencySLONoData: 'firing' });
    prom.validEvents = { 'api-latency/1h': 3, 'api-latency/6h': 40, 'api-latency/24h': 200 };
    prom.ratios = { ...prom.ratios, 'api-latency/6h': 0.01, 'api-latency/30m': 0.02 };
    renderAt('/slos/api-latency', '/slos/:id', <SloDetailPage />);
    expect(await screen.findByTestId(testIds.overview.noData, {}, { timeout: 5000 })).toHaveTextContent(
      'no data — target down or SLI absent: APILatencySLONoData is firing'
    );
    const now = screen.getByRole('region', { name: 'Now' });
    expect(now).toHaveTextContent('too few events (3 in 1 h, needs 7)');
    const fast = screen.getByTestId(testIds.detail.alertRow('APILatencySLOFastBurn'));
    expect(fast).toHaveTextContent('too few events (3 in 1 h, needs 7)');
    expect(fast).toHaveTextContent('and only once the last 1h holds at least 7 requests');
    expect(screen.getByTestId(testIds.detail.alertRow('APILatencySLOSlowBurn'))).toHaveTextContent('1× / 2×');
    expect(screen.getByTestId(testIds.detail.alertRow('APILatencySLONoData'))).toHaveTextContent(
      'Fires when no target of job="veza-api" answers its scrape'
    );
  });

  it('a correction in the window: corrected budget and SLI beside the raw ones', async () => {
    const now = Date.now();
    prom.annotations = [
      {
        id: 3,
        time: now - 86400000,
        timeEnd: now - 86400000 + 1800000,
        tags: ['veza-slo-correction', 'kind:accepted-incident', 'slo:*'],
        text: 'Provider incident, accepted',
      },
    ];
    prom.windowCounts = {
      'api-latency/2592000/valid': 500_000,
      'api-latency/2592000/bad': 1000,
      'api-latency/c0/valid': 2000,
      'api-latency/c0/bad': 1000,
    };
    renderAt('/slos/api-latency', '/slos/:id', <SloDetailPage />);
    const c = await screen.findByTestId(testIds.overview.corrected);
    // Raw 0.2 % of 1 %: 80 % left; corrected 0 bad of 498 000: 100 % left, SLI 100 %.
    expect(c).toHaveTextContent('100 % left · SLI 100');
    expect(c).toHaveAttribute('title', expect.stringContaining('Raw 80 % left; 1 correction window left out.'));
  });

  it('an unknown id lists the known SLOs', async () => {
    renderAt('/slos/nope', '/slos/:id', <SloDetailPage />);
    expect(await screen.findByTestId(testIds.states.notFound)).toHaveTextContent(
      'api-availability, api-latency, payment-success'
    );
  });
});
