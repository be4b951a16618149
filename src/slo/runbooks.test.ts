import {
  alertsByRunbook,
  readableTemplate,
  rewriteRunbookLinks,
  runbookSummary,
  runbookTitle,
  withoutTitle,
} from './runbooks';
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

describe('rule templates and titles', () => {
  test.each([
    ['PgBouncer on {{ $labels.instance }} is down', 'PgBouncer on ‹instance› is down'],
    [
      'Standby {{ $labels.application_name }} is {{ $value | humanize1024 }}B behind',
      'Standby ‹application_name› is ‹value›B behind',
    ],
    ['{{ with query "up" }}{{ . }}{{ end }} targets', '……… targets'],
    ['No template here', 'No template here'],
  ])('readableTemplate(%j)', (template, readable) => {
    expect(readableTemplate(template)).toBe(readable);
  });

  test('an active alert shows its expanded summary, an idle rule its readable template', () => {
    const rule = (state: 'firing' | 'inactive') => ({
      type: 'alerting' as const,
      name: 'PgBouncerDown',
      query: 'up == 0',
      labels: { severity: 'page' },
      annotations: {
        summary: 'PgBouncer on {{ $labels.instance }} is down',
        runbook_url: 'http://g/a/veza-slo-app/runbooks/db-failover',
      },
      state,
      alerts:
        state === 'firing'
          ? [{ state: 'firing' as const, labels: {}, annotations: { summary: 'PgBouncer on 127.0.0.1:6432 is down' } }]
          : [],
    });
    const [firing] = alertsByRunbook({ groups: [{ name: 'infra', file: 'infra.yml', rules: [rule('firing')] }] }).get(
      'db-failover'
    )!;
    expect(firing.summary).toBe('PgBouncer on 127.0.0.1:6432 is down');
    const [idle] = alertsByRunbook({ groups: [{ name: 'infra', file: 'infra.yml', rules: [rule('inactive')] }] }).get(
      'db-failover'
    )!;
    expect(idle.summary).toBe('PgBouncer on ‹instance› is down');
  });

  test('withoutTitle drops only the first level-1 heading', () => {
    expect(withoutTitle('# Title\n\nText\n\n# Another')).toBe('\nText\n\n# Another');
  });
});
