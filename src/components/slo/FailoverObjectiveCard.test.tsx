import React from 'react';
import { render, screen } from '@testing-library/react';
import { golden as goldenFrames } from '../../panels/topology/golden';
import { readFailoverObjective, type FailoverObjectiveView } from '../../slo/failoverObjective';
import { testIds } from '../testIds';
import { FailoverObjectiveCard } from './FailoverObjectiveCard';

const golden = () => readFailoverObjective(goldenFrames('failover_objective'));

describe('FailoverObjectiveCard', () => {
  it('met: the objective, the count, each failover and the worst one (from the Go golden frames)', () => {
    render(<FailoverObjectiveCard view={golden()} rangeLabel="in the last 30 days" />);
    const card = screen.getByTestId(testIds.topology.objective);
    expect(card).toHaveAttribute('data-state', 'met');
    expect(card).toHaveTextContent('Failover objective: 95 % of failovers writable within 30 s');
    expect(card).toHaveTextContent('Met: 2 of 2 failovers within 30 s (100 %)');
    expect(screen.getByTestId(testIds.topology.objectiveWorst)).toHaveTextContent(
      /Worst: Failover: node2 → node1, .*writable after 7\.5 s/
    );
    expect(card.querySelectorAll('li[data-verdict="met"]')).toHaveLength(2);
  });

  it('missed, one under way, and a primary never regained', () => {
    const v: FailoverObjectiveView = {
      ...golden(),
      failovers: 3,
      met: 2,
      missed: 1,
      pending: 1,
      ratio: 2 / 3,
      meets: false,
      worst: { title: 'No writable primary', time: Date.UTC(2026, 11, 5, 10), writableAfterSeconds: undefined },
    };
    render(<FailoverObjectiveCard view={v} rangeLabel="in the last 30 days" />);
    const card = screen.getByTestId(testIds.topology.objective);
    expect(card).toHaveAttribute('data-state', 'missed');
    expect(card).toHaveTextContent('Missed: 2 of 3 failovers within 30 s (66.7 %)');
    expect(card).toHaveTextContent('1 under way');
    expect(screen.getByTestId(testIds.topology.objectiveWorst)).toHaveTextContent('no writable primary');
  });

  it('no failover: nothing to judge, said so (not "100 %")', () => {
    render(
      <FailoverObjectiveCard
        view={{ ...golden(), failovers: 0, met: 0, ratio: undefined, meets: true, worst: undefined, judged: [] }}
        rangeLabel="in the last 30 days"
      />
    );
    expect(screen.getByTestId(testIds.topology.objective)).toHaveTextContent(
      'No failover in the last 30 days: nothing to judge.'
    );
  });
});
