import {
  alertsByRunbook,
  headingSlug,
  headingSlugs,
  plainInline,
  readableTemplate,
  rewriteRunbookLinks,
  runbookSection,
  runbookSummary,
  runbookTitle,
  slugger,
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

describe('runbook_url with a section anchor', () => {
  const rule = (name: string, url: string) => ({
    type: 'alerting' as const,
    name,
    query: 'vector(1)',
    labels: { severity: 'page' },
    annotations: { summary: name, runbook_url: url },
    state: 'inactive' as const,
    alerts: [],
  });

  test('still points to its runbook', () => {
    const m = alertsByRunbook({
      groups: [
        {
          name: 'infra',
          file: 'infra.yml',
          rules: [
            rule(
              'PostgresPrimaryUnreachable',
              'http://127.0.0.1:3000/a/veza-slo-app/runbooks/db-failover#no-writable-primary'
            ),
            rule('PgBouncerDown', 'http://127.0.0.1:3000/a/veza-slo-app/runbooks/db-failover'),
            rule('CertExpired', 'https://g.example/a/veza-slo-app/runbooks/cert-expiring-soon.md#certificate-expired'),
          ],
        },
      ],
    });
    expect([...m.keys()].sort()).toEqual(['cert-expiring-soon', 'db-failover']);
    expect(m.get('db-failover')!.map((a) => [a.name, a.section])).toEqual([
      ['PostgresPrimaryUnreachable', 'no-writable-primary'],
      ['PgBouncerDown', undefined],
    ]);
    expect(m.get('cert-expiring-soon')![0].section).toBe('certificate-expired');
  });

  test.each([
    ['http://g/a/veza-slo-app/runbooks/db-failover#no-writable-primary', 'no-writable-primary'],
    ['http://g/a/veza-slo-app/runbooks/x#%C3%A9tape-2', 'étape-2'],
    ['http://g/a/veza-slo-app/runbooks/x#%E0%A4%A', '%E0%A4%A'],
    ['http://g/a/veza-slo-app/runbooks/db-failover', undefined],
    ['http://g/a/veza-slo-app/runbooks/db-failover#', undefined],
    [undefined, undefined],
  ])('runbookSection(%j) = %j', (url, section) => {
    expect(runbookSection(url)).toBe(section);
  });
});

describe('heading anchors (GitHub-style slugs)', () => {
  test.each([
    ['First moves (under 5 minutes)', 'first-moves-under-5-minutes'],
    ['No writable primary', 'no-writable-primary'],
    ['Disk full — now!', 'disk-full--now'],
    ['pg_up and `redis_up`', 'pg_up-and-redis_up'],
    ['Étape 2: reprise', 'étape-2-reprise'],
  ])('headingSlug(%j) = %j', (text, slug) => {
    expect(headingSlug(text)).toBe(slug);
  });

  test('a repeated heading gets -1, -2 as on GitHub', () => {
    const slug = slugger();
    expect(['Steps', 'Steps', 'Other', 'Steps'].map(slug)).toEqual(['steps', 'steps-1', 'other', 'steps-2']);
  });

  test('headingSlugs: headings in order, inline markdown as shown, none from code blocks', () => {
    const md = [
      '# Title',
      '## First moves (under 5 minutes)',
      '```bash',
      '# a shell comment, not a heading',
      '```',
      '## The `pg_up` metric and **bold** [links](x.md) ##',
      '~~~',
      '## fenced too',
      '~~~',
      '### Steps',
      '### Steps',
      'Not #a heading',
    ].join('\n');
    expect(headingSlugs(md)).toEqual([
      'title',
      'first-moves-under-5-minutes',
      'the-pg_up-metric-and-bold-links',
      'steps',
      'steps-1',
    ]);
  });
});

describe('plain text of inline markdown (list summaries)', () => {
  test('keeps the underscores inside metric names, drops emphasis markers', () => {
    expect(
      runbookSummary(
        '# Redis down\n\n**Alerts that lead here:** `RedisDown` (page: `redis_up == 0`, or up{job="redis"}; ' +
          'from pg_stat_replication_pg_wal_lsn_diff and _emphasised_ __strong__ words).\n'
      )
    ).toBe(
      'Alerts that lead here: RedisDown (page: redis_up == 0, or up{job="redis"}; ' +
        'from pg_stat_replication_pg_wal_lsn_diff and emphasised strong words).'
    );
  });

  test.each([
    ['`a_b` and [text](db-failover.md#x)', 'a_b and text'],
    ['*em* and snake_case_name', 'em and snake_case_name'],
    ['`**literal**` stays', '**literal** stays'],
  ])('plainInline(%j) = %j', (md, text) => {
    expect(plainInline(md)).toBe(text);
  });
});
