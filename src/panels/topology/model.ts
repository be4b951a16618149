import { DataFrame } from '@grafana/data';
import { EDGE, EVENT, FRAME, NODE, STATUS } from './fields';
import { frameNamed, Row, rows } from './frames';

// Pure mapping from the veza-pgha-datasource frames (topology nodes + edges, status, events) to what the panel
// draws. The backend (pkg/pgha) decides what the formation's state means — tone, role, whether a node answers,
// where PgBouncer routes and whether that is stale — and sends it as named fields (fields.ts); this file only
// reads them. No React and no theme here: tones are resolved to theme colours by the components.

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
  /** The monitor's health check (pgautofailover.node.health). */
  health: 'good' | 'bad' | 'unknown';
  /** False when the node stopped answering (the backend's judgement: its own connection, health, keeper). */
  answering: boolean;
  timeline?: number;
  lsn?: string;
  lagBytes?: number;
  lagSeconds?: number;
  reportAgeSeconds?: number;
  syncState?: string;
  candidatePriority?: number;
  /** pg_auto_failover group (0 unless the formation has several, e.g. citus workers). */
  group?: number;
  /** The backend's role: primary, primary lost, standby, demoted, maintenance… */
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
  /** Id of the data node PgBouncer's configured target maps to, when it maps to one. */
  routesTo?: string;
  /** The backend's judgement: the target is not an answering primary. */
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

/** The primary's roles as the backend labels them: the monitor's primary, answering or not. */
export const PRIMARY_ROLES = ['primary', 'primary lost'];

const TONES: Tone[] = ['ok', 'warning', 'critical', 'transition', 'unknown'];

function tone(v: string | undefined): Tone {
  return TONES.includes(v as Tone) ? (v as Tone) : 'unknown';
}

function verdict(v: string | undefined): Verdict | 'unknown' {
  return VERDICTS.includes(v as Verdict) ? (v as Verdict) : 'unknown';
}

function health(v: string | undefined): DataNodeView['health'] {
  return v === 'good' || v === 'bad' ? v : 'unknown';
}

function connection(v: string | undefined): Connection {
  return v === 'read-write' || v === 'read-only' ? v : 'none';
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

/** Only app-relative paths and http(s) URLs are linked; a bare runbook name is the app's; else the default. */
export function safeRunbook(url: string | undefined): string {
  if (!url) {
    return DEFAULT_RUNBOOK;
  }
  if ((url.startsWith('/') && !url.startsWith('//')) || /^https?:\/\//i.test(url)) {
    return url;
  }
  return /^[a-z0-9-]+$/i.test(url) ? `/a/veza-slo-app/runbooks/${url}` : DEFAULT_RUNBOOK;
}

// --- frames ---

function readStatus(frame: DataFrame | undefined): StatusView | undefined {
  if (!frame || frame.length === 0) {
    return undefined;
  }
  // The newest row: a live stream may have appended several.
  const r = new Row(frame, frame.length - 1);
  return {
    verdict: verdict(r.str(STATUS.verdict)),
    reason: r.str(STATUS.reason) ?? '',
    runbookUrl: safeRunbook(r.str(STATUS.runbook)),
    tone: tone(r.str(STATUS.tone)),
    formation: r.str(STATUS.formation),
    primary: r.str(STATUS.primary),
    stale: r.bool(STATUS.stale),
    staleSince: r.time(STATUS.staleSince),
  };
}

function readEvents(frame: DataFrame | undefined): EventView[] {
  if (!frame) {
    return [];
  }
  const out: EventView[] = [];
  for (const r of rows(frame)) {
    const time = r.time(EVENT.time);
    if (time !== undefined) {
      out.push({
        time,
        node: r.str(EVENT.node),
        from: r.str(EVENT.from),
        to: r.str(EVENT.to),
        description: r.str(EVENT.description),
      });
    }
  }
  return out.sort((a, b) => b.time - a.time);
}

/** Keeps the last item per id, in first-seen order (a live stream may append snapshots). */
function lastPerId<T extends { id: string }>(items: T[]): T[] {
  const byId = new Map<string, T>();
  for (const item of items) {
    byId.set(item.id, item);
  }
  return [...byId.values()];
}

function readNodes(frame: DataFrame) {
  let monitor: MonitorView | undefined;
  let pgbouncer: PgBouncerView | undefined;
  const nodes: DataNodeView[] = [];
  for (const r of rows(frame)) {
    const id = r.str(NODE.id) ?? '';
    const kind = r.str(NODE.kind);
    if (kind === 'monitor') {
      const up = r.bool(NODE.answering) ?? false;
      monitor = {
        id,
        title: r.str(NODE.title) ?? 'monitor',
        address: r.str(NODE.subtitle),
        up,
        tone: tone(r.str(NODE.tone)),
      };
    } else if (kind === 'pgbouncer') {
      pgbouncer = {
        id,
        title: r.str(NODE.title) ?? 'PgBouncer',
        address: r.str(NODE.subtitle),
        target: r.str(NODE.bouncerTarget),
        serverConnections: r.num(NODE.bouncerServers),
        routesTo: r.str(NODE.routesTo),
        routingStale: r.bool(NODE.routingStale) ?? false,
        leftovers: [],
        error: r.str(NODE.error),
        tone: tone(r.str(NODE.tone)),
        stale: r.bool(NODE.stale) ?? false,
      };
    } else if (kind === 'node') {
      const reported = r.str(NODE.reported) ?? 'unknown';
      const goal = r.str(NODE.assigned);
      nodes.push({
        id,
        name: r.str(NODE.title) ?? id,
        address: r.str(NODE.subtitle),
        reported,
        goal,
        converged: goal === undefined || goal === reported,
        connection: connection(r.str(NODE.connection)),
        health: health(r.str(NODE.health)),
        answering: r.bool(NODE.answering) ?? false,
        timeline: r.num(NODE.timeline),
        lsn: r.str(NODE.lsn),
        lagBytes: r.num(NODE.lagBytes),
        lagSeconds: r.num(NODE.lagSeconds),
        reportAgeSeconds: r.num(NODE.reportAge),
        syncState: r.str(NODE.syncState),
        candidatePriority: r.num(NODE.priority),
        role: r.str(NODE.role),
        group: r.num(NODE.group),
        error: r.str(NODE.error),
        tone: tone(r.str(NODE.tone)),
        stale: r.bool(NODE.stale) ?? false,
      });
    }
  }
  // Every node of a group side by side, groups in order (stable within a group, so a failover flips arrows only).
  const byGroup = lastPerId(nodes).sort((a, b) => (a.group ?? 0) - (b.group ?? 0));
  return { monitor, pgbouncer, nodes: byGroup };
}

function readEdges(frame: DataFrame): EdgeView[] {
  const out: EdgeView[] = [];
  for (const r of rows(frame)) {
    const source = r.str(EDGE.source);
    const target = r.str(EDGE.target);
    const kind = r.str(EDGE.kind);
    if (!source || !target || (kind !== 'replication' && kind !== 'supervision' && kind !== 'routing')) {
      continue;
    }
    out.push({
      id: r.str(EDGE.id) ?? `${kind}/${source}/${target}`,
      kind,
      source,
      target,
      label: r.str(EDGE.mainstat),
      tone: tone(r.str(EDGE.tone)),
      configured: r.bool(EDGE.configured),
    });
  }
  return lastPerId(out);
}

/** Frames (by name: nodes, edges, status, events) → view model. */
export function toView(series: DataFrame[]): TopologyView {
  const status = readStatus(frameNamed(series, FRAME.status));
  const nodesFrame = frameNamed(series, FRAME.nodes);
  const { monitor, pgbouncer, nodes } = nodesFrame ? readNodes(nodesFrame) : { nodes: [] as DataNodeView[] };
  const edgesFrame = frameNamed(series, FRAME.edges);
  const edges = edgesFrame ? readEdges(edgesFrame) : [];
  if (pgbouncer) {
    pgbouncer.leftovers = edges.filter((e) => e.kind === 'routing' && e.configured === false).map((e) => e.target);
  }
  return {
    status,
    monitor,
    nodes,
    pgbouncer,
    edges,
    events: readEvents(frameNamed(series, FRAME.events)),
    stale: status?.stale === true || (nodes.length > 0 && nodes.every((n) => n.stale)),
    staleSince: status?.staleSince,
  };
}

/** The node the backend labels primary (answering or lost); else the one the status frame names. */
export function primaryOf(view: Pick<TopologyView, 'nodes' | 'status'>): DataNodeView | undefined {
  return (
    view.nodes.find((n) => n.role !== undefined && PRIMARY_ROLES.includes(n.role)) ??
    view.nodes.find((n) => n.name === view.status?.primary)
  );
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
