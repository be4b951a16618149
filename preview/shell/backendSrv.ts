// BackendSrv for @grafana/runtime's setBackendSrv: fetch() as an Observable with Grafana's FetchResponse and
// FetchError shapes, request/get/post/put/patch/delete/datasourceRequest on top, and requestId cancellation.
import { Observable, lastValueFrom } from 'rxjs';
import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';

function buildUrl(url: string, params?: BackendSrvRequest['params']): string {
  if (!params) {
    return url;
  }
  const sp = new URLSearchParams();
  const entries =
    params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params as Record<string, unknown>);
  for (const [k, v] of entries) {
    if (v === undefined || v === null) {
      continue;
    }
    if (Array.isArray(v)) {
      v.forEach((x) => sp.append(k, String(x)));
    } else {
      sp.append(k, String(v));
    }
  }
  const qs = sp.toString();
  return qs ? `${url}${url.includes('?') ? '&' : '?'}${qs}` : url;
}

export class PreviewBackendSrv {
  private inFlight = new Map<string, AbortController>();

  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable<FetchResponse<T>>((sub) => {
      const ctrl = new AbortController();
      if (options.requestId) {
        this.inFlight.get(options.requestId)?.abort();
        this.inFlight.set(options.requestId, ctrl);
      }
      const headers = new Headers((options.headers as Record<string, string>) ?? {});
      let body: BodyInit | undefined;
      const data: unknown = options.data;
      if (data !== undefined && data !== null) {
        if (
          typeof data === 'string' ||
          data instanceof FormData ||
          data instanceof URLSearchParams ||
          data instanceof Blob
        ) {
          body = data;
        } else {
          body = JSON.stringify(data);
          if (!headers.has('Content-Type')) {
            headers.set('Content-Type', 'application/json');
          }
        }
      }
      if (!headers.has('Accept')) {
        headers.set('Accept', 'application/json, text/plain, */*');
      }
      // Grafana's backend_srv names the org on every API call; the host requires this header (or a JSON body) on
      // state-changing requests, which a cross-site form cannot send.
      if (!options.url.startsWith('http') && !headers.has('X-Grafana-Org-Id')) {
        headers.set('X-Grafana-Org-Id', '1');
      }
      const url = buildUrl(
        options.url.startsWith('http') || options.url.startsWith('/') ? options.url : `/${options.url}`,
        options.params
      );
      const method = (options.method ?? 'GET').toUpperCase();
      fetch(url, { method, headers, body, signal: ctrl.signal, credentials: 'same-origin' })
        .then(async (r) => {
          let parsed: unknown;
          const rt = options.responseType ?? 'json';
          if (rt === 'blob') {
            parsed = await r.blob();
          } else if (rt === 'arraybuffer') {
            parsed = await r.arrayBuffer();
          } else {
            const text = await r.text();
            if (rt === 'text') {
              parsed = text;
            } else {
              try {
                parsed = text ? JSON.parse(text) : {};
              } catch {
                parsed = text;
              }
            }
          }
          if (r.ok) {
            sub.next({
              data: parsed as T,
              status: r.status,
              statusText: r.statusText,
              ok: true,
              headers: r.headers,
              redirected: r.redirected,
              type: r.type,
              url: r.url,
              config: options,
            });
            sub.complete();
          } else {
            const msg =
              parsed && typeof parsed === 'object' && 'message' in parsed
                ? String((parsed as { message: unknown }).message)
                : r.statusText;
            const err: FetchError = {
              status: r.status,
              statusText: r.statusText,
              data: parsed as FetchError['data'],
              config: options,
              message: msg,
            } as FetchError;
            sub.error(err);
          }
        })
        .catch((e: unknown) => {
          if ((e as Error).name === 'AbortError') {
            const err = {
              status: -1,
              statusText: 'Request was aborted',
              data: { message: 'Request was aborted' },
              config: options,
              cancelled: true,
            };
            sub.error(err);
            return;
          }
          sub.error({
            status: 0,
            statusText: String((e as Error).message),
            data: { message: `network error: ${(e as Error).message}` },
            config: options,
          });
        })
        .finally(() => {
          if (options.requestId && this.inFlight.get(options.requestId) === ctrl) {
            this.inFlight.delete(options.requestId);
          }
        });
      return () => ctrl.abort();
    });
  }

  async request<T = unknown>(options: BackendSrvRequest): Promise<T> {
    return (await lastValueFrom(this.fetch<T>(options))).data;
  }
  get<T = unknown>(
    url: string,
    params?: BackendSrvRequest['params'],
    requestId?: string,
    options?: Partial<BackendSrvRequest>
  ): Promise<T> {
    return this.request<T>({ ...options, url, params, requestId, method: 'GET' });
  }
  delete<T = unknown>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, url, data, method: 'DELETE' });
  }
  post<T = unknown>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, url, data, method: 'POST' });
  }
  patch<T = unknown>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, url, data, method: 'PATCH' });
  }
  put<T = unknown>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, url, data, method: 'PUT' });
  }
  datasourceRequest<T = unknown>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    return lastValueFrom(this.fetch<T>(options));
  }
  resolveCancelerIfExists(requestId: string) {
    this.inFlight.get(requestId)?.abort();
  }
  chunked(): never {
    throw new Error('chunked requests are not supported by the preview host');
  }
}

export function asBackendSrv(s: PreviewBackendSrv): BackendSrv {
  return s as unknown as BackendSrv;
}
