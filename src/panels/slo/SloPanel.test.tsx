import React from 'react';
import { act, screen, within } from '@testing-library/react';
import { getDefaultTimeRange, LoadingState, type PanelProps } from '@grafana/data';
import { resetBucketShape } from '../../api/loaders';
import { testIds } from '../../components/testIds';
import { prom, renderAt } from '../../pages/testHelpers';
import { rulesFromFile } from '../../slo/testdata/fixtures';
import { SloPanel } from './SloPanel';
import { sloPanelTestIds } from './testIds';
import { DEFAULT_OPTIONS, type SloPanelOptions } from './types';

// The page tests' fake Prometheus, plus the app's settings (the panel's fallback data source) on get().
jest.mock('@grafana/runtime', () => {
  const base = jest.requireActual('../../pages/testHelpers').runtimeMock();
  const settings = { jsonData: { prometheusUid: 'from-app' } };
  return {
    ...base,
    getBackendSrv: () => ({ ...base.getBackendSrv(), get: () => Promise.resolve(settings) }),
  };
});

beforeEach(() => {
  resetBucketShape();
  prom.calls = [];
  prom.down = false;
  prom.rules = rulesFromFile(undefined, { PaymentSuccessSLOFastBurn: 'firing' });
  prom.ratios = { 'api-availability/1h': 0.001, 'payment-success/1h': 0.2 };
  prom.period = { 'api-availability': 0.0005, 'api-latency': 0.009, 'payment-success': 0.001 };
});

function panel(options: Partial<SloPanelOptions>) {
  const props = {
    id: 1,
    data: { state: LoadingState.Done, series: [], timeRange: getDefaultTimeRange() },
    timeRange: getDefaultTimeRange(),
    timeZone: 'browser',
    options: { ...DEFAULT_OPTIONS, ...options },
    width: 1200,
    height: 600,
  } as unknown as PanelProps<SloPanelOptions>;
  return renderAt('/d/x', '/d/x', <SloPanel {...props} />);
}

const tileIds = async () =>
  within(await screen.findByTestId(sloPanelTestIds.grid))
    .getAllByRole('article')
    .map((t) => t.getAttribute('data-testid'));

describe('SLO panel', () => {
  it('every SLO worst first from the chosen Prometheus, with the overview’s 4 requests', async () => {
    panel({ prometheusUid: 'prom-x' });
    expect(await tileIds()).toEqual([
      testIds.overview.tile('payment-success'),
      testIds.overview.tile('api-latency'),
      testIds.overview.tile('api-availability'),
    ]);
    expect(prom.calls).toHaveLength(4);
    expect(prom.calls.every((c) => c.startsWith('/api/datasources/uid/prom-x/resources/api/v1/'))).toBe(true);
  });

  it('the SLOs listed, in the listed order; an id that matches no SLO is named, not dropped silently', async () => {
    panel({ prometheusUid: 'prom-x', slos: 'api-availability, nope api-latency', order: 'listed' });
    expect(await tileIds()).toEqual([testIds.overview.tile('api-availability'), testIds.overview.tile('api-latency')]);
    expect(screen.getByTestId(sloPanelTestIds.unknown)).toHaveTextContent('no SLO named nope');
  });

  it('the listed SLOs worst first when the order says so', async () => {
    panel({ prometheusUid: 'prom-x', slos: 'api-availability,payment-success', order: 'worst' });
    expect(await tileIds()).toEqual([
      testIds.overview.tile('payment-success'),
      testIds.overview.tile('api-availability'),
    ]);
    expect(screen.queryByTestId(sloPanelTestIds.unknown)).toBeNull();
  });

  it('no data source chosen: the one the Veza SLO app is configured with', async () => {
    panel({ prometheusUid: '' });
    await tileIds();
    expect(prom.calls.length).toBeGreaterThan(0);
    expect(prom.calls.every((c) => c.startsWith('/api/datasources/uid/from-app/'))).toBe(true);
  });

  it('wall size: wall tiles; Prometheus down after a load keeps the tiles, greyed, under a stale banner', async () => {
    jest.useFakeTimers();
    try {
      panel({ prometheusUid: 'prom-x', size: 'wall', refresh: '30s' });
      await act(async () => {
        await jest.advanceTimersByTimeAsync(100);
      });
      expect(await tileIds()).toHaveLength(3);
      prom.down = true;
      await act(async () => {
        await jest.advanceTimersByTimeAsync(31_000);
      });
      expect(screen.getByTestId(testIds.states.stale)).toHaveTextContent('Stale: values from');
      expect(screen.getByTestId(sloPanelTestIds.grid)).toHaveAttribute('data-stale', 'true');
      expect(await tileIds()).toHaveLength(3);
    } finally {
      jest.useRealTimers();
    }
  });
});
