import {
  AnnotationQuery,
  CoreApp,
  DataFrame,
  DataQueryRequest,
  DataSourceInstanceSettings,
  ScopedVars,
  StreamingFrameAction,
  StreamingFrameOptions,
} from '@grafana/data';
import { DataSourceWithBackend } from '@grafana/runtime';
import { DEFAULT_EVENTS_LIMIT } from './constants';
import { DEFAULT_QUERY, PghaOptions, PghaQuery, QueryType } from './types';

/**
 * Every live packet is a whole snapshot (nodes, edges, status, or the last events), so streamed
 * frames replace the previous one instead of appending rows to it.
 */
export function snapshotStreamOptions(
  request: DataQueryRequest<PghaQuery>,
  _frame: DataFrame
): Partial<StreamingFrameOptions> {
  return { maxLength: request.maxDataPoints ?? 500, action: StreamingFrameAction.Replace };
}

/** An annotation always runs the events query, whatever the stored target says. */
export function annotationQuery(anno: AnnotationQuery<PghaQuery>): PghaQuery {
  const target = anno.target;
  return {
    refId: target?.refId ?? 'Anno',
    queryType: QueryType.Events,
    limit: target?.limit ?? DEFAULT_EVENTS_LIMIT,
  };
}

/** Front end of veza-pgha-datasource: every query runs in the Go backend (pkg/plugin). */
export class PghaDataSource extends DataSourceWithBackend<PghaQuery, PghaOptions> {
  constructor(instanceSettings: DataSourceInstanceSettings<PghaOptions>) {
    super(instanceSettings);
    this.streamOptionsProvider = snapshotStreamOptions;
    // Standard annotation support: the events frame carries time, timeEnd, title, text and tags,
    // which Grafana maps to annotations without any field mapping.
    this.annotations = {
      prepareQuery: annotationQuery,
      getDefaultQuery: () => ({ queryType: QueryType.Events, limit: DEFAULT_EVENTS_LIMIT }),
    };
  }

  getDefaultQuery(_: CoreApp): Partial<PghaQuery> {
    return DEFAULT_QUERY;
  }

  /** Limit only means something for events (which stream too: the last `limit` events, re-sent on each new one). */
  applyTemplateVariables(query: PghaQuery, _scopedVars: ScopedVars): PghaQuery {
    const queryType = query.queryType ?? QueryType.Topology;
    const out: PghaQuery = { ...query, queryType };
    if (queryType !== QueryType.Events) {
      delete out.limit;
    }
    return out;
  }

  filterQuery(query: PghaQuery): boolean {
    return !query.hide;
  }
}
