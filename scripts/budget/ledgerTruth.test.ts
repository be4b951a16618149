// The expected ledger of the stack's history (stack/history/ledgerTruth.ts) agrees with the app's ledger maths on
// the generator's own counts: the step sweep and ledger.ts's segments give every cause the same events.
import { regenerate } from '../../stack/history/backtestTruth';
import { deployAnnotations, expectedLedger } from '../../stack/history/ledgerTruth';
import { buildLedger, deploysFromAnnotations, deployWindows, ledgerPlan } from '../../src/slo/ledger';
import { windowCounts } from '../../stack/history/periodTruth';

const END = 1_795_000_200; // on the 5-minute grid
const h = regenerate(END);

test('the history has deploys on the grid; the truth sweep equals the segments of ledger.ts, event for event', () => {
  expect(h.deploys).toHaveLength(5);
  const failover = h.incidents.find((i) => i.id === 'failover')!;
  const deploys = deploysFromAnnotations(deployAnnotations(h));
  for (const slo of ['api-availability', 'api-latency', 'payment-success'] as const) {
    const windows = [
      { cause: 'failover' as const, id: 'f', title: 'failover', from: failover.start * 1000, to: failover.end * 1000 },
      ...deployWindows(deploys, slo),
    ];
    const truth = expectedLedger(
      h,
      slo,
      h.start,
      h.end,
      windows.map((w) => ({ cause: w.cause, from: w.from / 1000, to: w.to / 1000 }))
    );
    const plan = ledgerPlan(windows, h.start * 1000, h.end * 1000);
    const counts = plan.segments.map((s) => windowCounts(h, s.from / 1000, s.to / 1000)[slo]);
    const total = windowCounts(h, h.start, h.end)[slo];
    const ledger = buildLedger({ objective: 0.995, bad: total.bad, valid: total.valid, plan, counts })!;
    expect(Object.fromEntries(ledger.lines.map((l) => [l.cause, l.bad]))).toEqual(truth);
    expect(Object.values(truth).reduce((s, v) => s + v, 0)).toBe(total.bad);
  }
  // The failover overlaps the v2.15.0 deploy (5 min before it): the failover takes its events.
  const pay = expectedLedger(h, 'payment-success', h.start, h.end, [
    { cause: 'failover', from: failover.start, to: failover.end },
  ]);
  expect(pay.failover).toBeGreaterThan(0);
  expect(() => expectedLedger(h, 'api-latency', h.start, h.end, [{ cause: 'deploy', from: 1, to: 300 }])).toThrow(
    'off the 300 s grid'
  );
});
