import React from 'react';
import { screen, within } from '@testing-library/react';
import { testIds } from '../components/testIds';
import { rulesFromFile } from '../slo/testdata/fixtures';
import RunbooksPage from './Runbooks';
import { prom, renderAt } from './testHelpers';

jest.mock('@grafana/runtime', () => jest.requireActual('./testHelpers').runtimeMock());

jest.mock('../components/runbooks/sources', () => ({
  bundledRunbooks: () => [
    {
      name: 'api-latency-slo-burn',
      markdown:
        '# API latency SLO burn\n\nWrites are slow.\n\nSee [db failover](db-failover.md).\n\n<script>alert(1)</script>',
    },
    { name: 'db-failover', markdown: '# Database failover\n\nThe primary is gone.' },
  ],
}));

beforeEach(() => {
  prom.rules = rulesFromFile(undefined, { APILatencySLOSlowBurn: 'pending' });
});

describe('Runbooks', () => {
  it('lists runbooks with the alert rules pointing at them and their live state', async () => {
    renderAt('/runbooks', '/runbooks', <RunbooksPage />);
    const item = screen.getByTestId(testIds.runbooks.item('api-latency-slo-burn'));
    expect(item).toHaveTextContent('API latency SLO burn');
    expect(await within(item).findByText('APILatencySLOSlowBurn')).toHaveAttribute(
      'href',
      '/a/veza-slo-app/slos/api-latency?alert=APILatencySLOSlowBurn'
    );
    expect(
      within(item)
        .getAllByTestId(testIds.overview.alertState)
        .map((e) => e.textContent)
    ).toEqual(['inactive', 'pending']);
    expect(screen.getByTestId(testIds.runbooks.item('db-failover'))).toHaveTextContent(
      'No loaded alert rule links here.'
    );
  });

  it('renders one runbook sanitised, with in-app links between runbooks', async () => {
    renderAt('/runbooks/api-latency-slo-burn', '/runbooks/:name', <RunbooksPage />);
    const body = screen.getByTestId(testIds.runbooks.body);
    expect(body.querySelector('script')).toBeNull();
    expect(within(body).getByRole('link', { name: 'db failover' })).toHaveAttribute(
      'href',
      '/a/veza-slo-app/runbooks/db-failover'
    );
    expect(
      await within(screen.getByTestId(testIds.runbooks.rules)).findByText('APILatencySLOFastBurn')
    ).toBeInTheDocument();
  });

  it('an unknown runbook says so', () => {
    renderAt('/runbooks/nope', '/runbooks/:name', <RunbooksPage />);
    expect(screen.getByText('No runbook named "nope"')).toBeInTheDocument();
  });
});
