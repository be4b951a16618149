import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FormationFields, formationTestIds } from './FormationFields';
import { PghaQuery } from '../types';

function setup(query: PghaQuery) {
  const update = jest.fn();
  render(<FormationFields query={query} update={update} />);
  return { update, user: userEvent.setup({ delay: null }) };
}

describe('FormationFields', () => {
  it('sets another formation of the monitor, and empties back to the data source one', async () => {
    const { update, user } = setup({ refId: 'A' });
    await user.type(screen.getByTestId(formationTestIds.formation), ' analytics ');
    await user.tab();
    expect(update).toHaveBeenLastCalledWith({ formation: 'analytics' });
  });

  it('clearing the formation sends none (the data source formation)', async () => {
    const { update, user } = setup({ refId: 'A', formation: 'analytics' });
    await user.clear(screen.getByTestId(formationTestIds.formation));
    await user.tab();
    expect(update).toHaveBeenLastCalledWith({ formation: undefined });
  });

  it('flags a name the backend would refuse and does not send it', async () => {
    const { update, user } = setup({ refId: 'A' });
    await user.type(screen.getByTestId(formationTestIds.formation), 'a b');
    await user.tab();
    expect(update).not.toHaveBeenCalled();
    expect(screen.getByText(/Letters, digits/)).toBeInTheDocument();
  });

  it('group 0 is a group; empty is every group', async () => {
    const { update, user } = setup({ refId: 'A' });
    const group = screen.getByTestId(formationTestIds.group);
    await user.type(group, '0');
    await user.tab();
    expect(update).toHaveBeenLastCalledWith({ group: 0 });
  });

  it('a negative group is refused', async () => {
    const { update, user } = setup({ refId: 'A', group: 1 });
    const group = screen.getByTestId(formationTestIds.group);
    await user.clear(group);
    await user.type(group, '-2');
    await user.tab();
    expect(update).not.toHaveBeenCalled();
    expect(screen.getByText(/A group id from 0/)).toBeInTheDocument();
  });
});
