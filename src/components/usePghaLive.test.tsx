import React from 'react';
import { act, render, screen, waitFor } from '@testing-library/react';
import { LoadingState } from '@grafana/data';
import { Subject } from 'rxjs';
import { golden } from '../panels/topology/golden';
import { usePghaLive } from './usePghaLive';

const stream = new Subject<unknown>();
const query = jest.fn((_: unknown) => stream);
jest.mock('@grafana/runtime', () => ({
  getDataSourceSrv: () => ({ get: async () => ({ type: 'veza-pgha-datasource', query: (r: unknown) => query(r) }) }),
}));

function Probe({ queriesKey }: { queriesKey: string }) {
  const s = usePghaLive('pgha', [{ refId: 'topology', live: true }], queriesKey, 60_000);
  return (
    <div data-testid="probe" data-state={s.state} data-error={s.error ?? ''}>
      {s.series.map((f) => f.name).join(',')}
    </div>
  );
}

describe('usePghaLive', () => {
  it('shows each stream update, keeps the frames when the stream fails, and does not resubscribe on re-render', async () => {
    const { rerender } = render(<Probe queriesKey="k" />);
    await waitFor(() => expect(query).toHaveBeenCalledTimes(1));
    const [nodes, edges] = golden('topology_healthy');
    act(() => stream.next({ key: 'n', data: [nodes], state: LoadingState.Streaming }));
    act(() => stream.next({ key: 'e', data: [edges], state: LoadingState.Streaming }));
    expect(screen.getByTestId('probe')).toHaveTextContent('nodes,edges');
    rerender(<Probe queriesKey="k" />);
    expect(query).toHaveBeenCalledTimes(1);
    act(() => stream.error(new Error('stream closed: plugin restarted')));
    expect(screen.getByTestId('probe')).toHaveTextContent('nodes,edges');
    expect(screen.getByTestId('probe')).toHaveAttribute('data-error', 'stream closed: plugin restarted');
    expect(screen.getByTestId('probe')).toHaveAttribute('data-state', LoadingState.Error);
  });
});
