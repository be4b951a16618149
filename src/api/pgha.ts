/** veza-pgha-datasource through Grafana's /api/ds/query: failover events, the formation's status, any query type. */
import { lastValueFrom } from 'rxjs';
import { readFailoverObjective, type FailoverObjectiveView } from '../slo/failoverObjective';
import type { BackendSrvLike, CallOptions } from './prometheus';

export interface FailoverEvent {
  /** ms */
  time: number;
  text: string;
  node?: string;
  /** The node's reported and goal state when the event was logged (the frame's `from` / `to`). */
  reported?: string;
  goal?: string;
}

export interface FrameJson {
  schema?: { name?: string; fields?: Array<{ name: string; type?: string }> };
  data?: { values?: unknown[][] };
}

interface DsQueryResponse {
  results?: Record<string, { frames?: FrameJson[]; error?: string; status?: number }>;
}

const TEXT_FIELDS = ['description', 'text', 'message', 'event', 'title', 'state', 'goal_state', 'reported_state'];

/** Reads events from data frames (JSON form) without knowing their exact columns: a time field plus text. */
export function eventsFromFrames(frames: FrameJson[]): FailoverEvent[] {
  const out: FailoverEvent[] = [];
  for (const frame of frames) {
    const fields = frame.schema?.fields ?? [];
    const values = frame.data?.values ?? [];
    const timeIdx = fields.findIndex((f) => f.type === 'time' || /^(time|ts|eventtime|event_time)$/i.test(f.name));
    if (timeIdx < 0) {
      continue;
    }
    const textIdx = TEXT_FIELDS.map((n) => fields.findIndex((f) => f.name.toLowerCase() === n)).filter((i) => i >= 0);
    const nodeIdx = fields.findIndex((f) => /^(node|nodename|node_name)$/i.test(f.name));
    const fromIdx = fields.findIndex((f) => /^(from|reportedstate)$/i.test(f.name));
    const toIdx = fields.findIndex((f) => /^(to|goalstate)$/i.test(f.name));
    const cell = (i: number, row: number) => (i >= 0 && values[i]?.[row] ? String(values[i][row]) : undefined);
    const times = values[timeIdx] ?? [];
    times.forEach((t, row) => {
      const time = typeof t === 'number' ? t : Date.parse(String(t));
      if (!Number.isFinite(time)) {
        return;
      }
      const node = cell(nodeIdx, row);
      // The events frame carries the same words in several columns (description, and text for annotations):
      // each is shown once, without the node prefix the list adds itself.
      const parts = textIdx
        .map((i) => values[i]?.[row])
        .filter((v) => v !== null && v !== undefined && v !== '')
        .map((v) => (node && String(v).startsWith(`${node}: `) ? String(v).slice(node.length + 2) : String(v)));
      const text = [...new Set(parts)];
      out.push({
        time,
        text: text.length ? text.join(' · ') : 'formation event',
        node,
        reported: cell(fromIdx, row),
        goal: cell(toIdx, row),
      });
    });
  }
  return out.sort((a, b) => a.time - b.time);
}

export interface PghaQuery {
  queryType: 'topology' | 'status' | 'events' | 'failoverObjective';
  limit?: number;
  /** failoverObjective: the share of failovers that must be writable within writableWithinSeconds (Go defaults). */
  objective?: number;
  writableWithinSeconds?: number;
}

/** Per query type: its frames (JSON), or the error the data source gave for that query. */
export type PghaResults = Partial<Record<PghaQuery['queryType'], { frames: FrameJson[]; error?: string }>>;

/**
 * Runs queries of the PG HA data source in one /api/ds/query request (refId = query type). Throws, with the data
 * source named, when the request itself fails; a query the data source refused comes back with its error.
 */
export async function queryPgha(
  srv: BackendSrvLike,
  uid: string,
  queries: PghaQuery[],
  fromMs: number,
  toMs: number,
  what: string
): Promise<PghaResults> {
  const request$ = srv.fetch<DsQueryResponse>({
    url: '/api/ds/query',
    method: 'POST',
    data: {
      from: String(Math.round(fromMs)),
      to: String(Math.round(toMs)),
      queries: queries.map((q) => ({ refId: q.queryType, datasource: { uid, type: 'veza-pgha-datasource' }, ...q })),
    },
    showErrorAlert: false,
  });
  let res: { data: DsQueryResponse };
  try {
    res = await lastValueFrom(request$);
  } catch (e) {
    const err = (e ?? {}) as { status?: number; data?: DsQueryResponse & { message?: string } };
    // Grafana answers a request with a failed query with an error status and every query's result (frames or
    // error, e.g. "monitor unreachable at …"): keep them, so the page names the failing component and shows what
    // did answer, instead of one "did not answer (HTTP 400)".
    if (err.data?.results && typeof err.data.results === 'object') {
      return collect(queries, err.data);
    }
    const status = err.status ? ` (HTTP ${err.status})` : '';
    throw new Error(
      `The Postgres HA data source "${uid}" did not answer${status} while loading ${what}${err.data?.message ? `: ${err.data.message}` : ''}.`
    );
  }
  return collect(queries, res.data);
}

function collect(queries: PghaQuery[], data: DsQueryResponse | undefined): PghaResults {
  const out: PghaResults = {};
  for (const q of queries) {
    const r = data?.results?.[q.queryType];
    out[q.queryType] = { frames: r?.frames ?? [], error: r?.error };
  }
  return out;
}

export async function fetchFailoverEvents(
  srv: BackendSrvLike,
  uid: string,
  fromMs: number,
  toMs: number,
  opts: CallOptions = {}
): Promise<FailoverEvent[]> {
  const { events } = await queryPgha(srv, uid, [{ queryType: 'events', limit: 500 }], fromMs, toMs, 'failover events');
  if (events?.error) {
    throw new Error(`The Postgres HA data source "${uid}" could not list failover events: ${events.error}`);
  }
  if (opts.signal?.aborted) {
    return [];
  }
  return eventsFromFrames(events?.frames ?? []);
}

/**
 * The failovers of [fromMs, toMs] judged by the data source against its objective (Go's default, 95 % writable
 * within 30 s): for the Postgres HA page (30 days) and the monthly report (the month).
 */
export async function loadFailoverObjective(
  srv: BackendSrvLike,
  uid: string,
  fromMs: number,
  toMs: number
): Promise<FailoverObjectiveView> {
  const r = await queryPgha(srv, uid, [{ queryType: 'failoverObjective' }], fromMs, toMs, 'the failover objective');
  if (r.failoverObjective?.error) {
    throw new Error(`The Postgres HA data source "${uid}" could not judge the failovers: ${r.failoverObjective.error}`);
  }
  return readFailoverObjective(r.failoverObjective?.frames ?? []);
}
