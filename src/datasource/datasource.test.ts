import { DataQueryRequest, DataSourceInstanceSettings, StreamingFrameAction, toDataFrame } from '@grafana/data';
import { annotationQuery, PghaDataSource, snapshotStreamOptions } from './datasource';
import { PghaOptions, PghaQuery, QueryType } from './types';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getTemplateSrv: () => ({ replace: (s: string) => s, getVariables: () => [] }),
}));

const settings = {
  id: 1,
  uid: 'pgha',
  type: 'veza-pgha-datasource',
  name: 'Veza PG HA',
  meta: { id: 'veza-pgha-datasource' },
  jsonData: { monitorHost: '127.0.0.1' },
  access: 'proxy',
  readOnly: false,
} as unknown as DataSourceInstanceSettings<PghaOptions>;

describe('PghaDataSource', () => {
  const ds = new PghaDataSource(settings);

  it('supports annotations: failover episodes, or the raw events when the target asks for them', () => {
    expect(ds.annotations).toBeDefined();
    expect(annotationQuery({ name: 'Failovers', enable: true, iconColor: 'red' } as never)).toEqual({
      refId: 'Anno',
      queryType: QueryType.Episodes,
      limit: 200,
    });
    expect(
      annotationQuery({ target: { refId: 'X', queryType: QueryType.Topology, live: true, limit: 20 } } as never)
    ).toEqual({ refId: 'X', queryType: QueryType.Episodes, limit: 20 });
    expect(annotationQuery({ target: { refId: 'X', queryType: QueryType.Events } } as never)).toEqual({
      refId: 'X',
      queryType: QueryType.Events,
      limit: 200,
    });
    expect(ds.annotations?.getDefaultQuery?.()).toEqual({ queryType: QueryType.Episodes, limit: 200 });
  });

  it('sends limit only with events and episodes, measure only with measures; live with any query type', () => {
    expect(
      ds.applyTemplateVariables({ refId: 'A', queryType: QueryType.Measures, measure: 'healthy', limit: 5 }, {})
    ).toEqual({ refId: 'A', queryType: QueryType.Measures, measure: 'healthy' });
    expect(ds.applyTemplateVariables({ refId: 'A', queryType: QueryType.Status, measure: 'healthy' }, {})).toEqual({
      refId: 'A',
      queryType: QueryType.Status,
    });
    expect(ds.applyTemplateVariables({ refId: 'A', live: true, limit: 5 }, {})).toEqual({
      refId: 'A',
      queryType: QueryType.Topology,
      live: true,
    });
    expect(ds.applyTemplateVariables({ refId: 'A', queryType: QueryType.Events, live: true, limit: 5 }, {})).toEqual({
      refId: 'A',
      queryType: QueryType.Events,
      live: true,
      limit: 5,
    });
  });

  it('replaces streamed snapshots instead of appending rows', () => {
    expect(ds.streamOptionsProvider).toBe(snapshotStreamOptions);
    const opts = snapshotStreamOptions(
      { maxDataPoints: 100 } as DataQueryRequest<PghaQuery>,
      toDataFrame({ fields: [] })
    );
    expect(opts).toEqual({ maxLength: 100, action: StreamingFrameAction.Replace });
  });

  it('skips hidden queries', () => {
    expect(ds.filterQuery({ refId: 'A', hide: true })).toBe(false);
    expect(ds.filterQuery({ refId: 'A' })).toBe(true);
  });
});
