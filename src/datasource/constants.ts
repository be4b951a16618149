import { SslMode } from './types';

// Values mirrored from pkg/models; the Go side applies the same defaults when a field is left empty.

/** pkg/models DefaultEventsLimit and MaxEventsLimit. */
export const DEFAULT_EVENTS_LIMIT = 200;
export const MAX_EVENTS_LIMIT = 5000;

/** pkg/models formationName (a query's formation option) and MaxGroup (its group option). */
export const FORMATION_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$/;
export const MAX_GROUP = 1 << 20;

/** pkg/models SSLModes, in the order the config editor offers them. */
export const SSL_MODES: SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** pkg/models Default* values, shown as placeholders so an empty field says what it means. */
export const SETTINGS_DEFAULTS = {
  monitorPort: 5432,
  monitorDatabase: 'pg_auto_failover',
  monitorUser: 'autoctl_node',
  monitorSchema: 'pgautofailover',
  formation: 'default',
  pgbouncerPort: 6432,
  pgbouncerUser: 'pgbouncer',
  sslMode: 'prefer' as SslMode,
  connectTimeoutMs: 3000,
  queryTimeoutMs: 5000,
  pollIntervalMs: 1000,
  refreshIntervalMs: 5000,
};

/** The runbook the panel and the status verdict point at. */
export const DB_FAILOVER_RUNBOOK = '/a/veza-slo-app/runbooks/db-failover';
