import type { LedgerData } from '../../src/api/ledger';
import type { Slo } from '../../src/slo';
import { buildLedger, ledgerPlan } from '../../src/slo/ledger';
import { parsePeriod } from '../../src/slo/periods';
import { failoversFromJson, ledgerCsv, ledgerJson, ledgerMarkdown } from './ledger';

const period = parsePeriod('2026-11', 'UTC')!;
const MIN = 60000;
const at = (m: number) => period.startMs + m * MIN;
const slo = { id: 'payment-success', title: 'Payment success', objective: 0.995 } as Slo;

function data(): LedgerData {
  const plan = ledgerPlan(
    [
      { cause: 'failover', id: 'f', title: 'Failover: node2 → node1', from: at(600), to: at(606) },
      { cause: 'deploy', id: 'a:1', title: 'v2.14.0', from: at(590), to: at(650) },
    ],
    period.startMs,
    period.endMs
  );
  // Budget: 0.5 % of 100 000 orders = 500; the failover's 150 bad orders are 30 % of it.
  const counts = [
    { bad: 5, valid: 100 },
    { bad: 150, valid: 100 },
    { bad: 20, valid: 500 },
  ];
  return {
    from: period.startMs,
    evalEnd: period.endMs,
    running: false,
    ledgers: [{ slo, plan, ledger: buildLedger({ objective: 0.995, bad: 400, valid: 100000, plan, counts }) }],
    sources: {
      deploys: { state: 'read' },
      failovers: { state: 'read' },
      alerts: { state: 'read' },
    },
    problems: [],
  };
}

describe('npm run budget -- report: the ledger', () => {
  test('markdown: a table per SLO whose lines add up, incidents with the postmortem flag', () => {
    const md = ledgerMarkdown(data());
    expect(md).toContain('| Failover episodes | 1 | 150 | 30.00 % | 37.5 % |');
    expect(md).toContain('| Deploys | 1 | 25 | 5.00 % | 6.3 % |');
    expect(md).toContain('| Unattributed | the rest | 225 | 45.00 % | 56.2 % |');
    expect(md).toContain('| total | | 400 | 80.00 % | 100.0 % |');
    expect(md).toContain(
      '- **postmortem required** · Failover: node2 → node1, 2026-11-01T10:00Z to 2026-11-01T10:06Z: 150 bad events, 30.0 % of the budget'
    );
  });

  test('CSV: one table, a row per line, window and incident; spend shares add up to 1', () => {
    const [head, ...rows] = ledgerCsv(data(), period).trim().split('\n');
    expect(head).toBe(
      'period,time_zone,slo,row,cause,title,from,to,bad_events,budget_share,spend_share,postmortem_required'
    );
    expect(rows).toContain('2026-11,UTC,payment-success,line,failover,Failover episodes,,,150,0.3,0.375,');
    expect(rows).toContain(
      '2026-11,UTC,payment-success,window,deploy,v2.14.0,2026-11-01T09:50:00.000Z,2026-11-01T10:50:00.000Z,25,0.05,,'
    );
    expect(rows).toContain(
      '2026-11,UTC,payment-success,incident,failover,Failover: node2 → node1,2026-11-01T10:00:00.000Z,2026-11-01T10:06:00.000Z,150,0.3,,yes'
    );
    const spend = rows.filter((r) => r.includes(',line,')).map((r) => Number(r.split(',')[10]));
    expect(spend.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  test('JSON: ISO times; an SLO without a ledger says null', () => {
    const d = data();
    const j = ledgerJson(d);
    expect(j.slos[0]).toMatchObject({
      slo: 'payment-success',
      bad: 400,
      incidents: [{ from: '2026-11-01T10:00:00.000Z' }],
    });
    d.ledgers[0].ledger = undefined;
    expect(ledgerJson(d).slos[0]).toEqual({ slo: 'payment-success', ledger: null });
    expect(ledgerMarkdown(d)).toContain('No ledger: the counts could not be read.');
  });

  test('--failovers file: ISO or epoch ms, refusals name the episode', () => {
    expect(failoversFromJson([{ start: '2026-11-01T10:00:00Z', end: at(606) }])).toEqual([
      { start: at(600), end: at(606), title: 'Failover', settled: true },
    ]);
    expect(() => failoversFromJson({})).toThrow('not a JSON array');
    expect(() => failoversFromJson([{ start: 'soon', end: 1 }])).toThrow('episode 0: start is not a time');
    expect(() => failoversFromJson([{ start: 5, end: 1 }])).toThrow('episode 0: ends before it starts');
  });
});
