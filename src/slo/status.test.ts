import { discoverSlos } from './discovery';
import {
  lowTraffic,
  lowTrafficText,
  periodRatioBySlo,
  ratiosBySlo,
  sortWorstFirst,
  toView,
  validEventsBySlo,
} from './status';
import { RULES_FOUR_TIERS, RULES_FOUR_TIERS_GUARDS, rulesFromFile, rulesFromFiles } from './testdata/fixtures';

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
    // half of 30d at the 6h burn (2×) → 15d / 2: the steadier window, not the 1h blip
    expect(v.exhaustionSeconds).toBeCloseTo((0.5 * 2592000) / 2, 3);
    expect(v.exhaustionBasis).toBe('6h');
    expect(v.burns).toEqual({ '1h': expect.closeTo(14.4, 9), '6h': expect.closeTo(2, 9) });
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

describe('low-traffic guard and NoData on a tile', () => {
  const [avail4, lat4, pay4] = discoverSlos(rulesFromFiles([RULES_FOUR_TIERS, RULES_FOUR_TIERS_GUARDS]));

  it('reads the counts apart from the period ratios in the same answer', () => {
    const answer = [sample({ slo: 'a' }, '0.01'), sample({ slo: 'a', slo_valid_window: '1h' }, '13.6')];
    expect(periodRatioBySlo(answer)).toEqual(new Map([['a', 0.01]]));
    expect(validEventsBySlo(answer)).toEqual(new Map([['a', { '1h': 13.6 }]]));
  });

  it('below minEvents the burn means nothing: the tile says so and guesses no exhaustion time', () => {
    const v = toView(pay4, {
      periodErrorRatio: 0.001,
      ratios: { '1h': 0.08, '6h': 0.01 },
      validEvents: { '1h': 13.6, '6h': 80 },
    });
    expect(v.lowTraffic1h).toEqual({ window: '1h', events: 13.6, needs: 14 });
    expect(lowTrafficText(v.lowTraffic1h!)).toBe('too few events (14 in 1 h, needs 14)');
    expect(v.lowTraffic6h).toBeUndefined();
    // the 6h window has enough events: the estimate stands on it (0.8 budget left at 2× → 12 days)
    expect(v.exhaustionBasis).toBe('6h');
    expect(
      toView(pay4, { periodErrorRatio: 0.001, ratios: { '1h': 0.08 }, validEvents: { '1h': 13.6 } }).exhaustionSeconds
    ).toBeUndefined();
    expect(lowTraffic(lat4, { ratios: {}, validEvents: { '1h': 7 } }, '1h')).toBeUndefined();
    expect(lowTraffic(lat4, { ratios: {}, validEvents: { '24h': 3 } }, '24h')).toEqual({
      window: '24h',
      events: 3,
      needs: 7,
    });
  });

  it('no count, or rules without a guard: burn rates as before', () => {
    expect(lowTraffic(pay4, { ratios: {} }, '1h')).toBeUndefined();
    const [, , payOld] = discoverSlos(rulesFromFile());
    expect(
      lowTraffic(
        { ...payOld, minEvents: undefined, alerts: payOld.alerts.map((a) => ({ ...a, minEvents: undefined })) },
        { ratios: {}, validEvents: { '1h': 1 } },
        '1h'
      )
    ).toBeUndefined();
  });

  it('a firing NoData page puts the tile first and is flagged', () => {
    const dead = { ...avail4, noDataAlerts: avail4.noDataAlerts.map((a) => ({ ...a, state: 'firing' as const })) };
    const views = sortWorstFirst([toView(pay4, { periodErrorRatio: 0.004, ratios: {} }), toView(dead, undefined)]);
    expect(views[0].slo.id).toBe('api-availability');
    expect(views[0].noDataFiring).toBe(true);
    expect(views[0].worstAlert).toBe('firing');
  });
});

describe('attention: the colour says what needs attention now, not only the budget', () => {
  const [avail] = discoverSlos(rulesFromFile());
  const withState = (state: 'firing' | 'pending', severity: string) => ({
    ...avail,
    alerts: avail.alerts.map((a) => (a.severity === severity ? { ...a, state } : a)),
  });

  it('80 % of the budget left and burning 85× on both fast windows: red, and why', () => {
    const v = toView(avail, { periodErrorRatio: 0.001, ratios: { '1h': 0.425, '5m': 0.4, '6h': 0.05, '30m': 0.2 } });
    expect(v.level).toBe('ok');
    expect(v.attention.level).toBe('exhausted');
    expect(v.attention.reason).toBe('burning 85× over 1h, 80× over 5m');
    expect(v.attention.detail).toBe('FastBurn fires above 14.4× on both 1h and 5m');
  });

  it('a red 1h burn whose short window has calmed down: orange, both windows named', () => {
    const v = toView(avail, { periodErrorRatio: 0.001, ratios: { '1h': 0.45, '5m': 0.001, '6h': 0.002, '30m': 0 } });
    expect(v.attention).toEqual({
      level: 'critical',
      reason: 'burning 90× over 1h, 0.2× over 5m',
      detail: 'FastBurn fires above 14.4× on both 1h and 5m',
    });
  });

  it('alerts: a page firing is red, a ticket firing orange, one pending yellow; the budget band when worse', () => {
    const quiet = { periodErrorRatio: 0.001, ratios: {} };
    expect(toView(withState('firing', 'page'), quiet).attention.level).toBe('exhausted');
    expect(toView(withState('firing', 'ticket'), quiet).attention.level).toBe('critical');
    expect(toView(withState('pending', 'ticket'), quiet).attention).toEqual({
      level: 'warning',
      reason: 'SlowBurn alert pending',
    });
    expect(toView(withState('pending', 'ticket'), { periodErrorRatio: 0.0045, ratios: {} }).attention.level).toBe(
      'critical'
    );
    expect(toView(avail, quiet).attention).toEqual({ level: 'ok' });
  });
});
