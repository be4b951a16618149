import { DataFrame } from '@grafana/data';
import { findField, hasFields, normalise, Row, rows } from './frames';

// Pure mapping from the veza-pgha-datasource frames (topology nodes + edges, status, events) to
// what the panel draws. No React and no theme here: colours are semantic tones, resolved to theme
// colours by the components. Column names are listed best-first; the first is what pkg/plugin sends.

export type Verdict =
  'healthy' | 'degraded' | 'failover in progress' | 'wedged' | 'routing stale' | 'monitor unreachable';

export const VERDICTS: Verdict[] = [
  'healthy',
  'degraded',
  'failover in progress',
  'wedged',
  'routing stale',
  'monitor unreachable',
];

/** ok = green, warning = amber, critical = red, transition = blue (moving), unknown = grey. */
export type Tone = 'ok' | 'warning' | 'critical' | 'transition' | 'unknown';

export type Connection = 'read-write' | 'read-only' | 'none';

export interface StatusView {
  verdict: Verdict | 'unknown';
  reason: string;
  runbookUrl: string;
  tone: Tone;
  formation?: string;
  /** Node name the monitor wants writable (get_primary), when the backend says. */
  primary?: string;
  /** The backend serves last known roles (monitor down) and since when. */
  stale?: boolean;
  staleSince?: number;
}

export interface MonitorView {
  id: string;
  title: string;
  address?: string;
  /** False when the monitor did not answer the last read. */
  up: boolean;
  tone: Tone;
}

export interface DataNodeView {
  id: string;
  name: string;
  address?: string;
  reported: string;
  goal?: string;
  converged: boolean;
  connection: Connection;
  /** -1 unknown, 0 bad, 1 good (pgautofailover.node.health). */
  health: -1 | 0 | 1;
  timeline?: number;
  lsn?: string;
  lagBytes?: number;
  lagSeconds?: number;
  reportAgeSeconds?: number;
  syncState?: string;
  candidatePriority?: number;
  /** The backend's role: primary, standby, demoted, maintenance… */
  role?: string;
  /** Why this node could not be read directly (no password, no pg_monitor…). */
  error?: string;
  tone: Tone;
  /** Last known values only: the monitor (or this node) did not answer the last read. */
  stale: boolean;
}

export interface PgBouncerView {
  id: string;
  title: string;
  address?: string;
  /** Host:port PgBouncer is configured to send appdb to. */
  target?: string;
  serverConnections?: number;
  /** Id of the data node PgBouncer's server connections reach, when known. */
  routesTo?: string;
  /** True when routesTo is not the primary. */
  routingStale: boolean;
  /** Nodes PgBouncer still holds leftover server connections to (after a RELOAD). */
  leftovers: string[];
  error?: string;
  tone: Tone;
  stale: boolean;
}

export type EdgeKind = 'replication' | 'supervision' | 'routing';

export interface EdgeView {
  id: string;
  kind: EdgeKind;
  source: string;
  target: string;
  label?: string;
  tone: Tone;
  /** Routing: the configured target (false = leftover connections). */
  configured?: boolean;
}

export interface EventView {
  time: number;
  node?: string;
  from?: string;
  to?: string;
  description?: string;
}

export interface TopologyView {
  status?: StatusView;
  monitor?: MonitorView;
  nodes: DataNodeView[];
  pgbouncer?: PgBouncerView;
  edges: EdgeView[];
  /** Newest first. */
  events: EventView[];
  /** The drawing shows last known roles, not the current ones. */
  stale: boolean;
  /** When the stale drawing was last current (epoch ms), if known. */
  staleSince?: number;
}

export const DEFAULT_RUNBOOK = '/a/veza-slo-app/runbooks/db-failover';

// --- states (../shared/reference/pg-auto-failover-facts.md §1-2) ---

const READ_WRITE = new Set([
  'single',
  'primary',
  'wait_primary',
  'join_primary',
  'prepare_maintenance',
  'apply_settings',
]);
const READ_ONLY = new Set([
  'secondary',
  'catchingup',
  'prepare_promotion',
  'stop_replication',
  'wait_maintenance',
  'fast_forward',
  'join_secondary',
  'report_lsn',
]);
/** IsParticipatingInPromotion (node_metadata.c). */
const IN_FAILOVER = new Set([
  'draining',
  'prepare_promotion',
  'stop_replication',
  'demote_timeout',
  'report_lsn',
  'fast_forward',
  'join_secondary',
]);
const STEADY = new Set(['primary', 'secondary', 'single']);
const CRITICAL = new Set(['demoted', 'dropped']);
/** The goal states get_primary picks the writable node from. */
const WRITABLE_GOALS = new Set(['single', 'primary', 'wait_primary', 'join_primary', 'apply_settings']);

export function connectionOf(reported: string): Connection {
  if (READ_WRITE.has(reported)) {
    return 'read-write';
  }
  return READ_ONLY.has(reported) ? 'read-only' : 'none';
}

/** Colour of a data node: its reported (or goal) state first, health=0 overrides to critical. */
export function stateTone(reported: string, goal: string | undefined, health: -1 | 0 | 1): Tone {
  if (health === 0) {
    return 'critical';
  }
  if (IN_FAILOVER.has(reported) || (goal !== undefined && IN_FAILOVER.has(goal))) {
    return 'transition';
  }
  if (CRITICAL.has(reported)) {
    return 'critical';
  }
  if (reported === 'unknown' || reported === '') {
    return 'unknown';
  }
  if (STEADY.has(reported) && (goal === undefined || goal === reported)) {
    return health === 1 ? 'ok' : 'unknown';
  }
  return 'warning';
}

export function verdictTone(verdict: Verdict | 'unknown'): Tone {
  switch (verdict) {
    case 'healthy':
      return 'ok';
    case 'degraded':
      return 'warning';
    case 'failover in progress':
      return 'transition';
    case 'wedged':
    case 'routing stale':
    case 'monitor unreachable':
      return 'critical';
    default:
      return 'unknown';
  }
}

export function parseVerdict(v: string | undefined): Verdict | 'unknown' {
  if (!v) {
    return 'unknown';
  }
  const s = v.trim().toLowerCase().replace(/[_-]+/g, ' ');
  return (VERDICTS as string[]).includes(s) ? (s as Verdict) : 'unknown';
}

export function parseHealth(v: unknown): -1 | 0 | 1 {
  if (v === 1 || v === '1' || v === 'good' || v === true) {
    return 1;
  }
  if (v === 0 || v === '0' || v === 'bad' || v === false) {
    return 0;
  }
  return -1;
}

// --- formatting (deterministic, so the tests can assert labels) ---

export function formatBytes(b: number | undefined): string | undefined {
  if (b === undefined) {
    return undefined;
  }
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = Math.max(0, b);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(v)} B` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function formatSeconds(s: number | undefined): string | undefined {
  if (s === undefined) {
    return undefined;
  }
  const v = Math.max(0, s);
  if (v < 10) {
    return `${v.toFixed(1)} s`;
  }
  if (v < 120) {
    return `${Math.round(v)} s`;
  }
  if (v < 7200) {
    return `${Math.round(v / 60)} min`;
  }
  return `${Math.round(v / 3600)} h`;
}

/** "12 KiB · 0.3 s" — what a replication arrow and a standby say about lag. */
export function lagLabel(bytes: number | undefined, seconds: number | undefined): string | undefined {
  const parts = [formatBytes(bytes), formatSeconds(seconds)].filter((p): p is string => p !== undefined);
  return parts.length ? parts.join(' · ') : undefined;
}

/** Only app-relative paths and http(s) URLs are linked; anything else falls back to the runbook. */
export function safeRunbook(url: string | undefined): string {
  if (!url) {
    return DEFAULT_RUNBOOK;
  }
  if (url.startsWith('/') && !url.startsWith('//')) {
    return url;
  }
  if (/^https?:\/\//i.test(url)) {
    return url;
  }
  // A bare runbook name ("db-failover") from the status frame.
  if (/^[a-z0-9-]+$/i.test(url)) {
    return `/a/veza-slo-app/runbooks/${url}`;
  }
  return DEFAULT_RUNBOOK;
}

// --- frames ---

const F = {
  id: ['id'],
  title: ['title', 'name', 'nodename'],
  subtitle: ['subtitle', 'address', 'hostport', 'host_port'],
  kind: ['kind', 'role', 'type', 'node_kind'],
  reported: [
    'reported_state',
    'reportedstate',
    'reported',
    'current_state',
    'current_group_state',
    'state',
    'mainstat',
  ],
  goal: ['assigned_state', 'goal_state', 'goalstate', 'goal', 'assigned_group_state'],
  health: ['health'],
  timeline: ['timeline', 'tli', 'reported_tli'],
  lsn: ['lsn', 'reported_lsn'],
  lagBytes: ['lag_bytes', 'replication_lag_bytes', 'lagbytes'],
  lagSeconds: ['lag_seconds', 'replication_lag_seconds', 'lag_s', 'replay_lag_seconds'],
  reportAge: ['report_age_seconds', 'report_age_s', 'report_age', 'reportlag'],
  syncState: ['sync_state', 'reported_rep_state', 'reportedrepstate', 'repstate'],
  candidatePriority: ['candidate_priority', 'candidatepriority'],
  stale: ['stale'],
  role: ['role'],
  error: ['error'],
  configured: ['configured'],
  up: ['up', 'reachable'],
  target: ['pgbouncer_target', 'target', 'configured_target'],
  serverConnections: ['pgbouncer_servers', 'server_connections', 'servers'],
  routesTo: ['routes_to', 'routesto', 'reaches', 'routed_to'],
  source: ['source'],
  edgeTarget: ['target'],
  edgeLabel: ['mainstat', 'label'],
  verdict: ['verdict'],
  reason: ['reason', 'message'],
  runbook: ['runbook', 'runbook_url', 'runbookurl'],
  formation: ['formation'],
  primary: ['primary', 'primary_name'],
  staleSince: ['stale_since', 'stalesince', 'last_known_at'],
  time: ['time', 'event_time', 'eventtime'],
  node: ['node', 'node_name', 'nodename', 'name'],
  from: ['from', 'from_state', 'previous_state'],
  to: ['to', 'to_state', 'new_state'],
  reportedEvent: ['reported_state', 'reportedstate'],
  goalEvent: ['goal_state', 'goalstate', 'assigned_state'],
  description: ['description', 'text'],
};

export type FrameRole = 'nodes' | 'edges' | 'status' | 'events' | 'other';

/** Which of the backend's frames this is, by name first, then by shape. */
export function frameRole(frame: DataFrame): FrameRole {
  const name = normalise(frame.name ?? '');
  if (name === 'nodes' || name === 'edges' || name === 'status' || name === 'events') {
    return name;
  }
  if (hasFields(frame, 'source', 'target')) {
    return 'edges';
  }
  if (findField(frame, F.verdict)) {
    return 'status';
  }
  if (hasFields(frame, 'id') && (findField(frame, ['title']) || findField(frame, F.kind))) {
    return 'nodes';
  }
  if (findField(frame, F.time) && findField(frame, F.description)) {
    return 'events';
  }
  return 'other';
}

function kindOf(r: Row): 'monitor' | 'pgbouncer' | 'node' {
  const k = normalise(r.str(F.kind) ?? '');
  if (k === 'monitor' || k === 'pgbouncer') {
    return k;
  }
  if (k !== '') {
    return 'node';
  }
  const id = normalise(r.str(F.id) ?? '');
  if (id.startsWith('monitor')) {
    return 'monitor';
  }
  return id.startsWith('pgbouncer') ? 'pgbouncer' : 'node';
}

/** Keeps the last row per id, in first-seen order (a live stream may append snapshots). */
function dedupeLast(nodes: DataNodeView[]) {
  const last = nodes[nodes.length - 1];
  const i = nodes.findIndex((n) => n.id === last.id);
  if (i < nodes.length - 1) {
    nodes[i] = last;
    nodes.pop();
  }
}

function readStatus(frame: DataFrame | undefined): StatusView | undefined {
  if (!frame || frame.length === 0) {
    return undefined;
  }
  // The newest row: a live stream may have appended several.
  const r = new Row(frame, frame.length - 1);
  const verdict = parseVerdict(r.str(F.verdict));
  return {
    verdict,
    reason: r.str(F.reason) ?? '',
    runbookUrl: safeRunbook(r.str(F.runbook)),
    tone: verdictTone(verdict),
    formation: r.str(F.formation),
    primary: r.str(F.primary),
    stale: r.bool(F.stale),
    staleSince: r.time(F.staleSince),
  };
}

function readEvents(frame: DataFrame | undefined): EventView[] {
  if (!frame) {
    return [];
  }
  const out: EventView[] = [];
  for (const r of rows(frame)) {
    const time = r.time(F.time);
    if (time === undefined) {
      continue;
    }
    out.push({
      time,
      node: r.str(F.node),
      from: r.str(F.from) ?? r.str(F.reportedEvent),
      to: r.str(F.to) ?? r.str(F.goalEvent),
      description: r.str(F.description),
    });
  }
  return out.sort((a, b) => b.time - a.time);
}

interface Parts {
  nodes?: DataFrame;
  edges?: DataFrame;
  status?: DataFrame;
  events?: DataFrame;
}

function splitFrames(series: DataFrame[]): Parts {
  const parts: Parts = {};
  for (const f of series) {
    const role = frameRole(f);
    if (role !== 'other' && !parts[role]) {
      parts[role] = f;
    }
  }
  return parts;
}

/**
 * Frames → view model.
 * Monitor unreachable makes every node's role "last known", whatever the backend marked.
 */
export function toView(series: DataFrame[]): TopologyView {
  const parts = splitFrames(series);
  const status = readStatus(parts.status);
  const monitorDown = status?.verdict === 'monitor unreachable' || status?.stale === true;
  let staleSince = status?.staleSince;

  let monitor: MonitorView | undefined;
  let pgbouncer: PgBouncerView | undefined;
  const nodes: DataNodeView[] = [];

  if (parts.nodes) {
    for (const r of rows(parts.nodes)) {
      const id = r.str(F.id) ?? r.str(F.title) ?? '';
      const kind = kindOf(r);
      if (kind === 'monitor') {
        const unreachable = r.str(['mainstat']) === 'unreachable' || r.str(F.error) !== undefined;
        const up = r.bool(F.up) ?? !(unreachable || (r.bool(F.stale) ?? monitorDown));
        monitor = {
          id,
          title: r.str(F.title) ?? 'monitor',
          address: r.str(F.subtitle),
          up: up && !monitorDown,
          tone: up && !monitorDown ? 'ok' : 'critical',
        };
      } else if (kind === 'pgbouncer') {
        pgbouncer = {
          id,
          title: r.str(F.title) ?? 'PgBouncer',
          address: r.str(F.subtitle),
          target: r.str(F.target),
          serverConnections: r.num(F.serverConnections),
          routesTo: r.str(F.routesTo),
          routingStale: false,
          leftovers: [],
          error: r.str(F.error),
          tone: 'unknown',
          stale: r.bool(F.stale) ?? false,
        };
      } else {
        const reported = (r.str(F.reported) ?? 'unknown').toLowerCase();
        const goal = r.str(F.goal)?.toLowerCase();
        const health = parseHealth(r.raw(F.health));
        staleSince = staleSince ?? r.time(F.staleSince);
        nodes.push({
          id,
          name: r.str(F.title) ?? id,
          address: r.str(F.subtitle),
          reported,
          goal,
          converged: goal === undefined || goal === reported,
          connection: connectionOf(reported),
          health,
          timeline: r.num(F.timeline),
          lsn: r.str(F.lsn),
          lagBytes: r.num(F.lagBytes),
          lagSeconds: r.num(F.lagSeconds),
          reportAgeSeconds: r.num(F.reportAge),
          syncState: r.str(F.syncState),
          candidatePriority: r.num(F.candidatePriority),
          role: r.str(F.role),
          error: r.str(F.error),
          tone: stateTone(reported, goal, health),
          stale: monitorDown || (r.bool(F.stale) ?? false),
        });
        dedupeLast(nodes);
      }
    }
  }

  const primary = primaryOf(nodes, status?.primary);
  const edges = parts.edges ? readEdges(parts.edges, monitor, pgbouncer, nodes) : [];

  if (pgbouncer) {
    // PgBouncer's routing: the backend's routes_to column, else its routing edge.
    const routings = edges.filter((e) => e.kind === 'routing');
    const routing = routings.find((e) => e.configured) ?? routings[0];
    pgbouncer.leftovers = routings.filter((e) => e !== routing).map((e) => e.target);
    const routesTo = pgbouncer.routesTo ?? routing?.target;
    // The backend may name the node (PgBouncer matches host:port to a node name) or give its id.
    pgbouncer.routesTo = nodes.find((n) => n.id === routesTo || n.name === routesTo)?.id ?? routesTo;
    // Judged within the nodes frame (PgBouncer's target and the roles are one snapshot); the status verdict
    // only decides when the nodes frame names no primary.
    pgbouncer.routingStale =
      pgbouncer.routesTo !== undefined && primary !== undefined
        ? pgbouncer.routesTo !== primary.id
        : status?.verdict === 'routing stale';
    pgbouncer.tone = pgbouncer.routingStale ? 'critical' : pgbouncer.routesTo ? 'ok' : 'unknown';
    for (const e of edges) {
      if (e.kind === 'routing') {
        e.tone = pgbouncer.tone;
      }
    }
  }

  return {
    status,
    monitor,
    nodes,
    pgbouncer,
    edges,
    events: readEvents(parts.events),
    stale: monitorDown || (nodes.length > 0 && nodes.every((n) => n.stale)),
    staleSince,
  };
}

/** The node the panel calls primary: a writable goal first (as get_primary), else a read-write report. */
export function primaryOf(nodes: DataNodeView[], named?: string): DataNodeView | undefined {
  // The nodes' own roles first: they come from the same snapshot as PgBouncer's target, whereas the status frame
  // may be older or newer (a live topology beside a status refreshed on another cadence).
  return (
    nodes.find((n) => n.role === 'primary') ??
    nodes.find((n) => n.goal !== undefined && WRITABLE_GOALS.has(n.goal)) ??
    nodes.find((n) => n.connection === 'read-write') ??
    (named ? nodes.find((n) => n.name === named) : undefined)
  );
}

function readEdges(
  frame: DataFrame,
  monitor: MonitorView | undefined,
  pgbouncer: PgBouncerView | undefined,
  nodes: DataNodeView[]
): EdgeView[] {
  const out: EdgeView[] = [];
  for (const r of rows(frame)) {
    const source = r.str(F.source);
    const target = r.str(F.edgeTarget);
    if (!source || !target) {
      continue;
    }
    const k = normalise(r.str(F.kind) ?? '');
    let kind: EdgeKind;
    if (k === 'replication' || k === 'supervision' || k === 'routing') {
      kind = k;
    } else if (monitor && source === monitor.id) {
      kind = 'supervision';
    } else if (pgbouncer && source === pgbouncer.id) {
      kind = 'routing';
    } else {
      kind = 'replication';
    }
    let label = r.str(F.edgeLabel);
    let tone: Tone = 'unknown';
    if (kind === 'replication') {
      const bytes = r.num(F.lagBytes);
      const seconds = r.num(F.lagSeconds);
      const standby = nodes.find((n) => n.id === target);
      label = lagLabel(bytes ?? standby?.lagBytes, seconds ?? standby?.lagSeconds) ?? label;
      tone = standby ? (standby.tone === 'ok' ? 'ok' : standby.tone) : 'unknown';
    } else if (kind === 'supervision') {
      tone = monitor?.up === false ? 'critical' : 'unknown';
    }
    const id = r.str(F.id) ?? `${kind}/${source}/${target}`;
    const i = out.findIndex((e) => e.id === id);
    const edge = { id, kind, source, target, label, tone, configured: r.bool(F.configured) };
    // A live stream may append snapshots: the last row of an id wins.
    if (i >= 0) {
      out[i] = edge;
    } else {
      out.push(edge);
    }
  }
  return out;
}

/** The last drawing that was current, and when (epoch ms). */
export interface LastKnown {
  view: TopologyView;
  at: number;
}

/** What the panel keeps for later: only a current drawing that has roles in it. */
export function rememberable(view: TopologyView): boolean {
  return !view.stale && view.nodes.length > 0;
}

/**
 * When the monitor is down (or the query failed) and the backend sent no roles, keep the previous
 * drawing, marked stale, so on-call still sees who was primary and since when that is known.
 */
export function withLastKnown(current: TopologyView, previous: LastKnown | undefined): TopologyView {
  const lost = current.nodes.length === 0 && (current.status?.verdict === 'monitor unreachable' || !current.status);
  if (!previous || previous.view.nodes.length === 0 || !lost) {
    return current;
  }
  const p = previous.view;
  return {
    ...p,
    // Never carry an old verdict forward: without a current one the panel shows the error instead.
    status: current.status,
    monitor: p.monitor ? { ...p.monitor, up: false, tone: 'critical' } : undefined,
    nodes: p.nodes.map((n) => ({ ...n, stale: true })),
    pgbouncer: p.pgbouncer ? { ...p.pgbouncer, stale: true } : undefined,
    events: current.events.length ? current.events : p.events,
    stale: true,
    staleSince: previous.at,
  };
}

export function isEmpty(view: TopologyView): boolean {
  return !view.status && view.nodes.length === 0 && !view.monitor && !view.pgbouncer && view.events.length === 0;
}
