/**
 * Corrections against the stack's Prometheus (read only): a report of a complete month of the generated history
 * with an accepted incident, an overlapping maintenance window for every SLO and a weekly recurring slot. The
 * corrected counts equal the generator's own counts of the month minus its counts inside the merged windows, to
 * the event (stack/history/periodTruth.ts, no PromQL on that side), and the raw counts stay the month's.
 */
import fs from 'fs';
import { httpBackendSrv } from '../api/httpBackendSrv';
import { PrometheusClient } from '../api/prometheus';
import { loadOverview, loadReport } from '../api/loaders';
import { correctedDaily, reportRows } from '../api/reportRows';
import { burndown } from './report';
import { EXPECTED_REPO, expectedState } from '../../stack/history/backfill';
import { regenerate } from '../../stack/history/backtestTruth';
import { windowCounts } from '../../stack/history/periodTruth';
import { type Correction, sloWindows } from './corrections';
import { parsePeriod } from './periods';
import { expandRecurrence, parseRecurrence } from './recurrence';

const PROM = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
// The state dir's copy describes the running TSDB; the repo copy is rewritten from it on `up`.
const file = fs.existsSync(expectedState()) ? expectedState() : EXPECTED_REPO;
const expected: {
  endUnix: number;
  months: Array<{ month: string; complete: boolean }>;
  incidents: Array<{ id: string; slos: string[]; start: string; end: string }>;
} = JSON.parse(fs.readFileSync(file, 'utf8'));

const client = new PrometheusClient('prometheus', httpBackendSrv(PROM), { timeoutMs: 60000 });
const history = regenerate(expected.endUnix);

test('a month corrected for an accepted incident, a maintenance window and a weekly slot: exact to the event', async () => {
  // The first whole month that holds a scripted incident from start to end.
  const inside = (p: { startMs: number; endMs: number }) =>
    expected.incidents.find((i) => Date.parse(i.start) >= p.startMs && Date.parse(i.end) <= p.endMs);
  const month = expected.months
    .filter((m) => m.complete)
    .map((m) => parsePeriod(m.month, 'UTC')!)
    .find((p) => inside(p))!;
  const incident = inside(month)!;
  const from = Date.parse(incident.start);
  const corrections: Correction[] = [
    {
      id: 'a:1',
      sloIds: incident.slos,
      from,
      to: Date.parse(incident.end),
      kind: 'accepted-incident',
      reason: incident.id,
    },
    // Overlaps the incident's last hour and runs 2 h past it: merged, its events excluded once.
    {
      id: 'a:2',
      sloIds: 'all',
      from: Date.parse(incident.end) - 3600000,
      to: Date.parse(incident.end) + 7200000,
      kind: 'maintenance',
      reason: 'upgrade',
    },
    ...expandRecurrence(
      parseRecurrence('FREQ=WEEKLY;BYDAY=TU;BYHOUR=2;BYMINUTE=30;DURATION=PT45M', 'UTC'),
      month.startMs,
      month.endMs
    ).map((w, i): Correction => ({ id: `r:${i}`, sloIds: 'all', ...w, kind: 'maintenance', reason: 'weekly' })),
  ];
  const data = await loadReport(client, month, month.endMs + 3600000, undefined, 0, corrections);
  expect(data.problems).toEqual([]);
  const rows = reportRows(data);
  const raw = windowCounts(history, month.startMs / 1000, month.endMs / 1000);
  for (const r of rows) {
    const id = r.slo as keyof typeof raw;
    const windows = sloWindows(corrections, id, month.startMs, month.endMs);
    expect(windows.length).toBeGreaterThanOrEqual(4); // the Tuesdays, and the incident and/or maintenance
    const inside = windows.map((w) => windowCounts(history, w.from / 1000, w.to / 1000)[id]);
    const exBad = inside.reduce((s, c) => s + c.bad, 0);
    const exValid = inside.reduce((s, c) => s + c.valid, 0);
    expect(exValid).toBeGreaterThan(0);
    expect(r.valid).toBeCloseTo(raw[id].valid, 3);
    expect(r.bad).toBeCloseTo(raw[id].bad, 3);
    expect(r.corrected!.excludedValid).toBeCloseTo(exValid, 3);
    expect(r.corrected!.excludedBad).toBeCloseTo(exBad, 3);
    expect(r.corrected!.valid).toBeCloseTo(raw[id].valid - exValid, 3);
    expect(r.corrected!.bad).toBeCloseTo(raw[id].bad - exBad, 3);
    if (incident.slos.includes(id)) {
      // The incident's bad events are gone from the corrected budget: most of the month's badness was in it.
      expect(r.corrected!.budgetUsed!).toBeLessThan(r.budgetUsed!);
    }
    // Day by day (UTC days): each day's excluded events are the generator's counts inside that day's part of the
    // windows, and the corrected burn-down ends at the corrected budget left.
    const days = data.excludedDaily.get(id)!;
    for (const [end, c] of days) {
      const part = windows
        .map((w) => ({ from: Math.max(w.from, end - 86400000), to: Math.min(w.to, end) }))
        .filter((w) => w.to > w.from)
        .map((w) => windowCounts(history, w.from / 1000, w.to / 1000)[id]);
      expect(c.bad).toBeCloseTo(
        part.reduce((n, x) => n + x.bad, 0),
        3
      );
      expect(c.valid).toBeCloseTo(
        part.reduce((n, x) => n + x.valid, 0),
        3
      );
    }
    expect([...days.values()].reduce((n, c) => n + c.bad!, 0)).toBeCloseTo(exBad, 3);
    const cd = correctedDaily(data, id)!;
    const chart = burndown(cd.bad, cd.valid, data.slos.find((s) => s.id === id)!.objective, month);
    expect(chart[chart.length - 1].remaining).toBeCloseTo(1 - r.corrected!.budgetUsed!, 6);
  }
});

test('overview and SLO page: the rolling window corrected for the failover (annotation) and a daily slot (spec), exact to the event', async () => {
  // At the end of the history: the failover (28 days before it) accepted for every SLO, and the spec's daily
  // 02:00–02:15 UTC maintenance on the payment SLO (recurring, expanded by the loader in the app's zone).
  const failover = expected.incidents.find((i) => i.id === 'failover')!;
  const at = expected.endUnix * 1000;
  const given = {
    corrections: [
      {
        id: 'a:9',
        sloIds: 'all' as const,
        from: Date.parse(failover.start),
        to: Date.parse(failover.end),
        kind: 'accepted-incident' as const,
        reason: 'failover',
      },
    ],
  };
  const rules = await client.rules();
  const daily = [{ rrule: 'FREQ=DAILY;BYHOUR=2;DURATION=PT15M', kind: 'maintenance', reason: 'nightly vacuum' }];
  for (const g of rules.groups) {
    for (const r of g.rules) {
      if (r.type === 'alerting' && r.labels?.slo === 'payment-success') {
        r.annotations = { ...r.annotations, slo_corrections: JSON.stringify(daily) };
      }
    }
  }
  const patched = new PrometheusClient('prometheus', httpBackendSrv(PROM), { timeoutMs: 60000 });
  patched.rules = async () => rules;
  const o = await loadOverview(patched, undefined, at, Promise.resolve(given), 'UTC');
  expect(o.problems).toEqual([]);
  for (const slo of o.slos) {
    const id = slo.id as keyof ReturnType<typeof windowCounts>;
    const from = at - slo.windowSeconds * 1000;
    const windows = sloWindows(
      [
        ...given.corrections,
        ...(id === 'payment-success'
          ? expandRecurrence(parseRecurrence(daily[0].rrule, 'UTC'), from, at).map((w, i): Correction => ({
              id: `r:${i}`,
              sloIds: [id],
              ...w,
              kind: 'maintenance',
              reason: 'nightly',
            }))
          : []),
      ],
      id,
      from,
      at
    );
    const inside = windows.map((w) => windowCounts(history, w.from / 1000, w.to / 1000)[id]);
    const exBad = inside.reduce((s, c) => s + c.bad, 0);
    const exValid = inside.reduce((s, c) => s + c.valid, 0);
    const all = windowCounts(history, from / 1000, at / 1000)[id];
    const c = o.status.get(id)!.corrected!;
    expect(c.windows).toHaveLength(id === 'payment-success' ? 31 : 1);
    expect(c.valid).toBeCloseTo(all.valid, 3);
    expect(c.bad).toBeCloseTo(all.bad, 3);
    expect(c.excludedValid).toBeCloseTo(exValid, 3);
    expect(c.excludedBad).toBeCloseTo(exBad, 3);
    expect(c.errorRatio).toBeCloseTo((all.bad - exBad) / (all.valid - exValid), 12);
    if (failover.slos.includes(id)) {
      // The failover's bad events leave the budget: the corrected ratio is below the raw one.
      expect(c.errorRatio!).toBeLessThan(all.bad / all.valid);
    }
  }
});
