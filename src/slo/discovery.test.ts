import { discoverSlos, sloIdOfSeries, windowOfSeries } from './discovery';
import { rulesFromFile, slothRules } from './testdata/fixtures';

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
    expect(Object.keys(slo.ratioExprs).sort()).toEqual(['1h', '30m', '5m', '6h']);
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
    expect(windowOfSeries({ __name__: 'slo:sli_error:ratio_rate3d' })).toBeUndefined();
  });
});
