import { LoadingState } from '@grafana/data';
import { of, Subject, throwError } from 'rxjs';
import { golden } from '../panels/topology/golden';
import { errorOf, mergeResponses, pghaRequest, queryPghaOnce } from './pghaSource';

const query = jest.fn();
jest.mock('@grafana/runtime', () => ({
  getDataSourceSrv: () => ({ get: async () => ({ type: 'veza-pgha-datasource', query: (r: unknown) => query(r) }) }),
}));

describe('pghaRequest', () => {
  it('builds the request a panel would send, refId defaulting to the query type', () => {
    const r = pghaRequest('pgha', [{ refId: '', queryType: 'status' as never, live: true }], 1000, 2000);
    expect(r.targets).toEqual([
      { refId: 'status', queryType: 'status', live: true, datasource: { uid: 'pgha', type: 'veza-pgha-datasource' } },
    ]);
    expect([r.range.from.valueOf(), r.range.to.valueOf()]).toEqual([1000, 2000]);
  });
});

describe('queryPghaOnce', () => {
  beforeEach(() => query.mockReset());

  it('groups frames by refId and keeps a refused query as its error', async () => {
    query.mockReturnValue(
      of({
        data: golden('episodes').map((f) => ({ ...f, refId: 'episodes' })),
        errors: [{ refId: 'events', message: 'monitor unreachable at 127.0.0.1:6000' }],
      })
    );
    const a = await queryPghaOnce('pgha', [], 0, 1, 'the changes');
    expect(a.frames.get('episodes')?.[0].name).toBe('episodes');
    expect(errorOf(a, 'events')).toBe('monitor unreachable at 127.0.0.1:6000');
    expect(errorOf(a, 'episodes')).toBeUndefined();
  });

  it('names the data source and what was loading when the request fails', async () => {
    query.mockReturnValue(throwError(() => ({ status: 502, data: { message: 'plugin unavailable' } })));
    await expect(queryPghaOnce('pgha', [], 0, 1, 'the changes')).rejects.toThrow(
      'The Postgres HA data source "pgha" did not answer while loading the changes: plugin unavailable'
    );
  });

  it('a response with only a request-level error and no frames is a failure', async () => {
    query.mockReturnValue(of({ data: [], error: { message: 'Bad Gateway' } }));
    await expect(queryPghaOnce('pgha', [], 0, 1, 'x')).rejects.toThrow(/did not answer while loading x: Bad Gateway/);
  });
});

describe('mergeResponses', () => {
  it('replaces a stream key’s frames and keeps the others, as Grafana’s runRequest does', () => {
    const merge = mergeResponses();
    const [nodes, edges] = golden('topology_healthy');
    const [lost] = golden('topology_primary_lost');
    merge({ key: 'nodes', data: [nodes] });
    merge({ key: 'edges', data: [edges] });
    const m = merge({ key: 'nodes', data: [lost], state: LoadingState.Streaming });
    expect(m.series).toEqual([lost, edges]);
    expect(m.state).toBe(LoadingState.Streaming);
  });

  it('is driven by a live subject', () => {
    const s = new Subject<{ key: string; data: unknown[] }>();
    const merge = mergeResponses();
    const seen: number[] = [];
    s.subscribe((r) => seen.push(merge(r as never).series.length));
    s.next({ key: 'a', data: [1] });
    s.next({ key: 'b', data: [2] });
    s.next({ key: 'a', data: [3] });
    expect(seen).toEqual([1, 2, 2]);
  });
});
