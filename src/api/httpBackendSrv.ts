/**
 * A tiny BackendSrv stand-in for Node (integration tests, bench): forwards the data source resource paths
 * `/api/datasources/uid/<uid>/resources/api/v1/…` straight to a Prometheus base URL, as Grafana does.
 * Not used by the app bundle.
 */
import { Observable } from 'rxjs';
import type { BackendSrvLike } from './prometheus';

export function httpBackendSrv(prometheusUrl: string, onRequest?: (url: string) => void): BackendSrvLike {
  return {
    fetch<T>(req: Parameters<BackendSrvLike['fetch']>[0]) {
      return new Observable<{ data: T; status: number }>((sub) => {
        const ctl = new AbortController();
        const path = req.url.replace(/^\/api\/datasources\/uid\/[^/]+\/resources/, '');
        onRequest?.(path);
        fetch(`${prometheusUrl}${path}`, {
          method: req.method ?? 'GET',
          headers: req.headers,
          body: typeof req.data === 'string' ? req.data : undefined,
          signal: ctl.signal,
        })
          .then(async (res) => {
            const text = await res.text();
            let data: unknown = text;
            try {
              data = JSON.parse(text);
            } catch {
              // leave as text
            }
            if (!res.ok) {
              sub.error({ status: res.status, statusText: res.statusText, data });
              return;
            }
            sub.next({ data: data as T, status: res.status });
            sub.complete();
          })
          .catch((e: Error) => {
            if (!ctl.signal.aborted) {
              sub.error({ status: 0, statusText: e.message, data: { message: e.message } });
            }
          });
        return () => ctl.abort();
      });
    },
  };
}
