import { EDGE, EPISODE, EVENT, NODE, STATUS } from './fields';
import { goldenFrames } from './golden';

// Every field name the app reads must be one Go sends: checked against the golden files, so a rename on either side
// fails here rather than blanking a box on a wall.
const fieldNames = (golden: string, frame: string) => {
  const f = goldenFrames(golden).find((x) => x.schema?.name === frame);
  if (!f) {
    throw new Error(`${golden} has no ${frame} frame`);
  }
  return (f.schema?.fields ?? []).map((x) => x.name);
};

describe('frame fields match pkg/plugin/fields.go (golden files)', () => {
  it.each([
    ['topology_healthy', 'nodes', NODE],
    ['topology_healthy', 'edges', EDGE],
    ['status_healthy', 'status', STATUS],
    ['events', 'events', EVENT],
    ['episodes', 'episodes', EPISODE],
  ])('%s %s', (golden, frame, names) => {
    expect(fieldNames(golden, frame)).toEqual(expect.arrayContaining(Object.values(names)));
  });

  it.each(['topology_healthy', 'status_healthy', 'events', 'episodes'])(
    '%s: every frame declares its name in meta.custom.frame (kept by Grafana Live)',
    (name) => {
      for (const f of goldenFrames(name)) {
        expect((f.schema?.meta?.custom as { frame?: string }).frame).toBe(f.schema?.name);
      }
    }
  );

  it('a missing golden file fails, it does not skip', () => {
    expect(() => goldenFrames('no_such_golden')).toThrow(/is missing/);
  });
});
