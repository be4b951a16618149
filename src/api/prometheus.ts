/**
 * Prometheus HTTP API client through Grafana's data source resources
 * (`/api/datasources/uid/<uid>/resources/api/v1/…`), so it runs the same in Grafana and in the preview host.
 * Every call has a timeout and an optional AbortSignal (pages abort when they unmount or refresh).
 */
import type { Observable, Subscription } from 'rxjs';
import { PrometheusError, toPrometheusError } from './errors';
import type {
  PromBuildInfo,
  PromMatrixData,
  PromQueryData,
  PromResponse,
  PromRulesData,
  PromSample,
  PromSeries,
} from './types';

/** The part of @grafana/runtime's BackendSrv the client needs (tests and the bench pass a stand-in). */
export interface BackendSrvLike {
  fetch<T>(options: {
    url: string;
    method?: string;
    data?: unknown;
    headers?: Record<string, string>;
    params?: Record<string, string>;
    showErrorAlert?: boolean;
    showSuccessAlert?: boolean;
    requestId?: string;
  }): Observable<{ data: T; status: number }>;
}

export interface ClientOptions {
  timeoutMs?: number;
  /** Called once per HTTP request (the bench counts queries with it). */
  onRequest?: (path: string) => void;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** What this call loads, in words, for error messages ("burn rates"). */
  what?: string;
}

/** GET URLs longer than this go as a form POST (Prometheus accepts both; 200 SLOs make long `or` queries). */
const MAX_GET_URL = 6000;

export class PrometheusClient {
  readonly uid: string;
  private readonly srv: BackendSrvLike;
  private readonly timeoutMs: number;
  private readonly onRequest?: (path: string) => void;

  constructor(uid: string | undefined, srv: BackendSrvLike, opts: ClientOptions = {}) {
    if (!uid) {
      throw new PrometheusError(
        'not-configured',
        'settings',
        'No Prometheus data source is set: pick one in the app configuration (Administration → Plugins → Veza SLO).'
      );
    }
    this.uid = uid;
    this.srv = srv;
    this.timeoutMs = opts.timeoutMs ?? 15000;
    this.onRequest = opts.onRequest;
  }

  get base(): string {
    return `/api/datasources/uid/${encodeURIComponent(this.uid)}/resources/api/v1`;
  }

  private get where(): string {
    return `the Prometheus data source "${this.uid}"`;
  }

  /** Instant query; returns the vector (scalars become one unlabeled sample). */
  async query(expr: string, opts: CallOptions & { time?: number } = {}): Promise<PromSample[]> {
    const params: Record<string, string> = { query: expr };
    if (opts.time !== undefined) {
      params.time = String(opts.time / 1000);
    }
    const data = await this.call<PromQueryData>('query', params, opts);
    if (data.resultType === 'vector' && Array.isArray(data.result)) {
      return data.result;
    }
    if (data.resultType === 'scalar') {
      return [{ metric: {}, value: data.result }];
    }
    throw new PrometheusError(
      'bad-response',
      opts.what ?? 'a query',
      `Expected a vector from Prometheus, got ${data.resultType === 'vector' ? 'a vector without a list of samples' : `a ${data.resultType}`}.`
    );
  }

  /**
   * Instant query of a range vector (`selector[30m]`): the raw samples with their own timestamps, not resampled
   * to a step. Used where exact times matter (alert firing history).
   */
  async queryMatrix(expr: string, opts: CallOptions & { time?: number } = {}): Promise<PromSeries[]> {
    const params: Record<string, string> = { query: expr };
    if (opts.time !== undefined) {
      params.time = String(opts.time / 1000);
    }
    const data = await this.call<PromQueryData>('query', params, opts);
    if (data.resultType !== 'matrix' || !Array.isArray(data.result)) {
      throw new PrometheusError(
        'bad-response',
        opts.what ?? 'a query',
        `Expected a range vector from Prometheus, got a ${data.resultType}.`
      );
    }
    return data.result;
  }

  /** Range query; start/end in ms, step in seconds. */
  async queryRange(
    expr: string,
    startMs: number,
    endMs: number,
    stepSeconds: number,
    opts: CallOptions = {}
  ): Promise<PromSeries[]> {
    const data = await this.call<PromMatrixData>(
      'query_range',
      { query: expr, start: String(startMs / 1000), end: String(endMs / 1000), step: String(stepSeconds) },
      opts
    );
    if (data.resultType !== 'matrix' || !Array.isArray(data.result)) {
      throw new PrometheusError(
        'bad-response',
        opts.what ?? 'a range query',
        `Expected a matrix from Prometheus, got a ${data.resultType}.`
      );
    }
    return data.result;
  }

  async rules(opts: CallOptions = {}): Promise<PromRulesData> {
    const what = opts.what ?? 'the SLO rules';
    const data = await this.call<PromRulesData>('rules', {}, { ...opts, what });
    // A proxy or another service answering JSON of another shape would otherwise read as "no SLOs" and blank
    // the page: say that the answer is not Prometheus's instead, so the last values stay, marked stale.
    if (!Array.isArray(data?.groups)) {
      throw new PrometheusError(
        'bad-response',
        what,
        `${this.where} answered ${what} without a list of rule groups: not Prometheus's rules API.`
      );
    }
    return data;
  }

  async buildInfo(opts: CallOptions = {}): Promise<PromBuildInfo> {
    return this.call<PromBuildInfo>('status/buildinfo', {}, { what: 'the Prometheus version', ...opts });
  }

  private async call<T>(path: string, params: Record<string, string>, opts: CallOptions): Promise<T> {
    const what = opts.what ?? `the ${path} request`;
    if (opts.signal?.aborted) {
      throw new PrometheusError('cancelled', what, 'Cancelled.');
    }
    const query = new URLSearchParams(params).toString();
    const getUrl = `${this.base}/${path}${query ? `?${query}` : ''}`;
    const post = getUrl.length > MAX_GET_URL;
    this.onRequest?.(path);
    const request$ = this.srv.fetch<PromResponse<T>>(
      post
        ? {
            url: `${this.base}/${path}`,
            method: 'POST',
            data: query,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            showErrorAlert: false,
            showSuccessAlert: false,
          }
        : { url: getUrl, method: 'GET', showErrorAlert: false, showSuccessAlert: false }
    );
    const body = await this.withDeadline(request$, what, opts.signal);
    if (!body || typeof body !== 'object') {
      throw new PrometheusError(
        'bad-response',
        what,
        `${this.where} did not answer with Prometheus JSON while loading ${what}.`
      );
    }
    if (body.status !== 'success' || body.data === undefined) {
      const kind = body.errorType === 'bad_data' ? 'bad-query' : 'http';
      throw new PrometheusError(
        kind,
        what,
        `Prometheus could not answer the ${what} query: ${body.error ?? 'no data in the answer'}.`
      );
    }
    return body.data;
  }

  /** Subscribes to the request, unsubscribing (which aborts the HTTP call) on timeout or abort. */
  private withDeadline<T>(request$: Observable<{ data: T }>, what: string, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false;
      let sub: Subscription | undefined;
      const finish = (fn: () => void) => {
        if (!done) {
          done = true;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          sub?.unsubscribe();
          fn();
        }
      };
      const onAbort = () => finish(() => reject(new PrometheusError('cancelled', what, 'Cancelled.')));
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(
              new PrometheusError(
                'timeout',
                what,
                `Prometheus did not answer within ${Math.round(this.timeoutMs / 1000)} s while loading ${what} (through ${this.where}).`
              )
            )
          ),
        this.timeoutMs
      );
      signal?.addEventListener('abort', onAbort);
      sub = request$.subscribe({
        next: (r) => finish(() => resolve(r.data)),
        error: (e) => finish(() => reject(toPrometheusError(e, what, this.where))),
        complete: () =>
          finish(() => reject(new PrometheusError('bad-response', what, `Empty answer while loading ${what}.`))),
      });
      if (done) {
        sub.unsubscribe();
      }
    });
  }
}
