import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryEditor, queryTestIds } from './QueryEditor';
import { formationTestIds } from './FormationFields';
import { PghaDataSource } from '../datasource';
import { PghaQuery, QueryType } from '../types';

function setup(query: PghaQuery) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  render(
    <QueryEditor
      query={query}
      onChange={onChange}
      onRunQuery={onRunQuery}
      datasource={{} as unknown as PghaDataSource}
    />
  );
  return { onChange, onRunQuery, user: userEvent.setup({ delay: null }) };
}

describe('QueryEditor', () => {
  it('switches query type and runs the query', async () => {
    const { onChange, onRunQuery, user } = setup({ refId: 'A', queryType: QueryType.Topology });
    await user.click(screen.getByLabelText('Status'));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: QueryType.Status });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('offers live for topology, not the events limit', async () => {
    const { onChange, user } = setup({ refId: 'A' });
    expect(screen.queryByTestId(queryTestIds.limit)).not.toBeInTheDocument();
    await user.click(screen.getByTestId(queryTestIds.live));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', live: true });
  });

  it('events: limit is a number, capped, empty means the default', async () => {
    const { onChange, user } = setup({ refId: 'A', queryType: QueryType.Events });
    const limit = screen.getByTestId(queryTestIds.limit);
    await user.type(limit, '99999');
    await user.tab();
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: QueryType.Events, limit: 5000 });
  });

  it('events can stream too', async () => {
    const { onChange, user } = setup({ refId: 'A', queryType: QueryType.Events, limit: 20 });
    await user.click(screen.getByTestId(queryTestIds.live));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: QueryType.Events, limit: 20, live: true });
  });

  it('measures: no live switch, one number or all for an alert rule', async () => {
    const { onChange, user } = setup({ refId: 'A', queryType: QueryType.Measures });
    expect(screen.queryByTestId(queryTestIds.live)).not.toBeInTheDocument();
    expect(screen.queryByTestId(queryTestIds.limit)).not.toBeInTheDocument();
    // Combobox virtualises its list (nothing renders in jsdom): pick by typing, like a keyboard user.
    await user.type(screen.getByRole('combobox', { name: 'Measure' }), 'healthy{ArrowDown}{Enter}');
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: QueryType.Measures, measure: 'healthy' });
  });

  it('episodes: a limit, no live switch', () => {
    setup({ refId: 'A', queryType: QueryType.Episodes });
    expect(screen.getByTestId(queryTestIds.limit)).toBeInTheDocument();
    expect(screen.queryByTestId(queryTestIds.live)).not.toBeInTheDocument();
  });
});

describe('QueryEditor formation and group', () => {
  it('every query type carries the group option, and a change runs the query', async () => {
    const { onChange, onRunQuery, user } = setup({ refId: 'A', queryType: QueryType.Groups });
    await user.type(screen.getByTestId(formationTestIds.group), '1');
    await user.tab();
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: QueryType.Groups, group: 1 });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('the formation option keeps the rest of the query', async () => {
    const { onChange, user } = setup({ refId: 'A', queryType: QueryType.Status, live: true });
    await user.type(screen.getByTestId(formationTestIds.formation), 'analytics');
    await user.tab();
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'A',
      queryType: QueryType.Status,
      live: true,
      formation: 'analytics',
    });
  });
});
