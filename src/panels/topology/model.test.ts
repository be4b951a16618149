import { FieldType, toDataFrame } from '@grafana/data';
import {
  connectionOf,
  formatBytes,
  formatSeconds,
  frameRole,
  isEmpty,
  lagLabel,
  parseHealth,
  parseVerdict,
  rememberable,
  safeRunbook,
  stateTone,
  toView,
  Tone,
  verdictTone,
  VERDICTS,
  withLastKnown,
} from './model';
import { bouncer, edgesFrame, eventsFrame, node, nodesFrame, scenarios, statusFrame, topology } from './testdata';

describe('stateTone', () => {
  const cases: Array<[string, string | undefined, -1 | 0 | 1, Tone]> = [
    ['primary', 'primary', 1, 'ok'],
    ['secondary', 'secondary', 1, 'ok'],
    ['single', 'single', 1, 'ok'],
    ['primary', 'primary', -1, 'unknown'],
    ['primary', 'primary', 0, 'critical'],
    ['secondary', 'prepare_promotion', 1, 'transition'],
    ['primary', 'draining', 1, 'transition'],
    ['stop_replication', 'wait_primary', 1, 'transition'],
    ['demote_timeout', 'demoted', 1, 'transition'],
    ['report_lsn', 'report_lsn', 1, 'transition'],
    ['fast_forward', 'fast_forward', 1, 'transition'],
    ['join_secondary', 'secondary', 1, 'transition'],
    ['wait_primary', 'wait_primary', 1, 'warning'],
    ['catchingup', 'catchingup', 1, 'warning'],
    ['catchingup', 'secondary', 1, 'warning'],
    ['wait_standby', 'catchingup', 1, 'warning'],
    ['primary', 'apply_settings', 1, 'warning'],
    ['maintenance', 'maintenance', 1, 'warning'],
    ['init', 'single', 1, 'warning'],
    ['demoted', 'demoted', 1, 'critical'],
    ['demoted', 'catchingup', 1, 'critical'],
    ['dropped', 'dropped', 1, 'critical'],
    ['unknown', undefined, -1, 'unknown'],
  ];
  it.each(cases)('%s → %s, health %s is %s', (reported, goal, health, tone) => {
    expect(stateTone(reported, goal, health)).toBe(tone);
  });
});

describe('connectionOf (pg_autoctl show state)', () => {
  it.each([
    ['primary', 'read-write'],
    ['wait_primary', 'read-write'],
    ['single', 'read-write'],
    ['apply_settings', 'read-write'],
    ['secondary', 'read-only'],
    ['catchingup', 'read-only'],
    ['stop_replication', 'read-only'],
    ['report_lsn', 'read-only'],
    ['draining', 'none'],
    ['demoted', 'none'],
    ['demote_timeout', 'none'],
  ])('%s is %s', (state, conn) => expect(connectionOf(state)).toBe(conn));
});

describe('verdicts', () => {
  it.each([
    ['healthy', 'healthy', 'ok'],
    ['degraded', 'degraded', 'warning'],
    ['failover in progress', 'failover in progress', 'transition'],
    ['failover_in_progress', 'failover in progress', 'transition'],
    ['Wedged', 'wedged', 'critical'],
    ['routing-stale', 'routing stale', 'critical'],
    ['monitor unreachable', 'monitor unreachable', 'critical'],
    ['on fire', 'unknown', 'unknown'],
    [undefined, 'unknown', 'unknown'],
  ])('%s parses as %s, tone %s', (raw, verdict, tone) => {
    const v = parseVerdict(raw);
    expect(v).toBe(verdict);
    expect(verdictTone(v)).toBe(tone);
  });
});

describe('formatting', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [48 * 1024 * 1024, '48 MiB'],
    [3 * 1024 ** 3, '3.0 GiB'],
    [-5, '0 B'],
  ])('bytes %s → %s', (b, s) => expect(formatBytes(b)).toBe(s));
  it.each([
    [0, '0.0 s'],
    [0.35, '0.3 s'],
    [12, '12 s'],
    [600, '10 min'],
    [10800, '3 h'],
  ])('seconds %s → %s', (v, s) => expect(formatSeconds(v)).toBe(s));
  it('lag label joins what is known', () => {
    expect(lagLabel(2048, 0.5)).toBe('2.0 KiB · 0.5 s');
    expect(lagLabel(2048, undefined)).toBe('2.0 KiB');
    expect(lagLabel(undefined, undefined)).toBeUndefined();
  });
  it.each([
    [1, 1],
    ['good', 1],
    [0, 0],
    ['bad', 0],
    [-1, -1],
    ['unknown', -1],
    [null, -1],
  ])('health %s → %s', (raw, h) => expect(parseHealth(raw)).toBe(h));
});

describe('safeRunbook', () => {
  it.each([
    [undefined, '/a/veza-slo-app/runbooks/db-failover'],
    ['', '/a/veza-slo-app/runbooks/db-failover'],
    ['db-failover', '/a/veza-slo-app/runbooks/db-failover'],
    ['/a/veza-slo-app/runbooks/pgbouncer', '/a/veza-slo-app/runbooks/pgbouncer'],
    ['https://wiki.example/db', 'https://wiki.example/db'],
    ['javascript:alert(1)', '/a/veza-slo-app/runbooks/db-failover'],
    ['//evil.example/x', '/a/veza-slo-app/runbooks/db-failover'],
  ])('%s → %s', (raw, url) => expect(safeRunbook(raw)).toBe(url));
});

describe('frameRole', () => {
  it('uses frame names first', () => {
    expect(frameRole(nodesFrame([]))).toBe('nodes');
    expect(frameRole(edgesFrame([]))).toBe('edges');
    expect(frameRole(statusFrame('healthy', ''))).toBe('status');
    expect(frameRole(eventsFrame([]))).toBe('events');
  });
  it('falls back to the shape when frames are unnamed', () => {
    const strip = (f: ReturnType<typeof nodesFrame>) => ({ ...f, name: undefined });
    expect(frameRole(strip(nodesFrame([])))).toBe('nodes');
    expect(frameRole(strip(edgesFrame([])))).toBe('edges');
    expect(frameRole(strip(statusFrame('healthy', '')))).toBe('status');
    expect(frameRole(strip(eventsFrame([])))).toBe('events');
    expect(frameRole(toDataFrame({ fields: [{ name: 'Value', type: FieldType.number, values: [1] }] }))).toBe('other');
  });
});

describe('toView per verdict', () => {
  const table: Array<{
    verdict: string;
    primary: string;
    routingStale: boolean;
    stale: boolean;
    tones: Record<string, Tone>;
    replication: string[];
  }> = [
    {
      verdict: 'healthy',
      primary: 'node1',
      routingStale: false,
      stale: false,
      tones: { node1: 'ok', node2: 'ok' },
      replication: ['node/node1->node/node2 0 B · 0.0 s'],
    },
    {
      verdict: 'degraded',
      primary: 'node1',
      routingStale: false,
      stale: false,
      tones: { node1: 'warning', node2: 'warning' },
      replication: ['node/node1->node/node2 48 MiB · 12 s'],
    },
    {
      verdict: 'failover in progress',
      primary: 'node2',
      routingStale: true,
      stale: false,
      tones: { node1: 'critical', node2: 'transition' },
      replication: [],
    },
    {
      verdict: 'wedged',
      primary: 'node1',
      routingStale: false,
      stale: false,
      tones: { node1: 'critical', node2: 'warning' },
      replication: ['node/node1->node/node2 '],
    },
    {
      verdict: 'routing stale',
      primary: 'node2',
      routingStale: true,
      stale: false,
      tones: { node1: 'critical', node2: 'ok' },
      replication: ['node/node2->node/node1 '],
    },
    {
      verdict: 'monitor unreachable',
      primary: 'node1',
      routingStale: false,
      stale: true,
      tones: { node1: 'ok', node2: 'ok' },
      replication: ['node/node1->node/node2 '],
    },
  ];
  it.each(table)('$verdict', ({ verdict, primary, routingStale, stale, tones, replication }) => {
    const view = toView(scenarios[verdict]);
    expect(view.status?.verdict).toBe(verdict);
    expect(view.status?.runbookUrl).toBe('/a/veza-slo-app/runbooks/db-failover');
    expect(view.status?.primary).toBe(primary);
    expect(view.monitor?.up).toBe(verdict !== 'monitor unreachable');
    expect(view.nodes.map((n) => n.name)).toEqual(['node1', 'node2']);
    expect(Object.fromEntries(view.nodes.map((n) => [n.name, n.tone]))).toEqual(tones);
    expect(view.nodes.every((n) => n.stale === stale)).toBe(true);
    expect(view.stale).toBe(stale);
    expect(view.pgbouncer?.routesTo).toBe('node/node1');
    expect(view.pgbouncer?.routingStale).toBe(routingStale);
    expect(view.pgbouncer?.tone).toBe(routingStale ? 'critical' : 'ok');
    expect(
      view.edges.filter((e) => e.kind === 'replication').map((e) => `${e.source}->${e.target} ${e.label ?? ''}`)
    ).toEqual(replication);
    expect(view.edges.filter((e) => e.kind === 'supervision')).toHaveLength(2);
  });

  it('reads every node column', () => {
    const n = toView(scenarios.degraded).nodes[1];
    expect(n).toMatchObject({
      id: 'node/node2',
      name: 'node2',
      address: '127.0.0.1:6002',
      reported: 'catchingup',
      goal: 'catchingup',
      converged: true,
      connection: 'read-only',
      health: 1,
      timeline: 1,
      lsn: '0/3000148',
      lagBytes: 48 * 1024 * 1024,
      lagSeconds: 12,
      reportAgeSeconds: 0.4,
      candidatePriority: 50,
    });
    const b = toView(scenarios.healthy).pgbouncer;
    expect(b).toMatchObject({ target: '127.0.0.1:6001', serverConnections: 4, address: '127.0.0.1:6432' });
  });

  it('lists events newest first with from → to', () => {
    const view = toView(scenarios.healthy);
    expect(view.events.map((e) => `${e.node} ${e.from}→${e.to}`)).toEqual([
      'node1 stop_replication→wait_primary',
      'node1 secondary→prepare_promotion',
    ]);
  });

  it('reads the raw event columns (reportedstate/goalstate) when there is no from/to', () => {
    const frame = toDataFrame({
      name: 'events',
      fields: [
        { name: 'time', type: FieldType.time, values: ['2026-01-01T12:00:00Z'] },
        { name: 'nodename', type: FieldType.string, values: ['node2'] },
        { name: 'reportedstate', type: FieldType.string, values: ['secondary'] },
        { name: 'goalstate', type: FieldType.string, values: ['prepare_promotion'] },
        { name: 'description', type: FieldType.string, values: ['Setting goal state'] },
      ],
    });
    expect(toView([frame]).events).toEqual([
      {
        time: Date.UTC(2026, 0, 1, 12),
        node: 'node2',
        from: 'secondary',
        to: 'prepare_promotion',
        description: 'Setting goal state',
      },
    ]);
  });

  it('infers node and edge kinds from ids when the kind column is missing', () => {
    const nodes = toDataFrame({
      name: 'nodes',
      fields: [
        { name: 'id', type: FieldType.string, values: ['monitor', 'node1', 'node2', 'pgbouncer'] },
        { name: 'title', type: FieldType.string, values: ['monitor', 'node1', 'node2', 'PgBouncer'] },
        { name: 'mainstat', type: FieldType.string, values: ['', 'primary', 'secondary', ''] },
        { name: 'detail__health', type: FieldType.string, values: ['', 'good', 'good', ''] },
      ],
    });
    const edges = edgesFrame([
      { source: 'monitor', target: 'node1', kind: 'supervision' },
      { source: 'node1', target: 'node2', kind: 'replication', lagBytes: 10 },
      { source: 'pgbouncer', target: 'node2', kind: 'routing' },
    ]);
    const noKind = { ...edges, fields: edges.fields.filter((f) => f.name !== 'detail__kind') };
    const view = toView([nodes, noKind]);
    expect(view.monitor?.id).toBe('monitor');
    expect(view.pgbouncer?.id).toBe('pgbouncer');
    expect(view.nodes.map((n) => `${n.name}:${n.reported}:${n.tone}`)).toEqual([
      'node1:primary:ok',
      'node2:secondary:ok',
    ]);
    expect(view.edges.map((e) => e.kind)).toEqual(['supervision', 'replication', 'routing']);
    // No status frame: PgBouncer's target is checked against the primary the panel works out.
    expect(view.pgbouncer?.routingStale).toBe(true);
  });

  it('is empty without frames', () => {
    expect(isEmpty(toView([]))).toBe(true);
    expect(isEmpty(toView(scenarios.healthy))).toBe(false);
  });
});

describe('withLastKnown', () => {
  const healthy = toView(scenarios.healthy);
  const at = Date.UTC(2026, 0, 1, 11, 59);

  it('keeps the last drawing, marked stale, when the monitor is down and no roles came back', () => {
    const down = toView([statusFrame('monitor unreachable', 'monitor unreachable at 127.0.0.1:6000')]);
    const view = withLastKnown(down, { view: healthy, at });
    expect(view.stale).toBe(true);
    expect(view.staleSince).toBe(at);
    expect(view.status?.verdict).toBe('monitor unreachable');
    expect(view.monitor?.up).toBe(false);
    expect(view.nodes.map((n) => `${n.name}:${n.reported}:${n.stale}`)).toEqual([
      'node1:primary:true',
      'node2:secondary:true',
    ]);
    expect(view.pgbouncer?.stale).toBe(true);
    expect(rememberable(view)).toBe(false);
  });

  it('keeps the last drawing without a verdict when the query failed outright', () => {
    const view = withLastKnown(toView([]), { view: healthy, at });
    expect(view.stale).toBe(true);
    expect(view.status).toBeUndefined();
  });

  it('uses current data whenever it has roles', () => {
    const current = toView(scenarios['routing stale']);
    expect(withLastKnown(current, { view: healthy, at })).toBe(current);
    expect(withLastKnown(healthy, undefined)).toBe(healthy);
    expect(rememberable(healthy)).toBe(true);
  });

  it('covers every verdict in the fixtures', () => {
    expect(Object.keys(scenarios).sort()).toEqual([...VERDICTS].sort());
  });
});

describe('live streams and PgBouncer leftovers', () => {
  it('keeps the newest row per node and edge when snapshots were appended', () => {
    const before = nodesFrame([
      { id: 'node/node1', title: 'node1', kind: 'node', reported: 'primary', goal: 'primary', health: 'good' },
      { id: 'node/node2', title: 'node2', kind: 'node', reported: 'secondary', goal: 'secondary', health: 'good' },
    ]);
    const after = nodesFrame([
      { id: 'node/node1', title: 'node1', kind: 'node', reported: 'draining', goal: 'demoted', health: 'bad' },
      {
        id: 'node/node2',
        title: 'node2',
        kind: 'node',
        reported: 'stop_replication',
        goal: 'wait_primary',
        health: 'good',
      },
    ]);
    const appended = {
      ...before,
      length: 4,
      fields: before.fields.map((f, i) => ({ ...f, values: [...f.values, ...after.fields[i].values] })),
    };
    const view = toView([appended]);
    expect(view.nodes.map((n) => `${n.name}:${n.reported}`)).toEqual(['node1:draining', 'node2:stop_replication']);
  });

  it('follows the configured routing edge and lists leftover connections', () => {
    const view = toView([
      nodesFrame([
        { id: 'node/node1', title: 'node1', kind: 'node', reported: 'demoted', goal: 'catchingup', health: 'bad' },
        {
          id: 'node/node2',
          title: 'node2',
          kind: 'node',
          reported: 'wait_primary',
          goal: 'wait_primary',
          health: 'good',
          role: 'primary',
        },
        { id: 'pgbouncer', title: 'PgBouncer', kind: 'pgbouncer' },
      ]),
      edgesFrame([
        { source: 'pgbouncer', target: 'node/node1', kind: 'routing', configured: false },
        { source: 'pgbouncer', target: 'node/node2', kind: 'routing', configured: true },
      ]),
    ]);
    expect(view.pgbouncer?.routesTo).toBe('node/node2');
    expect(view.pgbouncer?.leftovers).toEqual(['node/node1']);
    expect(view.pgbouncer?.routingStale).toBe(false);
  });
});

describe('frames of different ages', () => {
  it('judges PgBouncer against the roles of its own snapshot, not an older status frame', () => {
    // A live topology after a failover beside a status read before it (another refresh cadence).
    const view = toView([
      ...topology(
        [node(1, 'secondary', 'secondary'), node(2, 'primary', 'primary')],
        bouncer('node/node2', '127.0.0.1:6002'),
        []
      ),
      statusFrame('healthy', 'node1 is primary, node2 is a caught-up secondary', { primary: 'node1' }),
    ]);
    expect(view.pgbouncer?.routesTo).toBe('node/node2');
    expect(view.pgbouncer?.routingStale).toBe(false);
    expect(view.pgbouncer?.tone).toBe('ok');
  });

  it('still reads routing stale from the status when the nodes name no primary', () => {
    const view = toView([
      ...topology(
        [node(1, 'unknown', 'unknown'), node(2, 'unknown', 'unknown')],
        bouncer('node/node1', '127.0.0.1:6001'),
        []
      ),
      statusFrame('routing stale', 'PgBouncer routes appdb to node1, which is not the primary', { primary: 'node2' }),
    ]);
    expect(view.pgbouncer?.routingStale).toBe(true);
  });
});
