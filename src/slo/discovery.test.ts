import { discoverSlos, parseGuard, sloIdOfSeries, windowOfSeries } from './discovery';
import { counterParts, retargetRange } from './promql';
import {
  RULES_BEFORE_GUARD,
  RULES_FOUR_TIERS,
  RULES_FOUR_TIERS_GUARDS,
  rulesFromFile,
  rulesFromFiles,
  slothRules,
} from './testdata/fixtures';

describe('discoverSlos from the generated rules', () => {
  const slos = discoverSlos(rulesFromFile(undefined, { APILatencySLOFastBurn: 'firing' }));

  it('finds the three SLOs with their metadata', () => {
    expect(slos.map((s) => [s.id, s.objective, s.kind, s.windowSeconds])).toEqual([
      ['api-availability', 0.995, 'availability', 2592000],
      ['api-latency', 0.99, 'latency', 2592000],
      ['payment-success', 0.995, 'success', 2592000],
    ]);
    expect(slos[1].latencyThresholdSeconds).toBe(0.5);
    expect(slos[0].title).toBe('API availability');
  });

  it("reads each SLO's error-budget policy from its burn alerts", () => {
    expect(slos.map((s) => s.budgetPolicy?.map((p) => p.state))).toEqual([
      ['ok', 'caution', 'freeze'],
      ['ok', 'caution', 'freeze'],
      ['ok', 'caution', 'freeze'],
    ]);
    expect(slos[0].budgetPolicy![2].blocksDeploys).toBe(true);
  });

  it('keeps the four window expressions', () => {
    expect(Object.keys(slos[0].ratioExprs).sort()).toEqual(['1h', '30m', '5m', '6h']);
  });

  it('attaches both alerts, fast first, with state, windows and links', () => {
    const [fast, slow] = slos[1].alerts;
    expect(fast).toMatchObject({
      name: 'APILatencySLOFastBurn',
      state: 'firing',
      severity: 'page',
      burnRate: 14.4,
      longWindow: '1h',
      shortWindow: '5m',
      forSeconds: 120,
    });
    expect(fast.runbookUrl).toMatch(/runbooks\/api-latency-slo-burn$/);
    expect(fast.dashboardUrl).toMatch(/slos\/api-latency/);
    expect(slow).toMatchObject({ name: 'APILatencySLOSlowBurn', state: 'inactive', burnRate: 6, forSeconds: 900 });
  });

  it('no rules, no SLOs', () => {
    expect(discoverSlos(undefined)).toEqual([]);
    expect(discoverSlos({ groups: [] })).toEqual([]);
    expect(
      discoverSlos({ groups: [{ name: 'infra', rules: [{ type: 'recording', name: 'x:y', query: 'up' }] }] })
    ).toEqual([]);
  });

  it('ignores recording rules without an objective', () => {
    const data = rulesFromFile();
    for (const r of data.groups[0].rules) {
      if (r.labels) {
        delete r.labels.slo_objective;
      }
    }
    expect(discoverSlos(data).map((s) => s.id)).toEqual(['api-latency', 'payment-success']);
  });
});

describe('discoverSlos from Sloth rules', () => {
  const [slo] = discoverSlos(slothRules());

  it('reads id, title, objective and period from the sloth_* labels and metadata rules', () => {
    expect(slo).toMatchObject({
      id: 'sloth:myservice-requests-availability',
      title: 'myservice / requests-availability',
      source: 'sloth',
      matcher: 'sloth_id="myservice-requests-availability"',
      windowSeconds: 2592000,
    });
    expect(slo.objective).toBeCloseTo(0.999, 9);
    // Sloth records 2h, 1d and 3d too: every window is kept (its ticket tier reads 2h and 1d).
    expect(Object.keys(slo.ratioExprs).sort()).toEqual(['1d', '1h', '2h', '30m', '3d', '5m', '6h']);
  });

  it('maps page and ticket alerts', () => {
    expect(slo.alerts.map((a) => [a.severity, a.state, a.burnRate])).toEqual([
      ['page', 'firing', 14.4],
      ['ticket', 'inactive', 3],
    ]);
  });
});

describe('series labels', () => {
  it('maps series to SLOs and windows', () => {
    expect(sloIdOfSeries({ slo: 'a' })).toBe('a');
    expect(sloIdOfSeries({ sloth_id: 'b' })).toBe('sloth:b');
    expect(sloIdOfSeries({})).toBeUndefined();
    expect(windowOfSeries({ __name__: 'slo:sli_error:ratio_rate6h' })).toBe('6h');
    expect(windowOfSeries({ __name__: 'slo:sli_error:ratio_rate3d' })).toBe('3d');
    expect(windowOfSeries({ __name__: 'slo:sli_error:ratio_rate24h' })).toBe('24h');
    expect(windowOfSeries({ __name__: 'slo:sli_error:ratio_ratex' })).toBeUndefined();
    expect(windowOfSeries({ __name__: 'slo:sli_error:ratio_rate' })).toBeUndefined();
  });
});

describe('discoverSlos from rules generated before the low-traffic guard', () => {
  const slos = discoverSlos(rulesFromFile(RULES_BEFORE_GUARD, { PaymentSuccessSLOFastBurn: 'firing' }));

  it('reads the two tiers, named from the alert name, with no guard and no NoData alert', () => {
    const pay = slos.find((s) => s.id === 'payment-success')!;
    expect(pay.alerts.map((a) => [a.name, a.tier, a.tierRank, a.minEvents, a.guard])).toEqual([
      ['PaymentSuccessSLOFastBurn', 'FastBurn', undefined, undefined, undefined],
      ['PaymentSuccessSLOSlowBurn', 'SlowBurn', undefined, undefined, undefined],
    ]);
    expect(pay.minEvents).toBeUndefined();
    expect(pay.noDataAlerts).toEqual([]);
    expect(pay.alerts[0]).toMatchObject({ kind: 'burn', state: 'firing', evalIntervalSeconds: 5 });
  });
});

describe('discoverSlos from rules with four tiers, guards and NoData alerts (issue 10 contract)', () => {
  const data = rulesFromFiles([RULES_FOUR_TIERS, RULES_FOUR_TIERS_GUARDS], {
    PaymentSuccessSLOBurn24h: 'pending',
    APILatencySLONoData: 'firing',
  });
  const slos = discoverSlos(data);
  const [avail, lat, pay] = slos;

  it('orders every tier by slo_tier_rank and reads the tier labels', () => {
    expect(pay.alerts.map((a) => [a.tier, a.tierRank, a.burnRate, a.longWindow, a.shortWindow, a.severity])).toEqual([
      ['FastBurn', 1, 14.4, '1h', '5m', 'page'],
      ['SlowBurn', 2, 6, '6h', '30m', 'ticket'],
      ['Burn24h', 3, 3, '24h', '2h', 'ticket'],
      ['Burn3d', 4, 1, '3d', '6h', 'ticket'],
    ]);
    expect(pay.alerts[2].state).toBe('pending');
  });

  it('a tier switched off for one SLO is simply absent', () => {
    expect(lat.alerts.map((a) => a.tier)).toEqual(['FastBurn', 'SlowBurn', 'Burn24h']);
    expect(Object.keys(lat.ratioExprs).sort()).toEqual(['1h', '24h', '2h', '30m', '5m', '6h']);
    expect(Object.keys(avail.ratioExprs)).toContain('3d');
  });

  it('reads slo_min_events and parses the guard line of every burn alert', () => {
    expect(pay.minEvents).toBe(14);
    expect(lat.minEvents).toBe(7);
    for (const a of pay.alerts) {
      expect(a.minEvents).toBe(14);
      expect(a.guard).toEqual({
        countExpr: `sum(increase(http_requests_total{job="veza-api",method="POST",route="/api/v1/orders"}[${a.longWindow}]))`,
        window: a.longWindow,
        minEvents: 14,
      });
    }
  });

  it("the guard counts exactly the recording rule's valid events (what the app queries for 'too few events')", () => {
    for (const slo of slos) {
      const valid = counterParts(slo.ratioExprs['5m']!)!.valid;
      for (const a of slo.alerts) {
        expect(a.guard!.countExpr).toBe(retargetRange(valid, a.longWindow));
      }
    }
  });

  it('attaches <Name>SLONoData (slo_alert="no-data") apart from the burn tiers', () => {
    expect(lat.noDataAlerts).toHaveLength(1);
    expect(lat.noDataAlerts[0]).toMatchObject({
      name: 'APILatencySLONoData',
      kind: 'no-data',
      state: 'firing',
      severity: 'page',
      forSeconds: 120,
    });
    expect(lat.noDataAlerts[0].runbookUrl).toMatch(/api-latency-slo-burn#no-data$/);
    expect(pay.noDataAlerts.map((a) => a.state)).toEqual(['inactive']);
    // The retention alert has no slo label: it belongs to no SLO.
    expect(slos.flatMap((s) => [...s.alerts, ...s.noDataAlerts]).some((a) => a.name.includes('Retention'))).toBe(false);
  });
});

describe('parseGuard', () => {
  it.each([
    ['a > 1\nand\nb > 1\nand on()\nsum(increase(x{a="[1-9]"}[1h])) >= 14', 'sum(increase(x{a="[1-9]"}[1h]))', '1h', 14],
    ['a > 1 and on() sum(increase(x[3d])) >= 7', 'sum(increase(x[3d]))', '3d', 7],
  ])('%p', (expr, countExpr, window, minEvents) => {
    expect(parseGuard(expr)).toEqual({ countExpr, window, minEvents });
  });

  it.each([
    'a > 1\nand\nb > 1',
    'a > 1 and on() sum(increase(x[1h])) > 14',
    'a > 1 and on() sum(increase(x[1h])) >= 14 and c',
    'a > 1 and on() sum(increase(x[1q])) >= 14',
  ])('no guard in %p', (expr) => {
    expect(parseGuard(expr)).toBeUndefined();
  });
});
