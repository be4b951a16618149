import { alertsByRunbook, rewriteRunbookLinks, runbookSummary, runbookTitle } from './runbooks';
import { rulesFromFile } from './testdata/fixtures';

describe('runbooks', () => {
  it('groups alert rules by the runbook their runbook_url names, with live state', () => {
    const m = alertsByRunbook(rulesFromFile(undefined, { PaymentSuccessSLOFastBurn: 'pending' }));
    expect([...m.keys()].sort()).toEqual([
      'api-availability-slo-burn',
      'api-latency-slo-burn',
      'payment-success-slo-burn',
    ]);
    expect(m.get('payment-success-slo-burn')!.map((a) => [a.name, a.state])).toEqual([
      ['PaymentSuccessSLOFastBurn', 'pending'],
      ['PaymentSuccessSLOSlowBurn', 'inactive'],
    ]);
  });

  it('title, summary and links', () => {
    const md = '# DB failover\n\n**Alerts:** `X` fires.\n\n## Steps\n';
    expect(runbookTitle(md, 'db-failover')).toBe('DB failover');
    expect(runbookTitle('no heading', 'disk-full')).toBe('disk full');
    expect(runbookSummary(md)).toBe('Alerts: X fires.');
    expect(
      rewriteRunbookLinks('[x](db-failover.md#steps) [y](https://e.com/a.md) [z](./disk-full.md)', '/a/app/runbooks')
    ).toBe('[x](/a/app/runbooks/db-failover#steps) [y](https://e.com/a.md) [z](/a/app/runbooks/disk-full)');
  });
});
