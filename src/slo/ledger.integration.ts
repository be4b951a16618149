/**
 * The budget ledger against the stack's Prometheus (read only): the month of the generated history that holds the
 * failover, with the history's deploys (as the annotations API would answer them) and the failover as an episode.
 * Every line equals the generator's own counts swept step by step (stack/history/ledgerTruth.ts, no PromQL there),
 * to the event; the lines add up to the month's bad events. The backfill writes no ALERTS series, so the month
 * must hold no alert episode (a stack that has run for weeks with drills would: the test says so).
 */
import fs from 'fs';
import { httpBackendSrv } from '../api/httpBackendSrv';
import { loadLedger } from '../api/ledger';
import { loadReport } from '../api/loaders';
import { PrometheusClient } from '../api/prometheus';
import { EXPECTED_REPO, expectedState } from '../../stack/history/backfill';
import { regenerate } from '../../stack/history/backtestTruth';
import { deployAnnotations, expectedLedger } from '../../stack/history/ledgerTruth';
import { deploysFromAnnotations, deployWindows, FAILOVER_TAIL_MS } from './ledger';
import { periodOf } from './periods';

const PROM = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
const file = fs.existsSync(expectedState()) ? expectedState() : EXPECTED_REPO;
const expected: { endUnix: number } = JSON.parse(fs.readFileSync(file, 'utf8'));
const client = new PrometheusClient('prometheus', httpBackendSrv(PROM), { timeoutMs: 60000 });
const history = regenerate(expected.endUnix);

test('the ledger of the failover month equals the generator’s counts per cause, to the event', async () => {
  const failover = history.incidents.find((i) => i.id === 'failover')!;
  const month = periodOf('month', failover.start * 1000, 'UTC');
  // Never past the history: live traffic after it is not in the generator's counts.
  const nowMs = Math.min(month.endMs, history.end * 1000);
  const report = await loadReport(client, month, nowMs, undefined, 0);
  expect(report.problems).toEqual([]);
  const deploys = deploysFromAnnotations(deployAnnotations(history));
  // The episode ends FAILOVER_TAIL_MS before the incident does: its window is the incident's, on the grid.
  const episode = {
    start: failover.start * 1000,
    end: failover.end * 1000 - FAILOVER_TAIL_MS,
    title: 'Failover',
    settled: true,
  };
  const data = await loadLedger(client, report, { deploys, failovers: [episode] }, undefined, nowMs);
  expect(data.problems).toEqual([]);
  const from = Math.max(month.startMs / 1000, history.start);
  for (const { slo, ledger } of data.ledgers) {
    const id = slo.id as 'api-availability' | 'api-latency' | 'payment-success';
    const alertLine = ledger!.lines.find((l) => l.cause === 'alert')!;
    expect(alertLine.items.map((i) => i.title)).toEqual([]); // no ALERTS in the backfilled history
    const truth = expectedLedger(history, id, from, report.evalEnd / 1000, [
      { cause: 'failover', from: failover.start, to: failover.end },
      ...deployWindows(deploys, id).map((w) => ({
        cause: w.cause,
        from: w.from / 1000,
        to: Math.min(w.to, report.evalEnd) / 1000,
      })),
    ]);
    expect(Object.fromEntries(ledger!.lines.map((l) => [l.cause, l.bad]))).toEqual(truth);
    expect(ledger!.drift).toBe(0);
    if (failover.slos.includes(id)) {
      expect(truth.failover).toBeGreaterThan(0);
    }
  }
});
