import { throwError } from 'rxjs';
import { eventsFromFrames, queryPgha } from './pgha';
import type { BackendSrvLike } from './prometheus';

// The shape veza-pgha-datasource answers for `events` (pkg/plugin, JSON frames): the same words appear in
// description and text (annotations read text), and title repeats the node.
const frame = {
  schema: {
    name: 'events',
    fields: [
      { name: 'time', type: 'time' },
      { name: 'title', type: 'string' },
      { name: 'text', type: 'string' },
      { name: 'node', type: 'string' },
      { name: 'description', type: 'string' },
      { name: 'from', type: 'string' },
      { name: 'to', type: 'string' },
    ],
  },
  data: {
    values: [
      [2000, 1000],
      ['node2: wait_primary → primary', 'node1: primary → draining'],
      ['node2 is primary again', 'Setting goal state of node 1 to draining'],
      ['node2', 'node1'],
      ['node2 is primary again', 'Setting goal state of node 1 to draining'],
      ['wait_primary', 'primary'],
      ['primary', 'draining'],
    ],
  },
};

describe('eventsFromFrames', () => {
  test('each event once, oldest first, its words without repeats or a doubled node prefix', () => {
    expect(eventsFromFrames([frame])).toEqual([
      {
        time: 1000,
        node: 'node1',
        reported: 'primary',
        goal: 'draining',
        text: 'Setting goal state of node 1 to draining · primary → draining',
      },
      {
        time: 2000,
        node: 'node2',
        reported: 'wait_primary',
        goal: 'primary',
        text: 'node2 is primary again · wait_primary → primary',
      },
    ]);
  });

  test('frames without a time field are ignored; rows without words still count', () => {
    expect(eventsFromFrames([{ schema: { fields: [{ name: 'x' }] }, data: { values: [[1]] } }])).toEqual([]);
    const bare = { schema: { fields: [{ name: 'time', type: 'time' }] }, data: { values: [[5]] } };
    expect(eventsFromFrames([bare])).toEqual([{ time: 5, text: 'formation event', node: undefined }]);
  });
});

describe('queryPgha when a query fails', () => {
  const failing = (err: unknown): BackendSrvLike => ({ fetch: () => throwError(() => err) as never });

  it('keeps each query’s result from an error answer, so the page names the failing component', async () => {
    // What Grafana (and the preview host) answer when one query of the request failed: an error status and every
    // query's result, frames or error.
    const srv = failing({
      status: 400,
      data: { results: { topology: { error: 'monitor unreachable at 127.0.0.1:6000' }, status: { frames: [frame] } } },
    });
    const r = await queryPgha(srv, 'pgha', [{ queryType: 'topology' }, { queryType: 'status' }], 0, 1, 'the formation');
    expect(r.topology).toEqual({ frames: [], error: 'monitor unreachable at 127.0.0.1:6000' });
    expect(r.status?.frames).toHaveLength(1);
  });

  it('throws, naming the data source, when the request itself failed', async () => {
    const srv = failing({ status: 502, data: { message: 'Plugin unavailable' } });
    await expect(queryPgha(srv, 'pgha', [{ queryType: 'status' }], 0, 1, 'its status')).rejects.toThrow(
      'The Postgres HA data source "pgha" did not answer (HTTP 502) while loading its status: Plugin unavailable.'
    );
  });
});
