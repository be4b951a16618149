import React from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import { of, throwError } from 'rxjs';
import { golden } from '../../panels/topology/golden';
import { testIds } from '../testIds';
import { PostgresStrip } from './PostgresStrip';

// The data source as Grafana's DataSourceSrv hands it over: the strip queries it like a panel would.
const queryPgha = jest.fn();
jest.mock('@grafana/runtime', () => ({
  getDataSourceSrv: () => ({
    get: async () => ({ type: 'veza-pgha-datasource', query: (r: unknown) => queryPgha(r) }),
  }),
}));

const answer = (name: string) =>
  queryPgha.mockImplementation(() => of({ data: golden(name).map((f) => ({ ...f, refId: 'status' })) }));
const refuse = () =>
  queryPgha.mockImplementation(() => throwError(() => new Error('Post "/api/ds/query": HTTP 502 Bad Gateway')));
const strip = () => screen.getByTestId(testIds.overview.postgres);

describe('PostgresStrip (the status frames the Go backend answers: pkg/plugin/testdata)', () => {
  beforeEach(() => queryPgha.mockReset());

  test('a data source of another type is refused by name', async () => {
    const runtime = jest.requireMock('@grafana/runtime') as { getDataSourceSrv: () => unknown };
    const real = runtime.getDataSourceSrv;
    runtime.getDataSourceSrv = () => ({ get: async () => ({ type: 'prometheus', query: queryPgha }) });
    render(<PostgresStrip uid="prom" />);
    await waitFor(() => expect(strip()).toHaveTextContent('is a prometheus data source, not Veza PG HA'));
    runtime.getDataSourceSrv = real;
  });

  test('healthy: the verdict and why, a link to the topology, no runbook', async () => {
    answer('status_healthy');
    render(<PostgresStrip uid="pgha" />);
    await waitFor(() => expect(strip()).toHaveAttribute('data-verdict', 'healthy'));
    expect(strip()).toHaveTextContent('Healthy');
    expect(screen.getByRole('link', { name: 'Topology' })).toHaveAttribute('href', '/a/veza-slo-app/topology');
    expect(screen.queryByRole('link', { name: 'Runbook' })).not.toBeInTheDocument();
    expect(queryPgha).toHaveBeenCalledWith(
      expect.objectContaining({
        targets: [{ refId: 'status', queryType: 'status', datasource: { uid: 'pgha', type: 'veza-pgha-datasource' } }],
      })
    );
  });

  test('failover in progress: the runbook is one click away', async () => {
    answer('status_failover');
    render(<PostgresStrip uid="pgha" />);
    await waitFor(() => expect(strip()).toHaveAttribute('data-verdict', 'failover in progress'));
    expect(strip()).toHaveTextContent('Failover in progress');
    expect(screen.getByRole('link', { name: 'Runbook' }).getAttribute('href')).toMatch(/runbooks\/db-failover$/);
  });

  test('monitor down: last known roles, said so', async () => {
    answer('status_monitor_down');
    render(<PostgresStrip uid="pgha" />);
    await waitFor(() => expect(strip()).toHaveAttribute('data-verdict', 'monitor unreachable'));
    expect(strip()).toHaveTextContent('(last known roles)');
  });

  test('the data source does not answer: says so with the reason, never blank', async () => {
    refuse();
    render(<PostgresStrip uid="pgha" kiosk />);
    await waitFor(() => expect(strip()).toHaveAttribute('data-verdict', 'no answer'));
    expect(strip()).toHaveTextContent('No answer');
    expect(strip()).toHaveTextContent('The Postgres HA data source "pgha" did not answer while loading its status');
    expect(strip()).toHaveTextContent('HTTP 502');
    expect(screen.queryByRole('link', { name: 'Topology' })).not.toBeInTheDocument(); // TV mode: nothing to click
  });

  test('answered, then silent: the last verdict greyed as "last known", never a live-looking green', async () => {
    answer('status_healthy');
    render(<PostgresStrip uid="pgha" kiosk refreshMs={50} />);
    await waitFor(() => expect(strip()).toHaveAttribute('data-verdict', 'healthy'));
    expect(strip()).toHaveAttribute('data-stale', 'false');
    refuse();
    await waitFor(() => expect(strip()).toHaveAttribute('data-stale', 'true'));
    expect(strip()).toHaveTextContent('Not updated — last known: Healthy');
    expect(strip()).toHaveTextContent(/No answer since .*did not answer.*HTTP 502/);
    expect(strip().querySelector('strong')!.textContent).not.toBe('Healthy');
  });
});
