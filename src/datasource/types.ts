// Mirror of pkg/models (settings and queries). Keep both sides in step.
import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

/** pkg/models QueryType. */
export enum QueryType {
  Topology = 'topology',
  Events = 'events',
  Status = 'status',
  Episodes = 'episodes',
  Measures = 'measures',
  FailoverObjective = 'failoverObjective',
  Groups = 'groups',
}

/** pkg/models Measures: the alertable numbers, in frame order (a measures query returns one or all of them). */
export const MEASURES = [
  'healthy',
  'verdict_code',
  'replication_lag_bytes',
  'seconds_since_state_change',
  'failover_eligible_standbys',
  'pgbouncer_routing_stale',
  'last_failover_writable_seconds',
] as const;
export type Measure = (typeof MEASURES)[number];

/** pkg/models Query (DataQuery.JSON). */
export interface PghaQuery extends DataQuery {
  queryType?: QueryType;
  /** Topology and status: subscribe to the live stream (the response carries meta.channel). */
  live?: boolean;
  /** Events and episodes: cap on the number of rows returned (Go default 200, max 5000). */
  limit?: number;
  /** Measures: the one number to return (one series for an alert rule); absent = all of them. */
  measure?: Measure;
  /** Failover objective: the share of failovers writable within writableWithinSeconds (Go default 0.95 and 30). */
  objective?: number;
  writableWithinSeconds?: number;
  /** Another formation registered on the same monitor; absent = the data source's formation setting. */
  formation?: string;
  /** One group of the formation (0 = the primary group); absent = every group. */
  group?: number;
}

export const DEFAULT_QUERY: Partial<PghaQuery> = { queryType: QueryType.Topology };

/** libpq sslmode values pkg/models accepts (SSLModes). */
export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

/** pkg/models Settings: jsonData exactly as the config editor saves it. Empty fields take Go defaults. */
export interface PghaOptions extends DataSourceJsonData {
  monitorHost?: string;
  monitorPort?: number;
  monitorDatabase?: string;
  monitorUser?: string;
  /** Schema the monitor tables are read from: pgautofailover, or the read-only views' schema. */
  monitorSchema?: string;
  formation?: string;
  /** PgBouncer admin console; empty host = no PgBouncer. */
  pgbouncerHost?: string;
  pgbouncerPort?: number;
  pgbouncerUser?: string;
  pgbouncerDatabase?: string;
  /** Per-node reading; empty user = monitor view only. */
  nodeUser?: string;
  nodeDatabase?: string;
  /**
   * Optional allow-list of the node hosts the backend may connect to (and send the node password to):
   * comma-separated host names, *.domain, IP addresses or CIDRs. Names are matched as written, never resolved.
   */
  nodeHosts?: string;
  /** For every connection. With a CA certificate, require verifies the chain like verify-ca (libpq). */
  sslMode?: SslMode;
  connectTimeoutMs?: number;
  queryTimeoutMs?: number;
  pollIntervalMs?: number;
  refreshIntervalMs?: number;
}

/** pkg/models Secure* keys in secureJsonData. The TLS ones are PEM text, Grafana's usual names. */
export interface PghaSecureOptions {
  monitorPassword?: string;
  pgbouncerPassword?: string;
  nodePassword?: string;
  tlsCACert?: string;
  tlsClientCert?: string;
  tlsClientKey?: string;
}

/** pkg/pgha Verdict: the `verdict` field of the status frame. */
export type Verdict =
  'healthy' | 'degraded' | 'failover in progress' | 'wedged' | 'routing stale' | 'monitor unreachable';

/** Stream paths (pkg/plugin): ds/<uid>/<path>; each carries one frame. */
export type StreamPath = 'topology' | 'topology/edges' | 'status';
