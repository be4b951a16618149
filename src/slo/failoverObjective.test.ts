import { golden } from '../panels/topology/golden';
import { readFailoverObjective } from './failoverObjective';

// The Go golden file is the contract: a missing file fails here (readFileSync throws), it never skips.
describe('failover objective frames (pkg/plugin/testdata/failover_objective.golden.jsonc)', () => {
  it('reads the judgement Go made of the recorded failovers', () => {
    const v = readFailoverObjective(golden('failover_objective'));
    expect(v).toMatchObject({
      objective: 0.95,
      writableWithinSeconds: 30,
      failovers: 2,
      met: 2,
      missed: 0,
      pending: 0,
      ratio: 1,
      meets: true,
      worst: { title: 'Failover: node2 → node1', writableAfterSeconds: 7.547 },
    });
    expect(v.judged.map((j) => [j.title, j.writableAfterSeconds, j.verdict])).toEqual([
      ['Failover: node2 → node1', 7.475, 'met'],
      ['Failover: node2 → node1', 7.547, 'met'],
    ]);
    expect(Number.isFinite(v.worst!.time)).toBe(true);
  });

  it('names what is missing instead of guessing', () => {
    expect(() => readFailoverObjective([])).toThrow(/did not answer the failover objective/);
    const frames = golden('failover_objective');
    frames[0].fields[2].name = 'count';
    expect(() => readFailoverObjective(frames)).toThrow('the failover_objective frame has no field "failovers"');
  });
});
