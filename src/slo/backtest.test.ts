import {
  alertEpisodes,
  budgetShare,
  burningPeriods,
  defaultMinEvents,
  padRanges,
  parseTierList,
  replayExpr,
  scorePolicy,
  scoreTier,
  tiersOfSlo,
  type Evaluation,
  type Incident,
} from './backtest';
import { discoverSlos } from './discovery';
import { RULES_BEFORE_GUARD, RULES_FOUR_TIERS, rulesFromFile } from './testdata/fixtures';

/** Evaluations every `step` s from t=0: '1' = condition held, '0' = it did not. */
const evals = (pattern: string, step = 300): Evaluation[] =>
  [...pattern].map((c, i) => ({ t: i * step, on: c === '1' }));

describe('alertEpisodes (Prometheus state machine at the evaluation step)', () => {
  it.each([
    ['for 0 fires at the first true evaluation', '0110', 0, [{ activeAt: 300, start: 300, end: 900 }]],
    ['for 2m at a 5m step fires one step later', '01110', 120, [{ activeAt: 300, start: 600, end: 1200 }]],
    ['for 15m at a 5m step fires three steps later', '0111110', 900, [{ activeAt: 300, start: 1200, end: 1800 }]],
    ['a blip shorter than for never fires', '0110110', 900, []],
    ['still firing at the end has no end', '0011', 0, [{ activeAt: 600, start: 600 }]],
    [
      'two episodes',
      '1101',
      0,
      [
        { activeAt: 0, start: 0, end: 600 },
        { activeAt: 900, start: 900 },
      ],
    ],
  ])('%s', (_name, pattern, forSeconds, want) => {
    expect(alertEpisodes(evals(pattern), forSeconds)).toEqual(want);
  });
});

describe('parseTierList', () => {
  it('reads presets and custom tiers', () => {
    expect(parseTierList('FastBurn, Burn3d,Page2:10:2h:10m:5m')).toEqual([
      { name: 'FastBurn', burnRate: 14.4, longSeconds: 3600, shortSeconds: 300, forSeconds: 120 },
      { name: 'Burn3d', burnRate: 1, longSeconds: 259200, shortSeconds: 21600, forSeconds: 10800 },
      { name: 'Page2', burnRate: 10, longSeconds: 7200, shortSeconds: 600, forSeconds: 300 },
    ]);
  });
  it.each([
    ['', /no tier given/],
    ['Nope', /unknown tier "Nope"/],
    ['X:0:1h:5m', /bad tier/],
    ['X:2:5m:1h', /bad tier/],
    ['X:2:1h:5m:2m:extra', /bad tier/],
    ['FastBurn,FastBurn', /once/],
  ])('refuses %j', (text, msg) => {
    expect(() => parseTierList(text)).toThrow(msg);
  });
});

describe('guard and ranges', () => {
  it('defaults the guard as the alert contract says (payment 14, latency 7)', () => {
    const tiers = parseTierList('FastBurn,SlowBurn');
    expect(defaultMinEvents(tiers, 0.995)).toBe(14);
    expect(defaultMinEvents(tiers, 0.99)).toBe(7);
    expect(defaultMinEvents(parseTierList('SlowBurn'), 0.999)).toBe(167);
  });
  it('widens every plain range and leaves the rest alone', () => {
    expect(padRanges('rate(x[5m]) / rate(y[1h]) and z[6h:5m]', 150)).toBe(
      'rate(x[450s]) / rate(y[3750s]) and z[6h:5m]'
    );
    expect(padRanges('rate(x[5m])', 0)).toBe('rate(x[5m])');
  });
});

describe('replayExpr', () => {
  const slos = discoverSlos(rulesFromFile(RULES_FOUR_TIERS));
  const pay = slos.find((s) => s.id === 'payment-success')!;

  it('inlines the recording rules into the deployed rule, guard included, nothing recorded left', () => {
    const fast = tiersOfSlo(pay)[0];
    const e = replayExpr(pay, fast, pay.objective, fast.minEvents!, 0)!;
    expect(e).not.toContain('slo:sli_error');
    expect(e).toContain('[1h]');
    expect(e).toContain('[5m]');
    expect(e).toMatch(/and on\(\)\s*sum\(increase\(http_requests_total\{[^}]*\}\[1h\]\)\) >= \d+$/);
    expect(replayExpr(pay, fast, pay.objective, fast.minEvents!, 150)).toContain('[450s]');
  });

  it('builds a what-if tier in the contract shape with the new objective and guard', () => {
    const [burn24h] = parseTierList('Burn24h');
    const e = replayExpr(pay, burn24h, 0.999, 167, 0)!;
    expect(e.match(/> \(3 \* \(1 - 0\.999\)\)/g)).toHaveLength(2);
    // The four-tier rules record 24h and 2h: their own expressions are used.
    expect(e).toContain(pay.ratioExprs['24h']);
    expect(e).toContain(pay.ratioExprs['2h']);
    expect(e).toMatch(/sum\(increase\(http_requests_total\{[^}]*\}\[1d\]\)\) >= 167$/);
  });

  it('replays rules from before the guard without one', () => {
    const old = discoverSlos(rulesFromFile(RULES_BEFORE_GUARD)).find((s) => s.id === 'payment-success')!;
    const [fast] = tiersOfSlo(old);
    expect(fast.minEvents).toBe(0);
    expect(replayExpr(old, fast, old.objective, 0, 0)).not.toContain('increase');
  });

  it('refuses an SLO whose ratio rule is not built from counters', () => {
    const odd = { ...pay, ratioExprs: { '5m': 'avg(some_gauge)' } };
    expect(replayExpr(odd, parseTierList('Burn24h')[0], 0.995, 14, 0)).toBeUndefined();
  });
});

describe('scoring', () => {
  const tier = parseTierList('FastBurn')[0];
  const H = 3600;
  const incidents: Incident[] = [
    // 500 bad of a 1e6-event window at 99.5 %: 10 % of the budget.
    { id: 'big', start: 10 * H, end: 11 * H, bad: 500, windowValid: 1e6 },
    // 0.2 % of the budget: below the 2 % share, not counted for recall.
    { id: 'small', start: 50 * H, end: 51 * H, bad: 10, windowValid: 1e6 },
    { id: 'missed', start: 80 * H, end: 81 * H, bad: 300, windowValid: 1e6 },
  ];

  it('shares, detection, reset, precision and recall', () => {
    expect(budgetShare(incidents[0], 0.995)).toBeCloseTo(0.1);
    const alerts = [
      { activeAt: 10 * H + 600, start: 10 * H + 900, end: 11 * H + 300 },
      // Fires after the incident but inside its long window: still the incident's.
      { activeAt: 11 * H + 1800, start: 11 * H + 1800, end: 11 * H + 2400 },
      { activeAt: 30 * H, start: 30 * H, end: 30 * H + 600 }, // nothing burning there
    ];
    const r = scoreTier(tier, 14, alerts, incidents, 0.995, 0.02);
    expect(r.incidents).toEqual([
      { id: 'big', share: expect.any(Number), counted: true, alerts: 2, detectionSeconds: 900, resetSeconds: 2400 },
      { id: 'small', share: expect.any(Number), counted: false, alerts: 0 },
      { id: 'missed', share: expect.any(Number), counted: true, alerts: 0 },
    ]);
    expect([r.matched, r.precision, r.recall]).toEqual([2, 2 / 3, 1 / 2]);
    expect(r.minEvents).toBe(14);
  });

  it('an alert still firing has a null reset; no alert, no precision', () => {
    const open = scoreTier(tier, 14, [{ activeAt: 80 * H, start: 80 * H }], incidents, 0.995, 0.02);
    expect(open.incidents[2]).toMatchObject({ detectionSeconds: 0, resetSeconds: null });
    expect(scoreTier(tier, 14, [], incidents, 0.995, 0.02)).toMatchObject({ precision: undefined, recall: 0 });
  });

  it('the policy catches what any tier caught', () => {
    const slow = parseTierList('SlowBurn')[0];
    const a = scoreTier(tier, 14, [{ activeAt: 10 * H, start: 10 * H, end: 11 * H }], incidents, 0.995, 0.02);
    const b = scoreTier(slow, 14, [{ activeAt: 81 * H, start: 81 * H, end: 82 * H }], incidents, 0.995, 0.02);
    expect(scorePolicy([a, b])).toEqual({ alerts: 2, precision: 1, recall: 1 });
  });
});

describe('burningPeriods (incidents read from the data)', () => {
  const step = (t: number, bad: number, valid = 1000) => ({ t: t * 300, bad, valid });

  it('joins burning steps across short gaps and drops what used almost no budget', () => {
    // 0.5 % of 1000 = 5 bad events per step is the even pace at 99.5 %.
    const steps = [
      step(1, 0),
      step(2, 50),
      step(3, 0),
      step(4, 40), // one quiet step between: same incident
      step(5, 0),
      step(6, 0),
      step(7, 0),
      step(8, 0),
      step(9, 6), // alone and tiny: dropped by keepShare
      step(10, 0),
    ];
    const got = burningPeriods(steps, 0.995, 10 * 300, { keepShare: 0.5 });
    expect(got).toEqual([{ id: expect.any(String), start: 300, end: 1200, bad: 90, windowValid: 10000 }]);
    expect(burningPeriods(steps.slice(0, 1), 0.995, 3000)).toEqual([]);
  });
});
