import recorded from '../../pkg/pgha/testdata/formation-events.json';
import { EPISODE_MAX_GAP_MS, formationEpisodes, type FormationEvent } from './episodes';

// Real rows of pgautofailover.event from the local stack (see the fixture's `source`).
const events: Array<FormationEvent & { id: number }> = recorded.events;
const ids = (e: { events: Array<{ id: number }> }) => [e.events[0].id, e.events[e.events.length - 1].id];

describe('formationEpisodes over a recorded formation', () => {
  const episodes = formationEpisodes(events);

  test('72 raw events fold into six episodes, each ending where the formation settled', () => {
    expect(episodes.map(ids)).toEqual([
      [227, 228],
      [229, 246],
      [247, 266],
      [267, 284],
      [285, 296],
      [297, 298],
    ]);
    expect(episodes.flatMap((e) => e.events)).toHaveLength(events.length);
  });

  test.each([
    // index, kind, title, before, after, writable after (ms, rounded to 100), settled
    [0, 'primary kept', 'node2 stayed primary', 'node2', 'node2', undefined, true],
    [1, 'failover', 'Failover: node2 → node1', 'node2', 'node1', 7500, true],
    [2, 'switchover', 'Switchover: node1 → node2', 'node1', 'node2', 5200, true],
    [3, 'failover', 'Failover: node2 → node1', 'node2', 'node1', 7500, true],
    [4, 'primary kept', 'node1 stayed primary', 'node1', 'node1', undefined, true],
    [5, 'in progress', 'Under way: node1 writable', 'node1', 'node1', undefined, false],
  ])('episode %i: %s — %s', (i, kind, title, before, after, writable, settled) => {
    const e = episodes[i];
    expect(e.kind).toBe(kind);
    expect(e.title).toBe(title);
    expect(e.primaryBefore).toBe(before);
    expect(e.primaryAfter).toBe(after);
    expect(e.writableAfterMs === undefined ? undefined : Math.round(e.writableAfterMs / 100) * 100).toBe(writable);
    expect(e.settled).toBe(settled);
  });

  test('the detail says who became writable when, who the monitor lost, and how it ended', () => {
    expect(episodes[1].detail).toBe(
      'node1 writable after 7.5 s · node2 stopped answering the monitor · ended: node1 primary, node2 secondary · 8.7 s from first to last event'
    );
    // A requested switchover marks the demoting primary unhealthy for a moment: not reported as lost.
    expect(episodes[2].detail).toMatch(/^node2 writable after 5\.2 s · ended: node1 secondary, node2 primary/);
    expect(episodes[4].detail).toMatch(
      /^node2 and node1 stopped answering the monitor · ended: node1 primary, node2 secondary/
    );
    expect(episodes[5].detail).toBe(
      'node2 and node1 stopped answering the monitor · now: node1 primary, node2 secondary · 2.0 s from first to last event'
    );
  });
});

describe('formationEpisodes edge cases', () => {
  const ev = (time: number, node: string, reported: string, goal: string, text = ''): FormationEvent => ({
    time,
    node,
    reported,
    goal,
    text,
  });

  test('no events: no episodes', () => {
    expect(formationEpisodes([])).toEqual([]);
  });

  test('unsorted input is read in time order', () => {
    const out = formationEpisodes([ev(2000, 'n1', 'primary', 'primary'), ev(1000, 'n1', 'wait_primary', 'primary')]);
    expect(out).toHaveLength(1);
    expect(out[0].start).toBe(1000);
  });

  test('a formation that never settles is still cut at a long quiet gap', () => {
    const out = formationEpisodes([
      ev(0, 'n1', 'primary', 'primary', 'Node n1 is marked as unhealthy by the monitor'),
      ev(EPISODE_MAX_GAP_MS + 1, 'n1', 'primary', 'primary', 'Node n1 is marked as unhealthy by the monitor'),
    ]);
    expect(out).toHaveLength(2);
    expect(out.map((e) => e.kind)).toEqual(['primary kept', 'in progress']);
  });

  test('every node stuck without a writable state reads "no primary" once it is no longer the latest', () => {
    const out = formationEpisodes([
      ev(0, 'n1', 'demote_timeout', 'demoted'),
      ev(1000, 'n2', 'stop_replication', 'wait_primary'),
      ev(EPISODE_MAX_GAP_MS + 5000, 'n2', 'primary', 'primary'),
    ]);
    expect(out[0].kind).toBe('no primary');
    expect(out[0].title).toBe('No writable primary');
    expect(out[1].kind).toBe('in progress');
    expect(out[1].title).toBe('Under way: n2 writable');
  });

  test('events without node or states (another source) are shown as they are, judged on nothing', () => {
    const out = formationEpisodes([{ time: 1, text: 'formation event' }]);
    expect(out).toEqual([
      expect.objectContaining({ kind: 'other', title: 'formation event', detail: '', settled: true }),
    ]);
  });
});
