import { discoverSlos } from './discovery';
import { periodRatioBySlo, ratiosBySlo, sortWorstFirst, toView } from './status';
import { rulesFromFile } from './testdata/fixtures';

const sample = (metric: Record<string, string>, v: string) => ({ metric, value: [0, v] as [number, string] });

describe('status from query results', () => {
  const slos = discoverSlos(rulesFromFile());
  const [avail, lat, pay] = slos;

  it('groups the all-windows answer by SLO and window', () => {
    const m = ratiosBySlo([
      sample({ __name__: 'slo:sli_error:ratio_rate1h', slo: 'api-availability' }, '0.072'),
      sample({ __name__: 'slo:sli_error:ratio_rate6h', slo: 'api-availability' }, '0.01'),
      sample({ __name__: 'slo:sli_error:ratio_rate1h', sloth_id: 'x' }, '0.5'),
      sample({ __name__: 'other', slo: 'api-availability' }, '1'),
    ]);
    expect(m.get('api-availability')).toEqual({ '1h': 0.072, '6h': 0.01 });
    expect(m.get('sloth:x')).toEqual({ '1h': 0.5 });
  });

  it('reads the joined period query by its slo label', () => {
    expect(periodRatioBySlo([sample({ slo: 'a' }, '0.001'), sample({}, '1')])).toEqual(new Map([['a', 0.001]]));
  });

  it('computes a tile: SLI, budget, burns and exhaustion', () => {
    const v = toView(avail, { periodErrorRatio: 0.0025, ratios: { '1h': 0.072, '6h': 0.01 } });
    expect(v.sli).toBeCloseTo(0.9975, 9);
    expect(v.remaining).toBeCloseTo(0.5, 9);
    expect(v.level).toBe('ok');
    expect(v.burn1h).toBeCloseTo(14.4, 9);
    expect(v.burn6h).toBeCloseTo(2, 9);
    // half of 30d at 14.4× → 15d / 14.4
    expect(v.exhaustionSeconds).toBeCloseTo((0.5 * 2592000) / 14.4, 3);
    expect(v.noData).toBe(false);
  });

  it('0/0 over the period is "no traffic": budget untouched, SLI unknown', () => {
    const v = toView(avail, { periodErrorRatio: NaN, ratios: { '1h': NaN } });
    expect(v.noTraffic).toBe(true);
    expect(v.remaining).toBe(1);
    expect(v.sli).toBeUndefined();
    expect(v.burn1h).toBeUndefined();
    expect(v.exhaustionSeconds).toBe(Infinity);
  });

  it('nothing at all is "no data"', () => {
    const v = toView(avail, undefined);
    expect(v.noData).toBe(true);
    expect(v.level).toBe('unknown');
  });

  it('orders worst first: firing page, then firing, then pending, then least budget; unknown last', () => {
    const firingPage = {
      ...pay,
      alerts: pay.alerts.map((a) => (a.severity === 'page' ? { ...a, state: 'firing' as const } : a)),
    };
    const pendingTicket = {
      ...lat,
      alerts: lat.alerts.map((a) => (a.severity === 'ticket' ? { ...a, state: 'pending' as const } : a)),
    };
    const views = sortWorstFirst([
      toView(avail, { periodErrorRatio: 0.004, ratios: {} }),
      toView({ ...avail, id: 'x', title: 'Unknown' }, undefined),
      toView(pendingTicket, { periodErrorRatio: 0, ratios: {} }),
      toView({ ...avail, id: 'y', title: 'Healthy' }, { periodErrorRatio: 0.001, ratios: {} }),
      toView(firingPage, { periodErrorRatio: 0, ratios: {} }),
    ]);
    expect(views.map((v) => v.slo.id)).toEqual(['payment-success', 'api-latency', 'api-availability', 'y', 'x']);
  });
});
