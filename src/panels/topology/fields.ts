// The veza-pgha-datasource frame and field names, exactly as pkg/plugin/fields.go declares them: one name per
// field, no aliases. fields.test.ts checks every name here against Go's golden frames (pkg/plugin/testdata), so a
// rename on either side fails a test instead of silently blanking a box.

export const FRAME = {
  nodes: 'nodes',
  edges: 'edges',
  status: 'status',
  events: 'events',
  episodes: 'episodes',
} as const;

/** nodes frame (Node Graph shape: detail columns prefixed). */
export const NODE = {
  id: 'id',
  title: 'title',
  subtitle: 'subtitle',
  mainstat: 'mainstat',
  kind: 'detail__kind',
  role: 'detail__role',
  reported: 'detail__reported_state',
  assigned: 'detail__assigned_state',
  connection: 'detail__connection',
  health: 'detail__health',
  timeline: 'detail__timeline',
  lsn: 'detail__lsn',
  lagBytes: 'detail__lag_bytes',
  lagSeconds: 'detail__lag_seconds',
  reportAge: 'detail__report_age_seconds',
  syncState: 'detail__sync_state',
  priority: 'detail__candidate_priority',
  stale: 'detail__stale',
  error: 'detail__error',
  bouncerTarget: 'detail__pgbouncer_target',
  bouncerServers: 'detail__pgbouncer_servers',
  tone: 'detail__tone',
  answering: 'detail__answering',
  routesTo: 'detail__routes_to',
  routingStale: 'detail__routing_stale',
  group: 'detail__group',
} as const;

/** edges frame. */
export const EDGE = {
  id: 'id',
  source: 'source',
  target: 'target',
  mainstat: 'mainstat',
  kind: 'detail__kind',
  configured: 'detail__configured',
  tone: 'detail__tone',
} as const;

/** status frame (one row; a live stream may append more, the last is current). */
export const STATUS = {
  time: 'time',
  verdict: 'verdict',
  reason: 'reason',
  runbook: 'runbook',
  formation: 'formation',
  primary: 'primary',
  stale: 'stale',
  staleSince: 'stale_since',
  tone: 'tone',
} as const;

/** events frame. */
export const EVENT = {
  time: 'time',
  node: 'node',
  from: 'from',
  to: 'to',
  description: 'description',
  eventId: 'event_id',
} as const;

/** episodes frame (one row per failover episode, folded by pkg/pgha). */
export const EPISODE = {
  time: 'time',
  timeEnd: 'timeEnd',
  title: 'title',
  text: 'text',
  kind: 'kind',
  primaryBefore: 'primary_before',
  primaryAfter: 'primary_after',
  writableAfterSeconds: 'writable_after_seconds',
  settled: 'settled',
  events: 'events',
  firstEventId: 'first_event_id',
  lastEventId: 'last_event_id',
} as const;
