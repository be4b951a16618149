/** Errors that say what broke and what to do, never a stack trace. */

export type PromErrorKind =
  'not-configured' | 'unreachable' | 'timeout' | 'cancelled' | 'bad-query' | 'forbidden' | 'http' | 'bad-response';

export class PrometheusError extends Error {
  readonly kind: PromErrorKind;
  readonly status?: number;
  /** What the page was loading, e.g. "burn rates". */
  readonly what: string;

  constructor(kind: PromErrorKind, what: string, message: string, status?: number) {
    super(message);
    this.name = 'PrometheusError';
    this.kind = kind;
    this.what = what;
    this.status = status;
  }
}

export function isCancelled(e: unknown): boolean {
  return e instanceof PrometheusError && e.kind === 'cancelled';
}

/** A short, user-facing reason for any error (the UI shows it next to stale values). */
export function errorText(e: unknown): string {
  if (e instanceof PrometheusError) {
    return e.message;
  }
  if (e instanceof Error) {
    return e.message;
  }
  return 'Unknown error';
}

interface FetchErrorLike {
  status?: number;
  statusText?: string;
  data?: { message?: string; error?: string; errorType?: string } | string;
  message?: string;
}

/** Maps what getBackendSrv().fetch throws (a FetchError-like object) to a PrometheusError. */
export function toPrometheusError(e: unknown, what: string, where: string): PrometheusError {
  if (e instanceof PrometheusError) {
    return e;
  }
  const err = (e ?? {}) as FetchErrorLike;
  const status = typeof err.status === 'number' ? err.status : undefined;
  const data = typeof err.data === 'object' && err.data ? err.data : undefined;
  const detail =
    data?.error ||
    data?.message ||
    (typeof err.data === 'string' ? err.data : '') ||
    err.message ||
    err.statusText ||
    '';
  const suffix = detail ? `: ${detail.slice(0, 300)}` : '';
  if (status === 400 || status === 422) {
    return new PrometheusError('bad-query', what, `Prometheus rejected the ${what} query${suffix}.`, status);
  }
  if (status === 401 || status === 403) {
    return new PrometheusError(
      'forbidden',
      what,
      `Not allowed to query ${where} (HTTP ${status}): ask an admin for data source query permission.`,
      status
    );
  }
  if (status === 404) {
    return new PrometheusError(
      'not-configured',
      what,
      `${where} was not found (HTTP 404): pick the Prometheus data source again in the app configuration.`,
      status
    );
  }
  if (status === undefined || status === 0 || status === 502 || status === 503 || status === 504) {
    return new PrometheusError(
      'unreachable',
      what,
      `Prometheus is unreachable through ${where}${status ? ` (HTTP ${status})` : ''} while loading ${what}${suffix}. Check that Prometheus is running and that the data source's URL reaches it from Grafana (Connections → Data sources).`,
      status
    );
  }
  return new PrometheusError('http', what, `${where} answered HTTP ${status} while loading ${what}${suffix}.`, status);
}
