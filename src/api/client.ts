import { getBackendSrv } from '@grafana/runtime';
import { PrometheusClient, type BackendSrvLike } from './prometheus';

/** The app's Prometheus client through Grafana (throws a not-configured PrometheusError without a uid). */
export function prometheusClient(uid: string | undefined, timeoutMs = 15000): PrometheusClient {
  return new PrometheusClient(uid, getBackendSrv() as unknown as BackendSrvLike, { timeoutMs });
}

export function backendSrv(): BackendSrvLike {
  return getBackendSrv() as unknown as BackendSrvLike;
}
