import { DataFrame, FieldType, toDataFrame } from '@grafana/data';

// Frames as pkg/plugin sends them (Node Graph shape for topology), for the Jest tests.
// Keep in step with pkg/plugin/testdata/*.golden.jsonc.

export interface NodeRow {
  id: string;
  title: string;
  subtitle?: string;
  kind: 'monitor' | 'node' | 'pgbouncer';
  reported?: string;
  goal?: string;
  /** "good" | "bad" | "unknown", as pgha.Health.String(). */
  health?: string;
  role?: string;
  error?: string;
  timeline?: number;
  lsn?: string;
  lagBytes?: number;
  lagSeconds?: number;
  reportAge?: number;
  syncState?: string;
  priority?: number;
  stale?: boolean;
  target?: string;
  servers?: number;
  /** Not a column: where the routing edge goes (its configured target). */
  routesTo?: string;
}

export function nodesFrame(rows: NodeRow[]): DataFrame {
  const col = <T>(f: (r: NodeRow) => T) => rows.map(f);
  return toDataFrame({
    name: 'nodes',
    meta: { preferredVisualisationType: 'nodeGraph' },
    fields: [
      { name: 'id', type: FieldType.string, values: col((r) => r.id) },
      { name: 'title', type: FieldType.string, values: col((r) => r.title) },
      { name: 'subtitle', type: FieldType.string, values: col((r) => r.subtitle ?? '') },
      { name: 'mainstat', type: FieldType.string, values: col((r) => r.reported ?? '') },
      { name: 'secondarystat', type: FieldType.string, values: col(() => '') },
      { name: 'color', type: FieldType.string, values: col(() => 'green') },
      { name: 'arc__ok', type: FieldType.number, values: col(() => 1) },
      { name: 'arc__warn', type: FieldType.number, values: col(() => 0) },
      { name: 'arc__bad', type: FieldType.number, values: col(() => 0) },
      { name: 'detail__kind', type: FieldType.string, values: col((r) => r.kind) },
      { name: 'detail__role', type: FieldType.string, values: col((r) => r.role ?? r.kind) },
      { name: 'detail__reported_state', type: FieldType.string, values: col((r) => r.reported ?? null) },
      { name: 'detail__assigned_state', type: FieldType.string, values: col((r) => r.goal ?? null) },
      { name: 'detail__connection', type: FieldType.string, values: col(() => '') },
      { name: 'detail__health', type: FieldType.string, values: col((r) => r.health ?? '') },
      { name: 'detail__timeline', type: FieldType.number, values: col((r) => r.timeline ?? null) },
      { name: 'detail__lsn', type: FieldType.string, values: col((r) => r.lsn ?? null) },
      { name: 'detail__lag_bytes', type: FieldType.number, values: col((r) => r.lagBytes ?? null) },
      { name: 'detail__lag_seconds', type: FieldType.number, values: col((r) => r.lagSeconds ?? null) },
      { name: 'detail__report_age_seconds', type: FieldType.number, values: col((r) => r.reportAge ?? null) },
      { name: 'detail__sync_state', type: FieldType.string, values: col((r) => r.syncState ?? null) },
      { name: 'detail__candidate_priority', type: FieldType.number, values: col((r) => r.priority ?? null) },
      { name: 'detail__in_recovery', type: FieldType.boolean, values: col(() => null) },
      { name: 'detail__stale', type: FieldType.boolean, values: col((r) => r.stale ?? false) },
      { name: 'detail__error', type: FieldType.string, values: col((r) => r.error ?? '') },
      { name: 'detail__pgbouncer_target', type: FieldType.string, values: col((r) => r.target ?? '') },
      { name: 'detail__pgbouncer_servers', type: FieldType.number, values: col((r) => r.servers ?? null) },
    ],
  });
}

export interface EdgeRow {
  source: string;
  target: string;
  kind: 'replication' | 'supervision' | 'routing';
  mainstat?: string;
  lagBytes?: number;
  lagSeconds?: number;
  configured?: boolean;
}

export function edgesFrame(rows: EdgeRow[]): DataFrame {
  return toDataFrame({
    name: 'edges',
    meta: { preferredVisualisationType: 'nodeGraph' },
    fields: [
      { name: 'id', type: FieldType.string, values: rows.map((r) => `${r.kind}/${r.source}/${r.target}`) },
      { name: 'source', type: FieldType.string, values: rows.map((r) => r.source) },
      { name: 'target', type: FieldType.string, values: rows.map((r) => r.target) },
      { name: 'mainstat', type: FieldType.string, values: rows.map((r) => r.mainstat ?? '') },
      { name: 'secondarystat', type: FieldType.string, values: rows.map(() => '') },
      { name: 'color', type: FieldType.string, values: rows.map(() => 'green') },
      { name: 'detail__kind', type: FieldType.string, values: rows.map((r) => r.kind) },
      { name: 'detail__lag_bytes', type: FieldType.number, values: rows.map((r) => r.lagBytes ?? null) },
      { name: 'detail__lag_seconds', type: FieldType.number, values: rows.map((r) => r.lagSeconds ?? null) },
      { name: 'detail__sync_state', type: FieldType.string, values: rows.map(() => '') },
      { name: 'detail__servers', type: FieldType.number, values: rows.map(() => null) },
      { name: 'detail__configured', type: FieldType.boolean, values: rows.map((r) => r.configured ?? true) },
    ],
  });
}

export function statusFrame(
  verdict: string,
  reason: string,
  extra: { primary?: string; stale?: boolean } = {}
): DataFrame {
  return toDataFrame({
    name: 'status',
    fields: [
      { name: 'time', type: FieldType.time, values: [Date.UTC(2026, 0, 1, 12, 0, 0)] },
      { name: 'formation', type: FieldType.string, values: ['default'] },
      { name: 'verdict', type: FieldType.string, values: [verdict] },
      { name: 'reason', type: FieldType.string, values: [reason] },
      { name: 'runbook', type: FieldType.string, values: [verdict === 'healthy' ? '' : 'db-failover'] },
      { name: 'primary', type: FieldType.string, values: [extra.primary ?? ''] },
      { name: 'primary_address', type: FieldType.string, values: [''] },
      { name: 'pgbouncer_target', type: FieldType.string, values: ['127.0.0.1:6001'] },
      { name: 'monitor', type: FieldType.string, values: ['127.0.0.1:6000'] },
      { name: 'stale', type: FieldType.boolean, values: [extra.stale ?? false] },
      { name: 'stale_since', type: FieldType.time, values: [extra.stale ? Date.UTC(2026, 0, 1, 11, 58, 0) : null] },
      { name: 'last_event_id', type: FieldType.number, values: [42] },
    ],
  });
}

export interface EventRow {
  time: number;
  node: string;
  from: string;
  to: string;
  description: string;
}

export function eventsFrame(rows: EventRow[]): DataFrame {
  return toDataFrame({
    name: 'events',
    fields: [
      { name: 'time', type: FieldType.time, values: rows.map((r) => r.time) },
      { name: 'timeEnd', type: FieldType.time, values: rows.map((r) => r.time) },
      { name: 'title', type: FieldType.string, values: rows.map((r) => `${r.node}: ${r.from} → ${r.to}`) },
      { name: 'text', type: FieldType.string, values: rows.map((r) => r.description) },
      { name: 'tags', type: FieldType.string, values: rows.map((r) => `pg_auto_failover,${r.node},${r.to}`) },
      { name: 'node', type: FieldType.string, values: rows.map((r) => r.node) },
      { name: 'from', type: FieldType.string, values: rows.map((r) => r.from) },
      { name: 'to', type: FieldType.string, values: rows.map((r) => r.to) },
      { name: 'description', type: FieldType.string, values: rows.map((r) => r.description) },
    ],
  });
}

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

const monitor: NodeRow = { id: 'monitor', title: 'monitor', subtitle: '127.0.0.1:6000', kind: 'monitor' };
export const bouncer = (routesTo: string, target: string): NodeRow => ({
  id: 'pgbouncer',
  title: 'PgBouncer',
  subtitle: '127.0.0.1:6432',
  kind: 'pgbouncer',
  target,
  servers: 4,
  routesTo,
});
export const node = (n: 1 | 2, reported: string, goal: string, more: Partial<NodeRow> = {}): NodeRow => ({
  id: `node/node${n}`,
  title: `node${n}`,
  subtitle: `127.0.0.1:600${n}`,
  kind: 'node',
  reported,
  goal,
  health: 'good',
  timeline: 1,
  lsn: '0/3000148',
  reportAge: 0.4,
  priority: 50,
  ...more,
});

export function topology(nodes: NodeRow[], bouncerRow: NodeRow, replication: EdgeRow[]): DataFrame[] {
  const edges: EdgeRow[] = [
    ...nodes.map((n) => ({ source: 'monitor', target: n.id, kind: 'supervision' as const })),
    ...replication,
    { source: 'pgbouncer', target: bouncerRow.routesTo ?? '', kind: 'routing' },
  ];
  return [nodesFrame([monitor, ...nodes, bouncerRow]), edgesFrame(edges)];
}

const events = eventsFrame([
  {
    time: T0 - 60_000,
    node: 'node1',
    from: 'secondary',
    to: 'prepare_promotion',
    description: 'Setting goal state of node 1 to prepare_promotion',
  },
  {
    time: T0 - 30_000,
    node: 'node1',
    from: 'stop_replication',
    to: 'wait_primary',
    description: 'node1 is the new primary',
  },
]);

/** One set of frames per verdict, as the backend answers topology + status + events. */
export const scenarios: Record<string, DataFrame[]> = {
  healthy: [
    ...topology(
      [
        node(1, 'primary', 'primary', { syncState: 'quorum' }),
        node(2, 'secondary', 'secondary', { lagBytes: 0, lagSeconds: 0 }),
      ],
      bouncer('node/node1', '127.0.0.1:6001'),
      [{ source: 'node/node1', target: 'node/node2', kind: 'replication', lagBytes: 0, lagSeconds: 0 }]
    ),
    statusFrame('healthy', 'node1 is primary, node2 is a caught-up secondary', { primary: 'node1' }),
    events,
  ],
  degraded: [
    ...topology(
      [
        node(1, 'wait_primary', 'wait_primary'),
        node(2, 'catchingup', 'catchingup', { lagBytes: 48 * 1024 * 1024, lagSeconds: 12 }),
      ],
      bouncer('node/node1', '127.0.0.1:6001'),
      [{ source: 'node/node1', target: 'node/node2', kind: 'replication', lagBytes: 48 * 1024 * 1024, lagSeconds: 12 }]
    ),
    statusFrame('degraded', 'node2 is catching up (48 MiB behind): no failover possible now', { primary: 'node1' }),
    events,
  ],
  'failover in progress': [
    ...topology(
      [
        node(1, 'demote_timeout', 'demoted', { health: 'bad' }),
        node(2, 'stop_replication', 'wait_primary', { timeline: 2 }),
      ],
      bouncer('node/node1', '127.0.0.1:6001'),
      []
    ),
    statusFrame(
      'failover in progress',
      'failover in progress: node1 demote_timeout → demoted, node2 stop_replication → wait_primary',
      {
        primary: 'node2',
      }
    ),
    events,
  ],
  wedged: [
    ...topology(
      [
        node(1, 'primary', 'primary', { health: 'bad', reportAge: 95 }),
        node(2, 'catchingup', 'catchingup', { priority: 0 }),
      ],
      bouncer('node/node1', '127.0.0.1:6001'),
      [{ source: 'node/node1', target: 'node/node2', kind: 'replication' }]
    ),
    statusFrame('wedged', 'primary node1 is down and no standby can be promoted (node2 is catchingup)', {
      primary: 'node1',
    }),
    events,
  ],
  'routing stale': [
    ...topology(
      [node(1, 'demoted', 'catchingup', { health: 'bad' }), node(2, 'primary', 'primary')],
      bouncer('node/node1', '127.0.0.1:6001'),
      [{ source: 'node/node2', target: 'node/node1', kind: 'replication' }]
    ),
    statusFrame('routing stale', 'PgBouncer sends appdb to node1 (127.0.0.1:6001) but the primary is node2', {
      primary: 'node2',
    }),
    events,
  ],
  'monitor unreachable': [
    ...topology(
      [node(1, 'primary', 'primary', { stale: true }), node(2, 'secondary', 'secondary', { stale: true })],
      bouncer('node/node1', '127.0.0.1:6001'),
      [{ source: 'node/node1', target: 'node/node2', kind: 'replication' }]
    ),
    statusFrame(
      'monitor unreachable',
      'monitor unreachable at 127.0.0.1:6000: connection refused — automatic failover is paused',
      {
        primary: 'node1',
        stale: true,
      }
    ),
  ],
};
