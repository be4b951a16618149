import { eventsFromFrames } from './pgha';

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
