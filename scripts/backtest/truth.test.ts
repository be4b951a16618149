// The ground truth's window sums and conditions on hand-made counts (no Prometheus), and the CLI's table.
import type { BacktestResult } from '../../src/api/backtest';
import { alertEpisodes, parseTierList } from '../../src/slo/backtest';
import { truthEvaluations, truthIncident } from '../../stack/history/backtestTruth';
import { formatResult } from './format';

const STEP = 300;
/** 100 valid events per 5-minute step for `hours`, with `bad` failed per step from step `from` to `to`. */
function counts(hours: number, bad: number, from: number, to: number) {
  return Array.from({ length: (hours * 3600) / STEP }, (_, i) => ({
    t: (i + 1) * STEP,
    valid: 100,
    bad: i >= from && i <= to ? bad : 0,
  }));
}

describe('truthEvaluations', () => {
  const [fast] = parseTierList('FastBurn'); // 14.4 × 0.5 % = 7.2 % over 1h and 5m
  const at = (evals: Array<{ t: number; on: boolean }>) => evals.filter((e) => e.on).map((e) => e.t / STEP - 1);

  it('both windows above the threshold: the 5m window is the step itself, the 1h window its 12 steps', () => {
    // 50 % of requests fail in steps 20..21: the 1h ratio is 100/1200 = 8.3 % > 7.2 % from step 21 (two bad steps),
    // and the 5m ratio is above only while a bad step is the last one.
    const e = truthEvaluations(counts(4, 50, 20, 21), fast, 0.995, 14, 0, 4 * 3600);
    expect(at(e)).toEqual([21]);
    // for: 2m at a 5-minute step: pending at step 21, resolved at 22 before it could fire.
    expect(alertEpisodes(e, fast.forSeconds)).toEqual([]);
    const longer = truthEvaluations(counts(4, 50, 20, 25), fast, 0.995, 14, 0, 4 * 3600);
    expect(at(longer)).toEqual([21, 22, 23, 24, 25]);
    expect(alertEpisodes(longer, fast.forSeconds)).toEqual([{ activeAt: 22 * STEP, start: 23 * STEP, end: 27 * STEP }]);
  });

  it('the guard: fewer valid events than minEvents in the long window never fire', () => {
    expect(at(truthEvaluations(counts(4, 50, 20, 25), fast, 0.995, 1201, 0, 4 * 3600))).toEqual([]);
    expect(at(truthEvaluations(counts(4, 50, 20, 25), fast, 0.995, 1200, 0, 4 * 3600))).toHaveLength(5);
  });

  it('an incident costs its bad events over the valid events of the SLO window ending at its end', () => {
    const steps = counts(4, 50, 20, 25);
    const i = truthIncident(steps, { id: 'x', start: 20 * STEP, end: 26 * STEP }, 3600);
    expect([i.bad, i.windowValid]).toEqual([300, 1200]);
  });
});

describe('formatResult', () => {
  it('prints the tier table, the incident table and the stray alerts', () => {
    const result: BacktestResult = {
      slo: 'payment-success',
      objective: 0.999,
      deployedObjective: 0.995,
      whatIf: true,
      segments: [{ from: 0, to: 86400, step: 300, pad: 150 }],
      minShare: 0.02,
      incidentSource: 'given',
      incidents: [{ id: 'outage', start: 3600, end: 7200, bad: 50, windowValid: 10000 }],
      tiers: [
        {
          tier: 'FastBurn',
          burnRate: 14.4,
          longSeconds: 3600,
          shortSeconds: 300,
          forSeconds: 120,
          minEvents: 70,
          alerts: [
            { activeAt: 3900, start: 4200, end: 7500 },
            { activeAt: 50000, start: 50000 },
          ],
          matched: 1,
          precision: 0.5,
          recall: 1,
          incidents: [{ id: 'outage', share: 5, counted: true, alerts: 1, detectionSeconds: 600, resetSeconds: 300 }],
        },
      ],
      policy: { alerts: 2, precision: 0.5, recall: 1 },
      queries: {},
    };
    const text = formatResult(result).join('\n');
    expect(text).toContain('payment-success — objective 99.90 %, WHAT-IF (deployed objective 99.50 %)');
    expect(text).toContain('1970-01-01 00:00 → 1970-01-02 00:00 every 5m, windows +150s');
    expect(text).toContain('outage 500.0 % of the budget');
    expect(text).toMatch(/FastBurn\s+14\.4×\s+1h\/5m\s+2m\s+70\s+2\s+50 %\s+100 %/);
    expect(text).toMatch(/FastBurn\s+outage\s+500\.0 %\s+1\s+\+10m\s+\+5m/);
    expect(text).toContain('alerts outside any incident: FastBurn: 1');
  });
});
