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

/**
 * An annotation runs the episodes query (one region per failover: "Failover: node2 → node1", writable after 7.5 s),
 * or the raw events when the stored target asks for them; never a topology or measures query.
 */
export function annotationQuery(anno: AnnotationQuery<PghaQuery>): PghaQuery {
  const target = anno.target;
  return {
    refId: target?.refId ?? 'Anno',
    queryType: target?.queryType === QueryType.Events ? QueryType.Events : QueryType.Episodes,
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
      getDefaultQuery: () => ({ queryType: QueryType.Episodes, limit: DEFAULT_EVENTS_LIMIT }),
    };
  }

  getDefaultQuery(_: CoreApp): Partial<PghaQuery> {
    return DEFAULT_QUERY;
  }

  /** Limit only means something for events and episodes, measure only for measures. */
  applyTemplateVariables(query: PghaQuery, _scopedVars: ScopedVars): PghaQuery {
    const queryType = query.queryType ?? QueryType.Topology;
    const out: PghaQuery = { ...query, queryType };
    if (queryType !== QueryType.Events && queryType !== QueryType.Episodes) {
      delete out.limit;
    }
    if (queryType !== QueryType.Measures) {
      delete out.measure;
    }
    return out;
  }

  filterQuery(query: PghaQuery): boolean {
    return !query.hide;
  }
}
