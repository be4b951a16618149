/**
 * The app's one way to query veza-pgha-datasource: through the data source itself (getDataSourceSrv → its query()),
 * the path a dashboard panel takes, so live queries stream over Grafana Live and every query is answered by the Go
 * backend exactly as a panel's would be.
 */
import {
  type DataFrame,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  dateTime,
  LoadingState,
} from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { from, lastValueFrom, mergeMap, Observable } from 'rxjs';
import type { PghaQuery } from '../datasource/types';

export const PGHA_TYPE = 'veza-pgha-datasource';

let requestSeq = 0;

/** A DataQueryRequest as a panel builds it: each query's refId defaults to its query type. */
export function pghaRequest(
  uid: string,
  queries: PghaQuery[],
  fromMs: number,
  toMs: number
): DataQueryRequest<PghaQuery> {
  const range = { from: dateTime(fromMs), to: dateTime(toMs), raw: { from: dateTime(fromMs), to: dateTime(toMs) } };
  return {
    requestId: `veza-slo-pgha-${++requestSeq}`,
    interval: '1s',
    intervalMs: 1000,
    maxDataPoints: 500,
    range,
    rangeRaw: range.raw,
    scopedVars: {},
    targets: queries.map((q) => ({ ...q, refId: q.refId || q.queryType || 'A', datasource: { uid, type: PGHA_TYPE } })),
    timezone: 'browser',
    app: 'veza-slo-app',
    startTime: Date.now(),
  };
}

/** Responses of the data source for these queries: one, or (live queries) one per stream update. */
export function queryPgha$(
  uid: string,
  queries: PghaQuery[],
  fromMs: number,
  toMs: number
): Observable<DataQueryResponse> {
  // getDataSourceSrv is the one lookup every Grafana this plugin supports (>= 12.0) has; its replacement lives in
  // @grafana/runtime/unstable, which 12.x does not ship.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  return from(getDataSourceSrv().get({ uid })).pipe(
    mergeMap((ds) => {
      if (ds.type !== PGHA_TYPE) {
        throw new Error(`Data source "${uid}" is a ${ds.type} data source, not Veza PG HA (${PGHA_TYPE}).`);
      }
      const r = ds.query(pghaRequest(uid, queries, fromMs, toMs));
      return r instanceof Observable ? r : from(r as Promise<DataQueryResponse>);
    })
  );
}

/** A response's errors: `errors`, or the single `error` a failed request carries in the Grafana versions we support. */
function errorsOf(r: DataQueryResponse): DataQueryError[] {
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const single = r.error;
  return r.errors ?? (single ? [single] : []);
}

/** Frames and errors of one answer, by refId. */
export interface PghaAnswer {
  frames: Map<string, DataFrame[]>;
  errors: DataQueryError[];
}

function answerOf(r: DataQueryResponse): PghaAnswer {
  const frames = new Map<string, DataFrame[]>();
  for (const f of r.data as DataFrame[]) {
    const key = f.refId ?? 'A';
    frames.set(key, [...(frames.get(key) ?? []), f]);
  }
  return { frames, errors: errorsOf(r) };
}

/**
 * One answer for queries that do not stream (episodes, events, failoverObjective). Throws, naming the data source
 * and what was being loaded, when the request itself failed; a query the data source refused is in `errors` with
 * its refId, the others' frames still arrive.
 */
export async function queryPghaOnce(
  uid: string,
  queries: PghaQuery[],
  fromMs: number,
  toMs: number,
  what: string
): Promise<PghaAnswer> {
  let r: DataQueryResponse;
  try {
    r = await lastValueFrom(queryPgha$(uid, queries, fromMs, toMs), { defaultValue: { data: [] } });
  } catch (e) {
    throw new Error(`The Postgres HA data source "${uid}" did not answer while loading ${what}: ${messageOf(e)}`);
  }
  const answer = answerOf(r);
  const failed = answer.errors.find((e) => !e.refId);
  if (failed && answer.frames.size === 0) {
    throw new Error(`The Postgres HA data source "${uid}" did not answer while loading ${what}: ${failed.message}`);
  }
  return answer;
}

/** The error message of one query (by refId), if the data source refused it. */
export function errorOf(answer: PghaAnswer, refId: string): string | undefined {
  return answer.errors.find((e) => e.refId === refId)?.message;
}

export function messageOf(e: unknown): string {
  if (e instanceof Error) {
    return e.message;
  }
  const o = (e ?? {}) as { data?: { message?: string }; message?: string; status?: number };
  return o.data?.message ?? o.message ?? (o.status ? `HTTP ${o.status}` : String(e));
}

/** What a live subscription has delivered so far: every stream's latest frames together, as a panel sees them. */
export interface PghaStreamState {
  series: DataFrame[];
  state: LoadingState;
  errors: DataQueryError[];
}

/** Merges the responses of one subscription like Grafana's runRequest: a keyed response replaces that key's frames. */
export function mergeResponses(): (r: DataQueryResponse) => PghaStreamState {
  const byKey = new Map<string, DataFrame[]>();
  return (r) => {
    byKey.set(r.key ?? 'A', r.data as DataFrame[]);
    return {
      series: [...byKey.values()].flat(),
      state: r.state ?? LoadingState.Done,
      errors: errorsOf(r),
    };
  };
}
