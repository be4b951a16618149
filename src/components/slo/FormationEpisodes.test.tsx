import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { readEpisodes } from '../../panels/topology/episodes';
import { golden } from '../../panels/topology/golden';
import { testIds } from '../testIds';
import { FormationEpisodes, MAX_EPISODES_LISTED } from './FormationEpisodes';

describe('FormationEpisodes', () => {
  // Go folded the recorded failovers (pkg/plugin golden files); the list only shows what it decided.
  const episodes = readEpisodes([...golden('episodes'), ...golden('episodes_events')]);

  test('one line per episode, newest first, with its kind in words and the raw events behind a disclosure', () => {
    render(<FormationEpisodes episodes={episodes} />);
    const items = screen.getAllByTestId(testIds.detail.episode);
    expect(items.map((li) => li.getAttribute('data-kind'))).toEqual([
      'in progress',
      'primary kept',
      'failover',
      'switchover',
      'failover',
      'primary kept',
    ]);
    const failover = items[2];
    expect(within(failover).getByText('Failover: node2 → node1')).toBeInTheDocument();
    expect(within(failover).getByText('failover')).toBeInTheDocument();
    expect(within(failover).getByText(/^node1 writable after 7\.5 s/)).toBeInTheDocument();
    expect(within(failover).getByText('18 monitor events')).toBeInTheDocument();
    expect(within(failover).getAllByRole('listitem')).toHaveLength(18);
    expect(within(items[0]).getByText('under way')).toBeInTheDocument();
  });

  test('without the events frame, each episode still says how many events it folds', () => {
    render(<FormationEpisodes episodes={readEpisodes(golden('episodes'))} />);
    expect(screen.getAllByText('18 monitor events').length).toBeGreaterThan(0);
  });

  test(`a busy range lists the latest ${MAX_EPISODES_LISTED} episodes`, () => {
    const many = Array.from({ length: MAX_EPISODES_LISTED + 5 }, (_, i) => ({ ...episodes[1], start: i * 1000 }));
    render(<FormationEpisodes episodes={many} />);
    const items = screen.getAllByTestId(testIds.detail.episode);
    expect(items).toHaveLength(MAX_EPISODES_LISTED);
    expect(
      screen.getByText(`The latest ${MAX_EPISODES_LISTED} of ${MAX_EPISODES_LISTED + 5} episodes.`)
    ).toBeInTheDocument();
    expect(within(items[0]).getByText(new Date((MAX_EPISODES_LISTED + 4) * 1000).toLocaleString())).toBeInTheDocument();
  });
});
